import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCLUDE_ALL_DRHD, contextOf, dmarSource, rmrrSource, tableOf } from '../helpers';
import { applyFix as applyFixToModel, applyTextEdits } from '../../server/src/table/fix-edits';
import { fixEditsForJson, jsonEditsBetween } from '../../server/src/table/json-fix-edits';
import { readJson, writeJson } from '../../server/src/table/json-form';
import type { Finding, Fix, TextEdit } from '../../server/src/table/finding';
import type { Rule } from '../../server/src/analysis/rule';
import { RULES_BY_ID } from '../../server/src/analysis/rules/index';
import { featureContext } from '../../server/src/features/context';
import { quickFixes, textWithSafeFixes } from '../../server/src/features/code-actions';
import { toDiagnostics } from '../../server/src/features/diagnostics';

// ---------------------------------------------------------------------------------------------
// JSON documents built from the shared source helpers, with comments where a person puts them.

const RMRR_TWO_DEVICES = rmrrSource('000000008C587000', '000000008C5A6FFF', ['14,00', '1F,06']);

/** The JSON form of a source table, as the writer lays it out. */
function jsonOf(source: string): string {
  return writeJson(tableOf(source, true));
}

/** Comments on the table, on the structures list, above and inside every structure. */
function withComments(json: string): string {
  let n = 0;
  return json
    .replace('"signature": "DMAR",', '"signature": "DMAR", // header comment')
    .replace('  "structures": [', '  // structures comment\n  "structures": [')
    .replace(/\n    \{\n      "type": "(\w+)",/g, (_, kind: string) => `\n    // above ${kind} ${++n}\n    {\n      "type": "${kind}", // inside ${kind} ${n}`);
}

const COMMENT = /\/\/[^\n]*/g;

function rule(id: string): Rule {
  const r = RULES_BY_ID.get(id);
  assert.ok(r, id);
  return r;
}

function findingsOf(id: string, text: string): Finding[] {
  return rule(id).check(contextOf(readJson(text).table)).filter((f) => f.rule === id);
}

function editsFor(text: string, fix: Fix): TextEdit[] {
  return fixEditsForJson(text, readJson(text).table, fix);
}

/** Apply a finding's fix (by title) to the JSON text; check the result reads back without complaint. */
function applyFix(text: string, finding: Finding, title: string | RegExp = /./): string {
  const fix = finding.fixes?.find((f) => (typeof title === 'string' ? f.title === title : title.test(f.title)));
  assert.ok(fix, `no fix ${title} among ${finding.fixes?.map((f) => f.title).join(' | ')}`);
  const edits = editsFor(text, fix);
  assert.ok(edits.length > 0, 'the fix changes the text');
  const out = applyTextEdits(text, edits);
  assert.deepEqual(readJson(out).findings, [], 'reader findings after the fix');
  return out;
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** The text with the given 0-based lines left out. */
function withoutLines(text: string, ...drop: number[]): string {
  return lines(text).filter((_, i) => !drop.includes(i)).join('\n');
}

function lineIndex(text: string, needle: string): number {
  const i = lines(text).findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

/** Two-space writer indentation turned into `unit` per level. */
function reindented(json: string, unit: string): string {
  return json.replace(/^( +)/gm, (spaces) => unit.repeat(spaces.length / 2));
}

// ---------------------------------------------------------------------------------------------

test('removing a device from a scope takes its line and the comma before it, nothing else', () => {
  const text = withComments(jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + RMRR_TWO_DEVICES)));
  const finding = findingsOf('rmrr-locks-passthrough', text).find((f) => f.message.includes('00:1f.6'));
  assert.ok(finding);
  const out = applyFix(text, finding, "Remove 00:1f.6 from this RMRR's scope");
  // The template's stale Table Length (0) is recomputed, as in the source form, so it disappears.
  const scopeLine = lineIndex(text, '"device": "00:1f.6"');
  const expected = withoutLines(text, lineIndex(text, '"length": 0,'), scopeLine)
    .replace('{ "type": "endpoint", "device": "00:14.0" },', '{ "type": "endpoint", "device": "00:14.0" }');
  assert.equal(out, expected);
  assert.deepEqual(out.match(COMMENT), text.match(COMMENT));
  assert.deepEqual(findingsOf('rmrr-locks-passthrough', out).filter((f) => f.message.includes('00:1f.6')), []);
  assert.deepEqual(findingsOf('length-mismatch', out), []);
});

test('removing an RMRR takes its lines; the comments above the next structure stay', () => {
  const text = withComments(jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF', ['1F,06']) + '\n' + RMRR_TWO_DEVICES.replace('8C587000', '8D000000').replace('8C5A6FFF', '8D0FFFFF'))));
  const finding = findingsOf('rmrr-locks-passthrough', text).find((f) => f.fixes?.some((x) => /only device/.test(x.title)));
  assert.ok(finding);
  const out = applyFix(text, finding, /^Remove this RMRR/);
  const table = readJson(out).table;
  assert.deepEqual(table.structures.map((s) => s.kind), ['drhd', 'rmrr']);
  assert.equal(table.structures[1]!.kind === 'rmrr' && table.structures[1].base, 0x8d000000n);
  // Everything but the removed structure's own lines (and the stale Table Length) is as it was.
  assert.deepEqual(out.match(COMMENT), text.match(COMMENT)!.filter((c) => c !== '// inside rmrr 2'));
  assert.ok(out.includes('// above rmrr 3\n    {\n      "type": "rmrr", // inside rmrr 3'));
});

test('removing the last structure of the list removes the comma before it', () => {
  const text = jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF', ['1F,06'])));
  const finding = findingsOf('rmrr-locks-passthrough', text)[0]!;
  const out = applyFix(text, finding, /^Remove this RMRR/);
  assert.match(out, /"enumerationId": 2 \}\n {6}\]\n {4}\}\n {2}\]\n\}\n$/);
  assert.deepEqual(findingsOf('rmrr-locks-passthrough', out), []);
});

