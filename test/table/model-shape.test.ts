// What the source reader's nodes look like beyond their values (the order of their keys, arrays of
// their length, shared end positions), and the checksum's byte sum walked over the model against
// the bytes the writer encodes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { INCLUDE_ALL_DRHD, corpusFiles, dmarSource, rmrrSource, tableOf } from '../helpers';
import { readSource } from '../../server/src/table/source-reader';
import { readBinary } from '../../server/src/table/binary-reader';
import { encodeTable, tableByteSum } from '../../server/src/table/binary-writer';
import { SCOPE_FIELDS, STRUCTURE_BY_KIND } from '../../server/src/table/fields';
import type { DmarTable, Structure } from '../../server/src/table/model';

/** The keys a reader sets on a structure, in the order it sets them. */
function readOrder(s: Structure): string[] {
  if (s.kind === 'unknown') return ['tail', 'loc', 'type', 'length', 'kind', 'data', 'dataKnown'];
  const spec = STRUCTURE_BY_KIND.get(s.kind)!;
  const keys = ['tail', 'loc', 'type', 'length', 'kind', ...spec.fields.map((f) => f.key)];
  if (spec.scopeTypes) keys.push('scopes');
  if (s.kind === 'andd') keys.push('nameTerminated', 'padding');
  return keys;
}

test('source-read structures and scopes have their keys in the order the fields are read', () => {
  for (const file of corpusFiles('.dsl')) {
    const { table } = readSource(fs.readFileSync(file, 'utf8'));
    for (const s of table.structures) {
      // What iasl -d could not decode (`**** Unknown ...`) is decoded from the Raw Table Data block by the binary reader.
      if (Object.keys(s)[0] === 'kind') continue;
      assert.deepEqual(Object.keys(s), readOrder(s), file);
      if (!('scopes' in s)) continue;
      for (const scope of s.scopes) assert.deepEqual(Object.keys(scope), ['loc', 'tail', ...SCOPE_FIELDS.map((f) => f.key), 'path']);
    }
  }
});

test('a structure that ends with its last scope shares that end position; the values are the text\'s', () => {
  const text = dmarSource([INCLUDE_ALL_DRHD, rmrrSource('0000000080000000', '0000000080000FFF', ['1F,02', '1F,03'])].join('\n'));
  const lines = text.split('\n');
  const rmrr = tableOf(text).structures[1]!;
  assert.ok(rmrr.kind === 'rmrr');
  const last = rmrr.scopes[1]!;
  assert.equal(rmrr.loc.range!.end, last.loc.range!.end);
  const end = rmrr.loc.range!.end;
  assert.equal(lines[end.line], 'PCI Path : 1F,03');
  assert.equal(end.character, 'PCI Path : 1F,03'.length);
  assert.deepEqual(rmrr.scopes.map((sc) => sc.path.length), [1, 1]);
  // Two ranges, one end position (nothing changes a position in place; ranges are replaced whole).
  assert.notEqual(rmrr.loc.range, last.loc.range);
});

function bytesSum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

test('tableByteSum is the byte sum of the lossless encoding, corpus and odd values alike', () => {
  const tables: DmarTable[] = [
    ...corpusFiles('.dsl').map((f) => readSource(fs.readFileSync(f, 'utf8')).table),
    ...corpusFiles('.dat').map((f) => readBinary(new Uint8Array(fs.readFileSync(f))).table),
  ];
  for (const t of tables) assert.equal(tableByteSum(t), bytesSum(encodeTable(t, { lossless: true })));
  // Values a model can hold that no reader gives: above 2^53, above the field's width, negative.
  const odd = tableOf(dmarSource([INCLUDE_ALL_DRHD, rmrrSource('0000000080000000', '0000000080000FFF')].join('\n')));
  const rmrr = odd.structures[1]!;
  const drhd = odd.structures[0]!;
  assert.ok(rmrr.kind === 'rmrr' && drhd.kind === 'drhd');
  for (const [base, limit, segment, oemRevision] of [
    [(1n << 53n) + 3n, (1n << 64n) - 1n, 0x1ffff, 2 ** 32 + 7],
    [(1n << 53n) - 1n, 1n << 52n, 0xffff, 2 ** 40],
    [0x123456789abcdn, 0n, 0, 0xffffffff],
  ] as const) {
    rmrr.base = base;
    rmrr.limit = limit;
    rmrr.segment = segment;
    drhd.registerBase = base;
    odd.oemRevision = oemRevision;
    assert.equal(tableByteSum(odd), bytesSum(encodeTable(odd, { lossless: true })), `${base} ${limit} ${segment} ${oemRevision}`);
  }
});
