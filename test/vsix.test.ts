// The VS Code package: the client's pure helpers (which files are DMAR tables, what the server is
// told about settings, what the status bar says), then the VSIX itself, built by
// scripts/package-vsix.mjs in a scratch copy of the tree and checked entry by entry.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { builtinModules } from 'node:module';
import { hasDmarSignature, isDmarBinary, isBinaryCandidate, isSniffCandidate, jsonPathFor, listingPathFor, SIGNATURE_WINDOW } from '../client/src/detect';
import { explicitSection, explicitValue, pickSubsection, resolveSettingPath } from '../client/src/settings';
import { countFindings, statusText } from '../client/src/status-text';
import { ALL_RULES } from '../server/src/analysis/rules';
import { CORPUS_DIR, FIXTURES_DIR } from './helpers';

const ROOT = path.resolve(__dirname, '../..');

describe('DMAR signature sniffing', () => {
  test('finds the signature in every iasl dialect', () => {
    assert.ok(hasDmarSignature('Signature : "DMAR"\nTable Length : 00000050\n'));
    assert.ok(hasDmarSignature('[0004]                          Signature : "DMAR"    [DMA Remapping table]\n'));
    assert.ok(hasDmarSignature('/*\n * ACPI Data Table [DMAR]\n */\n\n[000h 0000   4]                    Signature : "DMAR"    [DMA Remapping table]\n'));
    assert.ok(hasDmarSignature('[000h 0000 004h]   Signature:"DMAR"\r\n'));
    assert.ok(hasDmarSignature('\tSignature\t:\t"DMAR"'));
  });

  test('leaves other tables and ASL code alone', () => {
    assert.equal(hasDmarSignature('[000h 0000   4]                    Signature : "APIC"    [Multiple APIC Description Table (MADT)]\n'), false);
    assert.equal(hasDmarSignature('DefinitionBlock ("", "DSDT", 2, "INTEL ", "DMAR", 0x00000000)\n{\n    Name (SIGN, "DMAR")\n}\n'), false);
    assert.equal(hasDmarSignature('// Signature : "DMAR"\n'), false, 'a commented-out line is not the table signature');
    assert.equal(hasDmarSignature('Signature : "DMARX"\n'), false);
    assert.equal(hasDmarSignature(' '.repeat(SIGNATURE_WINDOW) + '\nSignature : "DMAR"\n'), false, 'only the first 4 KB count');
    for (const madt of ['madt-laptop.dsl', 'madt-proliant.dsl']) {
      assert.equal(hasDmarSignature(fs.readFileSync(path.join(FIXTURES_DIR, 'context', madt), 'utf8')), false, madt);
    }
  });

  test('recognises every source and binary of the real corpus', { skip: !fs.existsSync(CORPUS_DIR) && 'no corpus' }, () => {
    const files = fs.readdirSync(CORPUS_DIR);
    const sources = files.filter((f) => f.endsWith('.dsl'));
    const binaries = files.filter((f) => f.endsWith('.dat'));
    assert.ok(sources.length > 200 && binaries.length > 200);
    const unseen = sources.filter((f) => !hasDmarSignature(fs.readFileSync(path.join(CORPUS_DIR, f), 'utf8')));
    assert.deepEqual(unseen, []);
    const notBinary = binaries.filter((f) => !isDmarBinary(fs.readFileSync(path.join(CORPUS_DIR, f)).subarray(0, 4)));
    assert.deepEqual(notBinary, []);
  });

  test('binary signature and file names', () => {
    assert.ok(isDmarBinary(Uint8Array.from([0x44, 0x4d, 0x41, 0x52, 0x50, 0])));
    assert.equal(isDmarBinary(Uint8Array.from([0x41, 0x50, 0x49, 0x43])), false);
    assert.equal(isDmarBinary(Uint8Array.from([0x44, 0x4d, 0x41])), false);
    assert.ok(isSniffCandidate('/fw/DSDT.asl') && isSniffCandidate('C:\\fw\\table.DSL'));
    assert.equal(isSniffCandidate('/fw/table.dsl.bak'), false);
    assert.equal(isSniffCandidate('/fw/.dsl'), false);
    assert.ok(isBinaryCandidate('/fw/DMAR.dat') && isBinaryCandidate('/fw/dmar.AML') && isBinaryCandidate('x.bin'));
    assert.equal(isBinaryCandidate('/fw/DMAR.dsl'), false);
  });

  test('derived file names sit beside the table', () => {
    assert.equal(listingPathFor('/fw/DMAR.dat'), '/fw/DMAR.dsl');
    assert.equal(listingPathFor('/fw/dmar.BIN'), '/fw/dmar.dsl');
    assert.equal(listingPathFor('/fw/DMAR'), '/fw/DMAR.dsl');
    assert.equal(jsonPathFor('/fw/dmar.dsl'), '/fw/dmar.dmar.json');
    assert.equal(jsonPathFor('/fw/DMAR.dat'), '/fw/DMAR.dmar.json');
    assert.equal(jsonPathFor('/fw/x13.dmar.json'), '/fw/x13.dmar.json');
    assert.equal(jsonPathFor('C:\\fw\\DMAR.asl'), 'C:\\fw\\DMAR.dmar.json');
  });
});

