// What the analysis makes once and shares, or makes only when asked: related locations and fixes
// built on first read, the per-analysis lists of structures by kind and of RMRRs, the path tree of
// translation.ts. Each is checked against the plain computation it stands for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { INCLUDE_ALL_DRHD, contextOf, corpusFiles, dmarSource, rmrrSource, tableOf } from '../helpers';
import { DeferredFinding, type Finding } from '../../server/src/table/finding';
import { isPciScope, type DeviceScope, type DmarTable, type PathElement } from '../../server/src/table/model';
import { readSource } from '../../server/src/table/source-reader';
import { readBinary } from '../../server/src/table/binary-reader';
import { encodeTable } from '../../server/src/table/binary-writer';
import { applyTextEdits, fixEditsForSource } from '../../server/src/table/fix-edits';
import { analyze } from '../../server/src/analysis/runner';
import { rmrrLocksPassthrough } from '../../server/src/analysis/rules/rmrr-locks-passthrough';
import { analysisRmrrSpans, analysisRmrrs, rmrrSpans, rmrrsOf } from '../../server/src/analysis/rmrr-ranges-util';
import { indicesOfKind, structuresOfKind } from '../../server/src/analysis/table-index';
import { translatingDrhd, type Translation } from '../../server/src/analysis/translation';

const TWO_DEVICES = dmarSource([INCLUDE_ALL_DRHD, rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['1F,02', '1F,03'])].join('\n'));

test('a locked device\'s finding makes its related location and fixes when first read, then keeps them', () => {
  const table = tableOf(TWO_DEVICES);
  const findings = rmrrLocksPassthrough.check(contextOf(table));
  assert.equal(findings.length, 2);
  const f = findings[0]!;
  assert.ok(f instanceof DeferredFinding);
  // Not own properties: a spread or Object.keys does not make them.
  assert.deepEqual(Object.keys(f), ['rule', 'range', 'offset', 'width', 'message', 'severity']);
  const fixes = f.fixes!;
  assert.equal(f.fixes, fixes, 'read twice, the same array');
  assert.deepEqual(fixes.map((x) => x.title), ['Remove 00:1f.2 from this RMRR\'s scope', 'Remove this RMRR']);
  assert.equal(f.related, f.related);
  assert.equal(f.related!.length, 1);
  assert.match(f.related![0]!.message, /^the RMRR 0x7DFFD000-0x7DFFFFFF \(12 KiB\)$/);
  assert.equal(f.related![0]!.range!.start.line, table.structures[1]!.loc.fields.type!.line);
  // The fix works on a fresh read of the text, as the editor applies it.
  const fixed = applyTextEdits(TWO_DEVICES, fixEditsForSource(TWO_DEVICES, tableOf(TWO_DEVICES), fixes[0]!));
  const rmrr = tableOf(fixed).structures[1]!;
  assert.ok(rmrr.kind === 'rmrr' && rmrr.scopes.length === 1 && rmrr.scopes[0]!.path[0]!.function === 3);
  // Assigned like any property.
  f.fixes = undefined;
  assert.equal(f.fixes, undefined);
  f.related = [];
  assert.deepEqual(f.related, []);
});

test('a deferred finding as a plain object has what a literal would have, in the same order', () => {
  const [f] = rmrrLocksPassthrough.check(contextOf(tableOf(TWO_DEVICES))) as DeferredFinding[];
  const plain = f!.toPlain();
  assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  assert.deepEqual(Object.keys(plain), ['rule', 'range', 'offset', 'width', 'message', 'related', 'fixes']);
  assert.equal(plain.message, f!.message);
  assert.equal(plain.fixes, f!.fixes);
  assert.equal(plain.related, f!.related);
});

test('a binary table\'s findings are plain objects, so copies of them keep their fixes and related locations', () => {
  const { table, findings } = readBinary(encodeTable(tableOf(TWO_DEVICES)));
  const locked = analyze(table, findings).filter((f) => f.rule === 'rmrr-locks-passthrough');
  assert.equal(locked.length, 2);
  for (const f of locked) {
    assert.ok(!(f instanceof DeferredFinding));
    const copy: Finding = { ...f };
    assert.ok(copy.fixes && copy.fixes.length > 0 && copy.related && copy.related.length === 1);
  }
});

