import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CONFIG_FILE_NAME,
  findConfig,
  findConfigAsync,
  nodeConfigFileReader,
  readConfig,
  type ConfigFileReader,
} from '../../../server/src/analysis/context/config';

const repoRoot = path.resolve(__dirname, '../../../..');
const fixtures = path.join(repoRoot, 'test/fixtures/context');
const projectConfigPath = path.join(fixtures, 'project', CONFIG_FILE_NAME);

test('the sample project config: comments, trailing commas, every key', () => {
  const { config, problems } = readConfig(fs.readFileSync(projectConfigPath, 'utf8'), projectConfigPath);
  assert.deepEqual(problems, []);
  const folder = path.dirname(projectConfigPath);
  assert.equal(config.memoryMap, path.join(folder, 'context/dmesg.txt'));
  assert.equal(config.pci, path.join(folder, 'context/lspci.txt'));
  assert.equal(config.madt, path.join(fixtures, 'madt-proliant.dsl'));
  assert.deepEqual(config.iovaProfiles, ['qemu-q35', 'xen-hvm', 'vmware-esxi']);
  assert.deepEqual(config.customProfiles, [
    {
      name: 'vmware-esxi',
      description: 'ESXi guest with 4 GiB RAM below the PCI hole',
      ranges: [
        { start: 0n, end: 0xbfffffffn, label: 'guest RAM' },
        { start: 0xf0000000n, end: 0xf7ffffffn, label: 'guest MMCONFIG' },
      ],
    },
  ]);
  assert.deepEqual(config.rules, { 'rmrr-relaxable': 'off', 'rmrr-shared': 'error' });
  // Device keys come back in one spelling, classes as 24-bit codes.
  assert.deepEqual(config.devices, {
    '01:00.4': { class: 0x0c0300, name: 'iLO virtual USB (UHCI)' },
    '03:00.0': { class: 0x010400, name: 'Smart Array P440ar' },
  });
  assert.equal(config.maxFileSize, 4194304);
});

test('wrong types, unknown keys and bad values each get a problem at the offending node', () => {
  const text = `{
  "memmap": "e820.txt",
  "pci": 42,
  "iovaProfiles": ["qemu-q35", "qemu-q53", 7],
  "rules": { "rmrr-shared": "warn", "rmrr-overlap": "off" },
  "devices": {
    "00:14.0": { "class": "0c0330", "vendor": "8086" },
    "0:2": { "class": "0300" },
    "00:02.0": { "class": "VGA" }
  },
  "customProfiles": [
    { "name": "qemu-q35", "ranges": [{ "start": "0x0", "end": "0xffff" }] },
    { "name": "mine", "ranges": [{ "start": "0x2000", "end": "0x1000" }, { "start": "0x0" }] },
    { "ranges": [] }
  ],
  "maxFileSize": -1
}`;
  const filePath = '/projects/board/.dmarrc.json';
  const { config, problems } = readConfig(text, filePath, { knownRules: ['rmrr-shared', 'rmrr-overlap'] });
  const lines = text.split('\n');
  const at = (needle: string): number => lines.findIndex((l) => l.includes(needle));
  const found = problems.map((p) => [p.line, p.message] as const);
  const expect = (line: number, pattern: RegExp): void => {
    assert.ok(
      found.some(([l, m]) => l === line && pattern.test(m)),
      `expected a problem on line ${line} matching ${pattern}; got ${JSON.stringify(found)}`,
    );
  };
  expect(at('"memmap"'), /unknown key "memmap"; did you mean "memoryMap"\?/);
  expect(at('"pci"'), /"pci" must be a path to `lspci -vvnn` output \(a non-empty string\), not the number 42/);
  expect(at('"iovaProfiles"'), /unknown IOVA profile "qemu-q53"; did you mean "qemu-q35"\?/);
  expect(at('"iovaProfiles"'), /a profile name must be a string, not the number 7/);
  expect(at('"rules"'), /the severity of "rmrr-shared" must be one of "off", "hint", "info", "warning", "error", not "warn"/);
  expect(at('"vendor"'), /unknown device key "vendor"; expected one of "class", "name"/);
  expect(at('"0:2"'), /"0:2" is not a PCI address/);
  expect(at('"VGA"'), /"class" must be a PCI class code/);
  expect(at('"name": "qemu-q35"'), /"qemu-q35" is a built-in profile/);
  expect(at('"name": "mine"'), /the range ends \(0x1000\) before it starts \(0x2000\)/);
  expect(at('"name": "mine"'), /a range needs both "start" and "end"/);
  expect(at('{ "ranges": [] }'), /"ranges" must be a non-empty list/);
  expect(at('{ "ranges": [] }'), /a custom profile needs a "name"/);
  expect(at('"maxFileSize"'), /"maxFileSize" must be a positive integer \(a size in bytes\), not the number -1/);
  assert.equal(problems.length, 14);

  // Only the good parts survive.
  assert.deepEqual(config.iovaProfiles, ['qemu-q35']);
  assert.deepEqual(config.rules, { 'rmrr-overlap': 'off' });
  assert.deepEqual(config.devices, { '00:14.0': { class: 0x0c0330 } });
  assert.deepEqual(config.customProfiles, []);
  assert.equal(config.pci, undefined);
  assert.equal(config.maxFileSize, undefined);

  // Problems point at the node: a column and a length for the editor.
  const pci = problems.find((p) => p.message.startsWith('"pci"'));
  assert.equal(text.slice(pci!.offset, pci!.offset + pci!.length), '42');
  assert.equal(pci!.character, lines[pci!.line].indexOf('42'));
});