describe('settings sent to the server', () => {
  test('only values the user set, objects merged across levels', () => {
    assert.equal(explicitValue(undefined), undefined);
    assert.equal(explicitValue({}), undefined);
    assert.deepEqual(explicitValue({ globalValue: ['linux-dma'], workspaceValue: ['xen-hvm'] }), ['xen-hvm']);
    assert.deepEqual(
      explicitValue({ globalValue: { 'rmrr-shared': 'off', 'rmrr-relaxable': 'hint' }, workspaceFolderValue: { 'rmrr-shared': 'error' } }),
      { 'rmrr-shared': 'error', 'rmrr-relaxable': 'hint' },
    );
  });

  test('paths: absolute, relative to the folder, ${workspaceFolder}, ~', () => {
    assert.equal(resolveSettingPath('', '/ws'), undefined);
    assert.equal(resolveSettingPath('  ', '/ws'), undefined);
    assert.equal(resolveSettingPath(42, '/ws'), undefined);
    assert.equal(resolveSettingPath('/abs/e820.txt', '/ws'), '/abs/e820.txt');
    assert.equal(resolveSettingPath('platform/lspci.txt', '/ws'), path.join('/ws', 'platform/lspci.txt'));
    assert.equal(resolveSettingPath('${workspaceFolder}/apic.dsl', '/ws'), '/ws/apic.dsl');
    assert.equal(resolveSettingPath('~/dumps/iomem', '/ws', '/home/me'), path.join('/home/me', 'dumps/iomem'));
    assert.equal(resolveSettingPath('rel.txt', undefined), 'rel.txt');
  });

  test('the dmar section: manifest defaults stay out, so .dmarrc.json decides', () => {
    const keys = ['rules', 'iovaProfiles', 'memoryMap', 'pci', 'madt', 'maxFileSize', 'trace.server'];
    const none = explicitSection(keys, () => ({}), '/ws');
    assert.deepEqual(none, {});
    const set: Record<string, object> = {
      rules: { globalValue: { 'rmrr-iova-conflict': 'off' } },
      iovaProfiles: { workspaceValue: [] },
      memoryMap: { workspaceValue: 'dmesg.txt' },
      pci: { globalValue: '' },
      maxFileSize: { globalValue: 1024 },
      'trace.server': { globalValue: 'verbose' },
    };
    const values = explicitSection(keys, (k) => set[k], '/ws', '/home/me');
    assert.deepEqual(values, {
      rules: { 'rmrr-iova-conflict': 'off' },
      memoryMap: path.join('/ws', 'dmesg.txt'),
      maxFileSize: 1024,
      trace: { server: 'verbose' },
    });
    assert.equal(pickSubsection(values, 'trace.server'), 'verbose');
    assert.equal(pickSubsection(values, 'pci'), null);
    assert.deepEqual(pickSubsection(values, 'rules'), { 'rmrr-iova-conflict': 'off' });
  });
});

