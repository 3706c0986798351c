// The conversions the editor offers as commands: decompile (any form -> the iasl dialect), export
// to the JSON form, and compile to a binary as `dmar compile` does (lengths and checksum computed,
// as iasl compiles; a binary is copied byte for byte).

import type { ParsedDocument } from '../document';
import { encodeTable } from '../table/binary-writer';
import { writeJson } from '../table/json-form';
import { writeSource } from '../table/source-writer';

/** The listing of a binary; the table of a source or JSON document printed as `iasl -d` would. */
export function decompiledText(doc: ParsedDocument, fileName: string): string {
  if (doc.form === 'binary') return doc.text;
  return writeSource(doc.table, { banner: [`DMAR table printed from ${baseName(fileName)}`, 'Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue'] });
}

export function jsonText(doc: ParsedDocument): string {
  return writeJson(doc.table);
}

/** Findings that make a compile meaningless: the reader could not follow the text. */
const BLOCKING_RULES = new Set(['syntax', 'field-order', 'value-width']);

export type CompileResult = { bytes: Uint8Array } | { errors: string[] };

export function compileDocument(doc: ParsedDocument): CompileResult {
  const errors = doc.readerFindings
    .filter((f) => BLOCKING_RULES.has(f.rule) || f.severity === 'error')
    .map((f) => `${f.range ? `${f.range.start.line + 1}:${f.range.start.character + 1}` : `offset 0x${(f.offset ?? 0).toString(16)}`}: ${f.message} [${f.rule}]`);
  if (doc.table.structures.some((s) => s.kind === 'unknown' && !s.dataKnown)) {
    errors.push('a structure of unknown type has no bytes (no Raw Table Data holds them); cannot compile it');
  }
  if (errors.length > 0) return { errors };
  const bytes = doc.form === 'binary' ? encodeTable(doc.table, { lossless: true }) : encodeTable(doc.table, { iaslCompatible: true });
  return { bytes };
}

/** Like iasl: NAME.aml beside the source. */
export function defaultCompileOutput(file: string): string {
  return file.replace(/(\.[^./\\]*)?$/, '.aml');
}

function baseName(p: string): string {
  return p.replace(/^.*[\\/]/, '');
}
