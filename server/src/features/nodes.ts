// Where a text position falls in the model (table header, structure, device scope, field) and a
// walk over every field that has text, each with its description from fields.ts. Hover,
// completion, formatting, inlay hints and selection ranges all start here.

import {
  DMAR_FIELDS, PATH_FIELD, SCOPE_FIELDS, STRUCTURE_BY_KIND, STRUCTURE_HEADER_FIELDS, TABLE_HEADER_FIELDS, type FieldSpec,
} from '../table/fields';
import type { DeviceScope, DmarTable, FieldLoc, NodeLoc, Position, Structure, TextRange } from '../table/model';

export const HEADER_FIELD_SPECS: readonly FieldSpec[] = [...TABLE_HEADER_FIELDS, ...DMAR_FIELDS];

/** The fields a structure defines, Type and Length first, in the order iasl wants them. */
export function structureFieldSpecs(s: Structure): readonly FieldSpec[] {
  if (s.kind === 'unknown') return STRUCTURE_HEADER_FIELDS;
  return [...STRUCTURE_HEADER_FIELDS, ...STRUCTURE_BY_KIND.get(s.kind)!.fields];
}

const PATH_KEY = /^path(\d+)$/;

export function pathIndexOf(key: string): number | undefined {
  const m = PATH_KEY.exec(key);
  return m ? Number(m[1]) : undefined;
}

export type FieldOwner =
  | { kind: 'table' }
  | { kind: 'structure'; structure: Structure; structureIndex: number }
  | { kind: 'scope'; structure: Structure; structureIndex: number; scope: DeviceScope; scopeIndex: number };

export interface FieldRef {
  key: string;
  loc: FieldLoc;
  /** Absent for properties only the JSON form has (annotations, `data`, `tail`, ...). */
  spec?: FieldSpec;
  /** For `PCI Path` elements: which element. */
  pathIndex?: number;
  owner: FieldOwner;
}

function specFor(owner: FieldOwner, key: string): FieldSpec | undefined {
  switch (owner.kind) {
    case 'table': return HEADER_FIELD_SPECS.find((f) => f.key === key);
    case 'structure': return structureFieldSpecs(owner.structure).find((f) => f.key === key);
    case 'scope': return pathIndexOf(key) !== undefined ? PATH_FIELD : SCOPE_FIELDS.find((f) => f.key === key);
  }
}

function refsOf(loc: NodeLoc, owner: FieldOwner): FieldRef[] {
  const out: FieldRef[] = [];
  for (const [key, f] of Object.entries(loc.fields)) {
    if (f.line === undefined) continue;
    out.push({ key, loc: f, spec: specFor(owner, key), pathIndex: pathIndexOf(key), owner });
  }
  return out;
}

/** Every field with a place in the text, in text order. */
export function fieldsWithText(table: DmarTable): FieldRef[] {
  const out = refsOf(table.loc, { kind: 'table' });
  table.structures.forEach((structure, structureIndex) => {
    out.push(...refsOf(structure.loc, { kind: 'structure', structure, structureIndex }));
    if ('scopes' in structure) {
      structure.scopes.forEach((scope, scopeIndex) => {
        out.push(...refsOf(scope.loc, { kind: 'scope', structure, structureIndex, scope, scopeIndex }));
      });
    }
  });
  return out.sort((a, b) => a.loc.line! - b.loc.line! || (a.loc.nameStart ?? 0) - (b.loc.nameStart ?? 0));
}

export interface NodeAt {
  structure?: Structure;
  structureIndex?: number;
  scope?: DeviceScope;
  scopeIndex?: number;
  field?: FieldRef;
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * Whether `range` holds `pos`. Line-oriented sources count whole lines (a hover left of an
 * indented field still means that field); JSON objects count characters, as several can share a line.
 */
export function rangeHolds(range: TextRange | undefined, pos: Position, wholeLines: boolean): boolean {
  if (!range) return false;
  if (wholeLines) return range.start.line <= pos.line && pos.line <= range.end.line;
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

/** The field on the position's line, preferring the one under the cursor when a line holds several (JSON). */
function fieldOnLine(refs: FieldRef[], pos: Position): FieldRef | undefined {
  let best: FieldRef | undefined;
  let bestDistance = Infinity;
  for (const r of refs) {
    if (r.loc.line !== pos.line) continue;
    const start = Math.min(r.loc.nameStart ?? 0, r.loc.valueStart ?? 0);
    const end = Math.max(r.loc.valueEnd ?? 0, r.loc.lineEnd ?? 0);
    const distance = pos.character < start ? start - pos.character : pos.character > end ? pos.character - end : 0;
    if (distance < bestDistance) { best = r; bestDistance = distance; }
  }
  return best;
}

/** The innermost node (and field) at a position. */
export function nodeAt(table: DmarTable, pos: Position): NodeAt {
  const wholeLines = table.form !== 'json';
  for (let i = 0; i < table.structures.length; i++) {
    const structure = table.structures[i]!;
    if (!rangeHolds(structure.loc.range, pos, wholeLines)) continue;
    if ('scopes' in structure) {
      for (let j = 0; j < structure.scopes.length; j++) {
        const scope = structure.scopes[j]!;
        if (!rangeHolds(scope.loc.range, pos, wholeLines)) continue;
        const field = fieldOnLine(refsOf(scope.loc, { kind: 'scope', structure, structureIndex: i, scope, scopeIndex: j }), pos);
        return { structure, structureIndex: i, scope, scopeIndex: j, field };
      }
    }
    const field = fieldOnLine(refsOf(structure.loc, { kind: 'structure', structure, structureIndex: i }), pos);
    return { structure, structureIndex: i, field };
  }
  return { field: fieldOnLine(refsOf(table.loc, { kind: 'table' }), pos) };
}

/** The range of a structure's first line (its `Subtable Type`), where outlines and lenses point. */
export function headerLineRange(loc: NodeLoc): TextRange | undefined {
  const type = loc.fields.type;
  if (type?.line !== undefined) {
    return { start: { line: type.line, character: type.lineStart ?? 0 }, end: { line: type.line, character: type.lineEnd ?? type.valueEnd ?? 0 } };
  }
  return loc.range;
}

/** From the first to the last line of the table header's fields. */
export function tableHeaderRange(table: DmarTable): TextRange | undefined {
  const refs = refsOf(table.loc, { kind: 'table' }).filter((r) => r.spec);
  if (refs.length === 0) return undefined;
  refs.sort((a, b) => a.loc.line! - b.loc.line!);
  const first = refs[0]!.loc;
  const last = refs[refs.length - 1]!.loc;
  return {
    start: { line: first.line!, character: first.lineStart ?? 0 },
    end: { line: last.line!, character: last.lineEnd ?? last.valueEnd ?? 0 },
  };
}
