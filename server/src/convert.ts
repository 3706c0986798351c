// Converting a document to another form, for `dmar compile/decompile/convert` and the editor's
// commands alike: what stops a conversion, how a table is encoded (a text form compiled as iasl
// does, a binary copied byte for byte), the decompiled and JSON texts, where a compile writes.

import { baseName, type ParsedDocument } from './document';
import { encodeTable } from './table/binary-writer';
import { writeJson } from './table/json-form';
import { listingBanner, writeSource } from './table/source-writer';

export type ConvertTarget = 'asl' | 'json' | 'binary';

/** Findings that make a conversion meaningless: the reader could not follow the text. */
const BLOCKING_RULES = new Set(['syntax', 'field-order', 'value-width']);

export interface ConversionProblem {
  /** `line:column`, or `offset 0x…` in a binary; absent for a problem of the whole table. */
  at?: string;
  message: string;
}

/**
 * Why the document cannot be converted to `to`; empty when it can. What the reader could not
 * follow is said alone: a structure without bytes may be no more than a consequence of it.
 */
export function conversionProblems(doc: ParsedDocument, to: ConvertTarget): ConversionProblem[] {
  const problems: ConversionProblem[] = doc.readerFindings
    .filter((f) => BLOCKING_RULES.has(f.rule) || f.severity === 'error')
    .map((f) => ({
      at: f.range ? `${f.range.start.line + 1}:${f.range.start.character + 1}` : `offset 0x${(f.offset ?? 0).toString(16)}`,
      message: `${f.message} [${f.rule}]`,
    }));
  if (problems.length === 0 && to === 'binary' && doc.table.structures.some((s) => s.kind === 'unknown' && !s.dataKnown)) {
    problems.push({ message: 'a structure of unknown type has no bytes (no Raw Table Data holds them); cannot compile it' });
  }
  return problems;
}

export interface EncodeDocumentOptions {
  creator?: { id: string; revision: number };
  /** Keep what the model holds (`dmar convert`) instead of compiling a text form as iasl does. */
  asModel?: boolean;
}

/**
 * A text form compiled as iasl does (lengths and checksum computed, what its language cannot
 * express dropped); a binary, or any form `asModel`, with every byte kept (lengths and checksum
 * as written, except a source's, which iasl's language computes).
 */
export function encodeDocument(doc: ParsedDocument, options: EncodeDocumentOptions = {}): Uint8Array {
  const { creator, asModel = false } = options;
  if (doc.form !== 'binary' && !asModel) return encodeTable(doc.table, { iaslCompatible: true, creator });
  return encodeTable(doc.table, { lossless: doc.form !== 'source', creator });
}

export type CompileResult = { bytes: Uint8Array } | { errors: string[] };

/** `dmar compile` for the editor: the bytes, or each problem as `line:column: message [rule]`. */
export function compileDocument(doc: ParsedDocument): CompileResult {
  const problems = conversionProblems(doc, 'binary');
  if (problems.length > 0) return { errors: problems.map((p) => (p.at ? `${p.at}: ${p.message}` : p.message)) };
  return { bytes: encodeDocument(doc) };
}

/** Like iasl: NAME.aml beside the source. */
export function defaultCompileOutput(file: string): string {
  return file.replace(/(\.[^./\\]*)?$/, '.aml');
}

/** The table in the iasl dialect, as `iasl -d` prints it, under `title`. */
export function sourceText(doc: ParsedDocument, title: string): string {
  return writeSource(doc.table, { banner: listingBanner(title) });
}

/** The listing of a binary; the table of a source or JSON document printed as `iasl -d` would. */
export function decompiledText(doc: ParsedDocument, fileName: string): string {
  if (doc.form === 'binary') return doc.text;
  return sourceText(doc, `DMAR table printed from ${baseName(fileName)}`);
}

export function jsonText(doc: ParsedDocument): string {
  return writeJson(doc.table);
}
