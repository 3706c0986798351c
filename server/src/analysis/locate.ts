// The narrowest location for a finding: a field's value, a scope entry, a structure's header
// line. Text forms give ranges, binaries byte spans; findings carry both where known.

import type { Location } from '../table/finding';
import { lineRange, valueRange, type DeviceScope, type DmarTable, type NodeLoc, type Structure } from '../table/model';

/** The value of one field of a node. */
export function atField(loc: NodeLoc, key: string): Location {
  const f = loc.fields[key];
  if (!f) return atNodeHeader(loc);
  return { range: valueRange(f) ?? loc.range, offset: f.offset, width: f.width };
}

/** The first line of a node (a structure's `Subtable Type` line, a scope's type line). */
export function atNodeHeader(loc: NodeLoc): Location {
  const first = loc.fields.type;
  const range = first ? lineRange(first) : undefined;
  return { range: range ?? loc.range, offset: loc.offset, width: first?.width ?? 1 };
}

export function atStructure(s: Structure): Location {
  return atNodeHeader(s.loc);
}

/** The whole device scope entry. */
export function atScope(scope: DeviceScope): Location {
  return { range: scope.loc.range ?? atNodeHeader(scope.loc).range, offset: scope.loc.offset, width: scope.length };
}

export function atTableField(table: DmarTable, key: string): Location {
  return atField(table.loc, key);
}

/** The field whose bytes hold `offset`, with a label for messages; a linear search, for the rare finding that needs it. */
export function fieldAtOffset(table: DmarTable, offset: number): { location: Location; label: string } | undefined {
  const nodes: { loc: NodeLoc; label: string }[] = [{ loc: table.loc, label: 'the table header' }];
  table.structures.forEach((s, i) => {
    nodes.push({ loc: s.loc, label: `structure ${i + 1} (${s.kind.toUpperCase()})` });
    if ('scopes' in s) s.scopes.forEach((sc, j) => nodes.push({ loc: sc.loc, label: `scope ${j + 1} of structure ${i + 1}` }));
  });
  for (const node of nodes) {
    for (const [key, f] of Object.entries(node.loc.fields)) {
      if (offset >= f.offset && offset < f.offset + Math.max(f.width, 1)) {
        return { location: { range: valueRange(f) ?? node.loc.range, offset: f.offset, width: f.width }, label: `${key} of ${node.label}` };
      }
    }
  }
  return undefined;
}
