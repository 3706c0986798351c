// Go to definition: from a device scope to the DRHD that translates the device, from an RHSA's
// base to the DRHD with that register base, from a namespace scope to the ANDD it names.

import { translatingDrhd } from '../analysis/translation';
import { SCOPE_TYPE, lineRange, type DmarTable, type Position, type TextRange } from '../table/model';
import { textTable, type FeatureContext } from './context';
import { headerLineRange, nodeAt } from './nodes';
import { segmentOf } from './names';

export interface DefinitionTarget {
  /** The whole target (a structure). */
  range: TextRange;
  /** What to select in it: the scope entry that lists the device, or the structure's first line. */
  selectionRange: TextRange;
  /** What was asked about. */
  originRange?: TextRange;
}

function structureTarget(table: DmarTable, index: number, selection?: TextRange): DefinitionTarget | undefined {
  const s = table.structures[index];
  const range = s?.loc.range;
  const header = s && headerLineRange(s.loc);
  if (!range || !header) return undefined;
  return { range, selectionRange: selection ?? header };
}

export function definition(ctx: FeatureContext, position: Position): DefinitionTarget[] {
  const table = textTable(ctx);
  const at = nodeAt(table, position);
  const s = at.structure;
  if (!s) return [];
  let target: DefinitionTarget | undefined;
  if (at.scope) {
    const scope = at.scope;
    if (scope.type === SCOPE_TYPE.namespace) {
      const index = table.structures.findIndex((x) => x.kind === 'andd' && x.deviceNumber === scope.enumerationId);
      if (index >= 0) target = structureTarget(table, index);
    } else if (s.kind !== 'drhd') {
      const t = translatingDrhd(table, segmentOf(s), scope);
      if (t) target = structureTarget(table, t.drhdIndex, t.scope?.loc.range);
    }
    if (target) target.originRange = scope.loc.range;
  } else if (s.kind === 'rhsa') {
    const index = table.structures.findIndex((x) => x.kind === 'drhd' && x.registerBase === s.registerBase);
    const base = table.structures[index]?.loc.fields.registerBase;
    if (index >= 0) target = structureTarget(table, index, base && lineRange(base));
    const origin = s.loc.fields.registerBase;
    if (target && origin) target.originRange = lineRange(origin);
  }
  return target ? [target] : [];
}
