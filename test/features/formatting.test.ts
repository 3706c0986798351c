import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { INCLUDE_ALL_DRHD, corpusFiles, dmarSource, rmrrSource, tableOf } from '../helpers';
import { featureContext } from '../../server/src/features/context';
import { formattingEdits } from '../../server/src/features/formatting';
import { applyTextEdits } from '../../server/src/table/fix-edits';
import { writeSource } from '../../server/src/table/source-writer';
import { writeJson } from '../../server/src/table/json-form';

function format(text: string): string {
  return applyTextEdits(text, formattingEdits(featureContext('t.dsl', text)));
}

test('iasl\'s own disassemblies in every dialect of the corpus are already formatted', () => {
  for (const file of corpusFiles('.dsl')) {
    const text = fs.readFileSync(file, 'latin1');
    assert.deepEqual(formattingEdits(featureContext(file, text)), [], file);
  }
});

test('misaligned lines are re-aligned with recomputed offsets; comments and the raw data stay', () => {
  const printed = writeSource(tableOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF')), true));
  const lines = printed.split('\n');
  const base = lines.findIndex((l) => l.includes('Base Address :') && !l.includes('Register'));
  const messy = [...lines];
  messy[base] = '[000h 0000 1]   Base Address : 000000008C587000   // the region';
  messy.splice(base, 0, '/* a comment the formatter keeps */');
  const formatted = format(messy.join('\n'));
  const expected = [...lines];
  expected[base] = lines[base] + '   // the region';
  expected.splice(base, 0, '/* a comment the formatter keeps */');
  assert.equal(formatted, expected.join('\n'));
});

test('the document\'s prefix style is kept: templates align on their own column', () => {
  const template = writeSource(tableOf(dmarSource(INCLUDE_ALL_DRHD), true), { prefixStyle: 'template', noRawData: true });
  const messy = template.replace(/^\[0004\]\s+Signature :/m, '[0004] Signature :').replace(/^\s+\[0008\]\s+Register Base Address :/m, '[0008]   Register Base Address :');
  assert.notEqual(messy, template);
  assert.equal(format(messy), template);
});

test('the split scope flags field of newer iasl gets both its offsets', () => {
  const text = writeSource(tableOf(dmarSource(INCLUDE_ALL_DRHD), true))
    .replace(/^(\[\S+ \S+\s+\S+\])\s+Reserved : 0000$/m, '[042h 0066   1]   Flags : 00\n[043h 0067   1] Reserved : 00');
  const formatted = format(text);
  assert.match(formatted, /^\[042h 0066   1\]                        Flags : 00$/m);
  assert.match(formatted, /^\[043h 0067   1\]                     Reserved : 00$/m);
});

test('a document the reader cannot follow is not formatted, nor JSON or binaries', () => {
  const broken = dmarSource(INCLUDE_ALL_DRHD).replace('Entry Length : 08', 'Entry Lenght : 08');
  assert.deepEqual(formattingEdits(featureContext('t.dsl', broken)), []);
  const json = writeJson(tableOf(dmarSource(INCLUDE_ALL_DRHD), true));
  assert.deepEqual(formattingEdits(featureContext('t.dmar.json', json)), []);
});