describe('status bar text', () => {
  test('counts errors, warnings and locked devices from dmar diagnostics only', () => {
    const counts = countFindings([
      { severity: 0, source: 'dmar', code: 'rmrr-overlap' },
      { severity: 1, source: 'dmar', code: { value: 'rmrr-locks-passthrough' } },
      { severity: 1, source: 'dmar', code: 'rmrr-locks-passthrough' },
      { severity: 2, source: 'dmar', code: 'x2apic-opt-out' },
      { severity: 0, source: 'json', code: 1 },
    ]);
    assert.deepEqual(counts, { errors: 1, warnings: 2, locked: 2 });
  });

  test('says the server state, then the active table', () => {
    assert.match(statusText('starting').text, /DMAR/);
    assert.match(statusText('starting').tooltip, /starting/);
    assert.match(statusText('error', undefined, 'spawn failed').tooltip, /failed \(spawn failed\)/);
    assert.equal(statusText('ready').text, '$(check) DMAR');
    assert.equal(statusText('ready', { errors: 1, warnings: 2, locked: 0 }).text, 'DMAR $(error) 1 $(warning) 2');
    const locked = statusText('ready', { errors: 0, warnings: 3, locked: 3 });
    assert.equal(locked.text, 'DMAR $(error) 0 $(warning) 3 $(lock) 3');
    assert.match(locked.tooltip, /3 .*rmrr-locks-passthrough/);
  });
});

// --- The VSIX ---------------------------------------------------------------------------------

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The central directory of a zip (a VSIX is one). */
function zipEntries(zip: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'no end of central directory: not a zip');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
    const nameLength = zip.readUInt16LE(p + 28);
    entries.push({
      method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
      name: zip.subarray(p + 46, p + 46 + nameLength).toString('utf8'),
    });
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

function zipRead(zip: Buffer, e: ZipEntry): Buffer {
  const start = e.localOffset + 30 + zip.readUInt16LE(e.localOffset + 26) + zip.readUInt16LE(e.localOffset + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  return e.method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
}

/** What scripts/package-vsix.mjs needs of the tree; node_modules is linked, not copied. */
const TREE = ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'language-configuration.json', 'scripts', 'server', 'client', 'docs', 'schemas', 'syntaxes', 'images'];

