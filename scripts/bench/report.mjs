// The benchmark's targets (from the performance issue) and its printed table.

import { bytes, ms, ratio } from './stats.mjs';

const MB = 1e6;
const KB = 1e3;

function target(id, description, value, limit, comparison, unit, extra = {}) {
  let status;
  if (value === null || value === undefined || !Number.isFinite(value)) status = 'n/a';
  else if (comparison === '>=') status = value >= limit ? 'met' : extra.lowerBound ? 'n/a' : 'not met';
  else status = value <= limit ? 'met' : 'not met';
  return { id, description, value: value ?? null, limit, comparison, unit, status, ...extra };
}

export function evaluateTargets(r) {
  const big = r.generated.find((g) => g.rmrrs === 10000);
  const noBig = 'no 10,000-RMRR source in this run (--quick)';
  const noIasl = r.environment.iasl.available ? undefined : r.environment.iasl.reason;
  const why = (...reasons) => reasons.find(Boolean);
  const lsp = r.lsp ?? {};
  const lspWhy = lsp.skipped ?? (lsp.error ? `server run failed: ${lsp.error.split('\n')[0]}` : undefined);
  const real = lsp.tables?.find((t) => t.label === 'largest real table');
  const gen = lsp.tables?.find((t) => t.rmrrs === 10000);
  const ratioTarget = (id, desc, rat, limit) => target(id, desc, rat?.value, limit, '>=', 'x', {
    lowerBound: rat?.lowerBound || undefined,
    cpuRatio: rat?.cpu ?? undefined,
    note: why(!big && noBig, noIasl, rat?.lowerBound && 'iasl timed out: the ratio is a lower bound', rat?.cpu && `by CPU time ${ratio(rat.cpu)}`),
  });
  const withDebounce = (t) => (t?.debounce?.ms ? ` (raw, includes the server's ${t.debounce.ms} ms debounce)` : '');
  const targets = [
    ratioTarget('check-vs-iasl-10000', '`dmar check` on 10,000 RMRRs at least 20x faster than iasl compiling it (whole process, wall)', big?.ratios.checkVsIasl, 20),
    ratioTarget('compile-vs-iasl-10000', '`dmar compile` on 10,000 RMRRs at least 10x faster than iasl (whole process, wall)', big?.ratios.compileVsIasl, 10),
    target('in-process-10000', 'in-process parse + full analysis of 10,000 RMRRs at most 150 ms (median)', big?.inProcess?.totalMs, 150, '<=', 'ms', {
      note: why(!big && noBig, big?.inProcess && `median CPU ${ms(big.inProcess.cpuMs)}, fastest run ${ms(big.inProcess.minMs)}`),
    }),
    target('scaling-10000-1000', 'in-process time 10,000 RMRRs / 1,000 RMRRs at most 12 (linear)', r.scaling?.timeRatio, 12, '<=', '', { note: why(!r.scaling && noBig) }),
    target('edit-p95-real', `didChange -> diagnostics p95 at most 10 ms on the largest real table${withDebounce(real)}`, real?.p95Ms, 10, '<=', 'ms', { note: why(lspWhy) }),
    target('edit-p95-10000', `didChange -> diagnostics p95 at most 250 ms on 10,000 RMRRs${withDebounce(gen)}`, gen?.p95Ms, 250, '<=', 'ms', { note: why(lspWhy, !gen && noBig) }),
  ];
  if (real?.debounce?.ms) {
    targets.push(target('edit-p95-real-net', `the same minus the ${real.debounce.ms} ms debounce: largest real table at most 10 ms`, real.netOfDebounce?.p95Ms, 10, '<=', 'ms'));
  }
  if (gen?.debounce?.ms) {
    targets.push(target('edit-p95-10000-net', `the same minus the ${gen.debounce.ms} ms debounce: 10,000 RMRRs at most 250 ms`, gen.netOfDebounce?.p95Ms, 250, '<=', 'ms'));
  }
  targets.push(
    target('cold-start', 'cold start (initialize -> first diagnostics, largest real table) at most 300 ms (median)', lsp.coldStart?.initializeToFirstDiagnosticsMs, 300, '<=', 'ms', { note: why(lspWhy) }),
    target('server-rss-10000', 'server peak RSS (VmHWM) on 10,000 RMRRs at most 150 MB', gen?.serverPeakRssKb ? gen.serverPeakRssKb * 1024 / MB : null, 150, '<=', 'MB', { note: why(lspWhy, !gen && noBig) }),
    target('bundle-size', 'dist/extension.js + dist/server.js, with the files of dist/ they load, at most 600 KB', r.bundle?.totalBytes ? r.bundle.totalBytes / KB : null, 600, '<=', 'KB', {
      note: r.bundle?.totalBytes ? undefined : `not built: ${r.bundle?.missing?.join(', ') || 'dist/extension.js or dist/server.js'}`,
    }),
  );
  return targets;
}

