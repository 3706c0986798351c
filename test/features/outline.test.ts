import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, INCLUDE_ALL_DRHD, dmarSource, lineOf, rmrrSource, tableOf } from '../helpers';
import { featureContext } from '../../server/src/features/context';
import { documentSymbols } from '../../server/src/features/symbols';
import { foldingRanges } from '../../server/src/features/folding';
import { selectionRange } from '../../server/src/features/selection';
import { writeJson } from '../../server/src/table/json-form';
import { encodeTable } from '../../server/src/table/binary-writer';
import type { SelectionRange } from 'vscode-languageserver-types';

const text = dmarSource(`/* The unit for everything
   the other units do not list */
${INCLUDE_ALL_DRHD}
${rmrrSource('000000008C587000', '000000008C5A6FFF', ['14,00'])}`);

test('the outline: header, structures named by what they are, scopes as children', () => {
  const symbols = documentSymbols(featureContext('t.dsl', text));
  assert.deepEqual(symbols.map((s) => s.name), [
    'DMAR header (TEST TESTTBL), 39-bit',
    'DRHD 0xFED91000 (INCLUDE_PCI_ALL)',
    'RMRR 0x8C587000-0x8C5A6FFF (128 KiB)',
  ]);
  assert.deepEqual(symbols[1]!.children!.map((c) => c.name), ['f0:1f.0 (IOAPIC 2)']);
  assert.deepEqual(symbols[2]!.children!.map((c) => c.name), ['00:14.0 (PCI Endpoint)']);
  const rmrr = symbols[2]!;
  assert.equal(rmrr.selectionRange.start.line, lineOf(text, 'Subtable Type : 0001'));
  assert.equal(rmrr.range.end.line, lineOf(text, 'PCI Path : 14,00'));
});

test('the outline of the same table in JSON and binary form', () => {
  const table = tableOf(text, true);
  const names = (content: string | Uint8Array, file: string) => documentSymbols(featureContext(file, content)).map((s) => s.name);
  const expected = names(text, 't.dsl').slice(1);
  assert.deepEqual(names(writeJson(table), 't.dmar.json').slice(1), expected);
  assert.deepEqual(names(encodeTable(table), 'DMAR.dat').slice(1), expected);
});

test('folding: header, structures, scopes, the raw data block and block comments', () => {
  const file = path.join(CORPUS_DIR, 'Server_Hewlett-Packard_ProLiant_ProLiant_DL380e_Gen8_CB05571909C8.dsl');
  const corpus = fs.readFileSync(file, 'latin1');
  const ranges = foldingRanges(featureContext(file, corpus));
  const raw = lineOf(corpus, 'Raw Table Data');
  assert.ok(ranges.some((r) => r.startLine === raw), 'the raw data block folds');
  assert.ok(ranges.some((r) => r.startLine === 0 && r.endLine === lineOf(corpus, 'Reserved : 00 00 00 00')), 'the header folds');
  const rmrr = lineOf(corpus, 'Subtable Type : 0001');
  assert.ok(ranges.some((r) => r.startLine === rmrr && r.endLine > rmrr + 5), 'an RMRR folds');

  const small = foldingRanges(featureContext('t.dsl', text));
  assert.ok(small.some((r) => r.kind === 'comment' && r.startLine === lineOf(text, '/* The unit') && r.endLine === lineOf(text, 'the other units')));
  for (const r of small) assert.ok(r.endLine > r.startLine);
});

function chain(r: SelectionRange): { start: number; end: number; line: number }[] {
  const out = [];
  for (let x: SelectionRange | undefined = r; x; x = x.parent) out.push({ line: x.range.start.line, start: x.range.start.character, end: x.range.end.line });
  return out;
}

test('selection ranges grow from the value to the line, the scope, the structure, the table, the document', () => {
  const ctx = featureContext('t.dsl', text);
  const line = lineOf(text, 'PCI Path : 14,00');
  const character = text.split('\n')[line]!.indexOf('14,00') + 1;
  const steps = chain(selectionRange(ctx, { line, character }));
  assert.deepEqual(steps.map((s) => s.line), [
    line, line,
    lineOf(text, 'Device Scope Type : 01'),
    lineOf(text, 'Subtable Type : 0001'),
    lineOf(text, 'Signature'),
    0,
  ]);
  assert.equal(steps[0]!.start, character - 1);
  // Each range holds the one before it.
  const r = selectionRange(ctx, { line, character });
  for (let x: SelectionRange | undefined = r; x?.parent; x = x.parent) {
    const { start, end } = x.range;
    const p = x.parent.range;
    assert.ok(p.start.line < start.line || (p.start.line === start.line && p.start.character <= start.character));
    assert.ok(p.end.line > end.line || (p.end.line === end.line && p.end.character >= end.character));
  }
});
