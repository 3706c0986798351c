// A minimal LSP client over stdio (hand-written Content-Length framer, so every message gets the
// time its last byte arrived), and the server scenarios of the benchmark: cold start to first
// diagnostics, didChange -> diagnostics for that version, and the server's peak RSS.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { median, percentile } from './stats.mjs';

const now = () => process.hrtime.bigint();
const msSince = (t0, t1 = now()) => Number(t1 - t0) / 1e6;

export class LspClient {
  constructor(serverJs, { cwd, nodeArgs = [] } = {}) {
    this.spawnedAt = now();
    this.proc = spawn(process.execPath, [...nodeArgs, serverJs, '--stdio'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.proc.pid;
    this.nextId = 1;
    this.pending = new Map();
    this.waiters = [];
    this.chunks = [];
    this.avail = 0;
    this.bodyLen = -1;
    this.stderr = '';
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => { this.exitStatus = { code, signal }; resolve(); this.failAll(new Error(`server exited (${code ?? signal})${this.stderr ? `: ${this.stderr.slice(-500)}` : ''}`)); }));
    this.proc.stdout.on('data', (chunk) => this.onData(chunk, now()));
    this.proc.stderr.on('data', (d) => { if (this.stderr.length < 20000) this.stderr += d.toString('utf8'); });
    this.proc.stdin.on('error', () => { /* reported through exit */ });
  }

  onData(chunk, at) {
    this.chunks.push(chunk);
    this.avail += chunk.length;
    for (;;) {
      if (this.bodyLen < 0) {
        const buf = this.flatten();
        const sep = buf.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const m = /Content-Length:\s*(\d+)/i.exec(buf.toString('ascii', 0, sep));
        if (!m) throw new Error(`bad LSP header: ${buf.toString('ascii', 0, sep)}`);
        this.bodyLen = Number(m[1]);
        const rest = buf.subarray(sep + 4);
        this.chunks = [rest];
        this.avail = rest.length;
      }
      if (this.avail < this.bodyLen) return;
      const buf = this.flatten();
      const body = buf.subarray(0, this.bodyLen);
      const rest = buf.subarray(this.bodyLen);
      this.chunks = [rest];
      this.avail = rest.length;
      this.bodyLen = -1;
      this.dispatch(JSON.parse(body.toString('utf8')), at, body.length);
    }
  }

