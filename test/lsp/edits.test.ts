// Incremental edits over stdio: the server re-reads only the structure around a one-line edit,
// keeps the JSON of unchanged diagnostics between versions and analyses right after a change, so
// these tests hold it to what a fresh read of the same text gives, whatever the edit, and to
// publishing the newest version last.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { CORPUS_DIR } from '../helpers';
import { generateTableSource } from '../generate-table';
import { DEFAULT_CAPABILITIES, LspClient } from './client';

const PROLIANT = path.join(CORPUS_DIR, 'Server_Hewlett-Packard_ProLiant_ProLiant_DL380e_Gen8_CB05571909C8.dsl');

/** What must not differ between two documents with the same text: all but the URI and the version. */
function comparable(diagnostics: Diagnostic[]): unknown[] {
  return diagnostics.map((d) => ({
    ...d,
    data: { ...(d.data as object), version: 0 },
    relatedInformation: d.relatedInformation?.map((r) => ({ ...r, location: { ...r.location, uri: '' } })),
  }));
}

/** A change replacing text[from, to) of `text` with `newText`. */
function replace(text: string, from: number, to: number, newText: string): TextDocumentContentChangeEvent {
  const document = TextDocument.create('file:///x', 'dmar', 0, text);
  return { range: { start: document.positionAt(from), end: document.positionAt(to) }, text: newText };
}

/** A change replacing `length` characters at `delta` after the first `needle` (after `after`, when given). */
function at(text: string, needle: string, delta: number, length: number, newText: string, afterNeedle?: string): TextDocumentContentChangeEvent {
  const start = afterNeedle ? text.indexOf(afterNeedle) : 0;
  const i = text.indexOf(needle, start);
  assert.ok(i >= 0 && start >= 0, `${needle} not in the text`);
  return replace(text, i + delta, i + delta + length, newText);
}

/** A change replacing the whole line (with its line feed) that holds `needle` after `afterNeedle`. */
function wholeLine(text: string, needle: string, afterNeedle: string, newText: string): TextDocumentContentChangeEvent {
  const i = text.indexOf(needle, text.indexOf(afterNeedle));
  assert.ok(i >= 0, `${needle} not in the text`);
  const start = text.lastIndexOf('\n', i) + 1;
  return replace(text, start, text.indexOf('\n', i) + 1, newText);
}

