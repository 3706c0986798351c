import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { readBinary } from '../../server/src/table/binary-reader';
import { encodeTable } from '../../server/src/table/binary-writer';
import { dmarJsonSchema, readJson, writeJson } from '../../server/src/table/json-form';
import type { Finding } from '../../server/src/table/finding';
import type { DmarTable, FieldLoc, Rmrr, TextRange } from '../../server/src/table/model';

// From out/test/table/ up to the folder that holds main/ and shared/.
const CORPUS = path.resolve(__dirname, '../../../../shared/corpus/real');
const SCHEMA_FILE = path.resolve(__dirname, '../../../schemas/dmar.schema.json');

const corpusBinaries = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.dat')).sort();

function readCorpus(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(CORPUS, name)));
}

/** The text a range covers. */
function textAt(text: string, range: TextRange | undefined): string {
  assert.ok(range, 'finding has a range');
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line]!.slice(range.start.character, range.end.character);
  return [lines[range.start.line]!.slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line]!.slice(0, range.end.character)].join('\n');
}

function valueText(text: string, f: FieldLoc | undefined): string {
  assert.ok(f && f.line !== undefined, 'field has a text position');
  return text.split('\n')[f.line]!.slice(f.valueStart, f.valueEnd);
}

function nameText(text: string, f: FieldLoc | undefined): string {
  assert.ok(f && f.line !== undefined, 'field has a text position');
  return text.split('\n')[f.line]!.slice(f.nameStart, f.nameEnd);
}

function summarize(findings: Finding[], text: string): string[] {
  return findings.map((f) => `${f.rule} ${textAt(text, f.range)}`);
}

const bytes = (...values: number[]) => Uint8Array.from(values);
const u16 = (v: number) => [v & 0xff, v >> 8];
const u32 = (v: number) => [...u16(v & 0xffff), ...u16(v >>> 16)];
const u64 = (v: bigint) => [...u32(Number(v & 0xffffffffn)), ...u32(Number(v >> 32n))];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
/** Type, Length (the real size unless given), then the body. */
const structure = (type: number, body: number[], length = 4 + body.length) => [...u16(type), ...u16(length), ...body];

/**
 * A binary table with everything the readable form leaves out: a stale Table Length and checksum,
 * non-zero reserved bytes, odd header characters, scope flags, a multi-level path, an empty path,
 * scope and structure tails, ANDD padding and an unterminated name, an unknown type, a known type
 * too short to decode, and trailing bytes.
 */