  flatten() {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.avail)];
    return this.chunks[0];
  }

  send(msg) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  dispatch(msg, at, bytes) {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      if (p) { this.pending.delete(msg.id); msg.error ? p.reject(new Error(`${p.method}: ${msg.error.message}`)) : p.resolve({ result: msg.result, at }); }
      return;
    }
    if (msg.id !== undefined) {
      // A request from the server: answer so it never waits on us.
      const result = msg.method === 'workspace/configuration' ? (msg.params?.items ?? []).map(() => null) : null;
      this.send({ id: msg.id, result });
      return;
    }
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (w.method === msg.method && w.predicate(msg.params)) {
        this.waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve({ params: msg.params, at, bytes });
        return;
      }
    }
  }

  failAll(error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const w of this.waiters) { clearTimeout(w.timer); w.reject(error); }
    this.waiters = [];
  }

  request(method, params) {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method }));
    this.send({ id, method, params });
    return promise;
  }

  notify(method, params) {
    this.send({ method, params });
  }

  /** Resolve with the next notification `method` whose params satisfy `predicate`. Register before sending. */
  waitFor(method, predicate, timeoutMs) {
    return new Promise((resolve, reject) => {
      const w = { method, predicate, resolve, reject };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** VmHWM / VmRSS of the server process in KiB (Linux). */
  memory() {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) || null;
      return { vmHwmKb: kb('VmHWM'), vmRssKb: kb('VmRSS') };
    } catch {
      return { vmHwmKb: null, vmRssKb: null };
    }
  }

  async close() {
    if (this.exitStatus) return;
    try {
      let timer;
      await Promise.race([this.request('shutdown', null), new Promise((r) => { timer = setTimeout(r, 3000); })]).finally(() => clearTimeout(timer));
      this.notify('exit', null);
    } catch { /* already gone */ }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

function syncKind(capabilities) {
  const s = capabilities?.textDocumentSync;
  if (typeof s === 'number') return s;
  return s?.change ?? 1;
}

/**
 * Start the server, initialize, open `file` and wait for its first diagnostics. Times are from
 * the spawn (so they include Node's own start) and from the initialize request.
 */
export async function openSession(serverJs, file, text, { timeoutMs = 60000, cwd, nodeArgs, initializationOptions } = {}) {
  const client = new LspClient(serverJs, { cwd, nodeArgs });
  const uri = pathToFileURL(file).href;
  const initSent = now();
  let timer;
  const init = await Promise.race([
    client.request('initialize', {
      processId: process.pid, rootUri: null, workspaceFolders: null, clientInfo: { name: 'dmar-bench' }, initializationOptions,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true }, synchronization: { didSave: false } } },
    }),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no initialize response within ${timeoutMs} ms`)), timeoutMs); }),
  ]).finally(() => clearTimeout(timer));
  client.notify('initialized', {});
  const diagnostics = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && (p.version === undefined || p.version === 1), timeoutMs);
  const openSent = now();
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dmar', version: 1, text } });
  const first = await diagnostics;
  return {
    client, uri, text, version: 1, sync: syncKind(init.result?.capabilities),
    versioned: first.params.version !== undefined,
    cold: {
      initializeMs: msSince(initSent, init.at),
      spawnToFirstDiagnosticsMs: msSince(client.spawnedAt, first.at),
      initializeToFirstDiagnosticsMs: msSince(initSent, first.at),
      openToFirstDiagnosticsMs: msSince(openSent, first.at),
      diagnostics: first.params.diagnostics.length,
      diagnosticsPayloadBytes: first.bytes,
    },
  };
}

/** `count` one-character edits, alternating `edit` and its undo, each timed to its diagnostics. */
export async function timeEdits(session, edit, count, { timeoutMs = 60000 } = {}) {
  const { client, uri } = session;
  const lines = session.text.split('\n');
  const latencies = [];
  const counts = [];
  const payload = [];
  for (let i = 0; i < count; i++) {
    const ch = i % 2 === 0 ? edit.replacement : edit.original;
    const line = lines[edit.line];
    lines[edit.line] = line.slice(0, edit.character) + ch + line.slice(edit.character + 1);
    const version = ++session.version;
    const change = session.sync === 2
      ? { range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.character + 1 } }, text: ch }
      : { text: lines.join('\n') };
    const got = client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && (!session.versioned || p.version === version), timeoutMs);
    const sent = now();
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    const { params, at, bytes } = await got;
    latencies.push(msSince(sent, at));
    counts.push(params.diagnostics.length);
    payload.push(bytes);
  }
  session.text = lines.join('\n');
  return {
    edits: count, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), medianMs: median(latencies),
    maxMs: Math.max(...latencies), minMs: Math.min(...latencies), diagnosticsMin: Math.min(...counts), diagnosticsMax: Math.max(...counts),
    diagnosticsPayloadBytes: median(payload),
  };
}

/**
 * A one-character edit that keeps the table's findings as they are: toggle the lowest bit of the
 * 4-KiB-page digit of an RMRR's limit or base (aligned either way), and keep the first candidate
 * whose rule ids and severities are unchanged. Any value edit makes the Checksum stale and, in an
 * iasl -d listing, the Raw Table Data block disagree (iasl recomputes the one and ignores the
 * other), so checksum-mismatch and raw-data-mismatch are left out of the comparison.
 */
const STALE_AFTER_ANY_EDIT = new Set(['checksum-mismatch', 'raw-data-mismatch']);

export function chooseEdit(text, fileName, { parseDocument, analyzeDocument }, maxCandidates = 40) {
  const signature = (findings) => findings.filter((f) => !STALE_AFTER_ANY_EDIT.has(f.rule)).map((f) => `${f.rule}:${f.severity}`).sort().join(',');
  const doc = parseDocument(fileName, text);
  const baseline = signature(analyzeDocument(doc));
  const lines = text.split('\n');
  let fallback;
  let tried = 0;
  for (const s of doc.table.structures) {
    if (s.kind !== 'rmrr') continue;
    for (const key of ['limit', 'base']) {
      const loc = s.loc.fields[key];
      if (loc?.line === undefined || loc.valueEnd === undefined) continue;
      const character = loc.valueEnd - 4;
      const original = lines[loc.line]?.[character];
      if (!original || !/[0-9A-Fa-f]/.test(original)) continue;
      let replacement = (parseInt(original, 16) ^ 1).toString(16);
      if (original === original.toUpperCase()) replacement = replacement.toUpperCase();
      const edit = { line: loc.line, character, original, replacement, field: key };
      fallback ??= edit;
      if (tried++ >= maxCandidates) return { ...fallback, keepsFindings: false };
      const edited = lines.slice();
      edited[loc.line] = edited[loc.line].slice(0, character) + replacement + edited[loc.line].slice(character + 1);
      if (signature(analyzeDocument(parseDocument(fileName, edited.join('\n')))) === baseline) return { ...edit, keepsFindings: true };
    }
  }
  return fallback ? { ...fallback, keepsFindings: false } : null;
}