describe('incremental edits over stdio', () => {
  let client: LspClient;
  let scratch: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-edits-'));
    ({ client } = await LspClient.start({ rootPath: scratch }));
  });

  after(() => {
    client?.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * Opens `text`, gives it each step's incremental changes, and after every step compares its
   * diagnostics with those of a document opened with the text it has then (read whole, and
   * published without anything kept from an earlier version).
   */
  async function editInLockstep(name: string, text: string, steps: [string, (text: string) => TextDocumentContentChangeEvent[]][]): Promise<void> {
    const edited = pathToFileURL(path.join(scratch, `${name}.dsl`)).href;
    await client.open(edited, 'dmar', text);
    await client.waitForDiagnostics(edited);
    for (const [i, [what, changes]] of steps.entries()) {
      await client.edit(edited, changes(client.text(edited)));
      const got = await client.waitForDiagnostics(edited);
      const fresh = pathToFileURL(path.join(scratch, `${name}-${i}.dsl`)).href;
      await client.open(fresh, 'dmar', client.text(edited));
      assert.deepEqual(comparable(got), comparable(await client.waitForDiagnostics(fresh)), what);
      await client.close(fresh);
    }
    await client.close(edited);
  }

  it('gives the diagnostics of a fresh read after one-line, multi-line and structure-splitting edits', async () => {
    // The first RMRR's limit, 000000007DFFFFFF: LIMIT + 12 is its 4-KiB-page digit.
    const LIMIT = 'End Address (limit) : ';
    const digit = (k: number, ch: string) => (t: string) => [at(t, LIMIT, LIMIT.length + k, 1, ch)];
    await editInLockstep('proliant', fs.readFileSync(PROLIANT, 'latin1'), [
      ['a digit of a limit', digit(12, 'E')],
      ['the digit again (the same findings, a new checksum in one message)', digit(12, 'D')],
      ['the digit back', digit(12, 'F')],
      ['a value that is not hex', digit(14, 'G')],
      ['the value back', digit(14, 'F')],
      ['a field name misspelt', (t) => [at(t, 'Base Address : 000000007DFFD000', 1, 1, 'z')]],
      ['the field name back', (t) => [at(t, 'Bzse Address : 000000007DFFD000', 1, 1, 'a')]],
      ['a comment opened in a line', (t) => [at(t, LIMIT, LIMIT.length + 16, 0, ' // was 7DFFEFFF')]],
      ['the comment removed', (t) => [at(t, ' // was 7DFFEFFF', 0, ' // was 7DFFEFFF'.length, '')]],
      ['an RMRR turned into a DRHD', (t) => [at(t, 'Subtable Type : 0001', 'Subtable Type : 000'.length, 1, '0')]],
      ['back to an RMRR', (t) => [at(t, 'Subtable Type : 0000 [Reserved Memory Region]', 'Subtable Type : 000'.length, 1, '1')]],
      ['a structure length changed', (t) => [at(t, 'Length : 0028', 'Length : 00'.length, 1, '3')]],
      ['the length back', (t) => [at(t, 'Length : 0038', 'Length : 00'.length, 1, '2')]],
      ['a line broken in two', (t) => [at(t, LIMIT, 'End Address'.length, 0, '\n')]],
      ['the line joined again', (t) => [at(t, 'End Address\n', 'End Address'.length, 1, '')]],
      ['a scope line deleted', (t) => [wholeLine(t, 'Entry Length : 08', LIMIT, '')]],
      ['a line cut in its middle and joined with the next', (t) => [at(t, 'Enumeration ID : 00', 0, 'Enumeration ID : 00\n'.length, '', LIMIT)]],
      ['a structure header line deleted (two structures become one)', (t) => [wholeLine(t, 'Subtable Type : 0001', LIMIT, '')]],
      ['two edits in one change on one line', (t) => [at(t, LIMIT, LIMIT.length + 15, 1, 'E'), at(t, LIMIT, LIMIT.length + 13, 1, 'E')]],
      ['two edits in one change on two lines', (t) => [at(t, LIMIT, LIMIT.length + 15, 1, 'F'), at(t, 'Base Address : ', 'Base Address : '.length + 11, 1, 'E')]],
      ['a range over two lines replaced without a line break', (t) => [at(t, 'Reserved : 0000\n', 'Reserved : 000'.length, 2, '0 ', LIMIT)]],
      ['an RMRR pasted twice', (t) => {
        const from = t.indexOf('[0E8h 0232   2]');
        const to = t.indexOf('[100h 0256   1]');
        assert.ok(from >= 0 && to > from);
        return [replace(t, from, from, t.slice(from, to) + t.slice(from, to))];
      }],
      ['a lone carriage return in a line (a line break for the editor, not for iasl)', (t) => [at(t, LIMIT, 5, 0, '\r')]],
      ['the carriage return removed', (t) => [at(t, '\r', 0, 1, '')]],
      ['a carriage return before a line feed', (t) => [at(t, LIMIT, LIMIT.length + 16, 0, '\r')]],
      ['text typed after the end', () => [{ range: { start: { line: 100000, character: 0 }, end: { line: 100000, character: 0 } }, text: 'x' }]],
      ['the checksum changed', (t) => [at(t, 'Checksum : 38', 'Checksum : 3'.length, 1, '9')]],
      ['everything replaced by a range over the whole text', (t) => [replace(t, 0, t.length, fs.readFileSync(PROLIANT, 'latin1'))]],
    ]);
  });

  it('gives the diagnostics of a fresh read after random one-character edits of 100 RMRRs', async () => {
    const text = generateTableSource(100);
    // Characters that keep a value, break it, open a comment or end a line.
    const alphabet = '0123456789ABCDEFabcdefGz :/[]\n';
    let seed = 12345;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const steps: [string, (t: string) => TextDocumentContentChangeEvent[]][] = [];
    for (let i = 0; i < 60; i++) {
      steps.push([`random edit ${i}`, (t) => {
        // Mostly values (the end of a line), where a one-line edit is read again structure by structure.
        let offset = random(t.length);
        if (random(4) > 0) {
          const lineEnd = t.indexOf('\n', offset);
          offset = Math.max(0, (lineEnd < 0 ? t.length : lineEnd) - 1 - random(4));
        }
        const ch = alphabet[random(alphabet.length)]!;
        return [replace(t, offset, Math.min(t.length, offset + (random(3) === 0 ? 0 : 1)), ch)];
      }]);
    }
    await editInLockstep('random', text, steps);
  });

  it('publishes only newer versions: a burst of edits on 1,000 RMRRs ends with the last version\'s diagnostics', async () => {
    const text = generateTableSource(1000);
    const uri = pathToFileURL(path.join(scratch, 'burst.dsl')).href;
    const fresh = pathToFileURL(path.join(scratch, 'burst-fresh.dsl')).href;
    await client.open(uri, 'dmar', text);
    const first = await client.waitForDiagnostics(uri);
    assert.ok(first.length >= 1000);
    const limit = text.indexOf('End Address (limit)');
    const lineEnd = text.indexOf('\n', limit);
    for (let i = 0; i < 30; i++) {
      const t = client.text(uri);
      void client.edit(uri, [replace(t, lineEnd - 4, lineEnd - 3, i % 2 ? '0' : '1')]);
    }
    const last = client.version(uri);
    const got = await client.waitForDiagnostics(uri, (p) => p.version === last);
    const versions = (client.published.get(uri) ?? []).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'no older version after a newer one');
    await client.open(fresh, 'dmar', client.text(uri));
    assert.deepEqual(comparable(got), comparable(await client.waitForDiagnostics(fresh)));
    await client.close(uri);
    await client.close(fresh);
  });
});

