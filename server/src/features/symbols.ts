// The outline: the table header, then each remapping structure with its device scopes as children.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { TextRange } from '../table/model';
import { textTable, type FeatureContext } from './context';
import { headerLineRange, tableHeaderRange } from './nodes';
import { scopeLabel, segmentOf, structureLabel } from './names';

function symbol(name: string, kind: SymbolKind, range: TextRange, selectionRange: TextRange, children?: DocumentSymbol[]): DocumentSymbol {
  return children ? { name, kind, range, selectionRange, children } : { name, kind, range, selectionRange };
}

export function documentSymbols(ctx: FeatureContext): DocumentSymbol[] {
  const table = textTable(ctx);
  const out: DocumentSymbol[] = [];
  const header = tableHeaderRange(table);
  if (header) {
    const oem = `${table.oemId.trim()} ${table.oemTableId.trim()}`.trim();
    out.push(symbol(`${table.signature || 'DMAR'} header${oem ? ` (${oem})` : ''}, ${table.hostAddressWidth + 1}-bit`, SymbolKind.Namespace, header, header));
  }
  for (const s of table.structures) {
    const range = s.loc.range;
    const selection = headerLineRange(s.loc);
    if (!range || !selection) continue;
    const children: DocumentSymbol[] = [];
    if ('scopes' in s) {
      for (const scope of s.scopes) {
        const scopeRange = scope.loc.range;
        const scopeSelection = headerLineRange(scope.loc);
        if (scopeRange && scopeSelection) children.push(symbol(scopeLabel(segmentOf(s), scope), SymbolKind.Field, scopeRange, scopeSelection));
      }
    }
    out.push(symbol(structureLabel(s), SymbolKind.Struct, range, selection, children));
  }
  return out;
}