function oddBinary(): Uint8Array {
  const structures = [
    structure(0, [1, 0, ...u16(0), ...u64(0xfed91000n),
      3, 8, 1, 0, 2, 0xf0, 0x1f, 0x00, // IOAPIC 2, scope flags 1
      1, 10, 0, 0, 0, 0x00, 0x1c, 0x04, 0x00, 0x00, // 00:1c.4 -> 00.0
      1, 9, 0, 0, 0, 0x00, 0x14, 0x00, 0xaa]), // a scope with one stray byte
    structure(1, [...u16(2), ...u16(0), ...u64(0x8c587000n), ...u64(0x8c5a6fffn),
      2, 6, 0, 0, 0, 0x03, // a bridge scope without path elements
      0x0a, 0x0b, 0xbb]), // a scope whose Entry Length runs past the structure: tail bytes
    structure(4, [0, 0, 0, 1, ...ascii('\\_SB.I2C0'), 0, 0, 7]),
    structure(4, [0, 0, 0, 2, ...ascii('\\_SB.X')]),
    structure(9, [1, 2, 3]),
    structure(0, [0xde, 0xad, 0xbe, 0xef]), // a DRHD too short to decode
  ].flat();
  const header = [...ascii('DMAR'), ...u32(0), 1, 0x77, ...ascii('OEM\x01\xe9 '), ...ascii('TABLE\0\0\0'), ...u32(0x20200925), ...ascii('INTL'), ...u32(1), 0x26, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
  const table = bytes(...header, ...structures, 0, 0, 0);
  table.set(u32(table.length + 0x10), 4); // Table Length claims more than the file holds
  return table;
}

/** The last structure's Length runs past the end of the table. */
function overrunningBinary(): Uint8Array {
  const header = [...ascii('DMAR'), ...u32(0), 1, 0, ...ascii('INTEL EDK2    '), ...u32(2), ...ascii('INTL'), ...u32(1), 0x26, 1, ...new Array(10).fill(0)];
  const rhsa = structure(3, [...u32(0), ...u64(0xfed90000n), ...u32(0)], 0x40);
  const table = bytes(...header, ...rhsa);
  table.set(u32(table.length), 4);
  return table;
}

function roundTrip(binary: Uint8Array): { json: string; table: DmarTable; findings: Finding[]; out: Uint8Array } {
  const json = writeJson(readBinary(binary).table);
  const { table, findings } = readJson(json);
  return { json, table, findings, out: encodeTable(table, { lossless: true }) };
}

test('every corpus binary survives binary -> JSON -> binary byte for byte', () => {
  assert.ok(corpusBinaries.length > 200, `corpus found at ${CORPUS}`);
  for (const name of corpusBinaries) {
    const binary = readCorpus(name);
    const { json, table, findings, out } = roundTrip(binary);
    assert.deepEqual(findings, [], name);
    assert.equal(table.form, 'json');
    assert.ok(Buffer.from(out).equals(Buffer.from(binary)), `${name}: bytes differ after the round trip`);
    assert.equal(writeJson(table), json, `${name}: writing the table read back gives other text`);
  }
});

test('stale lengths, reserved bytes, padding, unknown structures and stray bytes survive the round trip', () => {
  for (const binary of [oddBinary(), overrunningBinary()]) {
    const { json, findings, out } = roundTrip(binary);
    assert.deepEqual(findings, []);
    assert.deepEqual(out, binary, json);
  }
  const { json } = roundTrip(oddBinary());
  const doc = JSON.parse(json);
  assert.equal(typeof doc.length, 'number', 'a stale Table Length is written');
  assert.equal(doc.checksum, 0x77, 'a stale checksum is written');
  assert.equal(doc.reserved, '00 00 01 00 00 00 00 00 00 00');
  assert.equal(doc.oemId, 'OEM\x01\xe9 ');
  assert.match(json, /"oemId": "OEM\\u0001\u00e9 "/, 'control characters are escaped, Latin-1 letters are not');
  assert.equal(doc.trailing, '00 00 00');
  const [drhd, rmrr, andd, unterminated, unknown, short] = doc.structures;
  assert.deepEqual(drhd.scopes, [
    { type: 'ioapic', device: 'f0:1f.0', reserved: 1, enumerationId: 2 },
    { type: 'endpoint', startBus: '00', path: ['1c.4', '00.0'] },
    { type: 'endpoint', device: '00:14.0', tail: 'AA' },
  ]);
  assert.equal(rmrr.reserved, '0x0002');
  assert.deepEqual(rmrr.scopes[0], { type: 'bridge', startBus: '03', path: [] });
  assert.equal(rmrr.tail, '0A 0B BB');
  assert.deepEqual(andd, { type: 'andd', deviceNumber: 1, name: '\\_SB.I2C0', padding: '00 07' });
  assert.deepEqual(unterminated, { type: 'andd', deviceNumber: 2, name: '\\_SB.X', nameTerminated: false });
  assert.deepEqual(unknown, { type: 9, data: '01 02 03' });
  assert.deepEqual(short, { type: 0, data: 'DE AD BE EF' });
  assert.equal(JSON.parse(roundTrip(overrunningBinary()).json).structures[0].length, 0x40, 'a stale structure Length is written');
});

test('hand-edited stale scope and structure lengths are kept as written', () => {
  const table = readBinary(readCorpus(corpusBinaries[0]!)).table;
  const rmrr = table.structures.find((s): s is Rmrr => s.kind === 'rmrr')!;
  rmrr.length = 0x99;
  rmrr.scopes[0]!.length = 0x20;
  const expected = encodeTable(table, { lossless: true });
  const json = writeJson(table);
  const back = readJson(json);
  assert.deepEqual(back.findings, []);
  const rmrrBack = back.table.structures.find((s): s is Rmrr => s.kind === 'rmrr')!;
  assert.equal(rmrrBack.length, 0x99);
  assert.equal(rmrrBack.scopes[0]!.length, 0x20);
  assert.deepEqual(encodeTable(back.table, { lossless: true }), expected);
});

test('byte offsets in locs are where the fields sit in the binary table', () => {
  for (const name of corpusBinaries.slice(0, 40)) {
    const binary = readBinary(readCorpus(name)).table;
    const json = readJson(writeJson(binary)).table;
    const pairs: [string, { offset: number; fields: Record<string, FieldLoc> }, { offset: number; fields: Record<string, FieldLoc> }][] = [['table', binary.loc, json.loc]];
    binary.structures.forEach((s, i) => {
      pairs.push([`structure ${i}`, s.loc, json.structures[i]!.loc]);
      if ('scopes' in s) s.scopes.forEach((scope, k) => pairs.push([`structure ${i} scope ${k}`, scope.loc, (json.structures[i] as Rmrr).scopes[k]!.loc]));
    });
    for (const [what, expected, actual] of pairs) {
      assert.equal(actual.offset, expected.offset, `${name} ${what}`);
      for (const [key, f] of Object.entries(expected.fields)) {
        assert.equal(actual.fields[key]?.offset, f.offset, `${name} ${what} ${key}`);
        // The binary reader counts ANDD padding into the name; the text forms keep it apart.
        if (key !== 'name') assert.equal(actual.fields[key]?.width, f.width, `${name} ${what} ${key} width`);
      }
    }
  }
});

const HAND_WRITTEN = `{
  // Comments and trailing commas are fine.
  "$schema": "../schemas/dmar.schema.json",
  "signature": "DMAR",
  "revision": 1,
  "oemId": "INTEL",
  "oemTableId": "EDK2",
  "oemRevision": 2,
  "creatorId": "INTL",
  "creatorRevision": "0x20200925",
  "hostAddressWidth": "0x26",
  "flags": ["INTR_REMAP", "DMA_CTRL_PLATFORM_OPT_IN"],
  "structures": [
    {
      "type": "drhd",
      "flags": ["INCLUDE_PCI_ALL"],
      "segment": 0,
      "registerBase": "0xFED91000",
      "scopes": [
        { "type": "ioapic", "device": "F0:1F.0", "enumerationId": 2 },
        { "type": 4, "startBus": 0, "path": ["1f.0"], "enumerationId": 0 },
      ],
    },
    {
      "type": "rmrr",
      "segment": 0,
      "base": "0x000000008C587000",
      "limit": 2354737151,
      "scopes": [
        { "type": "endpoint", "device": "00:14.0", "class": "0x0c0330", "name": "USB controller" },
        { "type": "bridge", "startBus": "00", "path": ["1c.0", "00.0"], "name": "NIC behind the root port" },
      ],
    },
  ],
}
`;

test('hand-written JSON: comments, hex or decimal numbers, flag names, BDF and path forms, annotations', () => {
  const { table, findings } = readJson(HAND_WRITTEN);
  assert.deepEqual(summarize(findings, HAND_WRITTEN), []);
  assert.equal(table.hostAddressWidth, 0x26);
  assert.equal(table.flags, 0b101);
  assert.equal(table.oemId, 'INTEL');
  assert.equal(table.creatorRevision, 0x20200925);
  const [drhd, rmrr] = table.structures;
  assert.equal(drhd!.kind, 'drhd');
  assert.equal(rmrr!.kind, 'rmrr');
  if (drhd!.kind !== 'drhd' || rmrr!.kind !== 'rmrr') return;
  assert.equal(drhd.flags, 1);
  assert.deepEqual(drhd.scopes.map((s) => [s.type, s.startBus, s.path, s.enumerationId]), [
    [3, 0xf0, [{ device: 0x1f, function: 0 }], 2],
    [4, 0, [{ device: 0x1f, function: 0 }], 0],
  ]);
  assert.equal(rmrr.base, 0x8c587000n);
  assert.equal(rmrr.limit, 0x8c5a6fffn);
  assert.deepEqual(rmrr.scopes[0]!.annotation, { class: 0x0c0330, name: 'USB controller' });
  assert.deepEqual(rmrr.scopes[1]!.path, [{ device: 0x1c, function: 0 }, { device: 0, function: 0 }]);
  assert.deepEqual(rmrr.scopes[1]!.annotation, { name: 'NIC behind the root port' });
  // Lengths and checksum are computed when absent.
  const binary = encodeTable(table, { lossless: true });
  assert.deepEqual(binary, encodeTable(table));
  assert.equal(readBinary(binary).table.structures.length, 2);

  const written = writeJson(table);
  assert.match(written, /\{ "type": "endpoint", "device": "00:14\.0", "class": "0x0c0330", "name": "USB controller" \}/);
  assert.match(written, /\{ "type": "bridge", "startBus": "00", "path": \["1c\.0", "00\.0"\], "name": "NIC behind the root port" \}/);
  assert.match(written, /\{ "type": "hpet", "device": "00:1f\.0", "enumerationId": 0 \}/, 'a one-element path is written in BDF form');
  const again = readJson(written).table;
  assert.deepEqual(encodeTable(again, { lossless: true }), binary);
  assert.deepEqual((again.structures[1] as Rmrr).scopes.map((s) => s.annotation), [
    { class: 0x0c0330, name: 'USB controller' }, { name: 'NIC behind the root port' },
  ]);
});

test('locs carry the text position of each property and the range of each object', () => {
  const { table } = readJson(HAND_WRITTEN);
  const drhd = table.structures[0]!;
  const f = drhd.loc.fields.registerBase;
  assert.equal(nameText(HAND_WRITTEN, f), '"registerBase"');
  assert.equal(valueText(HAND_WRITTEN, f), '"0xFED91000"');
  assert.equal(f!.line, 17);
  assert.equal(f!.offset, 48 + 8);
  assert.equal(f!.width, 8);
  assert.equal(textAt(HAND_WRITTEN, drhd.loc.range).split('\n')[0], '{');
  const rmrr = table.structures[1] as Rmrr;
  const bridge = rmrr.scopes[1]!;
  assert.match(textAt(HAND_WRITTEN, bridge.loc.range), /^\{ "type": "bridge".*\}$/);
  assert.equal(valueText(HAND_WRITTEN, bridge.loc.fields.path0), '"1c.0"');
  assert.equal(valueText(HAND_WRITTEN, bridge.loc.fields.path1), '"00.0"');
  assert.equal(valueText(HAND_WRITTEN, bridge.loc.fields.startBus), '"00"');
  assert.equal(bridge.loc.fields.path1!.offset, bridge.loc.offset + 8);
  const usb = rmrr.scopes[0]!;
  assert.equal(valueText(HAND_WRITTEN, usb.loc.fields.path0), '"00:14.0"', 'the BDF stands for the start bus and the path');
  assert.equal(valueText(HAND_WRITTEN, usb.loc.fields.startBus), '"00:14.0"');
  // A computed field has a byte offset but no text.
  assert.equal(rmrr.loc.fields.length!.offset, rmrr.loc.offset + 2);
  assert.equal(rmrr.loc.fields.length!.line, undefined);
});

test('bad values, unknown and missing properties become findings on the narrowest text', () => {
  const text = `{
  "signature": "DMAR",
  "revision": 1,
  "oemId": "TOOLONGID",
  "oemTableId": "EDK2",
  "oemRevision": 2,
  "creatorId": "INTL",
  "hostAddressWidth": 38,
  "flags": "0x1FF",
  "colour": "blue",
  "structures": [
    { "type": "drhd", "flags": ["INCLUDE_PCI_ALL", "ALL_PORTS"], "segment": "zero", "scopes": [] },
    { "type": "rmrr", "segment": 0, "base": "0x10000000000000000", "limit": -1,
      "scopes": [{ "type": "endpoint", "device": "0:1f" }, { "type": "ioapic", "device": "f0:1f.0" }, { "device": "00:02.0", "startBus": 0 }] },
    { "type": "dhrd" },
    { "type": 5 },
    42
  ]
}`;
  const { table, findings } = readJson(text);
  assert.deepEqual(summarize(findings, text).sort(), [
    'field-order {', // table: creatorRevision
    'field-order {', // DRHD: registerBase
    'field-order {', // IOAPIC scope: enumerationId
    'field-order {', // the third scope: type
    'field-order {', // structure by number: data
    'syntax "0:1f"',
    'syntax "ALL_PORTS"',
    'syntax "colour"',
    'syntax "dhrd"',
    'syntax "startBus"',
    'syntax "zero"',
    'syntax -1',
    'syntax 42',
    'value-width "0x10000000000000000"',
    'value-width "0x1FF"',
    'value-width "TOOLONGID"',
  ].sort());
  const byRule = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => f.message).join('\n');
  assert.match(byRule('field-order'), /Missing "creatorRevision"/);
  assert.match(byRule('field-order'), /Missing "registerBase" in this DRHD/);
  assert.match(byRule('field-order'), /Missing "enumerationId" in this ioapic scope/);
  assert.match(byRule('field-order'), /write "type": "satc"/);
  // Still a table: what could be read is there.
  assert.equal(table.oemId, 'TOOLON');
  assert.equal(table.flags, 0xff);
  assert.deepEqual(table.structures.map((s) => s.kind), ['drhd', 'rmrr', 'unknown']);
  assert.equal(table.structures[0]!.kind === 'drhd' && table.structures[0]!.flags, 1);
});

