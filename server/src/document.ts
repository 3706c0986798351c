// One entry point for every front end: bytes or text in, the form detected by content, the model
// and the reader's findings out. A binary table is shown and located through its decompiled
// listing, so its findings get lines and columns like any source.

import { looksLikeBinaryDmar, readBinary } from './table/binary-reader';
import type { Finding } from './table/finding';
import { readJson } from './table/json-form';
import type { DmarTable, FieldLoc, SourceForm, TextRange } from './table/model';
import { lineRange, valueRange } from './table/model';
import { readSource } from './table/source-reader';
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
    content = new TextDecoder('latin1').decode(content);
  }
  if (fileName.toLowerCase().endsWith('.json')) return 'json';
  const firstNonSpace = /\S/.exec(content)?.[0];
  if (firstNonSpace === '{') return 'json';
  return 'source';
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
  const { table, findings } = form === 'json' ? readJson(text) : readSource(text);
  return { form, text, table, readerFindings: findings };
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