test('unknown rule ids are reported only when the caller knows the rule list', () => {
  const text = '{ "rules": { "rmrr-sharde": "off" } }';
  assert.deepEqual(readConfig(text, '/x/.dmarrc.json').problems, []);
  const { problems } = readConfig(text, '/x/.dmarrc.json', { knownRules: ['rmrr-shared'] });
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /unknown rule id "rmrr-sharde"; did you mean "rmrr-shared"\?/);
});

test('addresses: hex strings and exact large integers; JSON hex numbers are a syntax error', () => {
  const text = '{ "customProfiles": [{ "name": "hi", "ranges": [{ "start": 18446744073709547520, "end": "0xFFFFFFFFFFFFFFFF" }] }] }';
  const { config, problems } = readConfig(text, '/x/.dmarrc.json');
  assert.deepEqual(problems, []);
  assert.deepEqual(config.customProfiles?.[0].ranges, [{ start: 0xfffffffffffff000n, end: 0xffffffffffffffffn }]);

  const hex = readConfig('{ "customProfiles": [{ "name": "x", "ranges": [{ "start": 0x1000, "end": "0x1fff" }] }] }', '/x/.dmarrc.json');
  assert.deepEqual(
    hex.problems.map((p) => p.message),
    ['JSON syntax: JSON has no hex numbers; write addresses as strings, "0xFED00000"'],
  );
});

test('syntax errors, empty files and non-objects', () => {
  const broken = readConfig('{\n  "pci": "lspci.txt"\n  "madt": "apic.dsl"\n}', '/x/.dmarrc.json');
  assert.equal(broken.problems[0].line, 2);
  assert.match(broken.problems[0].message, /JSON syntax: expected ","/);
  assert.equal(broken.config.pci, '/x/lspci.txt');

  assert.match(readConfig('', '/x/.dmarrc.json').problems[0].message, /the config is empty/);
  assert.match(readConfig('// nothing\n', '/x/.dmarrc.json').problems[0].message, /the config is empty/);
  assert.match(readConfig('["pci"]', '/x/.dmarrc.json').problems[0].message, /must be a JSON object, not a list/);
});

test('findConfig walks up from a folder to the root and stops at the first .dmarrc.json', () => {
  const files = new Map<string, string>([
    [path.resolve('/work/boards/.dmarrc.json'), '{}'],
    [path.resolve('/.dmarrc.json'), '{ "maxFileSize": 1 }'],
  ]);
  const asked: string[] = [];
  const reader: ConfigFileReader = {
    readFile(filePath) {
      asked.push(filePath);
      return files.get(filePath);
    },
  };
  const found = findConfig('/work/boards/hp/dl380', reader);
  assert.deepEqual(found, { path: path.resolve('/work/boards/.dmarrc.json'), text: '{}' });
  assert.deepEqual(asked, [
    path.resolve('/work/boards/hp/dl380/.dmarrc.json'),
    path.resolve('/work/boards/hp/.dmarrc.json'),
    path.resolve('/work/boards/.dmarrc.json'),
  ]);
  assert.equal(findConfig('/elsewhere/deep', reader)?.path, path.resolve('/.dmarrc.json'));
  assert.equal(findConfig('/elsewhere/deep', reader, '/elsewhere'), undefined);
  assert.equal(findConfig('/', { readFile: () => undefined }), undefined);
});

test('findConfig on the real file system, and the async variant', async () => {
  const start = path.join(fixtures, 'project', 'tables', 'hp');
  assert.equal(findConfig(start, nodeConfigFileReader)?.path, projectConfigPath);
  const found = await findConfigAsync(start, { readFile: async (p) => nodeConfigFileReader.readFile(p) });
  assert.equal(found?.path, projectConfigPath);
});

test('the JSON schema accepts the sample config keys and describes every property', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas/dmarrc.schema.json'), 'utf8'));
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const missing: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const properties = record.properties as Record<string, { description?: string }> | undefined;
    for (const [key, value] of Object.entries(properties ?? {})) if (!value.description) missing.push(`${where}/${key}`);
    for (const [key, value] of Object.entries(record)) walk(value, `${where}/${key}`);
  };
  walk(schema, '');
  assert.deepEqual(missing, []);
  const sample = JSON.parse(
    fs
      .readFileSync(projectConfigPath, 'utf8')
      .replace(/\/\/.*$/gm, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/,(\s*[}\]])/g, '$1'),
  );
  for (const key of Object.keys(sample)) assert.ok(key in schema.properties, key);
  for (const rule of Object.keys(sample.rules)) assert.ok(rule in schema.properties.rules.properties, rule);
});
