// The JSON pieces kept between versions (features/diagnostics-json.ts) must give, byte for byte,
// what JSON.stringify gives for toDiagnostics(): the server writes them straight to the client.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, parseDocument, rereadSourceLine } from '../../server/src/document';
import { applyFix } from '../../server/src/table/fix-edits';
import { toDiagnostics, type DiagnosticOptions } from '../../server/src/features/diagnostics';
import { DiagnosticJsonCache, type DiagnosticList } from '../../server/src/features/diagnostics-json';
import type { ResolvedFinding } from '../../server/src/analysis/runner';
import { CORPUS_DIR, corpusFiles } from '../helpers';
import { generateTableSource } from '../generate-table';
import { emptyPlatform } from '../../server/src/analysis/platform';

const URI = 'file:///tables/DMAR.dsl';
const PROLIANT = path.join(CORPUS_DIR, 'Server_Hewlett-Packard_ProLiant_ProLiant_DL380e_Gen8_CB05571909C8.dsl');

function bytesOf(list: DiagnosticList, bufferSize = 1024, before = '', after = ''): string {
  const buffers = [Buffer.alloc(bufferSize), Buffer.alloc(bufferSize)];
  const parts: Buffer[] = [];
  // Copies: the generator fills its two buffers in turn.
  for (const chunk of list.chunks(buffers, before, after)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

function expected(findings: readonly ResolvedFinding[], version: number, options: DiagnosticOptions = {}, uri = URI): string {
  return JSON.stringify(toDiagnostics(findings, uri, version, options));
}

function findingsOf(text: string, name = 'DMAR.dsl'): ResolvedFinding[] {
  return analyzeDocument(parseDocument(name, text));
}

/** `text` with the character at `line`:`character` replaced. */
function replaceAt(text: string, line: number, character: number, ch: string): string {
  const lines = text.split('\n');
  lines[line] = lines[line]!.slice(0, character) + ch + lines[line]!.slice(character + 1);
  return lines.join('\n');
}

describe('diagnostics as JSON pieces', () => {
  it('gives JSON.stringify\'s bytes for every source of the corpus, with and without related information', () => {
    for (const file of corpusFiles('.dsl')) {
      const findings = findingsOf(fs.readFileSync(file, 'latin1'), path.basename(file));
      for (const relatedInformation of [true, false]) {
        const list = new DiagnosticJsonCache().list(findings, URI, 3, { relatedInformation });
        const want = expected(findings, 3, { relatedInformation });
        assert.equal(bytesOf(list, 4096), want, path.basename(file));
        assert.equal(list.byteLength(), Buffer.byteLength(want), path.basename(file));
        assert.equal(JSON.stringify(list), want, 'toJSON gives the plain array');
      }
    }
  });

  it('wraps the list in what comes before and after it, in one chunk when it all fits', () => {
    const findings = findingsOf(fs.readFileSync(PROLIANT, 'latin1'));
    const list = new DiagnosticJsonCache().list(findings, URI, 1);
    const message = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: URI, version: 1, diagnostics: toDiagnostics(findings, URI, 1) } };
    const json = JSON.stringify(message);
    const at = json.indexOf('"diagnostics":[') + '"diagnostics":'.length;
    const before = json.slice(0, at);
    const after = '}}';
    const buffers = [Buffer.alloc(1 << 20), Buffer.alloc(1 << 20)];
    const chunks = [...list.chunks(buffers, before, after)].map((c) => Buffer.from(c));
    assert.equal(chunks.length, 1);
    assert.equal(chunks[0]!.toString('utf8'), json);
    // Small buffers: many chunks, pieces longer than a buffer, the end in a chunk of its own.
    for (const size of [1, 16, 300, 2000]) assert.equal(bytesOf(list, size, before, after), json, `buffers of ${size} bytes`);
  });

  it('reuses the JSON of unchanged findings across versions and still gives JSON.stringify\'s bytes', () => {
    const text = fs.readFileSync(PROLIANT, 'latin1');
    const lines = text.split('\n');
    const limitLine = lines.findIndex((l) => l.includes('End Address (limit)'));
    const character = lines[limitLine]!.length - 4;
    const digit = lines[limitLine]![character]!;
    const flipped = (parseInt(digit, 16) ^ 1).toString(16).toUpperCase();
    const versions = [
      text,
      replaceAt(text, limitLine, character, flipped),
      text,
      // A finding more at the top (a broken checksum) shifts every index after it.
      text.replace(/Checksum : \w\w/, 'Checksum : 00'),
      // Findings that change their range: a line inserted above them.
      text.replace('[000h 0000   4]', '\n[000h 0000   4]'),
      text,
      '',
    ];
    const cache = new DiagnosticJsonCache();
    for (const [i, version] of versions.entries()) {
      const findings = findingsOf(version);
      for (const relatedInformation of [true, false]) {
        const list = cache.list(findings, URI, i + 1, { relatedInformation });
        const want = expected(findings, i + 1, { relatedInformation });
        assert.equal(bytesOf(list), want, `version ${i + 1}, relatedInformation ${relatedInformation}`);
        assert.equal(list.byteLength(), Buffer.byteLength(want));
      }
    }
    // Another document name: the related locations carry it.
    const findings = findingsOf(text);
    assert.equal(bytesOf(cache.list(findings, 'file:///other.dsl', 9)), expected(findings, 9, {}, 'file:///other.dsl'));
  });

  it('gives the same bytes across one-character edits of 1,000 RMRRs', () => {
    const text = generateTableSource(1000);
    const lines = text.split('\n');
    const limitLine = lines.findIndex((l) => l.includes('End Address (limit)'));
    const character = lines[limitLine]!.length - 4;
    const cache = new DiagnosticJsonCache();
    let current = text;
    for (let v = 1; v <= 4; v++) {
      const findings = findingsOf(current);
      assert.equal(bytesOf(cache.list(findings, URI, v), 64 * 1024), expected(findings, v));
      current = replaceAt(current, limitLine, character, v % 2 ? '1' : '0');
    }
  });

  it('gives new bytes when a locked device\'s message changes at the same range (a class annotation)', () => {
    // Findings compared part by part (rmrr-locks-passthrough's sameMessageAs): the same RMRR and
    // scope, the device described anew and another ending once its class is known.
    const doc = parseDocument('DMAR.dsl', generateTableSource(20));
    const annotated = emptyPlatform();
    (annotated.annotations as Map<string, { class: number }>).set('01:00.1', { class: 0x020000 });
    const cache = new DiagnosticJsonCache();
    for (const [v, platform] of [emptyPlatform(), annotated, emptyPlatform(), emptyPlatform()].entries()) {
      const findings = analyzeDocument(doc, { platform });
      assert.ok(findings.some((f) => f.message.includes('01:00.1')));
      for (const relatedInformation of [true, false]) {
        assert.equal(bytesOf(cache.list(findings, URI, v + 1, { relatedInformation }), 4096), expected(findings, v + 1, { relatedInformation }), `version ${v + 1}`);
      }
    }
  });

  it('makes the related locations it cannot tell are the same: a finding\'s assigned ones', () => {
    const doc = parseDocument('DMAR.dsl', generateTableSource(3));
    const cache = new DiagnosticJsonCache();
    const first = analyzeDocument(doc);
    assert.equal(bytesOf(cache.list(first, URI, 1)), expected(first, 1));
    const second = analyzeDocument(doc);
    const locked = second.find((f) => f.rule === 'rmrr-locks-passthrough')!;
    locked.related = [{ message: 'somewhere else', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } } }];
    assert.equal(bytesOf(cache.list(second, URI, 2)), expected(second, 2));
    assert.ok(bytesOf(cache.list(second, URI, 2)).includes('somewhere else'));
  });

  it('keeps the previous version\'s locked-device findings where they stand for the new ones, fixes and all', () => {
    const text = generateTableSource(30);
    const lines = text.split('\n');
    const limitLine = lines.findIndex((l) => l.includes('End Address (limit)'));
    const character = lines[limitLine]!.length - 4;
    const edited = replaceAt(text, limitLine, character, '1');
    const offsets = [0];
    for (let at = edited.indexOf('\n'); at >= 0; at = edited.indexOf('\n', at + 1)) offsets.push(at + 1);
    const before = parseDocument('DMAR.dsl', text);
    // Re-read as the server does: the other structures are the same objects.
    const after = rereadSourceLine(before, edited, limitLine, (l) => offsets[l]!)!;
    assert.ok(after);
    const cache = new DiagnosticJsonCache();
    const first = analyzeDocument(before);
    cache.list(first, URI, 1);
    const fresh = analyzeDocument(after);
    const second = fresh.slice();
    assert.equal(bytesOf(cache.list(second, URI, 2), 4096), expected(fresh, 2));
    const kept = second.filter((f, i) => f !== fresh[i]);
    // Every locked device but the one of the edited RMRR.
    assert.equal(kept.length, fresh.filter((f) => f.rule === 'rmrr-locks-passthrough').length - 1);
    for (const [i, f] of second.entries()) {
      if (f === fresh[i]) continue;
      assert.ok(first.includes(f), 'a kept finding is one of the previous version');
      const want = fresh[i]!;
      assert.deepEqual({ ...f, related: f.related, fixes: undefined }, { ...want, related: want.related, fixes: undefined });
      assert.deepEqual(f.fixes!.map((x) => x.title), want.fixes!.map((x) => x.title));
      for (const [k, fix] of f.fixes!.entries()) assert.deepEqual(applyFix(after.table, fix), applyFix(after.table, want.fixes![k]!));
    }
    // A finding whose fixes were assigned is its own.
    const fourth = analyzeDocument(after);
    const assigned = fourth.findIndex((f) => f.rule === 'rmrr-locks-passthrough');
    fourth[assigned]!.fixes = [];
    const mine = fourth[assigned];
    cache.list(fourth, URI, 3);
    assert.equal(fourth[assigned], mine);
    assert.equal(fourth[assigned + 1]!.rule, 'rmrr-locks-passthrough');
    assert.ok(second.includes(fourth[assigned + 1]!), 'the next one is kept from the version before');
    // Another severity: no piece of the previous version fits, nothing is kept.
    const third = analyzeDocument(after, { severities: { 'rmrr-locks-passthrough': 'error' } });
    const listed = third.slice();
    assert.equal(bytesOf(cache.list(listed, URI, 4), 4096), expected(third, 4));
    assert.ok(listed.every((f, i) => f === third[i]));
  });

  it('tells apart messages of the same length, built by concatenation, at the same rule and range', () => {
    const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } };
    const tail = ' is what this message says, at some length so that the string is built in parts.';
    const cache = new DiagnosticJsonCache();
    for (const [v, word] of ['first', 'other', 'other', 'first'].entries()) {
      const findings: ResolvedFinding[] = [{ rule: 'syntax', severity: 'warning', message: 'The ' + word + tail, range }];
      assert.equal(bytesOf(cache.list(findings, URI, v + 1)), expected(findings, v + 1), `version ${v + 1}`);
    }
  });

  it('counts UTF-8 bytes and escapes as JSON.stringify does: quotes, control characters, non-ASCII, lone surrogates', () => {
    const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 5 } });
    const findings: ResolvedFinding[] = [
      { rule: 'syntax', severity: 'error', message: 'a "quoted" \\ back\tslash\nnew line \u0001', range: range(0) },
      { rule: 'syntax', severity: 'warning', message: 'Grüße — 日本 🙂', range: range(1), related: [{ message: 'über', range: range(2) }, { message: 'no range' }] },
      { rule: 'syntax', severity: 'info', message: 'lone \ud800 surrogate \udfff', range: undefined },
      { rule: 'andd-name', severity: 'hint', message: '', range: range(3), related: [] },
    ];
    const cache = new DiagnosticJsonCache();
    for (const v of [1, 2]) {
      const list = cache.list(findings, 'file:///tmp/t%C3%BC.dsl', v);
      const want = expected(findings, v, {}, 'file:///tmp/t%C3%BC.dsl');
      for (const size of [1, 7, 64, 4096]) assert.equal(bytesOf(list, size), want);
      assert.equal(list.byteLength(), Buffer.byteLength(want));
    }
    // Findings added in front of the others (more than are looked for near their old places),
    // removed again, and reordered.
    const many: ResolvedFinding[] = Array.from({ length: 50 }, (_, i) => ({ rule: 'syntax', severity: 'warning', message: `finding ${i}`, range: range(i) }));
    const added = Array.from({ length: 12 }, (_, i) => ({ rule: 'syntax', severity: 'error' as const, message: `new ${i}`, range: range(100 + i) }));
    for (const [v, version] of [many, [...added, ...many], many, [...many].reverse(), [...many.slice(25), ...added, ...many.slice(0, 25)]].entries()) {
      const copies = version.map((f) => ({ ...f }));
      assert.equal(bytesOf(cache.list(copies, URI, 10 + v), 256), expected(copies, 10 + v), `version ${v}`);
    }
    const empty = cache.list([], URI, 3);
    assert.equal(bytesOf(empty), '[]');
    assert.equal(empty.byteLength(), 2);
  });
});