function pad(s, n, right = false) {
  s = String(s);
  return right ? s.padEnd(n) : s.padStart(n);
}

function wall(m) {
  if (!m) return '-';
  if (m.timedOut) return `>${ms(m.timeoutMs)}`;
  if (m.failed) return `FAILED (${m.status})`;
  return ms(m.wallMs);
}

function rss(kb) {
  return kb ? `${(kb * 1024 / MB).toFixed(0)} MB` : '-';
}

function ratioCell(rat) {
  if (!rat) return '-';
  return (rat.lowerBound ? '>' : '') + ratio(rat.value);
}

export function formatReport(r) {
  const L = [];
  const e = r.environment;
  L.push(`dmar benchmark (${r.mode}), ${r.startedAt}: Node ${e.node}, ${e.cpus} CPUs (${e.cpuModel ?? '?'}), load average ${e.loadAverageAtStart.join(' ')} at start, ${e.loadAverageAtEnd.join(' ')} at end; ${r.durationS} s`);
  L.push(e.iasl.available ? `iasl ${e.iasl.version} (${e.iasl.path})` : `iasl: not run (${e.iasl.reason}); the iasl columns and ratios are skipped`);
  L.push('');
  L.push('Generated sources: N RMRRs with one PCI endpoint scope each, behind 2 DRHDs (test/generate-table.ts)');
  L.push('Whole process: wall-clock median after a warm-up run; cpu = median user+sys (10 ms ticks); rss = peak RSS of the warm-up run');
  const hdr = `${pad('RMRRs', 6)} ${pad('source', 9)} | ${pad('iasl compile', 26, true)}| ${pad('dmar compile', 35, true)}| ${pad('dmar check', 35, true)}`;
  L.push(hdr);
  L.push(`${pad('', 6)} ${pad('', 9)} | ${pad('wall', 9)} ${pad('cpu', 9)} ${pad('rss', 6)} | ${pad('wall', 9)} ${pad('cpu', 9)} ${pad('rss', 6)} ${pad('vs iasl', 8)} | ${pad('wall', 9)} ${pad('cpu', 9)} ${pad('rss', 6)} ${pad('vs iasl', 8)}`);
  for (const g of r.generated) {
    const i = g.iasl;
    L.push(`${pad(g.rmrrs.toLocaleString('en-US'), 6)} ${pad(bytes(g.sourceBytes), 9)} | `
      + `${pad(i ? wall(i) : 'skipped', 9)} ${pad(i ? ms(i.cpuMs) : '', 9)} ${pad(i ? rss(i.peakRssKb) : '', 6)} | `
      + `${pad(wall(g.dmarCompile), 9)} ${pad(ms(g.dmarCompile.cpuMs), 9)} ${pad(rss(g.dmarCompile.peakRssKb), 6)} ${pad(ratioCell(g.ratios.compileVsIasl), 8)} | `
      + `${pad(wall(g.dmarCheck), 9)} ${pad(ms(g.dmarCheck.cpuMs), 9)} ${pad(rss(g.dmarCheck.peakRssKb), 6)} ${pad(ratioCell(g.ratios.checkVsIasl), 8)}`);
  }
  const runs = r.generated.map((g) => `${g.rmrrs}: ${g.dmarCheck.runs.length}`).join(', ');
  L.push(`(timed runs per size: ${runs}; dmar compile output identical to iasl's: ${r.generated.map((g) => `${g.rmrrs}: ${g.identicalToIasl === undefined ? '-' : g.identicalToIasl ? 'yes' : 'NO'}`).join(', ')})`);
  L.push('');
  L.push('In process: parseDocument + analyzeDocument (default options), median after warm-up');
  L.push(`${pad('RMRRs', 6)} ${pad('total', 9)} ${pad('parse', 9)} ${pad('analysis', 9)} ${pad('cpu', 9)} ${pad('min', 9)} ${pad('max', 9)} ${pad('runs', 5)}  findings`);
  for (const g of r.generated) {
    const p = g.inProcess;
    if (!p) continue;
    const f = Object.entries(p.findings).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
    L.push(`${pad(g.rmrrs.toLocaleString('en-US'), 6)} ${pad(ms(p.totalMs), 9)} ${pad(ms(p.parseMs), 9)} ${pad(ms(p.analyzeMs), 9)} ${pad(ms(p.cpuMs), 9)} ${pad(ms(p.minMs), 9)} ${pad(ms(p.maxMs), 9)} ${pad(p.runs, 5)}  ${f}`);
  }
  if (r.scaling) L.push(`10,000 / 1,000 RMRRs: time x${r.scaling.timeRatio.toFixed(2)}, cpu x${r.scaling.cpuRatio.toFixed(2)} (linear = x10)`);
  L.push('');
  if (r.corpus) {
    const c = r.corpus;
    L.push(`Real corpus (${c.dir}): ${c.sources} sources, ${c.binaries} binaries`);
    const ip = c.inProcess;
    if (ip) {
      L.push(`  in process, all ${ip.sources.files} sources in one pass: ${ms(ip.sources.totalMs)} (cpu ${ms(ip.sources.cpuMs)}; median of ${ip.sources.passes} passes; slowest ${ip.sources.slowest?.file} ${ms(ip.sources.slowest?.ms)}; ${ip.sources.errorCount} errors)`);
      L.push(`  in process, all ${ip.binaries.files} binaries in one pass: ${ms(ip.binaries.totalMs)} (cpu ${ms(ip.binaries.cpuMs)}; slowest ${ip.binaries.slowest?.file} ${ms(ip.binaries.slowest?.ms)}; ${ip.binaries.errorCount} errors)`);
    }
    if (c.iasl) {
      L.push(`  iasl, one process per source: ${ms(c.iasl.totalMs)} (cpu ${ms(c.iasl.cpuMs)}; ${c.iasl.ok} compiled, ${c.iasl.failed.length} refused${c.iasl.failed.length ? ` [${c.iasl.failed.join(', ')}]` : ''}, ${c.iasl.timedOut.length} timed out)`);
    } else L.push('  iasl: skipped');
    L.push(`  dmar check <the ${c.sources} sources>, one process: ${wall(c.dmarCheckSources)} (cpu ${ms(c.dmarCheckSources.cpuMs)}, rss ${rss(c.dmarCheckSources.peakRssKb)})${c.checkVsIasl ? `: ${ratio(c.checkVsIasl)} faster than iasl` : ''}; ${c.dmarCheckSources.summary}`);
    if (c.dmarCheckFolder) L.push(`  dmar check <folder> (sources and binaries), one process: ${wall(c.dmarCheckFolder)} (cpu ${ms(c.dmarCheckFolder.cpuMs)}, rss ${rss(c.dmarCheckFolder.peakRssKb)}); ${c.dmarCheckFolder.summary}`);
    L.push('');
  }
  const s = r.lsp;
  if (s?.skipped) L.push(`Language server: skipped (${s.skipped})`);
  else if (s) {
    L.push(`Language server (${s.server}; ${s.sync ?? '?'} sync${s.versionedDiagnostics === false ? '; diagnostics carry no version' : ''})`);
    if (s.coldStart) {
      L.push(`  cold start, ${s.coldStart.file} (${bytes(s.coldStart.bytes)}): initialize -> first diagnostics ${ms(s.coldStart.initializeToFirstDiagnosticsMs)} (spawn -> first diagnostics ${ms(s.coldStart.spawnToFirstDiagnosticsMs)}; initialize response ${ms(s.coldStart.initializeMs)}); median of ${s.coldStart.starts}`);
    }
    if (s.tables.length) {
      L.push('  didChange -> publishDiagnostics for that version (one-character edits, alternating the edit and its undo):');
      L.push(`  ${pad('table', 40, true)} ${pad('edits', 5)} ${pad('p50', 9)} ${pad('p95', 9)} ${pad('max', 9)} ${pad('debounce', 9)} ${pad('p50-deb.', 9)} ${pad('p95-deb.', 9)}  edit`);
      for (const t of s.tables) {
        if (t.error) { L.push(`  ${pad(t.label, 40, true)} ${t.error}`); continue; }
        const e2 = t.edit;
        L.push(`  ${pad(`${t.label} (${bytes(t.bytes)})`, 40, true)} ${pad(t.edits, 5)} ${pad(ms(t.p50Ms), 9)} ${pad(ms(t.p95Ms), 9)} ${pad(ms(t.maxMs), 9)} ${pad(ms(t.debounce?.ms ?? 0), 9)} ${pad(t.netOfDebounce ? ms(t.netOfDebounce.p50Ms) : '-', 9)} ${pad(t.netOfDebounce ? ms(t.netOfDebounce.p95Ms) : '-', 9)}  `
          + `${e2.field} line ${e2.line + 1} col ${e2.character + 1}: ${e2.original}<->${e2.replacement}${e2.keepsFindings ? '' : ' (changes findings)'}; ${t.diagnosticsMin === t.diagnosticsMax ? t.diagnosticsMin : `${t.diagnosticsMin}-${t.diagnosticsMax}`} diagnostics, ${bytes(t.diagnosticsPayloadBytes)} each publication`);
      }
      const sources = [...new Set(s.tables.map((t) => t.debounce?.source).filter(Boolean))];
      if (sources.length) L.push(`  (delay before analysis: ${sources.join("; ")}; p50/p95-deb. = latency minus a stated debounce)`);
      const gen = s.tables.find((t) => t.rmrrs);
      if (gen) L.push(`  ${gen.label}: open -> first diagnostics ${ms(gen.openToFirstDiagnosticsMs)}; server peak RSS after the edits ${rss(gen.serverPeakRssKb)} (VmHWM; RSS now ${rss(gen.serverRssKb)})`);
    }
    if (s.error) L.push(`  FAILED: ${s.error.split('\n')[0]}`);
  }
  if (r.bundle) {
    const b = r.bundle;
    const files = b.files ?? [{ file: 'dist/extension.js', bytes: b.extensionBytes }, { file: 'dist/server.js', bytes: b.serverBytes }];
    L.push(`Bundle (client and server, every file they load): ${files.map((f) => `${f.file} ${f.bytes === null ? 'missing' : bytes(f.bytes)}`).join(' + ')} = ${bytes(b.totalBytes)} (dist/cli.js ${bytes(b.cliBytes)})`);
  }
  L.push('');
  L.push('Targets (from the issue; wall-clock figures on this machine, at the load shown above)');
  for (const t of r.targets) {
    const value = t.value === null ? '-' : t.unit === 'x' ? `${t.lowerBound ? '>' : ''}${ratio(t.value)}` : `${t.value.toFixed(t.value >= 100 ? 0 : 1)}${t.unit ? ` ${t.unit}` : ''}`;
    L.push(`  ${pad(`[${t.status}]`, 10, true)} ${pad(value, 9)}  ${t.description}${t.note ? ` -- ${t.note}` : ''}`);
  }
  for (const n of r.notes ?? []) L.push(`note: ${n}`);
  return L.join('\n') + '\n';
}
