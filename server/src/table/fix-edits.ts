// Turns a fix (a change to a copy of the model) into text edits for a source document. Unchanged
// structures keep their text, comments and all; a structure whose shape stays the same gets
// value edits only; one whose shape changes (a scope removed, a structure split) is rewritten
// in the document's own prefix style. Lengths, the checksum and the Raw Table Data block are
// brought up to date, so every fix leaves the file well-formed.

import { encodeScope, encodeStructure, encodeTable, encodedStructureSize, encodedScopeSize } from './binary-writer';
import { tableChecksumByte } from './bytes';
import { DMAR_FIELDS, FieldSpec, SCOPE_FIELDS, STRUCTURE_BY_KIND, STRUCTURE_HEADER_FIELDS, TABLE_HEADER_FIELDS } from './fields';
import type { Fix, TextEdit } from './finding';
import { valueRange, type DeviceScope, type DmarTable, type NodeLoc, type Structure, type TextRange } from './model';
import { detectPrefixStyle, formatValue, decodedName, pathElementText, rawDataText, writeStructuresText } from './source-writer';

export function cloneTable(table: DmarTable): DmarTable {
  return structuredClone(table);
}

/** Apply a fix to a copy of the table and bring lengths and the checksum up to date. */
export function applyFix(table: DmarTable, fix: Fix): DmarTable {
  const copy = cloneTable(table);
  fix.apply(copy);
  normalizeAfterFix(table, copy);
  return copy;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function tableSize(t: DmarTable): number {
  let n = 48 + t.trailing.length;
  for (const s of t.structures) n += encodedStructureSize(s);
  return n;
}

/** Lengths of changed structures and scopes follow their content; so do Table Length and the checksum when they were right before. */
function normalizeAfterFix(before: DmarTable, after: DmarTable): void {
  const key = (s: Structure) => Buffer.from(encodeStructure(s, { lossless: true })).toString('hex');
  const untouched = new Set(before.structures.map(key));
  for (const s of after.structures) {
    if (untouched.has(key(s))) continue;
    if ('scopes' in s) for (const sc of s.scopes) sc.length = encodedScopeSize(sc);
    s.length = encodedStructureSize(s);
  }
  const hadRightLength = before.length === tableSize(before);
  const structuresChanged = before.structures.length !== after.structures.length
    || before.structures.some((s, i) => !sameBytes(encodeStructure(s, { lossless: true }), encodeStructure(after.structures[i]!, { lossless: true })));
  if (hadRightLength || structuresChanged) {
    if (after.length === before.length) after.length = tableSize(after);
  }
  const beforeBytes = encodeTable(before, { lossless: true });
  const checksumWasRight = tableChecksumByte(beforeBytes) === before.checksum;
  if (checksumWasRight && after.checksum === before.checksum) {
    after.checksum = tableChecksumByte(encodeTable(after, { lossless: true }));
  }
  if (before.rawData && after.rawData) {
    const rawMatched = sameBytes(beforeBytes, before.rawData.bytes.subarray(0, before.rawData.declaredLength));
    if (rawMatched || structuresChanged) {
      const bytes = encodeTable(after, { lossless: true });
      after.rawData = { ...after.rawData, bytes, present: new Uint8Array(bytes.length).fill(1), declaredLength: bytes.length };
    }
  }
}

interface Edits {
  list: TextEdit[];
}

function valueEdit(edits: Edits, loc: NodeLoc, spec: FieldSpec, key: string, value: unknown): void {
  const f = loc.fields[key];
  const range = f && valueRange(f);
  if (!range) return;
  let text = formatValue(spec, value);
  const decoded = decodedName(spec, value);
  if (decoded) text += ` [${decoded}]`;
  edits.list.push({ range, newText: text });
}

function diffFields(edits: Edits, specs: readonly FieldSpec[], before: object, after: object, loc: NodeLoc): void {
  for (const spec of specs) {
    const a = (before as Record<string, unknown>)[spec.key];
    const b = (after as Record<string, unknown>)[spec.key];
    const same = a instanceof Uint8Array && b instanceof Uint8Array ? sameBytes(a, b) : a === b;
    if (!same) valueEdit(edits, loc, spec, spec.key, b);
  }
}

function sameShape(a: Structure, b: Structure): boolean {
  if (a.kind !== b.kind || a.kind === 'unknown' || a.tail.length !== b.tail.length) return false;
  if (a.kind === 'andd' && b.kind === 'andd') return a.name === b.name && sameBytes(a.padding, b.padding);
  if ('scopes' in a && 'scopes' in b) {
    if (a.scopes.length !== b.scopes.length) return false;
    return a.scopes.every((s, i) => s.path.length === b.scopes[i]!.path.length && s.tail.length === b.scopes[i]!.tail.length);
  }
  return true;
}

function diffScope(edits: Edits, a: DeviceScope, b: DeviceScope): void {
  diffFields(edits, SCOPE_FIELDS, a, b, a.loc);
  a.path.forEach((p, i) => {
    const q = b.path[i]!;
    if (p.device !== q.device || p.function !== q.function) {
      const f = a.loc.fields[`path${i}`];
      const range = f && valueRange(f);
      if (range) edits.list.push({ range, newText: pathElementText(q) });
    }
  });
}

function lineStart(line: number): TextRange {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/** Text edits that turn `text` (read into `table`) into the fixed table. */
export function fixEditsForSource(text: string, table: DmarTable, fix: Fix): TextEdit[] {
  const fixed = applyFix(table, fix);
  const edits: Edits = { list: [] };
  diffFields(edits, TABLE_HEADER_FIELDS, table, fixed, table.loc);
  diffFields(edits, DMAR_FIELDS, table, fixed, table.loc);

  const a = table.structures;
  const b = fixed.structures;
  const enc = (s: Structure) => encodeStructure(s, { lossless: true });
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && sameBytes(enc(a[prefix]!), enc(b[prefix]!))) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && sameBytes(enc(a[a.length - 1 - suffix]!), enc(b[b.length - 1 - suffix]!))) suffix++;
  const changedA = a.slice(prefix, a.length - suffix);
  const changedB = b.slice(prefix, b.length - suffix);

  if (changedA.length === changedB.length && changedA.every((s, i) => sameShape(s, changedB[i]!))) {
    changedA.forEach((s, i) => {
      const t = changedB[i]!;
      diffFields(edits, STRUCTURE_HEADER_FIELDS, s, t, s.loc);
      if (s.kind !== 'unknown') diffFields(edits, STRUCTURE_BY_KIND.get(s.kind)!.fields.filter((f) => f.kind !== 'name'), s, t, s.loc);
      if ('scopes' in s && 'scopes' in t) s.scopes.forEach((sc, j) => {
        if (!sameBytes(encodeScope(sc, { lossless: true }), encodeScope(t.scopes[j]!, { lossless: true }))) diffScope(edits, sc, t.scopes[j]!);
      });
    });
  } else {
    // Rewrite the changed run of structures, from the first changed one's line up to the next
    // unchanged structure (or the Raw Table Data block, or the end).
    const lines = text.split('\n');
    const startLine = changedA.length > 0 ? changedA[0]!.loc.range!.start.line
      : prefix < a.length ? a[prefix]!.loc.range!.start.line
        : endOfStructuresLine(table, lines.length);
    const endLine = prefix + changedA.length < a.length ? a[prefix + changedA.length]!.loc.range!.start.line
      : changedA.length > 0 ? endOfStructuresLine(table, lines.length) : startLine;
    let offset = 48;
    for (let i = 0; i < prefix; i++) offset += encodedStructureSize(b[i]!);
    const newText = writeStructuresText(changedB, offset, detectPrefixStyle(text));
    edits.list.push({ range: { start: lineStart(startLine).start, end: lineStart(endLine).start }, newText });
  }

  if (table.rawData?.loc.range) {
    const r = table.rawData.loc.range;
    const range = { start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } };
    if (!fixed.rawData) edits.list.push({ range, newText: '' });
    else if (!sameBytes(fixed.rawData.bytes, table.rawData.bytes)) edits.list.push({ range, newText: rawDataText(fixed.rawData.bytes) });
  }
  return edits.list;
}

/** The line where structures end: the Raw Table Data block, or the end of the text. */
function endOfStructuresLine(table: DmarTable, lineCount: number): number {
  return table.rawData?.loc.range?.start.line ?? lineCount;
}

/** Apply non-overlapping edits to a text (for tests and the CLI). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lineOffsets = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineOffsets.push(i + 1);
  const toOffset = (p: { line: number; character: number }) =>
    p.line >= lineOffsets.length ? text.length : Math.min(lineOffsets[p.line]! + p.character, text.length);
  // From the end backwards; inserts at one position keep the array's order, as LSP specifies.
  const sorted = edits.map((e, i) => ({ e, i })).sort((x, y) => toOffset(y.e.range.start) - toOffset(x.e.range.start) || y.i - x.i).map((x) => x.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, toOffset(e.range.start)) + e.newText + out.slice(toOffset(e.range.end));
  return out;
}