test('splitting a shared RMRR rewrites it in the document\'s indentation; other structures keep their text', () => {
  for (const unit of ['  ', '    ', '\t']) {
    const source = dmarSource(INCLUDE_ALL_DRHD + '\n' + RMRR_TWO_DEVICES);
    const text = reindented(withComments(jsonOf(source)), unit);
    const [finding] = findingsOf('rmrr-shared', text);
    assert.ok(finding, unit);
    const out = applyFix(text, finding);
    assert.deepEqual(findingsOf('rmrr-shared', out), []);
    const table = readJson(out).table;
    assert.deepEqual(table.structures.map((s) => s.kind), ['drhd', 'rmrr', 'rmrr']);
    assert.deepEqual(table.structures.map((s) => ('scopes' in s ? s.scopes.length : 0)), [1, 1, 1]);
    // The rewritten structures are indented like the rest, and the DRHD and its comments are untouched.
    for (const line of lines(out)) assert.match(line, new RegExp(`^(${unit === '\t' ? '\\t' : unit})*\\S|^$`), JSON.stringify(line));
    const drhd = text.slice(text.indexOf('// above drhd'), text.indexOf('// above rmrr'));
    assert.ok(out.includes(drhd), unit);
    for (const c of ['// header comment', '// structures comment', '// above drhd 1', '// inside drhd 1', '// above rmrr 2']) assert.ok(out.includes(c), c);
  }
});

test('the split of a document without comments reads exactly as the writer writes the fixed table', () => {
  const source = dmarSource(INCLUDE_ALL_DRHD + '\n' + RMRR_TWO_DEVICES);
  for (const unit of ['  ', '    ']) {
    const text = reindented(jsonOf(source), unit);
    const [finding] = findingsOf('rmrr-shared', text);
    const out = applyFix(text, finding!);
    const fixed = applyFixToModel(readJson(text).table, finding!.fixes![0]!);
    assert.equal(writeJson(readJson(out).table), writeJson(fixed));
    assert.equal(out, reindented(writeJson(fixed), unit));
  }
});

test('sorting structures moves each with its own text and comments', () => {
  const text = withComments(jsonOf(dmarSource(RMRR_TWO_DEVICES + '\n' + INCLUDE_ALL_DRHD)));
  const [finding] = findingsOf('structure-order', text);
  assert.ok(finding);
  const out = applyFix(text, finding);
  assert.deepEqual(findingsOf('structure-order', out), []);
  assert.deepEqual(readJson(out).table.structures.map((s) => s.kind), ['drhd', 'rmrr']);
  const block = (t: string, kind: string, n: number) => {
    const start = t.indexOf(`// above ${kind} ${n}`);
    return t.slice(start, t.indexOf('\n    }', start) + 6);
  };
  assert.ok(out.includes(block(text, 'rmrr', 1)));
  assert.ok(out.includes(block(text, 'drhd', 2)));
  assert.ok(out.indexOf('// above drhd 2') < out.indexOf('// above rmrr 1'));
  assert.deepEqual([...out.match(COMMENT)!].sort(), [...text.match(COMMENT)!].sort());
});