test('unparsable JSON gives syntax findings with ranges and a best-effort table', () => {
  const text = '{\n  "signature": "DMAR",\n  "revision": 1\n  "oemId": "INTEL",\n  "structures": [\n';
  const { table, findings } = readJson(text);
  const syntax = findings.filter((f) => f.rule === 'syntax');
  assert.ok(syntax.length >= 2, JSON.stringify(findings));
  assert.ok(syntax.some((f) => /comma/i.test(f.message) && f.range!.start.line === 3), 'the missing comma is found on line 3');
  assert.ok(findings.every((f) => f.range), 'every finding has a range');
  assert.equal(table.oemId, 'INTEL');
  assert.equal(table.revision, 1);

  for (const bad of ['', '[]', '"DMAR"', '{', 'not json at all']) {
    const result = readJson(bad);
    assert.ok(result.findings.some((f) => f.rule === 'syntax' && f.range), `"${bad}"`);
    assert.equal(result.table.form, 'json');
    assert.deepEqual(result.table.structures, []);
  }
});

test('no text makes the reader throw, and what it returns can be written and encoded', () => {
  const base = writeJson(readBinary(oddBinary()).table);
  fc.assert(fc.property(fc.nat(base.length), fc.nat(40), fc.string(), (at, cut, insert) => {
    const text = base.slice(0, at) + insert + base.slice(at + cut);
    const { table, findings } = readJson(text);
    assert.ok(findings.every((f) => f.range && ['syntax', 'field-order', 'value-width'].includes(f.rule)));
    writeJson(table);
    encodeTable(table, { lossless: true });
  }), { numRuns: 1000 });
  assert.deepEqual(readJson('\uFEFF' + base).findings, [], 'a byte order mark is allowed');
});

