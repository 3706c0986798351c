// One entry point for every front end: bytes or text in, the form detected by content, the model
// and the reader's findings out. A binary table is shown and located through its decompiled
// listing, so its findings get lines and columns like any source.

import { isAscii } from 'node:buffer';
import { looksLikeBinaryDmar, readBinary } from './table/binary-reader';
import type { Finding } from './table/finding';
import { readJson } from './table/json-form';
import type { DmarTable, FieldLoc, SourceForm, TextRange } from './table/model';
import { lineRange, valueRange } from './table/model';
import { readLoneStructure, readSource } from './table/source-reader';
import { encodedStructureSize } from './table/binary-writer';
import { listingBanner, writeSource } from './table/source-writer';
import { analyze, type AnalyzeOptions, type ResolvedFinding } from './analysis/runner';

export interface ParsedDocument {
  form: SourceForm;
  /** The text findings point into: the source itself, or a binary's decompiled listing. */
  text: string;
  table: DmarTable;
  readerFindings: Finding[];
  /** For binaries: the listing read back, whose fields carry both offsets and lines. */
  listing?: DmarTable;
}

export const BINARY_EXTENSIONS = ['.dat', '.aml', '.bin'];

/** Decide the form by content first (a binary starts with `DMAR`), then by name. */
export function detectForm(fileName: string, content: Uint8Array | string): SourceForm {
  if (typeof content !== 'string') {
    if (looksLikeBinaryDmar(content)) return 'binary';
    const lower = fileName.toLowerCase();
    if (BINARY_EXTENSIONS.some((e) => lower.endsWith(e)) && !isMostlyText(content)) return 'binary';
  }
  if (fileName.toLowerCase().endsWith('.json')) return 'json';
  if (firstNonSpace(content) === 0x7b /* { */) return 'json';
  return 'source';
}

/**
 * The first character that `\S` matches, as a code (bytes read as Latin-1), or -1: only the
 * start of the content is looked at, never a decoded copy of all of it.
 */
function firstNonSpace(content: Uint8Array | string): number {
  const n = content.length;
  for (let i = 0; i < n; i++) {
    const c = typeof content === 'string' ? content.charCodeAt(i) : content[i]!;
    if (!isJsSpace(c)) return c;
  }
  return -1;
}

/** What `\s` matches (WhiteSpace and LineTerminator of ECMAScript). */
function isJsSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isMostlyText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control * 20 < n;
}

export function parseDocument(fileName: string, content: Uint8Array | string): ParsedDocument {
  const form = detectForm(fileName, content);
  if (form === 'binary') {
    const bytes = typeof content === 'string' ? Uint8Array.from(content, (c) => c.charCodeAt(0) & 0xff) : content;
    const { table, findings } = readBinary(bytes);
    const text = writeSource(table, { banner: listingBanner(`Decompiled from ${baseName(fileName)} (${bytes.length} bytes); read-only view`) });
    const listing = readSource(text).table;
    const doc: ParsedDocument = { form, text, table, readerFindings: findings, listing };
    return doc;
  }
  const text = typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
  // ASCII bytes are the text's character codes: the source reader works on them directly.
  const { table, findings } = form === 'json' ? readJson(text) : readSource(text, typeof content !== 'string' && isAscii(content) ? content : undefined);
  return { form, text, table, readerFindings: findings };
}

/**
 * The document parseDocument would give for `text`, which is `previous.text` with line `line`
 * changed (the same lines before and after it, so the same line count); undefined when it cannot
 * be had by reading only the structure holding that line again. It can when the structure and its
 * new text read without a finding (before and after), hold no comment, end before the Raw Table
 * Data block and before the table's last line, and keep their size: then every other structure,
 * offset, location and finding is what a full read gives. `offsetOfLine` gives where a line of
 * `text` starts. For editors: one keystroke in a table of thousands of structures (the server
 * reads one-line edits with it; test/lsp/edits.test.ts holds it to a fresh read).
 */
