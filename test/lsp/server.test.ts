// The bundled server (dist/server.js) over stdio, as Neovim, Emacs or Helix start it: diagnostics,
// hover, code actions round-tripped through didChange, outline, completion, formatting, settings,
// binaries, hostile inputs, custom requests, shutdown. `npm test` builds the bundle first.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type {
  CodeAction, CompletionItem, Diagnostic, DocumentSymbol, Hover, InitializeResult, TextEdit,
} from 'vscode-languageserver-protocol';
import { CORPUS_DIR, INCLUDE_ALL_DRHD, dmarSource, lineOf, rmrrSource } from '../helpers';
import { applyTextEdits } from '../../server/src/table/fix-edits';
import { RULES_BY_ID } from '../../server/src/analysis/rules';
import { DEFAULT_CAPABILITIES, LspClient } from './client';

const PROLIANT = path.join(CORPUS_DIR, 'Server_Hewlett-Packard_ProLiant_ProLiant_DL380e_Gen8_CB05571909C8.dsl');
const PROLIANT_URI = pathToFileURL(PROLIANT).href;
const CLIENT_BINARY = path.join(CORPUS_DIR, 'All_In_One_Acer_Aspire_Aspire_Z3-715_9F6A5601CE04.dat');
const FIFTY_MIB = 50 * 1024 * 1024;

const binaryUri = (file: string) => `dmar-binary:${pathToFileURL(file).pathname}`;
const markdown = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? '';

