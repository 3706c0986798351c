import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv from 'ajv-draft-04';
import { run } from '../../server/src/cli/main';
import { textReportChunks } from '../../server/src/cli/output';
import type { ResolvedFinding } from '../../server/src/analysis/runner';
import { CORPUS_DIR, corpusFiles, dmarSource, INCLUDE_ALL_DRHD, rmrrSource } from '../helpers';

const REPO = path.resolve(__dirname, '../../..');

function dmar(args: string[], cwd = REPO): { code: number; stdout: string; stderr: string; bytes: Buffer } {
  const out: Buffer[] = [];
  let stderr = '';
  const code = run(args, { stdout: (s) => out.push(Buffer.from(s)), stderr: (s) => { stderr += s; }, cwd });
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString('utf8'), stderr, bytes };
}

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-cli-'));
}

const PROLIANT = path.join(CORPUS_DIR, 'Server_Hewlett-Packard_ProLiant_ProLiant_DL380e_Gen8_CB05571909C8.dsl');

test('usage errors exit 2 with a message; --help exits 0', () => {
  assert.equal(dmar([]).code, 2);
  assert.equal(dmar(['frobnicate']).code, 2);
  assert.match(dmar(['frobnicate']).stderr, /unknown command/);
  assert.equal(dmar(['check', '--format', 'xml', PROLIANT]).code, 2);
  assert.equal(dmar(['check', '--rule', 'no-such-rule=off', PROLIANT]).code, 2);
  assert.equal(dmar(['check', '/no/such/file.dsl']).code, 2);
  assert.equal(dmar(['--help']).code, 0);
});

test('check --format json prints the documented shape with 1-based positions', () => {
  const dir = scratch();
  const file = path.join(dir, 'bad.dsl');
  fs.writeFileSync(file, dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587001', '000000008C5A6FFF')));
  const r = dmar(['check', '--format', 'json', file]);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 1);
  assert.equal(report.files[0].file, file);
  const d = report.files[0].diagnostics.find((x: { rule: string }) => x.rule === 'rmrr-base-unaligned');
  assert.ok(d, r.stdout);
  assert.deepEqual(Object.keys(d).sort(), ['column', 'endColumn', 'endLine', 'line', 'message', 'rule', 'severity']);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  assert.match(lines[d.line - 1], /Base Address/);
  assert.equal(r.code, 1, 'an error-severity finding exits 1');
  // Turning the rule off (and the other errors) brings the exit code down.
  const off = dmar(['check', '--format', 'json', '--rule', 'rmrr-base-unaligned=off', file]);
  assert.ok(!JSON.parse(off.stdout).files[0].diagnostics.some((x: { rule: string }) => x.rule === 'rmrr-base-unaligned'));
});

test('check text output is file:line:col severity message [rule]', () => {
  const r = dmar(['check', PROLIANT]);
  const first = r.stdout.split('\n')[0]!;
  assert.match(first, /^.+\.dsl:\d+:\d+ (error|warning|info|hint) .+ \[[a-z0-9-]+\]$/);
});

test('the text report in chunks is the report line by line, across chunk ends and for findings without a place', () => {
  const findings: ResolvedFinding[] = [
    ...Array.from({ length: 7 }, (_, i): ResolvedFinding => ({
      rule: 'r', severity: i % 2 ? 'warning' : 'error', message: `m${i} \u00e9`,
      range: { start: { line: i, character: i * 2 }, end: { line: i, character: 9 } },
    })),
    { rule: 'nowhere', severity: 'info', message: 'no range' },
  ];
  const reports = [{ file: 'a.dsl', findings }, { file: 'b.dsl', findings: findings.slice(2) }];
  const lines = reports.flatMap((r) => r.findings.map((f) =>
    `${r.file}:${(f.range?.start.line ?? 0) + 1}:${(f.range?.start.character ?? 0) + 1} ${f.severity} ${f.message} [${f.rule}]`));
  const summary = '2 files checked: 7 error(s), 5 warning(s), 2 info, 0 hint(s)';
  for (const per of [1, 3, 8, 14, 2000]) {
    const chunks = [...textReportChunks(reports, per)];
    assert.equal(chunks.join(''), [...lines, summary].join('\n') + '\n');
    assert.equal(chunks.length, Math.floor(lines.length / per) + 1);
    for (const c of chunks) assert.ok(c.endsWith('\n'));
  }
});

test('check --format sarif validates against the SARIF 2.1.0 schema and carries help links', () => {
  const r = dmar(['check', '--format', 'sarif', PROLIANT]);
  const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { help: { markdown: string } }[] } }; results: unknown[] }[] };
  const schema = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  const valid = ajv.validate(schema, sarif);
  assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5)));
  const rules = sarif.runs[0].tool.driver.rules;
  assert.equal(rules.length, 49);
  for (const rule of rules) assert.match(rule.help.markdown, /\]\(.+\/docs\/rules\/[a-z0-9-]+\.md\)/);
  assert.ok(sarif.runs[0].results.length > 0);
});

test('a folder is expanded to the DMAR tables in it; an apic.dsl beside them is context, not input', () => {
  const dir = scratch();
  fs.copyFileSync(PROLIANT, path.join(dir, 'dmar.dsl'));
  fs.writeFileSync(path.join(dir, 'apic.dsl'), '[000h 0000   4]                    Signature : "APIC"    [Multiple APIC Description Table (MADT)]\n');
  const report = JSON.parse(dmar(['check', '--format', 'json', dir]).stdout);
  assert.deepEqual(report.files.map((f: { file: string }) => path.basename(f.file)), ['dmar.dsl']);
});

test('a broken source: convert reports file:line:column and exits 2', () => {
  const dir = scratch();
  const file = path.join(dir, 'broken.dsl');
  fs.writeFileSync(file, dmarSource('Subtable Type : 0001\nLength : 0020\nReserved : 00ZZ\n'));
  const r = dmar(['compile', file, '-o', path.join(dir, 'x.aml')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`broken\\.dsl:17:12: error: .*\\[syntax\\]`));
});

test('convert: every corpus binary -> JSON -> binary gives back the same bytes', () => {
  const dir = scratch();
  for (const dat of corpusFiles('.dat')) {
    const json = path.join(dir, 't.dmar.json');
    const bin = path.join(dir, 't.dat');
    assert.equal(dmar(['convert', dat, '--to', 'json', '-o', json]).code, 0);
    assert.equal(dmar(['convert', json, '--to', 'binary', '-o', bin]).code, 0);
    assert.ok(fs.readFileSync(bin).equals(fs.readFileSync(dat)), path.basename(dat));
  }
});

test('decompile, then compile with --creator, reproduces a corpus binary made by iasl', () => {
  const dir = scratch();
  const dat = path.join(CORPUS_DIR, 'All_In_One_Acer_Aspire_Aspire_Z3-715_9F6A5601CE04.dat');
  const dsl = path.join(dir, 'acer.dsl');
  assert.equal(dmar(['decompile', dat, '-o', dsl]).code, 0);
  assert.equal(dmar(['compile', dsl, '--creator', 'INTL:00000001']).code, 0);
  assert.ok(fs.readFileSync(path.join(dir, 'acer.aml')).equals(fs.readFileSync(dat)));
});

test('the bundled CLI runs as a process', { skip: !fs.existsSync(path.join(REPO, 'dist/cli.js')) && 'dist/cli.js not built' }, () => {
  const r = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'check', '--format', 'json', path.join(REPO, 'examples')], { encoding: 'utf8' });
  assert.ok([0, 1].includes(r.status!), r.stderr);
  assert.ok(JSON.parse(r.stdout).files.length >= 3);
});