test('a stale Table Length and checksum disappear when fixed: the JSON form computes them', () => {
  const text = withComments(jsonOf(dmarSource(INCLUDE_ALL_DRHD)));
  const [length] = findingsOf('length-mismatch', text);
  assert.ok(length);
  const edits = editsFor(text, length.fixes![0]!);
  // One edit: the property's line.
  assert.equal(edits.length, 1);
  assert.deepEqual(edits[0]!.range, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } });
  const noLength = applyFix(text, length);
  assert.equal(noLength, withoutLines(text, 2));
  assert.deepEqual(findingsOf('length-mismatch', noLength), []);

  const [checksum] = findingsOf('checksum-mismatch', noLength);
  assert.ok(checksum);
  const out = applyFix(noLength, checksum);
  assert.equal(out, withoutLines(noLength, lineIndex(noLength, '"checksum"')));
  assert.deepEqual(findingsOf('checksum-mismatch', out), []);
  assert.deepEqual(findingsOf('length-mismatch', out), []);
});

test('a stale structure Length or scope Entry Length goes away; a scope on one line is rewritten whole', () => {
  const json = jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + RMRR_TWO_DEVICES));
  const structureStale = json.replace('"type": "rmrr",', '"type": "rmrr",\n      "length": 99, // stale');
  const [structure] = findingsOf('length-mismatch', structureStale).filter((f) => f.message.includes('RMRR'));
  assert.ok(structure);
  assert.equal(applyFix(structureStale, structure), withoutLines(structureStale, lineIndex(structureStale, '"length": 0,'), lineIndex(structureStale, '"length": 99')));

  const scopeStale = json.replace('{ "type": "endpoint", "device": "00:14.0" }', '{ "type": "endpoint", "device": "00:14.0", "length": 10 }');
  const [scope] = findingsOf('length-mismatch', scopeStale).filter((f) => f.message.includes('Entry Length'));
  assert.ok(scope);
  const out = applyFix(scopeStale, scope);
  assert.ok(out.includes('        { "type": "endpoint", "device": "00:14.0" },\n'));
  assert.deepEqual(findingsOf('length-mismatch', out), []);
});

test('a fix that leaves a length stale makes the property appear, in writer order', () => {
  const text = withComments(jsonOf(dmarSource(INCLUDE_ALL_DRHD))).replace('  "length": 0,\n', '').replace('  "checksum": 0,\n', '');
  assert.deepEqual(readJson(text).findings, []);
  const stale: Fix = { title: 'stale', apply: (t) => { t.length = 0x99; t.checksum = 0x42; } };
  const out = applyTextEdits(text, editsFor(text, stale));
  assert.deepEqual(readJson(out).findings, []);
  assert.equal(readJson(out).table.length, 0x99);
  assert.equal(readJson(out).table.checksum, 0x42);
  assert.deepEqual(lines(out).slice(0, 6), [
    '{',
    '  "signature": "DMAR", // header comment',
    '  "length": 153,',
    '  "revision": 1,',
    '  "checksum": 66,',
    '  "oemId": "TEST  ",',
  ]);
  // A structure's Length appears after its type, on a line of its own. No rule's fix leaves one
  // stale (applyFix recomputes the Length of a structure it changes), so give the fixed table directly.
  const before = readJson(text).table;
  const after = structuredClone(before);
  after.structures[0]!.length = 0x30;
  const out2 = applyTextEdits(text, jsonEditsBetween(text, before, after));
  assert.ok(out2.includes('"type": "drhd", // inside drhd 1\n      "length": 48,\n      "flags": 1,'));
  assert.equal(readJson(out2).table.structures[0]!.length, 0x30);
});

test('an unaligned RMRR base gets one value edit', () => {
  const text = withComments(jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587800', '000000008C5A6FFF', ['14,00']))))
    .replace('  "length": 0,\n', '').replace('  "checksum": 0,\n', '');
  const [finding] = findingsOf('rmrr-base-unaligned', text);
  assert.ok(finding);
  const edits = editsFor(text, finding.fixes![0]!);
  const baseLine = lineIndex(text, '"base"');
  assert.deepEqual(edits, [{
    range: { start: { line: baseLine, character: 14 }, end: { line: baseLine, character: 26 } },
    newText: '"0x8C587000"',
  }]);
  const out = applyFix(text, finding);
  assert.deepEqual(findingsOf('rmrr-base-unaligned', out), []);
  assert.deepEqual(findingsOf('checksum-mismatch', out), []);
});

test('values written in another notation are replaced in the writer\'s notation; CRLF documents keep CRLF', () => {
  const text = jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587800', '000000008C5A6FFF', ['14,00'])))
    .replace('"base": "0x8C587800"', '"base": 2354608128')
    .replace('  "length": 0,\n', '').replace('  "checksum": 0,\n', '')
    .replace(/\n/g, '\r\n');
  const [finding] = findingsOf('rmrr-base-unaligned', text);
  const out = applyFix(text, finding!);
  assert.ok(out.includes('"base": "0x8C587000",\r\n'));
  assert.ok(!/[^\r]\n/.test(out));

  // Removing the last scope of a CRLF document.
  const two = jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + RMRR_TWO_DEVICES)).replace(/\n/g, '\r\n');
  const lock = findingsOf('rmrr-locks-passthrough', two).find((f) => f.message.includes('00:1f.6'))!;
  const removed = applyFix(two, lock, /^Remove 00:1f.6/);
  assert.ok(removed.includes('{ "type": "endpoint", "device": "00:14.0" }\r\n      ]'));
  assert.ok(!/[^\r]\n/.test(removed));
});

