// `npm run bench`: dmar side by side with iasl on generated DMAR sources (10, 1,000 and 10,000
// RMRRs) and on the real corpus, the in-process parse + analysis, and the bundled language server
// over stdio. Prints a table; `--json [file]` writes the same figures as JSON (to stdout when no
// file is given, the table then goes to stderr). docs/performance.md describes the method.
//
//   node scripts/bench.mjs [--quick] [--json [file]] [--no-iasl] [--no-lsp] [--iasl-timeout S] [--debounce-ms N]

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureProcess, timeOnce } from './bench/proc.mjs';
import { chooseEdit, openSession, timeEdits } from './bench/lsp.mjs';
import { median, round } from './bench/stats.mjs';
import { evaluateTargets, formatReport } from './bench/report.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/real');
const CLI = path.join(REPO, 'dist/cli.js');
const SERVER = path.join(REPO, 'dist/server.js');

function parseArgs(argv) {
  const opts = { quick: false, json: undefined, iasl: true, lsp: true, iaslTimeoutS: 60, debounceMs: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : '-';
    else if (a.startsWith('--json=')) opts.json = a.slice(7) || '-';
    else if (a === '--no-iasl') opts.iasl = false;
    else if (a === '--no-lsp') opts.lsp = false;
    else if (a === '--iasl-timeout') opts.iaslTimeoutS = Number(argv[++i]);
    else if (a === '--debounce-ms') opts.debounceMs = Number(argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('node scripts/bench.mjs [--quick] [--json [file]] [--no-iasl] [--no-lsp] [--iasl-timeout S] [--debounce-ms N]\n');
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const jsonToStdout = opts.json === '-';
const log = (s) => process.stderr.write(`${s}\n`);

// Sizes, repetitions and corpus share per mode. Quick mode only proves the harness works.
const PLAN = opts.quick
  ? {
    sizes: [10, 100], processRuns: { default: 1 }, inProcess: { default: { warmup: 1, runs: 2 } }, corpusLimit: 5, corpusPasses: 1,
    corpusProcessRuns: 1, coldStarts: 1, edits: { real: 4, generated: 4 },
  }
  : {
    sizes: [10, 1000, 10000], processRuns: { 10: 7, 1000: 5, 10000: 3, default: 3 },
    inProcess: { 10: { warmup: 20, runs: 50 }, 1000: { warmup: 5, runs: 15 }, 10000: { warmup: 2, runs: 7 }, default: { warmup: 2, runs: 5 } },
    corpusLimit: Infinity, corpusPasses: 5, corpusProcessRuns: 3, coldStarts: 5, edits: { real: 60, generated: 50 },
  };

function requireBuilt() {
  const missing = [CLI, path.join(REPO, 'out/server/src/document.js'), path.join(REPO, 'out/test/generate-table.js')].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    log(`bench: not built (${missing.map((f) => path.relative(REPO, f)).join(', ')} missing): run \`npm run build\` or \`npm run bench\``);
    process.exit(2);
  }
}

function iaslInfo() {
  if (!opts.iasl) return { available: false, reason: '--no-iasl given' };
  const r = spawnSync('iasl', ['-v'], { encoding: 'utf8' });
  if (r.error) return { available: false, reason: 'iasl is not installed (apt-get install acpica-tools)' };
  const version = /version\s+(\d+)/i.exec(r.stdout)?.[1];
  const where = spawnSync('sh', ['-c', 'command -v iasl'], { encoding: 'utf8' }).stdout.trim();
  return { available: true, version, path: where };
}

/**
 * The delay the server adds before analysing an edit. It has no fixed debounce: a change that
 * follows a pause is analysed at once, and each edit here waits for the previous one's
 * diagnostics (server.ts, delayAfterChange). `--debounce-ms` states one for an older server.
 */
function debounceFor() {
  if (opts.debounceMs !== undefined) return { ms: opts.debounceMs, source: '--debounce-ms' };
  return { ms: 0, source: 'none: the server analyses a change that follows a pause at once' };
}

function corpusFiles(ext, limit) {
  if (!fs.existsSync(CORPUS)) return [];
  return fs.readdirSync(CORPUS).filter((f) => f.endsWith(ext)).sort().slice(0, limit).map((f) => path.join(CORPUS, f));
}

function inProcess(sources, corpus) {
  const job = { repo: REPO, sources, corpus };
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/bench/in-process.mjs'), JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`in-process benchmark failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

async function main() {
  requireBuilt();
  const require = createRequire(path.join(REPO, 'package.json'));
  const { generateTableSource } = require(path.join(REPO, 'out/test/generate-table.js'));
  const documentApi = require(path.join(REPO, 'out/server/src/document.js'));
  const iasl = iaslInfo();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-bench-'));
  const started = Date.now();
  const result = {
    mode: opts.quick ? 'quick' : 'full',
    startedAt: new Date(started).toISOString(),
    environment: {
      node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, platform: `${os.platform()} ${os.release()}`,
      loadAverageAtStart: os.loadavg().map((x) => round(x, 2)), iasl,
    },
    generated: [],
  };
  const notes = [];
  try {
    // --- Generated sources, whole process and in process -----------------------------------
    const sources = PLAN.sizes.map((n) => {
      const file = path.join(tmp, `rmrr-${n}.dsl`);
      fs.writeFileSync(file, generateTableSource(n));
      return { rmrrs: n, file, bytes: fs.statSync(file).size };
    });
    for (const s of sources) {
      const runs = PLAN.processRuns[s.rmrrs] ?? PLAN.processRuns.default;
      log(`bench: ${s.rmrrs} RMRRs (${s.bytes} bytes): whole-process runs x${runs}`);
      const row = { rmrrs: s.rmrrs, sourceBytes: s.bytes, iasl: null };
      const iaslOut = path.join(tmp, `iasl-${s.rmrrs}`);
      if (iasl.available) {
        row.iasl = measureProcess('iasl', ['-p', iaslOut, s.file], { runs, timeoutMs: opts.iaslTimeoutS * 1000, stdoutFile: path.join(tmp, 'iasl.log') });
      }
      const dmarAml = path.join(tmp, `dmar-${s.rmrrs}.aml`);
      row.dmarCompile = measureProcess(process.execPath, [CLI, 'compile', s.file, '-o', dmarAml], { runs, cwd: REPO });
      const checkOut = path.join(tmp, `check-${s.rmrrs}.txt`);
      row.dmarCheck = measureProcess(process.execPath, [CLI, 'check', s.file], { runs, cwd: REPO, stdoutFile: checkOut, okStatus: [0, 1] });
      row.dmarCheck.summary = fs.existsSync(checkOut) ? fs.readFileSync(checkOut, 'utf8').trim().split('\n').pop() : null;
      if (row.iasl && !row.iasl.timedOut && fs.existsSync(`${iaslOut}.aml`) && fs.existsSync(dmarAml)) {
        row.identicalToIasl = Buffer.compare(fs.readFileSync(`${iaslOut}.aml`), fs.readFileSync(dmarAml)) === 0;
      }
      row.ratios = {
        compileVsIasl: ratioOf(row.iasl, row.dmarCompile),
        checkVsIasl: ratioOf(row.iasl, row.dmarCheck),
      };
      result.generated.push(row);
    }

    log('bench: in process (parseDocument + analyzeDocument), generated sources and corpus');
    const corpusSources = corpusFiles('.dsl', PLAN.corpusLimit);
    const corpusBinaries = corpusFiles('.dat', PLAN.corpusLimit);
    const inproc = inProcess(
      sources.map((s) => ({ rmrrs: s.rmrrs, file: s.file, ...(PLAN.inProcess[s.rmrrs] ?? PLAN.inProcess.default) })),
      corpusSources.length ? { sources: corpusSources, binaries: corpusBinaries, passes: PLAN.corpusPasses } : null,
    );
    for (const r of inproc.sources) result.generated.find((g) => g.rmrrs === r.rmrrs).inProcess = r;
    const big = result.generated.find((g) => g.rmrrs === 10000);
    const mid = result.generated.find((g) => g.rmrrs === 1000);
    result.scaling = big && mid ? { from: 1000, to: 10000, timeRatio: big.inProcess.totalMs / mid.inProcess.totalMs, cpuRatio: big.inProcess.cpuMs / mid.inProcess.cpuMs } : null;

    // --- Real corpus, whole process ------------------------------------------------------------
    if (corpusSources.length) {
      log(`bench: corpus (${corpusSources.length} sources, ${corpusBinaries.length} binaries): iasl one process per source, dmar check`);
      const corpus = { dir: CORPUS, sources: corpusSources.length, binaries: corpusBinaries.length, inProcess: inproc.corpus };
      if (iasl.available) {
        const t0 = process.hrtime.bigint();
        let ok = 0;
        const failed = [];
        const timedOut = [];
        let cpuMs = 0;
        for (const f of corpusSources) {
          const r = timeOnce('iasl', ['-p', path.join(tmp, 'corpus-iasl'), f], { timeoutMs: 20000, stdoutFile: path.join(tmp, 'iasl-corpus.log') });
          cpuMs += r.cpuMs ?? 0;
          if (r.timedOut) timedOut.push(path.basename(f));
          else if (r.status === 0) ok++;
          else failed.push(path.basename(f));
        }
        corpus.iasl = { totalMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs, ok, failed, timedOut };
      }
      const runs = PLAN.corpusProcessRuns;
      corpus.dmarCheckSources = measureProcess(process.execPath, [CLI, 'check', ...corpusSources], { runs, cwd: REPO, stdoutFile: path.join(tmp, 'check-corpus.txt'), okStatus: [0, 1] });
      corpus.dmarCheckSources.summary = fs.readFileSync(path.join(tmp, 'check-corpus.txt'), 'utf8').trim().split('\n').pop();
      if (!opts.quick) {
        corpus.dmarCheckFolder = measureProcess(process.execPath, [CLI, 'check', CORPUS], { runs, cwd: REPO, stdoutFile: path.join(tmp, 'check-folder.txt'), okStatus: [0, 1] });
        corpus.dmarCheckFolder.summary = fs.readFileSync(path.join(tmp, 'check-folder.txt'), 'utf8').trim().split('\n').pop();
      }
      corpus.checkVsIasl = corpus.iasl ? corpus.iasl.totalMs / corpus.dmarCheckSources.wallMs : null;
      result.corpus = corpus;
    } else {
      notes.push(`corpus not found at ${CORPUS}: corpus figures skipped`);
    }

    // --- Language server ------------------------------------------------------------------------
    result.lsp = await benchServer(sources, corpusFiles('.dsl', Infinity), documentApi, notes);

    // --- Bundle size ----------------------------------------------------------------------------
    result.bundle = bundleSize();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  result.environment.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));
  result.durationS = round((Date.now() - started) / 1000, 1);
  if (!iasl.available) notes.push(`iasl columns skipped: ${iasl.reason}`);
  result.targets = evaluateTargets(result);
  result.notes = notes;

  const report = formatReport(result);
  if (opts.json === undefined) process.stdout.write(report);
  else {
    process.stderr.write(report);
    const json = JSON.stringify(result, null, 2) + '\n';
    if (jsonToStdout) process.stdout.write(json);
    else fs.writeFileSync(opts.json, json);
  }
}

/**
 * What the VSIX ships for the client and the server: dist/extension.js, dist/server.js and every
 * file they require by a relative path (the protocol bundle they share), each file counted once.
 */
function bundleSize() {
  const size = (f) => (fs.existsSync(path.join(REPO, f)) ? fs.statSync(path.join(REPO, f)).size : null);
  const files = new Map();
  const visit = (file) => {
    if (files.has(file)) return;
    const bytes = size(file);
    files.set(file, bytes);
    if (bytes === null) return;
    for (const m of fs.readFileSync(path.join(REPO, file), 'utf8').matchAll(/require\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g)) {
      const required = path.posix.join(path.posix.dirname(file), m[1]);
      visit(size(required) === null && size(`${required}.js`) !== null ? `${required}.js` : required);
    }
  };
  const entries = ['dist/extension.js', 'dist/server.js'];
  for (const entry of entries) visit(entry);
  const list = [...files].map(([file, bytes]) => ({ file, bytes })).sort((a, b) => Number(!entries.includes(a.file)) - Number(!entries.includes(b.file)));
  const built = list.every((f) => f.bytes !== null);
  return {
    files: list,
    extensionBytes: files.get('dist/extension.js'),
    serverBytes: files.get('dist/server.js'),
    totalBytes: built ? list.reduce((n, f) => n + f.bytes, 0) : null,
    missing: list.filter((f) => f.bytes === null).map((f) => f.file),
    cliBytes: size('dist/cli.js'),
  };
}

function ratioOf(iaslRun, dmarRun) {
  if (!iaslRun || !dmarRun?.wallMs) return null;
  if (iaslRun.timedOut) return { value: iaslRun.timeoutMs / dmarRun.wallMs, lowerBound: true };
  if (iaslRun.failed || !iaslRun.wallMs) return null;
  return { value: iaslRun.wallMs / dmarRun.wallMs, lowerBound: false, cpu: iaslRun.cpuMs && dmarRun.cpuMs ? iaslRun.cpuMs / dmarRun.cpuMs : null };
}

async function benchServer(sources, realSources, documentApi, notes) {
  if (!opts.lsp) return { skipped: '--no-lsp given' };
  if (!fs.existsSync(SERVER)) return { skipped: 'dist/server.js not found (server/src/server.ts not built yet)' };
  if (!realSources.length) return { skipped: 'no real corpus to open' };
  const largestReal = realSources.map((f) => ({ f, size: fs.statSync(f).size })).sort((a, b) => b.size - a.size)[0].f;
  const largestGen = sources[sources.length - 1];
  const out = { server: 'node dist/server.js --stdio', coldStarts: [], tables: [] };
  const timeoutMs = 120000;
  try {
    log(`bench: language server: ${PLAN.coldStarts} cold start(s) on ${path.basename(largestReal)}, ${PLAN.edits.real} edits`);
    const realText = fs.readFileSync(largestReal, 'utf8');
    let session;
    for (let i = 0; i < PLAN.coldStarts; i++) {
      if (session) await session.client.close();
      session = await openSession(SERVER, largestReal, realText, { timeoutMs, cwd: REPO });
      out.coldStarts.push(session.cold);
    }
    out.sync = session.sync === 2 ? 'incremental' : 'full';
    out.versionedDiagnostics = session.versioned;
    if (!session.versioned) notes.push('the server publishes diagnostics without a version: each edit is timed to the first publication after it');
    out.coldStart = {
      file: path.basename(largestReal), bytes: Buffer.byteLength(realText), starts: out.coldStarts.length,
      initializeToFirstDiagnosticsMs: median(out.coldStarts.map((c) => c.initializeToFirstDiagnosticsMs)),
      spawnToFirstDiagnosticsMs: median(out.coldStarts.map((c) => c.spawnToFirstDiagnosticsMs)),
      initializeMs: median(out.coldStarts.map((c) => c.initializeMs)),
    };
    out.tables.push(await editTable(session, 'largest real table', largestReal, realText, documentApi, PLAN.edits.real, timeoutMs));
    await session.client.close();

    log(`bench: language server: ${largestGen.rmrrs} RMRRs, open + ${PLAN.edits.generated} edits`);
    const genText = fs.readFileSync(largestGen.file, 'utf8');
    session = await openSession(SERVER, largestGen.file, genText, { timeoutMs, cwd: REPO });
    const table = await editTable(session, `${largestGen.rmrrs} RMRRs`, largestGen.file, genText, documentApi, PLAN.edits.generated, timeoutMs);
    table.rmrrs = largestGen.rmrrs;
    table.openToFirstDiagnosticsMs = session.cold.openToFirstDiagnosticsMs;
    const mem = session.client.memory();
    table.serverPeakRssKb = mem.vmHwmKb;
    table.serverRssKb = mem.vmRssKb;
    out.tables.push(table);
    await session.client.close();
  } catch (e) {
    out.error = String(e.stack ?? e);
    log(`bench: language server: ${e.message}`);
  }
  return out;
}

async function editTable(session, label, file, text, documentApi, edits, timeoutMs) {
  const debounce = debounceFor();
  const edit = chooseEdit(text, path.basename(file), documentApi);
  if (!edit) return { label, file: path.basename(file), error: 'no RMRR to edit' };
  const timing = await timeEdits(session, edit, edits, { timeoutMs });
  const minus = (x) => (x === null ? null : Math.max(0, x - debounce.ms));
  return {
    label, file: path.basename(file), bytes: Buffer.byteLength(text), edit, debounce, ...timing,
    netOfDebounce: debounce.ms ? { p50Ms: minus(timing.p50Ms), p95Ms: minus(timing.p95Ms) } : null,
  };
}

main().catch((e) => {
  log(`bench: ${e.stack ?? e}`);
  process.exit(1);
});
