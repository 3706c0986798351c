import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, INCLUDE_ALL_DRHD, dmarSource, lineOf, rmrrSource, tableOf } from '../helpers';
import { featureContext } from '../../server/src/features/context';
import { completions } from '../../server/src/features/completion';
import { writeJson } from '../../server/src/table/json-form';
import { encodeTable } from '../../server/src/table/binary-writer';
import { writeSource } from '../../server/src/table/source-writer';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { applyTextEdits } from '../../server/src/table/fix-edits';

const PROLIANT = path.join(CORPUS_DIR, 'Server_Hewlett-Packard_ProLiant_ProLiant_DL380e_Gen8_CB05571909C8.dsl');
const corpus = fs.readFileSync(PROLIANT, 'latin1');

function complete(text: string, line: number, character: number, snippets = false): CompletionItem[] {
  return completions(featureContext('t.dsl', text), { line, character }, { snippets });
}

function replaceLine(text: string, line: number, content: string): string {
  const lines = text.split('\n');
  lines[line] = content;
  return lines.join('\n');
}

function insert(text: string, item: CompletionItem): string {
  return applyTextEdits(text, [item.textEdit as TextEdit]);
}

test('a missing field is offered in its place, aligned and with its offset as iasl prints it', () => {
  const limitLine = lineOf(corpus, 'End Address (limit)');
  const text = replaceLine(corpus, limitLine, '');
  const items = complete(text, limitLine, 0);
  assert.deepEqual(items.map((i) => i.label), ['End Address (limit)']);
  // Inserting it gives back the line iasl wrote.
  assert.equal(insert(text, items[0]!).split('\n')[limitLine], '[0F8h 0248   8]          End Address (limit) : 0000000000000000');
  assert.match((items[0]!.documentation as { value: string }).value, /Last byte of the region \(inclusive\)/);
});

test('after a scope\'s path: another path element, a new scope, or a new structure after the last scope', () => {
  const text = dmarSource(INCLUDE_ALL_DRHD);
  const end = text.split('\n').length;
  const items = complete(text + '\n', end, 0);
  assert.deepEqual(items.map((i) => i.label), ['PCI Path', 'Device Scope Type', 'Subtable Type', 'DRHD', 'RMRR', 'Device scope']);
  // All at the end of the DRHD: 48 + 0x18.
  for (const i of items.slice(0, 3)) assert.match(i.detail!, /offset 0x048$/);

  // Between two scopes only scope lines fit; before a structure's scopes only a new scope.
  const lastScopeLine = lineOf(corpus, 'PCI Path : 00,00', lineOf(corpus, 'Subtable Type : 0001')) + 1;
  assert.deepEqual(complete(corpus, lastScopeLine, 0).map((i) => i.label), ['PCI Path', 'Device Scope Type', 'Device scope']);
  const beforeScopes = lineOf(corpus, 'End Address (limit)') + 1;
  assert.deepEqual(complete(corpus, beforeScopes, 0).map((i) => i.label), ['Device Scope Type', 'Device scope']);
});

test('the document\'s own spelling and prefix style are kept', () => {
  const old = corpus.replace(/Device Scope Type/g, 'Device Scope Entry Type');
  const line = lineOf(old, 'End Address (limit)') + 1;
  const [scope] = complete(old, line, 0);
  assert.equal(scope!.label, 'Device Scope Entry Type');
  assert.equal(insert(old, scope!).split('\n')[line], '[100h 0256   1]      Device Scope Entry Type : 01');
});

test('after `Device Scope Type :` the scope types the structure takes; after `Subtable Type :` every structure type', () => {
  const rmrrScope = lineOf(corpus, 'Device Scope Type', lineOf(corpus, 'Subtable Type : 0001'));
  const prefix = '[100h 0256   1]            Device Scope Type : ';
  const inRmrr = complete(replaceLine(corpus, rmrrScope, prefix), rmrrScope, prefix.length);
  assert.deepEqual(inRmrr.map((i) => `${i.label} ${i.detail}`), ['01 PCI Endpoint Device', '02 PCI Bridge Device']);
  assert.equal(insert(replaceLine(corpus, rmrrScope, prefix), inRmrr[1]!).split('\n')[rmrrScope], prefix + '02 [PCI Bridge Device]');

  const drhdScope = lineOf(corpus, 'Device Scope Type');
  assert.equal(complete(replaceLine(corpus, drhdScope, prefix), drhdScope, prefix.length).length, 5);

  const structure = lineOf(corpus, 'Subtable Type : 0001');
  const typed = '[0E8h 0232   2]                Subtable Type : 00';
  const types = complete(replaceLine(corpus, structure, typed), structure, typed.length);
  assert.deepEqual(types.map((i) => i.label), ['0000', '0001', '0002', '0003', '0004', '0005', '0006']);
  assert.equal(types[1]!.detail, 'Reserved Memory Region');
});

test('snippets for a DRHD, an RMRR and a device scope read back as the structures they print', () => {
  const text = dmarSource(INCLUDE_ALL_DRHD) + '\n';
  const end = text.split('\n').length - 1;
  const items = complete(text, end, 0, true);
  const rmrr = items.find((i) => i.label === 'RMRR')!;
  assert.equal(rmrr.insertTextFormat, 2);
  assert.match(rmrr.textEdit!.newText, /Base Address : \$\{2:000000007B800000\}/);
  for (const label of ['DRHD', 'RMRR']) {
    const plain = complete(text, end, 0, false).find((i) => i.label === label)!;
    const table = tableOf(insert(text, plain), true);
    assert.equal(table.structures.length, 2, label);
    assert.equal(table.structures[1]!.kind, label.toLowerCase());
  }
  const scope = complete(text, end, 0, false).find((i) => i.label === 'Device scope')!;
  const withScope = tableOf(insert(text, scope), true);
  assert.equal(withScope.structures[0]!.kind === 'drhd' && withScope.structures[0]!.scopes.length, 2);
});

test('typing the start of a name keeps the names it matches', () => {
  const limitLine = lineOf(corpus, 'End Address (limit)');
  const text = replaceLine(corpus, limitLine, '   End');
  const [item] = complete(text, limitLine, 6);
  assert.equal(item!.filterText, '   End Address (limit)');
});

test('no completion in comments, in the raw data, in JSON or in binaries', () => {
  const text = dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF'));
  assert.deepEqual(complete(replaceLine(text, 3, '// Sub'), 3, 6), []);
  assert.deepEqual(complete(corpus, lineOf(corpus, 'Raw Table Data') + 2, 0), []);
  const json = writeJson(tableOf(text, true));
  assert.deepEqual(completions(featureContext('t.dmar.json', json), { line: 3, character: 0 }, { snippets: true }), []);
  const binary = featureContext('DMAR.dat', encodeTable(tableOf(text, true)));
  assert.deepEqual(completions(binary, { line: lineOf(binary.doc.text, 'End Address (limit)') + 1, character: 0 }, { snippets: true }), []);
});

test('in newer iasl\'s dialect the scope\'s Flags line is followed by its Reserved byte', () => {
  const newer = writeSource(tableOf(dmarSource(INCLUDE_ALL_DRHD), true))
    .replace(/^(\[\S+ \S+\s+\S+\])\s+Reserved : 0000$/m, '[042h 0066   1]                        Flags : 00\n');
  const line = lineOf(newer, 'Flags : 00', lineOf(newer, 'Device Scope Type')) + 1;
  const items = complete(newer, line, 0);
  assert.deepEqual(items.map((i) => i.label), ['Reserved']);
  assert.equal(insert(newer, items[0]!).split('\n')[line], '[043h 0067   1]                     Reserved : 00');
});
