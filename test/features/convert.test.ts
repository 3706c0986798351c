import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, INCLUDE_ALL_DRHD, dmarSource, rmrrSource, tableOf } from '../helpers';
import { parseDocument } from '../../server/src/document';
import { compileDocument, decompiledText, defaultCompileOutput, jsonText } from '../../server/src/convert';
import { encodeTable } from '../../server/src/table/binary-writer';
import { readJson } from '../../server/src/table/json-form';
import { readSource } from '../../server/src/table/source-reader';

const text = dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF'));

test('decompile: a binary gives its listing, a source its table as iasl -d prints it', () => {
  const dat = fs.readdirSync(CORPUS_DIR).find((f) => f.endsWith('.dat'))!;
  const binary = parseDocument(dat, fs.readFileSync(path.join(CORPUS_DIR, dat)));
  assert.equal(decompiledText(binary, dat), binary.text);
  const source = decompiledText(parseDocument('t.dsl', text), 't.dsl');
  assert.match(source, /^\/\*\n \* DMAR table printed from t\.dsl/);
  assert.match(source, /\[048h 0072   2\]                Subtable Type : 0001 \[Reserved Memory Region\]/);
  assert.deepEqual(readSource(source).findings, []);
});

test('export to JSON reads back as the same table', () => {
  const doc = parseDocument('t.dsl', text);
  const json = readJson(jsonText(doc));
  assert.deepEqual(json.findings, []);
  assert.deepEqual(encodeTable(json.table, { lossless: true }), encodeTable(doc.table, { lossless: true }));
});

test('compile: lengths and checksum computed as iasl does; a binary is copied byte for byte', () => {
  const compiled = compileDocument(parseDocument('t.dsl', text));
  assert.ok('bytes' in compiled);
  assert.deepEqual(compiled.bytes, encodeTable(tableOf(text, true), { iaslCompatible: true }));
  const bytes = encodeTable(tableOf(text, true), { lossless: true });
  const copied = compileDocument(parseDocument('DMAR.dat', bytes));
  assert.ok('bytes' in copied);
  assert.deepEqual(copied.bytes, bytes);
  assert.equal(defaultCompileOutput('/x/DMAR.dsl'), '/x/DMAR.aml');
  assert.equal(defaultCompileOutput('/x/DMAR'), '/x/DMAR.aml');
});

test('compile refuses a source the reader could not follow, saying where', () => {
  const broken = text.replace('Base Address : 000000008C587000', 'Base Address : 8C58700G');
  const result = compileDocument(parseDocument('t.dsl', broken));
  assert.ok('errors' in result);
  assert.match(result.errors[0]!, /^\d+:\d+: .*\[syntax\]$/);
});