describe('related information', () => {
  it('is sent only to a client that announces it', async () => {
    const text = fs.readFileSync(PROLIANT, 'latin1');
    const uri = pathToFileURL(PROLIANT).href;
    for (const relatedInformation of [true, false]) {
      const capabilities = {
        ...DEFAULT_CAPABILITIES,
        textDocument: { ...DEFAULT_CAPABILITIES.textDocument, publishDiagnostics: { ...DEFAULT_CAPABILITIES.textDocument!.publishDiagnostics, relatedInformation } },
      };
      const { client } = await LspClient.start({ capabilities });
      try {
        await client.open(uri, 'dmar', text);
        const diagnostics = await client.waitForDiagnostics(uri);
        const lock = diagnostics.find((d) => d.code === 'rmrr-locks-passthrough')!;
        assert.equal(lock.relatedInformation !== undefined, relatedInformation);
        if (relatedInformation) assert.equal(lock.relatedInformation![0]!.location.uri, uri);
        assert.equal(await client.stop(), 0);
      } finally {
        client.kill();
      }
    }
  });
});

describe('pull diagnostics after incremental edits', () => {
  it('answers textDocument/diagnostic with what a fresh read gives', async () => {
    const capabilities = { ...DEFAULT_CAPABILITIES, textDocument: { ...DEFAULT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } };
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-pull-'));
    const { client } = await LspClient.start({ capabilities, rootPath: scratch });
    try {
      const text = generateTableSource(300);
      const uri = pathToFileURL(path.join(scratch, 'pull.dsl')).href;
      const fresh = pathToFileURL(path.join(scratch, 'pull-fresh.dsl')).href;
      const pull = (u: string) => client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: u } });
      await client.open(uri, 'dmar', text);
      assert.ok((await pull(uri)).items.length >= 300);
      const limit = text.indexOf('End Address (limit)');
      const lineEnd = text.indexOf('\n', limit);
      for (let i = 0; i < 5; i++) {
        await client.edit(uri, [replace(client.text(uri), lineEnd - 4, lineEnd - 3, i % 2 ? '0' : '1')]);
        // A request overtaken by a newer version is cancelled for the client to ask again.
        const answer = await pull(uri).catch((e: { code?: number }) => e);
        if ('code' in answer) assert.equal(answer.code, -32802);
      }
      await client.open(fresh, 'dmar', client.text(uri));
      assert.deepEqual(comparable((await pull(uri)).items), comparable((await pull(fresh)).items));
      assert.equal(client.published.get(uri), undefined, 'nothing pushed to a pulling client');
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
