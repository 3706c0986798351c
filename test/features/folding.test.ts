// Block comments for folding are found by searching for `/*` and `*/` (features/folding.ts); they
// must be what reading every line gives, on the corpus and on any text of the characters that
// matter: slashes, stars, quotes, line breaks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { blockComments, blockCommentsByLine } from '../../server/src/features/folding';
import { corpusFiles } from '../helpers';

// What `iasl -d` writes above a table (the corpus keeps only the table).
const IASL_HEADER = `/*
 * Intel ACPI Component Architecture
 * AML/ASL+ Disassembler version 20200925 (64-bit version)
 *
 * Disassembly of DMAR.dat, Thu Nov 26 10:00:00 2026
 */
`;

test('block comments of every corpus source, as it is and with comments added, are those a line-by-line reading finds', () => {
  let found = 0;
  for (const file of corpusFiles('.dsl')) {
    const text = fs.readFileSync(file, 'latin1');
    const lines = text.split('\n');
    const middle = lines.length >> 1;
    const commented = IASL_HEADER + [...lines.slice(0, middle), '/* a note', '   over two lines */ // and "one" /* more', ...lines.slice(middle)].join('\n');
    for (const version of [text, commented]) {
      const want = blockCommentsByLine(version);
      found += want.length;
      assert.deepEqual(blockComments(version), want, file);
    }
  }
  assert.ok(found >= 2 * corpusFiles('.dsl').length, 'the header and the note fold');
});

test('block comments of any text of slashes, stars, quotes and line breaks, with a skipped range', () => {
  const piece = fc.constantFrom('/', '*', '"', '\n', '\r\n', 'a', ' ', '//', '/*', '*/', '"/*"');
  fc.assert(fc.property(fc.array(piece, { maxLength: 80 }), fc.option(fc.tuple(fc.nat(12), fc.nat(6))), (pieces, skip) => {
    const text = pieces.join('');
    const range = skip ? { start: { line: skip[0], character: 0 }, end: { line: skip[0] + skip[1], character: 0 } } : undefined;
    assert.deepEqual(blockComments(text, range), blockCommentsByLine(text, range));
  }), { numRuns: 3000 });
});
