// The in-process half of the benchmark, in a fresh Node process of its own so the harness's
// heap does not weigh on it: parseDocument + analyzeDocument (default options) from out/, as the
// CLI and the server call them. Reads a JSON job from argv[2], prints JSON results on stdout.

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median } from './stats.mjs';

const job = JSON.parse(process.argv[2]);
const require = createRequire(path.join(job.repo, 'package.json'));
const { parseDocument, analyzeDocument } = require(path.join(job.repo, 'out/server/src/document.js'));

function cpuMs(since) {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

function once(name, content) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const doc = parseDocument(name, content);
  const t1 = process.hrtime.bigint();
  const findings = analyzeDocument(doc);
  const t2 = process.hrtime.bigint();
  return { parseMs: Number(t1 - t0) / 1e6, analyzeMs: Number(t2 - t1) / 1e6, totalMs: Number(t2 - t0) / 1e6, cpuMs: cpuMs(c0), findings };
}

function countBySeverity(findings) {
  const out = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) out[f.severity] = (out[f.severity] ?? 0) + 1;
  return out;
}

const sources = [];
for (const s of job.sources) {
  const text = fs.readFileSync(s.file, 'utf8');
  for (let i = 0; i < s.warmup; i++) once(path.basename(s.file), text);
  const runs = [];
  let last;
  for (let i = 0; i < s.runs; i++) {
    last = once(path.basename(s.file), text);
    runs.push({ parseMs: last.parseMs, analyzeMs: last.analyzeMs, totalMs: last.totalMs, cpuMs: last.cpuMs });
  }
  sources.push({
    rmrrs: s.rmrrs, runs: runs.length,
    totalMs: median(runs.map((r) => r.totalMs)), parseMs: median(runs.map((r) => r.parseMs)),
    analyzeMs: median(runs.map((r) => r.analyzeMs)), cpuMs: median(runs.map((r) => r.cpuMs)),
    minMs: Math.min(...runs.map((r) => r.totalMs)), maxMs: Math.max(...runs.map((r) => r.totalMs)),
    findings: countBySeverity(last.findings),
  });
}

function corpusPasses(files, passes) {
  const contents = files.map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f) }));
  const perFile = contents.map(() => []);
  const totals = [];
  const cpus = [];
  let errors = [];
  let findings = 0;
  for (let pass = -1; pass < passes; pass++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    errors = [];
    findings = 0;
    contents.forEach((c, i) => {
      const f0 = process.hrtime.bigint();
      try {
        findings += analyzeDocument(parseDocument(c.name, c.bytes)).length;
      } catch (e) {
        errors.push(`${c.name}: ${e.message}`);
      }
      if (pass >= 0) perFile[i].push(Number(process.hrtime.bigint() - f0) / 1e6);
    });
    if (pass >= 0) { totals.push(Number(process.hrtime.bigint() - t0) / 1e6); cpus.push(cpuMs(c0)); }
  }
  const fileMedians = perFile.map((t) => median(t));
  let slowest = 0;
  fileMedians.forEach((t, i) => { if (t > fileMedians[slowest]) slowest = i; });
  return {
    files: files.length, passes, totalMs: median(totals), cpuMs: median(cpus), findings, errors: errors.slice(0, 5), errorCount: errors.length,
    slowest: files.length ? { file: contents[slowest].name, ms: fileMedians[slowest] } : null,
  };
}

const corpus = job.corpus ? {
  sources: corpusPasses(job.corpus.sources, job.corpus.passes),
  binaries: corpusPasses(job.corpus.binaries, job.corpus.passes),
} : null;

process.stdout.write(JSON.stringify({ sources, corpus, heapUsedMb: process.memoryUsage().heapUsed / 1e6 }));
