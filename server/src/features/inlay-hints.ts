// Inlay hints: what a few raw values mean, at the end of their lines: the device a PCI path names
// (`= 00:1f.0`, resolved through the PCI inventory when there is one), an RMRR's size after its
// limit (`72 MiB`), and the real address width after Host Address Width (`39-bit`).

import { InlayHintKind, type InlayHint } from 'vscode-languageserver-types';
import { pciIndexOf, resolveScopePath } from '../analysis/devices';
import { isPciScope, type FieldLoc, type TextRange } from '../table/model';
import { platformOf, textTable, type FeatureContext } from './context';
import { rmrrSizeText, segmentOf } from './names';

function after(loc: FieldLoc | undefined, label: string, range: TextRange | undefined): InlayHint | undefined {
  if (loc?.line === undefined) return undefined;
  if (range && (loc.line < range.start.line || loc.line > range.end.line)) return undefined;
  return {
    position: { line: loc.line, character: loc.lineEnd ?? loc.valueEnd ?? 0 },
    label,
    kind: InlayHintKind.Type,
    paddingLeft: true,
  };
}

export function inlayHints(ctx: FeatureContext, range?: TextRange): InlayHint[] {
  const table = textTable(ctx);
  const pci = platformOf(ctx).pci;
  const index = pci ? pciIndexOf(pci.devices) : undefined;
  const hints: (InlayHint | undefined)[] = [after(table.loc.fields.hostAddressWidth, `${table.hostAddressWidth + 1}-bit`, range)];
  for (const s of table.structures) {
    if (range && s.loc.range && (s.loc.range.end.line < range.start.line || s.loc.range.start.line > range.end.line)) continue;
    if (s.kind === 'rmrr') hints.push(after(s.loc.fields.limit, rmrrSizeText(s), range));
    if (!('scopes' in s)) continue;
    for (const scope of s.scopes) {
      if (!isPciScope(scope) || scope.path.length === 0) continue;
      const last = scope.loc.fields[`path${scope.path.length - 1}`];
      // The JSON form's `"device": "00:1f.0"` already says it.
      const startBus = scope.loc.fields.startBus;
      if (last && startBus && last.line === startBus.line && last.valueStart === startBus.valueStart) continue;
      hints.push(after(last, `= ${resolveScopePath(index, segmentOf(s), scope).label}`, range));
    }
  }
  return hints.filter((h): h is InlayHint => h !== undefined);
}