export function rereadSourceLine(previous: ParsedDocument, text: string, line: number, offsetOfLine: (line: number) => number): ParsedDocument | undefined {
  if (previous.form !== 'source' || previous.listing) return undefined;
  const table = previous.table;
  const structures = table.structures;
  // The structure whose lines hold `line` (their ranges ascend).
  let lo = 0;
  let hi = structures.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = structures[mid]!.loc.range?.start.line;
    if (start === undefined) return undefined;
    if (start <= line) { at = mid; lo = mid + 1; } else hi = mid - 1;
  }
  const old = structures[at];
  const range = old?.loc.range;
  if (!old || !range || line > range.end.line || old.kind === 'unknown') return undefined;
  const tableEnd = table.loc.range?.end.line;
  if (tableEnd === undefined || range.end.line >= tableEnd) return undefined;
  const rawStart = table.rawData?.loc.range?.start.line;
  if (table.rawData && (rawStart === undefined || range.end.line >= rawStart)) return undefined;
  // A finding on these lines would have to be made again: read it all.
  for (const f of previous.readerFindings) {
    if (!f.range || (f.range.end.line >= range.start.line && f.range.start.line <= range.end.line)) return undefined;
  }
  const from = offsetOfLine(range.start.line);
  const to = offsetOfLine(range.end.line + 1);
  const region = text.slice(from, to);
  // Comments change how lines read (and may span lines): the old line and the new text hold none.
  const lineStart = offsetOfLine(line);
  const oldLineEnd = previous.text.indexOf('\n', lineStart);
  if (region.includes('/') || previous.text.slice(lineStart, oldLineEnd < 0 ? previous.text.length : oldLineEnd).includes('/')) return undefined;
  const fresh = readLoneStructure(region, range.start.line, old.loc.offset, table.rawData);
  const freshRange = fresh?.loc.range;
  if (!fresh || !freshRange || freshRange.start.line !== range.start.line || freshRange.end.line !== range.end.line
    || encodedStructureSize(fresh) !== encodedStructureSize(old)) return undefined;
  const next = structures.slice();
  next[at] = fresh;
  return { form: 'source', text, table: { ...table, structures: next }, readerFindings: previous.readerFindings.slice() };
}

/** The file name without its folders, whichever separator the path uses. */
export function baseName(p: string): string {
  return p.replace(/^.*[\\/]/, '');
}

/** Run the analysis and give every finding a text range (binaries: in the listing). */
export function analyzeDocument(doc: ParsedDocument, options: AnalyzeOptions = {}): ResolvedFinding[] {
  const findings = analyze(doc.table, doc.readerFindings, options);
  if (doc.form !== 'binary' || !doc.listing) return findings;
  const byOffset = listingFieldsByOffset(doc.listing);
  const locate = (f: { range?: TextRange; offset?: number }) => f.range ?? rangeForOffset(byOffset, f.offset ?? 0);
  return findings.map((f) => ({
    ...f,
    range: locate(f),
    related: f.related?.map((r) => ({ ...r, range: locate(r) })),
  }));
}

/** Every field of the listing by its table offset (the first field at an offset wins). */
function listingFieldsByOffset(listing: DmarTable): { offsets: number[]; fields: FieldLoc[] } {
  const all: FieldLoc[] = [];
  const collect = (fields: Record<string, FieldLoc>) => { for (const f of Object.values(fields)) if (f.line !== undefined) all.push(f); };
  collect(listing.loc.fields);
  for (const s of listing.structures) {
    collect(s.loc.fields);
    if ('scopes' in s) for (const sc of s.scopes) collect(sc.loc.fields);
  }
  all.sort((a, b) => a.offset - b.offset);
  return { offsets: all.map((f) => f.offset), fields: all };
}

/** The listing field that holds `offset` (or the nearest before it). */
function rangeForOffset(index: { offsets: number[]; fields: FieldLoc[] }, offset: number): TextRange {
  let lo = 0;
  let hi = index.offsets.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.offsets[mid]! <= offset) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  const f = index.fields[best];
  if (!f) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return (f.offset === offset ? valueRange(f) : lineRange(f))!;
}
