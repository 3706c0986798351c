// Bad input never crashes, hangs or silently changes bytes: property tests with fast-check.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { readSource } from '../../server/src/table/source-reader';
import { readBinary } from '../../server/src/table/binary-reader';
import { encodeTable } from '../../server/src/table/binary-writer';
import { writeSource } from '../../server/src/table/source-writer';
import { parseDocument, analyzeDocument } from '../../server/src/document';
import { corpusFiles } from '../helpers';

const someSources = corpusFiles('.dsl').filter((_, i) => i % 25 === 0).map((f) => fs.readFileSync(f, 'latin1'));
const someBinaries = corpusFiles('.dat').filter((_, i) => i % 25 === 0).map((f) => fs.readFileSync(f));

test('any bytes with a DMAR header: binary -> model -> binary is the identity', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 48, maxLength: 600 }), (body) => {
    const bytes = Uint8Array.from(body);
    bytes.set([0x44, 0x4d, 0x41, 0x52], 0);
    bytes[4] = bytes.length & 0xff; bytes[5] = bytes.length >> 8; bytes[6] = 0; bytes[7] = 0;
    const { table } = readBinary(bytes);
    assert.deepEqual(encodeTable(table, { lossless: true }), bytes);
  }), { numRuns: 2000 });
});

test('random bytes and corrupted corpus binaries: the reader and the analysis never throw', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
    const doc = parseDocument('x.dat', bytes);
    analyzeDocument(doc);
  }), { numRuns: 500 });
  fc.assert(fc.property(fc.integer({ min: 0, max: someBinaries.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (which, edits) => {
    const bytes = Uint8Array.from(someBinaries[which]!);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    const doc = parseDocument('x.dat', bytes);
    analyzeDocument(doc);
    // The walk covers Table Length (or the whole file when Table Length cannot even hold the header).
    const covered = doc.table.length >= 48 ? Math.min(bytes.length, doc.table.length) : bytes.length;
    assert.deepEqual(encodeTable(doc.table, { lossless: true }), bytes.subarray(0, covered));
  }), { numRuns: 500 });
});

test('any text, and corpus sources cut or mangled anywhere, read without throwing and still give a model', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => {
    const doc = parseDocument('x.dsl', text);
    analyzeDocument(doc);
  }), { numRuns: 1000 });
  fc.assert(fc.property(fc.integer({ min: 0, max: someSources.length - 1 }), fc.nat(), fc.nat(), fc.string({ maxLength: 12 }), (which, cut, at, insert) => {
    const source = someSources[which]!;
    const half = source.slice(0, cut % source.length);
    const mangled = source.slice(0, at % source.length) + insert + source.slice(at % source.length);
    for (const text of [half, mangled]) {
      const doc = parseDocument('x.dsl', text);
      assert.ok(doc.table.structures);
      analyzeDocument(doc);
    }
  }), { numRuns: 300 });
});

test('a half-typed line gives a syntax finding on that line and the rest of the table still reads', () => {
  const source = someSources[0]!;
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.includes('Subtable Type')) + 1;
  lines[at] = '[032h 0050   2]                       Len';
  const { table, findings } = readSource(lines.join('\n'));
  assert.ok(findings.some((f) => f.range!.start.line === at && (f.rule === 'syntax' || f.rule === 'field-order')), JSON.stringify(findings));
  assert.equal(table.structures.length, readSource(source).table.structures.length);
});

test('writeSource output always reads back to the same bytes, for tables made from random bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 48, maxLength: 300 }), (body) => {
    const bytes = Uint8Array.from(body);
    bytes.set([0x44, 0x4d, 0x41, 0x52], 0);
    bytes[4] = bytes.length & 0xff; bytes[5] = bytes.length >> 8; bytes[6] = 0; bytes[7] = 0;
    const { table } = readBinary(bytes);
    const back = readSource(writeSource(table));
    assert.deepEqual(encodeTable(back.table, { lossless: true }), bytes);
  }), { numRuns: 1000 });
});