describe('the language server over stdio', () => {
  let client: LspClient;
  let initialized: InitializeResult;
  let scratch: string;
  let proliant: string;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-lsp-'));
    ({ client, initialized } = await LspClient.start({ rootPath: scratch }));
    proliant = fs.readFileSync(PROLIANT, 'latin1');
  });

  after(() => {
    client?.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('announces the features it serves', () => {
    const caps = initialized.capabilities;
    assert.equal(initialized.serverInfo?.name, 'dmar-language-server');
    for (const key of ['hoverProvider', 'completionProvider', 'definitionProvider', 'documentSymbolProvider', 'foldingRangeProvider',
      'selectionRangeProvider', 'documentFormattingProvider', 'inlayHintProvider', 'codeLensProvider', 'codeActionProvider'] as const) {
      assert.ok(caps[key], key);
    }
    assert.equal(caps.diagnosticProvider, undefined, 'this client did not announce pull diagnostics');
  });

  it('publishes diagnostics with rule ids for an HP ProLiant table whose RMRRs name NIC and RAID endpoints', async () => {
    await client.open(PROLIANT_URI, 'dmar', proliant);
    const diagnostics = await client.waitForDiagnostics(PROLIANT_URI);
    const codes = new Set(diagnostics.map((d) => String(d.code)));
    for (const d of diagnostics) {
      assert.ok(RULES_BY_ID.has(String(d.code)), `unknown rule id ${d.code}`);
      assert.equal(d.source, 'dmar');
      assert.ok(d.codeDescription?.href.endsWith(`/${d.code}.md`));
    }
    // Seven RMRRs name the four functions of the embedded NIC behind root port 00:1c.4, the cards in
    // the slots behind 00:01.0 and 00:01.1 and the iLO functions behind 00:1c.7: all locked out.
    assert.ok(codes.has('rmrr-locks-passthrough'), [...codes].join(', '));
    const locked = diagnostics.filter((d) => d.code === 'rmrr-locks-passthrough').map((d) => d.message);
    for (const device of ['00:1c.4/00.0', '00:1c.4/00.3', '00:01.0/00.0', '00:1c.7/00.0']) assert.ok(locked.some((m) => m.includes(device)), device);
    assert.ok(codes.has('rmrr-shared'));
    const lock = diagnostics.find((d) => d.code === 'rmrr-locks-passthrough')!;
    assert.equal(lock.relatedInformation?.[0]?.location.uri, PROLIANT_URI);
  });

  it('hovers on an RMRR with its range, its devices and what each OS does with them', async () => {
    const line = lineOf(proliant, 'Subtable Type : 0001');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: PROLIANT_URI }, position: { line, character: 40 } });
    const value = markdown(hover);
    assert.match(value, /### RMRR 0x7DFFD000-0x7DFFFFFF \(12 KiB\)/);
    assert.match(value, /\*\*Devices\*\* \(2 devices\)/);
    assert.match(value, /Hyper-V DDA/);
  });

  it('offers code actions whose edits, applied and sent back, remove the diagnostic', async () => {
    const diagnostics = await client.waitForDiagnostics(PROLIANT_URI);
    const target = diagnostics.find((d) => d.code === 'rmrr-locks-passthrough')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: PROLIANT_URI }, range: target.range, context: { diagnostics: [target], only: ['quickfix'] },
    });
    assert.ok(actions.length > 0);
    const fix = actions.find((a) => a.isPreferred) ?? actions[0]!;
    assert.equal(fix.kind, 'quickfix');
    assert.deepEqual(fix.diagnostics, [target]);
    const edits = fix.edit!.changes![PROLIANT_URI]!;
    const same = (d: Diagnostic) => d.code === target.code && d.message === target.message;
    const before = diagnostics.filter(same).length;
    await client.change(PROLIANT_URI, applyTextEdits(client.text(PROLIANT_URI), edits));
    const after = await client.waitForDiagnostics(PROLIANT_URI);
    assert.equal(after.filter(same).length, before - 1, fix.title);
    assert.ok(!after.some((d) => d.code === 'syntax' || d.code === 'field-order'));
  });

  it('offers fix-all for the safe fixes', async () => {
    const broken = client.text(PROLIANT_URI).replace(/Checksum : \w\w/, 'Checksum : 00');
    await client.change(PROLIANT_URI, broken);
    const diagnostics = await client.waitForDiagnostics(PROLIANT_URI);
    assert.ok(diagnostics.some((d) => d.code === 'checksum-mismatch'));
    const [fixAll] = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: PROLIANT_URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(fixAll!.kind, 'source.fixAll.dmar');
    assert.ok(fixAll!.edit, 'a client without codeAction/resolve gets the edit at once');
    await client.change(PROLIANT_URI, applyTextEdits(broken, fixAll!.edit!.changes![PROLIANT_URI]!));
    assert.ok(!(await client.waitForDiagnostics(PROLIANT_URI)).some((d) => d.code === 'checksum-mismatch'));
  });

  it('settles a burst of edits on the last version, never publishing an older one after a newer', async () => {
    const text = client.text(PROLIANT_URI);
    const published = () => client.published.get(PROLIANT_URI) ?? [];
    const from = published().length;
    for (let i = 0; i < 20; i++) await client.change(PROLIANT_URI, text + `\n// edit ${i}\n`);
    await client.change(PROLIANT_URI, text);
    await client.waitForDiagnostics(PROLIANT_URI);
    const versions = published().slice(from).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(versions[versions.length - 1], client.version(PROLIANT_URI));
  });

  it('gives the outline', async () => {
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: PROLIANT_URI } });
    const rmrr = symbols.find((s) => s.name === 'RMRR 0x7DFFD000-0x7DFFFFFF (12 KiB)');
    assert.ok(rmrr, symbols.map((s) => s.name).join('\n'));
    assert.deepEqual(rmrr.children!.map((c) => c.name), ['00:1d.0 (PCI Endpoint)', '00:1a.0 (PCI Endpoint)']);
    assert.ok(symbols.some((s) => s.name === 'DRHD 0xBEFFE000 (INCLUDE_PCI_ALL)'));
  });

  it('completes the next field and the scope types', async () => {
    const text = client.text(PROLIANT_URI);
    const line = lineOf(text, 'End Address (limit)') + 1;
    const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: PROLIANT_URI }, position: { line, character: 0 } });
    assert.deepEqual(items.map((i) => i.label), ['Device Scope Type', 'Device scope']);
    assert.match(items[0]!.textEdit!.newText, /^\[100h 0256   1\]            Device Scope Type : \$\{1\|01,02,03,04,05\|\}$/);
  });

  it('formats a misaligned table back to iasl\'s alignment', async () => {
    const current = client.text(PROLIANT_URI);
    // iasl's own output is aligned; one line pushed out of place comes back with one edit.
    const messy = proliant.replace('[0F0h 0240   8]                 Base Address : 000000007DFFD000', '[0F0h 0240 8]  Base Address :   000000007DFFD000');
    assert.notEqual(messy, proliant);
    await client.change(PROLIANT_URI, messy);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: PROLIANT_URI }, options: { tabSize: 4, insertSpaces: true } });
    assert.equal(edits.length, 1);
    assert.equal(applyTextEdits(messy, edits), proliant);
    await client.change(PROLIANT_URI, current);
  });

  it('follows the client\'s settings and says once when a platform file cannot be read', async () => {
    client.settings = { rules: { 'rmrr-locks-passthrough': 'off' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForDiagnostics(PROLIANT_URI, (p) => p.version === client.version(PROLIANT_URI) && !p.diagnostics.some((d) => d.code === 'rmrr-locks-passthrough') && p.diagnostics.length > 0);

    client.settings = { pci: path.join(scratch, 'missing-lspci.txt') };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor(() => client.shownMessages.some((m) => m.includes('missing-lspci.txt') && m.includes('cannot read')), 'the settings warning');
    await client.waitForDiagnostics(PROLIANT_URI, (p) => p.version === client.version(PROLIANT_URI) && p.diagnostics.some((d) => d.code === 'rmrr-locks-passthrough'));
    assert.equal(client.shownMessages.filter((m) => m.includes('missing-lspci.txt')).length, 1);
    assert.ok(client.registrations.some((r) => (r as { method: string }).method === 'workspace/didChangeWatchedFiles'));

    client.settings = {};
    await client.notify('workspace/didChangeConfiguration', { settings: null });
  });

  it('finds .dmarrc.json above the table and reloads it when the client reports a change', async () => {
    const project = path.join(scratch, 'project');
    fs.mkdirSync(path.join(project, 'tables'), { recursive: true });
    const config = path.join(project, '.dmarrc.json');
    fs.writeFileSync(config, JSON.stringify({ rules: { 'rmrr-locks-passthrough': 'off' } }));
    const uri = pathToFileURL(path.join(project, 'tables', 'DMAR.dsl')).href;
    await client.open(uri, 'dmar', dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF', ['1F,06'])));
    const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code));
    assert.ok(!codes(await client.waitForDiagnostics(uri)).includes('rmrr-locks-passthrough'));

    const changed = (accept: (codes: string[]) => boolean) => client.waitForDiagnostics(uri, (p) => accept(codes(p.diagnostics)));
    fs.writeFileSync(config, JSON.stringify({ maxFileSize: 100 }));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    await changed((c) => c.length === 1 && c[0] === 'file-too-large');

    fs.writeFileSync(config, '{}');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(config).href, type: 2 }] });
    await changed((c) => c.includes('rmrr-locks-passthrough'));
    await client.close(uri);
  });

  it('serves *.dmar.json documents and leaves other JSON alone', async () => {
    const { text: json } = await client.request<{ text: string }>('dmar/exportJson', { uri: PROLIANT_URI });
    const uri = pathToFileURL(path.join(scratch, 'proliant.dmar.json')).href;
    await client.open(uri, 'json', json);
    const diagnostics = await client.waitForDiagnostics(uri);
    assert.ok(diagnostics.some((d) => d.code === 'rmrr-locks-passthrough'));
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.some((s) => s.name === 'RMRR 0x7DFFD000-0x7DFFFFFF (12 KiB)'));
    const line = lineOf(json, '"rmrr"');
    assert.match(markdown(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: json.split('\n')[line]!.indexOf('rmrr') } })), /### RMRR/);
    await client.close(uri);

    const other = pathToFileURL(path.join(scratch, 'package.json')).href;
    await client.open(other, 'json', '{ "name": "x" }');
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: other }, position: { line: 0, character: 4 } }), null);
    await client.close(other);
  });

  it('reads a dmar-binary document from disk and diagnoses its listing', async () => {
    const uri = binaryUri(CLIENT_BINARY);
    await client.open(uri, 'dmar', 'whatever the client shows; the server reads the file');
    const diagnostics = await client.waitForDiagnostics(uri);
    const { text } = await client.request<{ text: string }>('dmar/decompile', { uri });
    const lines = text.split('\n');
    assert.match(text, /Subtable Type : 0001 \[Reserved Memory Region\]/);
    for (const d of diagnostics) assert.ok(d.range.end.line < lines.length);
    const rmrrLine = lineOf(text, 'Subtable Type : 0001');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: rmrrLine, character: 30 } });
    assert.match(markdown(hover), /### RMRR 0x/);
    const actions = await client.request<CodeAction[] | null>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics } });
    assert.deepEqual(actions ?? [], [], 'a binary listing is read-only');
    const formatting = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    assert.deepEqual(formatting ?? [], []);
    await client.close(uri);
  });

  it('survives binaries of random bytes', async () => {
    for (const [name, bytes] of [['random.dat', randomBytes(64 * 1024)], ['random-dmar.dat', Buffer.concat([Buffer.from('DMAR'), randomBytes(4096)])]] as const) {
      const file = path.join(scratch, name);
      fs.writeFileSync(file, bytes);
      const uri = binaryUri(file);
      await client.open(uri, 'dmar', '');
      await client.waitForDiagnostics(uri);
      await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 20, character: 10 } });
      await client.close(uri);
    }
  });

  it('answers a 50 MB document with one file-too-large warning and nothing else, and keeps serving', async () => {
    const uri = pathToFileURL(path.join(scratch, 'huge.dsl')).href;
    const line = '[000h 0000   4]                    Signature : "DMAR"\n';
    await client.open(uri, 'dmar', line.repeat(Math.ceil(FIFTY_MIB / line.length)));
    const diagnostics = await client.waitForDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => d.code), ['file-too-large']);
    assert.match(diagnostics[0]!.message, /dmar\.maxFileSize/);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 30 } }), null);
    await client.close(uri);

    const big = path.join(scratch, 'huge.dat');
    fs.writeFileSync(big, Buffer.alloc(FIFTY_MIB));
    const bigUri = binaryUri(big);
    await client.open(bigUri, 'dmar', '');
    assert.deepEqual((await client.waitForDiagnostics(bigUri)).map((d) => d.code), ['file-too-large']);
    await assert.rejects(client.request('dmar/decompile', { uri: bigUri }), /maxFileSize/);
    await client.close(bigUri);

    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: PROLIANT_URI }, position: { line: lineOf(client.text(PROLIANT_URI), 'Subtable Type : 0001'), character: 40 } });
    assert.match(markdown(hover), /### RMRR/);
  });

  it('exports JSON, decompiles and compiles through custom requests', async () => {
    const { text: json } = await client.request<{ text: string }>('dmar/exportJson', { uri: PROLIANT_URI });
    assert.ok((JSON.parse(json) as { structures: unknown[] }).structures.length > 10);
    const { text: source } = await client.request<{ text: string }>('dmar/decompile', { uri: PROLIANT_URI });
    assert.match(source, /DMAR table printed from/);

    const file = path.join(scratch, 'small.dsl');
    fs.writeFileSync(file, dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000008C587000', '000000008C5A6FFF')));
    const compiled = await client.request<{ outputPath: string; bytes: number }>('dmar/compile', { uri: pathToFileURL(file).href });
    assert.equal(compiled.outputPath, path.join(scratch, 'small.aml'));
    const bytes = fs.readFileSync(compiled.outputPath);
    assert.equal(bytes.length, compiled.bytes);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'DMAR');
    assert.equal(bytes.readUInt32LE(4), bytes.length);

    fs.writeFileSync(file, 'Signature : "DMAR"\nTable Length : XYZ\n');
    await assert.rejects(client.request('dmar/compile', { uri: pathToFileURL(file).href, outputPath: 'out.aml' }), /Cannot compile small\.dsl/);
  });

  it('shuts down and exits cleanly', async () => {
    assert.equal(await client.stop(), 0);
  });
});