test('duplicate properties and wrong types inside scopes are reported, not thrown', () => {
  const text = '{ "signature": "DMAR", "signature": "DMAR", "structures": [{ "type": "drhd", "flags": 0, "segment": 0, "registerBase": 0, "scopes": [7, { "type": "endpoint", "device": "00:02.0", "class": "0x1000000", "name": 3 }] }] }';
  const { findings } = readJson(text);
  const found = summarize(findings, text);
  for (const expected of ['syntax "signature"', 'syntax 7', 'value-width "0x1000000"', 'syntax 3']) assert.ok(found.includes(expected), `${expected} in ${found.join(', ')}`);
});

function schemaValidator() {
  const ajv = new Ajv({ allErrors: true });
  // VS Code's extensions to JSON Schema: hover and completion texts, snippets.
  for (const keyword of ['markdownDescription', 'enumDescriptions', 'defaultSnippets']) ajv.addKeyword(keyword);
  return ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
}

test('schemas/dmar.schema.json is the schema the field descriptions generate', () => {
  const expected = dmarJsonSchema();
  if (process.env.UPDATE_SCHEMA) fs.writeFileSync(SCHEMA_FILE, JSON.stringify(expected, null, 2) + '\n');
  assert.deepEqual(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')), expected,
    'schemas/dmar.schema.json is out of date: run UPDATE_SCHEMA=1 node --test out/test/table/json-form.test.js');
});