test('scopes written on one line, and a fix that changes nothing', () => {
  const text = jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF', ['1F,03', '1F,06'])))
    .replace(/"scopes": \[\n\s+(\{ "type": "endpoint", "device": "00:1f.3" \}),\n\s+(\{[^\n]*\})\n\s+\]/, '"scopes": [$1, $2]');
  assert.match(text, /"scopes": \[\{ "type": "endpoint", "device": "00:1f.3" \}, \{ "type": "endpoint", "device": "00:1f.6" \}\]/);
  for (const [device, kept] of [['00:1f.6', '00:1f.3'], ['00:1f.3', '00:1f.6']] as const) {
    const finding = findingsOf('rmrr-locks-passthrough', text).find((f) => f.message.includes(device))!;
    const out = applyFix(text, finding, new RegExp(`^Remove ${device}`));
    assert.ok(out.includes(`"scopes": [{ "type": "endpoint", "device": "${kept}" }]`), out);
  }
  assert.deepEqual(editsFor(text, { title: 'nothing', apply: () => {} }), []);
});

test('properties sharing a line or written commas first stay as written', () => {
  const json = jsonOf(dmarSource(INCLUDE_ALL_DRHD));
  const compact = json.replace('"oemId": "TEST  ",\n  "oemTableId"', '"oemId": "TEST  ", "oemTableId"');
  const [length] = findingsOf('length-mismatch', compact);
  assert.equal(applyFix(compact, length!), withoutLines(compact, lineIndex(compact, '"length": 0')));

  const commaFirst = json.replace(/,\n(\s*)/g, '\n$1, ');
  const [stale] = findingsOf('length-mismatch', commaFirst);
  assert.equal(applyFix(commaFirst, stale!), commaFirst.replace('\n  , "length": 0', ''));
  // A property added to a scope on one line joins that line.
  const before = readJson(json).table;
  const after = structuredClone(before);
  const scope = after.structures[0]!.kind === 'drhd' ? after.structures[0]!.scopes[0]! : undefined;
  scope!.length = 9;
  scope!.annotation = { name: 'I/O APIC' };
  const out = applyTextEdits(json, jsonEditsBetween(json, before, after));
  assert.ok(out.includes('{ "type": "ioapic", "device": "f0:1f.0", "length": 9, "enumerationId": 2, "name": "I/O APIC" }'), out);
});

test('quick fixes and fix-all work on a JSON document through the features layer', () => {
  const uri = 'file:///t/t.dmar.json';
  const text = withComments(jsonOf(dmarSource(INCLUDE_ALL_DRHD + '\n' + RMRR_TWO_DEVICES)));
  const ctx = featureContext('t.dmar.json', text);
  assert.equal(ctx.doc.form, 'json');
  const diagnostic = toDiagnostics(ctx.findings, uri, 1).find((d) => d.code === 'rmrr-locks-passthrough' && d.message.includes('00:1f.6'))!;
  const actions = quickFixes(ctx, uri, 1, [diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), ["Remove 00:1f.6 from this RMRR's scope", 'Remove this RMRR']);
  const fixed = applyTextEdits(text, actions[0]!.edit!.changes![uri]!);
  const after = featureContext('t.dmar.json', fixed);
  assert.deepEqual(after.doc.readerFindings, []);
  assert.equal(after.findings.filter((f) => f.rule === 'rmrr-locks-passthrough' && f.message.includes('00:1f.6')).length, 0);

  // Fix-all: the template's stale Table Length and checksum are dropped, comments stay.
  const all = textWithSafeFixes(ctx);
  const done = featureContext('t.dmar.json', all);
  assert.deepEqual(done.findings.filter((f) => f.fixes?.some((x) => x.safe)).map((f) => f.rule), []);
  assert.deepEqual(all.match(COMMENT), text.match(COMMENT));
  assert.ok(!/"length"|"checksum"/.test(all));
});