describe('the language server with pull diagnostics', () => {
  let client: LspClient;
  let initialized: InitializeResult;

  before(async () => {
    const textDocument = {
      ...DEFAULT_CAPABILITIES.textDocument,
      diagnostic: { dynamicRegistration: false },
      codeAction: { ...DEFAULT_CAPABILITIES.textDocument!.codeAction, resolveSupport: { properties: ['edit'] } },
    };
    const capabilities = { ...DEFAULT_CAPABILITIES, textDocument };
    ({ client, initialized } = await LspClient.start({ capabilities }));
  });

  after(() => client?.kill());

  it('answers textDocument/diagnostic and pushes nothing', async () => {
    assert.equal((initialized.capabilities.diagnosticProvider as { identifier?: string } | undefined)?.identifier, 'dmar');
    await client.open(PROLIANT_URI, 'dmar', fs.readFileSync(PROLIANT, 'latin1'));
    const report = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: PROLIANT_URI } });
    assert.equal(report.kind, 'full');
    assert.ok(report.items.some((d) => d.code === 'rmrr-locks-passthrough'));
    assert.equal(client.published.get(PROLIANT_URI), undefined);
  });

  it('leaves the fix-all edit to codeAction/resolve when the client can resolve', async () => {
    const broken = fs.readFileSync(PROLIANT, 'latin1').replace(/Checksum : \w\w/, 'Checksum : 00');
    await client.change(PROLIANT_URI, broken);
    const [fixAll] = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: PROLIANT_URI }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll.dmar'] },
    });
    assert.equal(fixAll!.edit, undefined);
    const resolved = await client.request<CodeAction>('codeAction/resolve', fixAll);
    const fixed = applyTextEdits(broken, resolved.edit!.changes![PROLIANT_URI]!);
    assert.match(fixed, /Checksum : 38/);
    assert.equal(await client.stop(), 0);
  });
});
