import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCLUDE_ALL_DRHD, dmarSource, rmrrSource, tableOf } from '../helpers';
import { featureContext } from '../../server/src/features/context';
import { changedLinesEdit, fixAllEdits, hasSafeFixes, quickFixes, textWithSafeFixes } from '../../server/src/features/code-actions';
import { fileTooLargeFinding, findingOf, toDiagnostics, type DiagnosticData } from '../../server/src/features/diagnostics';
import { applyTextEdits } from '../../server/src/table/fix-edits';
import { writeJson } from '../../server/src/table/json-form';
import { encodeTable } from '../../server/src/table/binary-writer';
import { ruleDocUrl } from '../../server/src/analysis/docs';

const URI = 'file:///t/DMAR.dsl';
// Two devices in one RMRR, one of unknown class: rmrr-locks-passthrough offers to drop it from the scope.
const text = dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF', ['14,00', '1F,06']));

test('diagnostics carry the rule id, its docs link, the source and what finds the fix again', () => {
  const ctx = featureContext('t.dsl', text);
  const diagnostics = toDiagnostics(ctx.findings, URI, 7);
  assert.ok(diagnostics.length > 0);
  diagnostics.forEach((d, i) => {
    assert.equal(d.code, ctx.findings[i]!.rule);
    assert.equal(d.source, 'dmar');
    assert.equal(d.codeDescription?.href, ruleDocUrl(String(d.code)));
    assert.deepEqual(d.data, { version: 7, index: i, rule: ctx.findings[i]!.rule } satisfies DiagnosticData);
  });
  const withRelated = diagnostics.find((d) => d.code === 'rmrr-locks-passthrough')!;
  assert.equal(withRelated.relatedInformation?.[0]?.location.uri, URI);
});

test('a diagnostic finds its finding by index in the same version, else by rule and range', () => {
  const ctx = featureContext('t.dsl', text);
  const diagnostics = toDiagnostics(ctx.findings, URI, 1);
  const d = diagnostics.find((x) => x.code === 'rmrr-locks-passthrough')!;
  assert.equal(findingOf(d, ctx.findings, 1), ctx.findings[(d.data as DiagnosticData).index]);
  assert.equal(findingOf({ ...d, data: undefined }, ctx.findings, 2)?.rule, 'rmrr-locks-passthrough');
  assert.equal(findingOf({ ...d, source: 'other' }, ctx.findings, 1), undefined);
});

test('a quick fix per fix; applying one removes the diagnostic', () => {
  const ctx = featureContext('t.dsl', text);
  const diagnostic = toDiagnostics(ctx.findings, URI, 1).find((d) => d.code === 'rmrr-locks-passthrough')!;
  const actions = quickFixes(ctx, URI, 1, [diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), ["Remove 00:1f.6 from this RMRR's scope", 'Remove this RMRR']);
  for (const a of actions) {
    assert.equal(a.kind, 'quickfix');
    assert.deepEqual(a.diagnostics, [diagnostic]);
    assert.equal(typeof a.isPreferred, 'boolean');
  }
  const fixed = applyTextEdits(text, actions[0]!.edit!.changes![URI]!);
  const after = featureContext('t.dsl', fixed);
  assert.equal(after.findings.filter((f) => f.rule === 'rmrr-locks-passthrough').length, 0);
  assert.equal(after.doc.readerFindings.length, 0);
});

test('fix-all applies every safe fix, re-reading the text after each', () => {
  const ctx = featureContext('t.dsl', text);
  // The template leaves Table Length and the checksum at zero.
  assert.ok(ctx.findings.some((f) => f.rule === 'length-mismatch'));
  assert.ok(ctx.findings.some((f) => f.rule === 'checksum-mismatch'));
  assert.ok(hasSafeFixes(ctx));
  const fixed = applyTextEdits(text, fixAllEdits(ctx));
  assert.equal(fixed, textWithSafeFixes(ctx));
  const after = featureContext('t.dsl', fixed);
  assert.deepEqual(after.findings.filter((f) => f.fixes?.some((x) => x.safe)).map((f) => f.rule), []);
  assert.equal(tableOf(fixed).length, 112);
  // Unsafe fixes stay for the user to choose.
  assert.ok(after.findings.some((f) => f.rule === 'rmrr-locks-passthrough'));
});

test('fix-all stops after its bound even if fixes kept coming', () => {
  const ctx = featureContext('t.dsl', text);
  assert.equal(textWithSafeFixes(ctx, 0), text);
  const once = textWithSafeFixes(ctx, 1);
  assert.notEqual(once, text);
  assert.notEqual(once, textWithSafeFixes(ctx));
});

test('binaries are read-only; the JSON form has fixes (test/table/json-fix-edits.test.ts)', () => {
  const table = tableOf(text, true);
  const binary = featureContext('DMAR.dat', encodeTable(table));
  assert.deepEqual(quickFixes(binary, URI, 1, toDiagnostics(binary.findings, URI, 1)), []);
  assert.equal(hasSafeFixes(binary), false);
  const json = featureContext('t.dmar.json', writeJson(table));
  assert.ok(quickFixes(json, URI, 1, toDiagnostics(json.findings, URI, 1)).length > 0);
  assert.equal(hasSafeFixes(json), true);
});

test('the fix-all edit replaces only the lines that changed', () => {
  const before = 'a\nb\nc\nd\n';
  for (const after of ['a\nB\nc\nd\n', 'a\nb\nc\nd\ne\n', 'x\nb\nc\nd\n', 'a\nb\nc\nD', 'a\nd\n', 'a\nb\nc\nd\n']) {
    const edits = changedLinesEdit(before, after);
    assert.equal(applyTextEdits(before, edits), after, JSON.stringify(after));
    if (after !== before) assert.equal(edits.length, 1);
  }
  assert.deepEqual(changedLinesEdit('a\nb\nc\n', 'a\nB\nc\n')[0]!.range, { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } });
});

test('a document too large for live analysis gets one warning saying how to raise the limit', () => {
  const f = fileTooLargeFinding(50 * 1024 * 1024, 8 * 1024 * 1024)!;
  assert.equal(f.rule, 'file-too-large');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /50 MiB .* more than the 8 MiB/);
  assert.match(f.message, /`dmar\.maxFileSize`/);
  assert.match(f.message, /"maxFileSize"` in \.dmarrc\.json/);
  assert.equal(fileTooLargeFinding(10, 5, { 'file-too-large': 'off' }), undefined);
  assert.equal(fileTooLargeFinding(10, 5, { 'file-too-large': 'error' })!.severity, 'error');
});
