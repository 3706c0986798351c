import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCLUDE_ALL_DRHD, dmarSource, lineOf, rmrrSource, tableOf } from '../helpers';
import { featureContext } from '../../server/src/features/context';
import { definition } from '../../server/src/features/definition';
import { inlayHints } from '../../server/src/features/inlay-hints';
import { codeLenses } from '../../server/src/features/code-lens';
import { writeJson } from '../../server/src/table/json-form';
import { encodeTable } from '../../server/src/table/binary-writer';
import type { Platform, PlatformDevice } from '../../server/src/analysis/platform';

/** A DRHD listing a root port (bridge 00:1c.0) before the INCLUDE_PCI_ALL unit. */
const ROOT_PORT_DRHD = `Subtable Type : 0000
Length : 0018
Flags : 00
Reserved : 00
PCI Segment Number : 0000
Register Base Address : 00000000FED90000

Device Scope Type : 02
Entry Length : 08
Reserved : 0000
Enumeration ID : 00
PCI Bus Number : 00
PCI Path : 1C,00
`;

const RHSA = `Subtable Type : 0003
Length : 0014
Reserved : 00000000
Base Address : 00000000FED91000
Proximity Domain : 00000000
`;

const ANDD = `Subtable Type : 0004
Length : 0013
Reserved : 000000
Device Number : 01
Device Name : "\\\\_SB.PCI0.I2C0"
`;

const NAMESPACE_SCOPE = `
Device Scope Type : 05
Entry Length : 08
Reserved : 0000
Enumeration ID : 01
PCI Bus Number : 00
PCI Path : 15,00
`;

const text = dmarSource([
  ROOT_PORT_DRHD,
  INCLUDE_ALL_DRHD.replace('Length : 0018', 'Length : 0020') + NAMESPACE_SCOPE,
  // 00:14.0 is translated by the INCLUDE_PCI_ALL unit; 00:1c.0/00.0 sits below the listed root port.
  rmrrSource('000000007B800000', '000000007FFFFFFF', ['14,00']),
  rmrrSource('000000008C587000', '000000008C5A6FFF', ['1F,06']),
  RHSA,
  ANDD,
].join('\n'));

const includeAllLine = lineOf(text, 'Register Base Address : 00000000FED91000') - 5;

test('go to definition: from an RMRR scope to the DRHD that translates the device', () => {
  const ctx = featureContext('t.dsl', text);
  const [target] = definition(ctx, { line: lineOf(text, 'PCI Path : 14,00'), character: 3 });
  assert.equal(target!.selectionRange.start.line, includeAllLine);

  // Below a root port a DRHD lists: the definition is that scope entry.
  const nested = text.replace('PCI Path : 1F,06', 'PCI Path : 1C,00\nPCI Path : 00,00');
  const [below] = definition(featureContext('t.dsl', nested), { line: lineOf(nested, 'PCI Path : 00,00'), character: 0 });
  assert.equal(below!.selectionRange.start.line, lineOf(nested, 'Device Scope Type : 02'));
  assert.equal(below!.range.start.line, lineOf(nested, 'Subtable Type : 0000'));
});

test('go to definition: from an RHSA base to its DRHD, from a namespace scope to its ANDD', () => {
  const ctx = featureContext('t.dsl', text);
  const [drhd] = definition(ctx, { line: lineOf(text, 'Base Address : 00000000FED91000', lineOf(text, 'Subtable Type : 0003')), character: 0 });
  assert.equal(drhd!.selectionRange.start.line, lineOf(text, 'Register Base Address : 00000000FED91000'));
  const [andd] = definition(ctx, { line: lineOf(text, 'Enumeration ID : 01'), character: 0 });
  assert.equal(andd!.selectionRange.start.line, lineOf(text, 'Subtable Type : 0004'));
  assert.deepEqual(definition(ctx, { line: lineOf(text, 'Host Address Width'), character: 0 }), []);
});

test('inlay hints: the address width, each RMRR\'s size, the device each PCI path names', () => {
  const ctx = featureContext('t.dsl', text);
  const hints = inlayHints(ctx).map((h) => `${h.position.line}:${h.label}`);
  assert.ok(hints.includes(`${lineOf(text, 'Host Address Width')}:39-bit`));
  assert.ok(hints.includes(`${lineOf(text, 'End Address (limit) : 000000007FFFFFFF')}:72 MiB`));
  assert.ok(hints.includes(`${lineOf(text, 'End Address (limit) : 000000008C5A6FFF')}:128 KiB`));
  assert.ok(hints.includes(`${lineOf(text, 'PCI Path : 14,00')}:= 00:14.0`));
  assert.ok(hints.includes(`${lineOf(text, 'PCI Path : 1C,00')}:= 00:1c.0`));
  // IOAPIC and namespace scopes name no PCI function.
  assert.ok(!hints.some((h) => h.startsWith(`${lineOf(text, 'PCI Path : 1F,00')}:`)));
  // Only the requested range.
  const line = lineOf(text, 'PCI Path : 14,00');
  assert.deepEqual(inlayHints(ctx, { start: { line, character: 0 }, end: { line, character: 99 } }).map((h) => h.label), ['= 00:14.0']);
});

test('inlay hints follow a path below a bridge through the PCI inventory', () => {
  const nested = text.replace('PCI Path : 1F,06', 'PCI Path : 1C,00\nPCI Path : 00,00');
  const device = (bus: number, dev: number, extra: Partial<PlatformDevice>): PlatformDevice => ({
    segment: 0, bus, device: dev, function: 0, classCode: 0x020000, className: 'Ethernet controller', name: 'NIC', isBridge: false, line: 0, ...extra,
  });
  const platform: Platform = { annotations: new Map(), pci: { file: 'lspci.txt', devices: [device(0, 0x1c, { isBridge: true, classCode: 0x060400, secondaryBus: 3, subordinateBus: 3 }), device(3, 0, {})] } };
  const hints = inlayHints(featureContext('t.dsl', nested)).map((h) => h.label);
  assert.ok(hints.includes('= 00:1c.0/00.0'));
  assert.ok(inlayHints(featureContext('t.dsl', nested, { platform })).map((h) => h.label).includes('= 03:00.0'));
});

test('inlay hints in JSON leave out what the "device" property already says', () => {
  const json = writeJson(tableOf(text, true));
  const labels = inlayHints(featureContext('t.dmar.json', json)).map((h) => String(h.label));
  assert.ok(labels.includes('72 MiB') && labels.includes('39-bit'));
  assert.ok(!labels.some((l) => l.startsWith('=')));
});

test('a code lens on each RMRR says what it does to passthrough, in every form', () => {
  const table = tableOf(text, true);
  for (const [file, content] of [['t.dsl', text], ['t.dmar.json', writeJson(table)], ['DMAR.dat', encodeTable(table)]] as const) {
    const ctx = featureContext(file, content);
    const lenses = codeLenses(ctx);
    assert.deepEqual(lenses.map((l) => l.command?.title), [
      'locks no device out of passthrough; 1 relaxable device (USB/display)',
      'locks 1 device out of passthrough',
    ], file);
  }
  const lenses = codeLenses(featureContext('t.dsl', text));
  assert.equal(lenses[0]!.range.start.line, lineOf(text, 'Subtable Type : 0001'));
});