test('the schema describes every property', () => {
  const missing: string[] = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
    if (typeof node !== 'object' || node === null) return;
    const properties = (node as { properties?: Record<string, { description?: unknown }> }).properties;
    for (const [key, schema] of Object.entries(properties ?? {})) {
      if (typeof schema.description !== 'string' || schema.description.length < 10) missing.push(`${where}.${key}`);
    }
    // An `if` names properties only to test their values; it describes nothing.
    for (const [key, child] of Object.entries(node)) if (key !== 'if') walk(child, `${where}.${key}`);
  };
  walk(dmarJsonSchema(), '#');
  assert.deepEqual(missing, []);
});

test('the schema accepts what the writer emits and what people write, and rejects mistakes', () => {
  const validate = schemaValidator();
  const samples = [...corpusBinaries.filter((_, i) => i % 20 === 0).map(readCorpus), oddBinary(), overrunningBinary()];
  for (const binary of samples) {
    const doc = JSON.parse(writeJson(readBinary(binary).table));
    assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  }
  const handWritten = readJson(HAND_WRITTEN).table;
  assert.ok(validate(JSON.parse(writeJson(handWritten, { schemaUrl: '../schemas/dmar.schema.json' }))), JSON.stringify(validate.errors?.slice(0, 3)));

  const good = JSON.parse(writeJson(handWritten));
  const mistakes: [string, (doc: any) => void][] = [
    ['unknown property', (d) => { d.colour = 'blue'; }],
    ['missing required header field', (d) => { delete d.oemId; }],
    ['OEM ID too long', (d) => { d.oemId = 'TOOLONGID'; }],
    ['flags too wide', (d) => { d.flags = 0x1ff; }],
    ['unknown structure type name', (d) => { d.structures[0].type = 'dhrd'; }],
    ['bad BDF', (d) => { d.structures[1].scopes[0].device = '0:1f'; }],
    ['both BDF and path', (d) => { d.structures[1].scopes[0].path = ['1f.0']; d.structures[1].scopes[0].startBus = '00'; }],
    ['IOAPIC without enumerationId', (d) => { delete d.structures[0].scopes[0].enumerationId; }],
    ['address wider than 64 bits', (d) => { d.structures[1].base = '0x10000000000000000'; }],
    ['structure by number without data', (d) => { d.structures.push({ type: 9 }); }],
  ];
  for (const [what, mutate] of mistakes) {
    const doc = structuredClone(good);
    mutate(doc);
    assert.equal(validate(doc), false, what);
  }
});

test('the example file reads without findings and matches the schema', () => {
  const dir = path.resolve(__dirname, '../../../examples');
  const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.dmar.json'));
  assert.ok(examples.length > 0);
  const validate = schemaValidator();
  for (const name of examples) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    assert.deepEqual(readJson(text).findings, [], name);
    assert.ok(validate(JSON.parse(text)), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});