test('structures by kind, and the RMRRs and their spans, are made once per analysis and match the table', () => {
  for (const file of corpusFiles('.dsl').slice(0, 60)) {
    const { table } = readSource(fs.readFileSync(file, 'utf8'));
    const ctx = contextOf(table);
    for (const kind of ['drhd', 'rmrr', 'atsr', 'rhsa', 'andd', 'satc', 'sidp', 'unknown'] as const) {
      const expected = table.structures.flatMap((s, i) => (s.kind === kind ? [i] : []));
      assert.deepEqual(indicesOfKind(ctx, kind), expected);
      assert.deepEqual(structuresOfKind(ctx, kind), expected.map((i) => table.structures[i]));
      assert.equal(structuresOfKind(ctx, kind), structuresOfKind(ctx, kind), 'shared within the analysis');
    }
    assert.deepEqual(analysisRmrrs(ctx), rmrrsOf(table));
    assert.deepEqual(analysisRmrrSpans(ctx), rmrrSpans(table));
    assert.equal(analysisRmrrSpans(ctx), analysisRmrrSpans(ctx));
  }
});

test('a new analysis context sees a changed table: nothing is kept across analyses', () => {
  const table = tableOf(dmarSource([INCLUDE_ALL_DRHD, rmrrSource('0000000080000000', '0000000080000FFF')].join('\n')));
  assert.equal(analysisRmrrs(contextOf(table)).length, 1);
  table.structures.push({ ...table.structures[1]! });
  assert.equal(analysisRmrrs(contextOf(table)).length, 2);
  assert.equal(structuresOfKind(contextOf(table), 'rmrr').length, 2);
});

/** translatingDrhd as it was written before the path tree: string keys per depth. */
function translatingByKeys(table: DmarTable, segment: number, scope: DeviceScope): Translation | undefined {
  if (!isPciScope(scope)) return undefined;
  const key = (bus: number, path: readonly PathElement[], depth: number) => `${bus}|${path.slice(0, depth).map((p) => `${p.device}.${p.function}/`).join('')}`;
  let includeAll: Translation | undefined;
  const byPath = new Map<string, Translation>();
  table.structures.forEach((s, drhdIndex) => {
    if (s.kind !== 'drhd' || s.segment !== segment) return;
    if (s.flags & 1) includeAll ??= { drhd: s, drhdIndex };
    for (const sc of s.scopes) {
      if (!isPciScope(sc) || sc.path.length === 0) continue;
      const k = key(sc.startBus, sc.path, sc.path.length);
      if (!byPath.has(k)) byPath.set(k, { drhd: s, drhdIndex, scope: sc });
    }
  });
  if (!table.structures.some((s) => s.kind === 'drhd' && s.segment === segment)) return undefined;
  for (let depth = scope.path.length; depth >= 1; depth--) {
    const hit = byPath.get(key(scope.startBus, scope.path, depth));
    if (hit) return hit;
  }
  return includeAll;
}

test('translatingDrhd finds the deepest DRHD scope on a path, as the string-keyed lookup did', () => {
  let asked = 0;
  for (const file of corpusFiles('.dsl')) {
    const { table } = readSource(fs.readFileSync(file, 'utf8'));
    const scopes: [number, DeviceScope][] = table.structures.flatMap((s) => ('scopes' in s ? s.scopes.map((sc): [number, DeviceScope] => [s.segment, sc]) : []));
    // Also paths below the DRHDs' own scopes, and ones that leave them partway.
    const extra = scopes.flatMap(([segment, sc]): [number, DeviceScope][] => [
      [segment, { ...sc, path: [...sc.path, { device: 0, function: 0 }] }],
      [segment, { ...sc, path: [...sc.path.slice(0, 1), { device: 0x1f, function: 7 }] }],
      [segment + 1, sc],
    ]);
    for (const [segment, sc] of [...scopes, ...extra]) {
      assert.deepEqual(translatingDrhd(table, segment, sc), translatingByKeys(table, segment, sc));
      asked++;
    }
  }
  assert.ok(asked > 1000);
  // Path elements outside a byte (a table made by hand) are told apart as well.
  const table = tableOf(dmarSource(INCLUDE_ALL_DRHD));
  const drhd = table.structures[0]!;
  assert.ok(drhd.kind === 'drhd');
  drhd.flags = 0;
  const odd = (device: number, fn: number): DeviceScope => ({ ...drhd.scopes[0]!, type: 1, path: [{ device, function: fn }] });
  drhd.scopes = [odd(1, 256)];
  assert.equal(translatingDrhd({ ...table }, 0, odd(2, 0)), undefined);
  assert.equal(translatingDrhd({ ...table }, 0, odd(1, 256))?.drhd, drhd);
});
