// Whole-process timing: wall time with process.hrtime around spawnSync, CPU time of the child
// from this process's cutime/cstime (/proc/self/stat, the children it has waited for), and peak
// RSS from one extra run under /usr/bin/time (also the warm-up run that fills the page cache).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median } from './stats.mjs';

const HAS_TIME = fs.existsSync('/usr/bin/time');
const HAS_TIMEOUT = ['/usr/bin/timeout', '/bin/timeout'].some((p) => fs.existsSync(p));
let clockTicks = 100;
try {
  clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
} catch { /* keep 100 */ }

/** CPU milliseconds (user + system) of the children this process has reaped, or null off Linux. */
function childrenCpuMs() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5) (cutime, cstime); index 0 here is field 3.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / clockTicks;
  } catch {
    return null;
  }
}

function outputFd(file) {
  return file ? fs.openSync(file, 'w') : 'ignore';
}

/** One run: wall ms, child CPU ms (10 ms ticks), exit status, whether it timed out. */
export function timeOnce(cmd, args, { timeoutMs = 60000, stdoutFile, cwd } = {}) {
  const fd = outputFd(stdoutFile);
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', fd, 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', cwd, maxBuffer: 64 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu1 = childrenCpuMs();
  if (typeof fd === 'number') fs.closeSync(fd);
  const timedOut = r.error?.code === 'ETIMEDOUT' || (r.signal === 'SIGKILL' && wallMs >= timeoutMs);
  return {
    wallMs, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, status: r.status, signal: r.signal, timedOut,
    stderr: r.stderr ? r.stderr.toString('utf8').slice(0, 2000) : '', error: r.error && !timedOut ? String(r.error.message) : undefined,
  };
}

/** Peak RSS (KiB) of one run under /usr/bin/time, with coreutils timeout around it. */
function peakRssOnce(cmd, args, { timeoutMs = 60000, stdoutFile, cwd } = {}) {
  if (!HAS_TIME) return { peakRssKb: null, run: timeOnce(cmd, args, { timeoutMs, stdoutFile, cwd }) };
  const report = path.join(os.tmpdir(), `dmar-bench-time-${process.pid}-${Date.now()}.txt`);
  const timeArgs = ['-f', '%M', '-o', report, cmd, ...args];
  const run = HAS_TIMEOUT
    ? timeOnce('timeout', ['-s', 'KILL', String(Math.ceil(timeoutMs / 1000)), '/usr/bin/time', ...timeArgs], { timeoutMs: timeoutMs + 5000, stdoutFile, cwd })
    : timeOnce('/usr/bin/time', timeArgs, { timeoutMs, stdoutFile, cwd });
  if (run.status === 124 || run.status === 137 || run.signal === 'SIGKILL') run.timedOut = true;
  let peakRssKb = null;
  try {
    // GNU time writes "Command exited with non-zero status N" before the format line.
    const lines = fs.readFileSync(report, 'utf8').trim().split('\n');
    peakRssKb = Number(lines[lines.length - 1]) || null;
    fs.rmSync(report, { force: true });
  } catch { /* killed before it wrote */ }
  return { peakRssKb, run };
}

/**
 * A warm-up run (also the peak-RSS run) and then `runs` timed runs. `okStatus` lists the exit
 * statuses that count as success. A warm-up that times out ends the measurement.
 */
export function measureProcess(cmd, args, { runs = 5, timeoutMs = 60000, stdoutFile, cwd, okStatus = [0] } = {}) {
  const warm = peakRssOnce(cmd, args, { timeoutMs, stdoutFile, cwd });
  const result = {
    command: [cmd, ...args].join(' '), runs: [], peakRssKb: warm.peakRssKb, timedOut: false, failed: false, status: warm.run.status,
  };
  if (warm.run.timedOut) {
    result.timedOut = true;
    result.wallMs = null;
    result.timeoutMs = timeoutMs;
    return result;
  }
  if (!okStatus.includes(warm.run.status)) {
    result.failed = true;
    result.stderr = warm.run.stderr || warm.run.error;
  }
  for (let i = 0; i < runs; i++) {
    const r = timeOnce(cmd, args, { timeoutMs, stdoutFile, cwd });
    result.runs.push({ wallMs: r.wallMs, cpuMs: r.cpuMs, status: r.status, timedOut: r.timedOut });
    if (r.timedOut) { result.timedOut = true; result.timeoutMs = timeoutMs; break; }
  }
  result.wallMs = result.timedOut ? null : median(result.runs.map((r) => r.wallMs));
  result.cpuMs = result.timedOut ? null : median(result.runs.map((r) => r.cpuMs));
  return result;
}