describe('the VSIX', () => {
  let scratch: string;
  let vsixFile: string;
  let zip: Buffer;
  let entries: ZipEntry[];
  let names: string[];
  let manifest: any;

  before(() => {
    // A scratch copy, so bundling for the package never rewrites dist/ under other running tests.
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-vsix-'));
    for (const item of TREE) {
      if (fs.existsSync(path.join(ROOT, item))) fs.cpSync(path.join(ROOT, item), path.join(scratch, item), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'junction');
    vsixFile = path.join(scratch, 'test.vsix');
    try {
      execFileSync(process.execPath, ['scripts/package-vsix.mjs', '--bundle-only', '--no-sync', '--out', vsixFile], { cwd: scratch, stdio: 'pipe', timeout: 240_000 });
    } catch (e) {
      const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
      throw new Error(`package-vsix failed: ${err.message}\n${err.stdout?.toString() ?? ''}`);
    }
    zip = fs.readFileSync(vsixFile);
    entries = zipEntries(zip);
    names = entries.map((e) => e.name);
    manifest = JSON.parse(zipRead(zip, entries.find((e) => e.name === 'extension/package.json')!).toString('utf8'));
  }, { timeout: 300_000 });

  after(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test('carries the bundles, the contributions and the rule pages', () => {
    for (const f of [
      'extension.vsixmanifest', 'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt',
      'extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/lsp-protocol.js', 'extension/dist/cli.js',
      'extension/syntaxes/dmar.tmLanguage.json', 'extension/language-configuration.json',
      'extension/schemas/dmar.schema.json', 'extension/schemas/dmarrc.schema.json',
      'extension/images/icon.png', 'extension/images/dmar-file.svg',
    ]) assert.ok(names.includes(f), `${f} is in the VSIX`);
    const noPage = ALL_RULES.map((r) => r.meta.id).filter((id) => !names.includes(`extension/docs/rules/${id}.md`));
    assert.deepEqual(noPage, [], 'every rule has its docs/rules page (diagnostics link there)');
  });

  test('carries nothing else: no node_modules, sources, out/ or tests', () => {
    const allowed = /^extension\/(dist\/[^/]+\.js|docs\/rules\/[^/]+\.md|schemas\/[^/]+\.json|syntaxes\/[^/]+\.json|images\/.+|language-configuration\.json|package\.json|readme\.md|LICENSE\.txt)$/;
    const extra = names.filter((n) => n.startsWith('extension/') && !allowed.test(n));
    assert.deepEqual(extra, []);
    assert.deepEqual(names.filter((n) => /node_modules|\.ts$|(^|\/)out\/|\.map$/.test(n)), []);
  });

  test('is small', () => {
    const unpacked = entries.reduce((n, e) => n + e.size, 0);
    assert.ok(zip.length < 1.5 * 1024 * 1024, `VSIX is ${zip.length} bytes`);
    assert.ok(unpacked < 4 * 1024 * 1024, `unpacked ${unpacked} bytes`);
  });

  /** What a bundle in the VSIX requires, following its requires of other packaged files. */
  function requiredBy(entryName: string): { modules: Set<string>; files: Set<string> } {
    const modules = new Set<string>();
    const files = new Set<string>();
    const visit = (name: string): void => {
      if (files.has(name)) return;
      files.add(name);
      const entry = entries.find((e) => e.name === name);
      assert.ok(entry, `${name} is in the VSIX`);
      for (const m of zipRead(zip, entry).toString('utf8').matchAll(/require\(["']([^"']+)["']\)/g)) {
        if (/^\.\.?\//.test(m[1]!)) visit(path.posix.join(path.posix.dirname(name), m[1]!));
        else modules.add(m[1]!);
      }
    };
    visit(entryName);
    return { modules, files };
  }

  const isBuiltin = (m: string) => builtinModules.includes(m.replace(/^node:/, ''));

  test('the client bundle needs nothing outside VS Code, Node and the VSIX', () => {
    const { modules, files } = requiredBy('extension/dist/extension.js');
    assert.deepEqual([...modules].filter((m) => m !== 'vscode' && !isBuiltin(m)), []);
    assert.ok(modules.has('vscode'));
    assert.ok(files.has('extension/dist/lsp-protocol.js'), 'the protocol libraries come from the bundle shared with the server');
  });

  test('the server bundle needs nothing outside Node and the VSIX, and never VS Code', () => {
    const { modules, files } = requiredBy('extension/dist/server.js');
    assert.deepEqual([...modules].filter((m) => !isBuiltin(m)), []);
    assert.ok(files.has('extension/dist/lsp-protocol.js'));
  });

  test('the packaged server starts on its own and answers initialize', async () => {
    // Only what the VSIX holds, in plain Node (no `vscode` module anywhere), as other editors run it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmar-vsix-server-'));
    try {
      for (const e of entries.filter((x) => x.name.startsWith('extension/dist/') || x.name.startsWith('extension/docs/'))) {
        const file = path.join(dir, e.name.slice('extension/'.length));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, zipRead(zip, e));
      }
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      const response = await new Promise<{ id: number; result: { capabilities: Record<string, unknown> } }>((resolve, reject) => {
        const server = spawn(process.execPath, [path.join(dir, 'dist/server.js'), '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
        let out = Buffer.alloc(0);
        let err = '';
        const timer = setTimeout(() => { server.kill(); reject(new Error(`no answer in 20 s; stderr: ${err}`)); }, 20_000);
        server.stdout.on('data', (d: Buffer) => {
          out = Buffer.concat([out, d]);
          for (;;) {
            const sep = out.indexOf('\r\n\r\n');
            if (sep < 0) return;
            const length = Number(/Content-Length: (\d+)/i.exec(out.subarray(0, sep).toString('ascii'))?.[1]);
            if (out.length < sep + 4 + length) return;
            const message = JSON.parse(out.subarray(sep + 4, sep + 4 + length).toString('utf8'));
            out = out.subarray(sep + 4 + length);
            if (message.id === 1) {
              clearTimeout(timer);
              server.kill();
              resolve(message);
              return;
            }
          }
        });
        server.stderr.on('data', (d: Buffer) => { err += d.toString('utf8'); });
        server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}) before answering; stderr: ${err}`)); });
        server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
      assert.ok(response.result.capabilities.hoverProvider, 'the server announces its features');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('manifest: engines, activation, entry points', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.equal(manifest.engines.vscode, '^1.91.0');
    const typesVersion = String(manifest.devDependencies?.['@types/vscode'] ?? '').replace(/^[\^~]/, '');
    assert.equal(typesVersion, '1.91.0', '@types/vscode must not be newer than engines.vscode');
    assert.equal(manifest.license, 'MIT');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces, { supported: true });
    const events: string[] = manifest.activationEvents;
    for (const e of ['onLanguage:dmar', 'workspaceContains:**/*.dmar.json', 'workspaceContains:**/.dmarrc.json', 'onCustomEditor:dmar.binaryTable']) {
      assert.ok(events.includes(e), e);
    }
    assert.ok(!events.includes('*') && !events.includes('onLanguage:json'), 'no broad activation');
    for (const c of manifest.contributes.commands) assert.ok(events.includes(`onCommand:${c.command}`), `onCommand:${c.command}`);
    for (const c of manifest.contributes.customEditors) assert.ok(events.includes(`onCustomEditor:${c.viewType}`), c.viewType);
  });

  test('manifest: binary editors', () => {
    const editors: { viewType: string; priority: string; selector: { filenamePattern: string }[] }[] = manifest.contributes.customEditors;
    // VS Code matches editor globs against the lower-cased path: an upper-case pattern never matches
    // (older builds) or duplicates the lower-case one, which VS Code reports as conflicting defaults.
    for (const e of editors) for (const s of e.selector) assert.equal(s.filenamePattern, s.filenamePattern.toLowerCase(), `${e.viewType} ${s.filenamePattern}`);
    const byName = editors.find((e) => e.viewType === 'dmar.binaryTable')!;
    assert.equal(byName.priority, 'default');
    assert.deepEqual(byName.selector, [{ filenamePattern: '**/dmar*.{dat,aml,bin}' }]);
    const any = editors.find((e) => e.priority === 'option')!;
    assert.deepEqual(any.selector.map((s) => s.filenamePattern).sort(), ['*.aml', '*.bin', '*.dat']);
  });

  test('manifest: the dmar language, never asl', () => {
    const languages: { id: string; filenamePatterns?: string[]; extensions?: string[] }[] = manifest.contributes.languages;
    assert.ok(!languages.some((l) => l.id === 'asl'));
    const dmar = languages.find((l) => l.id === 'dmar')!;
    assert.ok(dmar && !dmar.extensions, 'dmar claims no bare .dsl/.asl extension: other ACPI extensions own those');
    assert.deepEqual(dmar.filenamePatterns, ['**/*dmar*.dsl', '**/*DMAR*.dsl', '**/*dmar*.asl', '**/*DMAR*.asl']);
    assert.deepEqual(manifest.contributes.grammars, [{ language: 'dmar', scopeName: 'source.dmar', path: './syntaxes/dmar.tmLanguage.json' }]);
    const referenced = [
      manifest.icon,
      ...languages.flatMap((l: any) => [l.configuration, l.icon?.light, l.icon?.dark]),
      ...manifest.contributes.grammars.map((g: any) => g.path),
      ...manifest.contributes.jsonValidation.map((j: any) => j.url),
    ].filter(Boolean).map((f: string) => 'extension/' + f.replace(/^\.\//, ''));
    assert.deepEqual(referenced.filter((f) => !names.includes(f)), [], 'every file the manifest names is packaged');
  });

  test('manifest: commands, menus and settings', () => {
    const commands: { command: string; title: string; category: string }[] = manifest.contributes.commands;
    assert.deepEqual(commands.map((c) => c.command).sort(), [
      'dmar.compileToBinary', 'dmar.decompileBinary', 'dmar.exportJson', 'dmar.openBinary', 'dmar.restartServer', 'dmar.saveBinaryAsSource', 'dmar.showOutput',
    ]);
    for (const c of commands) assert.equal(c.category, 'DMAR', c.command);
    for (const items of Object.values(manifest.contributes.menus) as { command: string }[][]) {
      for (const item of items) assert.ok(commands.some((c) => c.command === item.command), `menu names ${item.command}`);
    }
    const properties: Record<string, any> = manifest.contributes.configuration.properties;
    for (const [key, p] of Object.entries(properties)) {
      assert.ok(p.description || p.markdownDescription, `${key} has a description`);
      assert.ok(['resource', 'window'].includes(p.scope), `${key} has a scope`);
    }
    assert.deepEqual(Object.keys(properties).sort(), ['dmar.iovaProfiles', 'dmar.madt', 'dmar.maxFileSize', 'dmar.memoryMap', 'dmar.pci', 'dmar.rules', 'dmar.trace.server']);
    assert.deepEqual(properties['dmar.iovaProfiles'].default, ['qemu-q35']);
    const ruleIds = Object.keys(properties['dmar.rules'].properties).sort();
    assert.deepEqual(ruleIds, ALL_RULES.map((r) => r.meta.id).sort(), 'dmar.rules lists every rule: run `npm run package` to sync it');
    for (const id of ruleIds) assert.deepEqual(properties['dmar.rules'].properties[id].enum, ['off', 'hint', 'info', 'warning', 'error']);
  });
});
