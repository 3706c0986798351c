import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCLUDE_ALL_DRHD, dmarSource, lineOf, rmrrSource, tableOf } from '../helpers';
import { featureContext, type FeatureContext } from '../../server/src/features/context';
import { hover } from '../../server/src/features/hover';
import type { Platform, PlatformDevice } from '../../server/src/analysis/platform';
import { resolveProfiles } from '../../server/src/analysis/iova-profiles';
import { writeJson } from '../../server/src/table/json-form';
import { encodeTable } from '../../server/src/table/binary-writer';
import type { Position } from '../../server/src/table/model';

// Graphics stolen memory for the iGPU (a guessed display device, relaxable) shared with 00:1f.6,
// an unknown device that therefore counts as locked. It lies inside q35 guest RAM.
const text = dmarSource(INCLUDE_ALL_DRHD + '\n' + rmrrSource('000000007B800000', '000000007FFFFFFF', ['02,00', '1F,06']));

function hoverText(ctx: FeatureContext, position: Position): string {
  const h = hover(ctx, position);
  assert.ok(h, `no hover at ${position.line}:${position.character}`);
  const contents = h.contents as { kind: string; value: string };
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

const at = (needle: string, from = 0): Position => ({ line: lineOf(text, needle, from), character: 2 });

test('hover on an RMRR header: range and size, each device with its lock status per OS, IOVA profiles, memory map', () => {
  const ctx = featureContext('t.dsl', text);
  const value = hoverText(ctx, at('Subtable Type : 0001'));
  assert.match(value, /### RMRR 0x7B800000-0x7FFFFFFF \(72 MiB\)/);
  // 00:02.0 is a display device by a labelled guess: relaxable on Linux, never on Hyper-V.
  assert.match(value, /00:02\.0 \(display controller by a GUESS[^\n]*: relaxable on Linux/);
  assert.match(value, /00:1f\.6 \(class unknown\): \*\*locked out of passthrough\*\*/);
  for (const os of ['Linux 3.17-6.5', 'Linux 6.6+', 'Hyper-V DDA', 'Xen']) assert.ok(value.includes(`- ${os}:`), os);
  assert.match(value, /Device is ineligible for IOMMU domain attach/);
  assert.match(value, /`qemu-q35`, q35 guest RAM below 2 GiB/);
  assert.match(value, /No memory map configured: cannot check/);
});

test('hover on any RMRR field shows the field and the RMRR', () => {
  const ctx = featureContext('t.dsl', text);
  const value = hoverText(ctx, at('End Address (limit)'));
  assert.match(value, /\*\*End Address \(limit\)\*\* · 8 bytes at offset 0x058 \(88\)/);
  assert.match(value, /Last byte of the region \(inclusive\)/);
  assert.match(value, /Value: `0x7FFFFFFF`/);
  assert.match(value, /### RMRR 0x7B800000-0x7FFFFFFF/);
});

test('hover on an RMRR says whether the memory map reserves it', () => {
  const entry = (start: bigint, end: bigint, type: 'usable' | 'reserved', line: number) => ({ start, end, type, rawType: type, line });
  const reserved: Platform = { annotations: new Map(), memoryMap: { file: '/x/dmesg.txt', entries: [entry(0n, 0x7b7fffffn, 'usable', 0), entry(0x7b800000n, 0x7fffffffn, 'reserved', 1)] } };
  assert.match(hoverText(featureContext('t.dsl', text, { platform: reserved }), at('Subtable Type : 0001')), /Reserved: inside `0x7b800000 - 0x7fffffff` reserved \(dmesg\.txt, line 2\)/);
  const usable: Platform = { annotations: new Map(), memoryMap: { file: '/x/dmesg.txt', entries: [entry(0n, 0x7fffffffn, 'usable', 0)] } };
  assert.match(hoverText(featureContext('t.dsl', text, { platform: usable }), at('Subtable Type : 0001')), /\*\*Not reserved\*\*[^\n]*usable RAM/);
});

test('hover on an RMRR with a PCI inventory names the devices and their classes', () => {
  const device = (dev: number, fn: number, classCode: number, className: string, name: string): PlatformDevice => ({
    segment: 0, bus: 0, device: dev, function: fn, classCode, className, name, isBridge: false, line: 0,
  });
  const platform: Platform = {
    annotations: new Map(),
    pci: { file: 'lspci.txt', devices: [device(0x02, 0, 0x030000, 'VGA compatible controller', 'Intel HD Graphics'), device(0x1f, 6, 0x020000, 'Ethernet controller', 'Intel I219-LM')] },
  };
  const value = hoverText(featureContext('t.dsl', text, { platform }), at('Subtable Type : 0001'));
  assert.match(value, /00:1f\.6 \(Ethernet controller: Intel I219-LM, from the PCI inventory\): \*\*locked out of passthrough\*\*/);
  assert.match(value, /00:02\.0 \(VGA compatible controller: Intel HD Graphics, from the PCI inventory\): relaxable on Linux/);
});

test('hover on an RMRR lists only the overlaps of the enabled IOVA profiles', () => {
  const none = hoverText(featureContext('t.dsl', text, { profiles: resolveProfiles(['none']).profiles }), at('Subtable Type : 0001'));
  assert.match(none, /No IOVA profile is enabled/);
  const xen = hoverText(featureContext('t.dsl', text, { profiles: resolveProfiles(['xen-hvm']).profiles }), at('Subtable Type : 0001'));
  assert.match(xen, /`xen-hvm`, Xen HVM guest RAM below the 2 GiB rdm_mem_boundary/);
  assert.doesNotMatch(xen, /qemu-q35/);
});

test('hover on a device scope: the BDF, the DRHD that translates it, the RMRRs that name it', () => {
  const ctx = featureContext('t.dsl', text);
  const inRmrr = hoverText(ctx, at('PCI Path : 1F,06'));
  assert.match(inRmrr, /### 00:1f\.6 \(PCI Endpoint\)/);
  assert.match(inRmrr, /Translated by DRHD 0xFED91000 \(INCLUDE_PCI_ALL\), which takes every device no other DRHD lists/);
  assert.match(inRmrr, /The path names \*\*00:1f\.6\*\*/);

  // The same device listed by a DRHD: its hover points at the RMRR that names it.
  const explicit = dmarSource(INCLUDE_ALL_DRHD.replace('Flags : 01', 'Flags : 00').replace('Device Scope Type : 03', 'Device Scope Type : 01').replace('PCI Bus Number : F0', 'PCI Bus Number : 00').replace('PCI Path : 1F,00', 'PCI Path : 1F,06')
    + '\n' + rmrrSource('000000007B800000', '000000007FFFFFFF', ['1F,06']));
  const drhdScope = hoverText(featureContext('t.dsl', explicit), { line: lineOf(explicit, 'PCI Path : 1F,06'), character: 0 });
  assert.match(drhdScope, /Translated by this unit \(DRHD 0xFED91000\), which lists it/);
  assert.match(drhdScope, /\*\*RMRRs naming this device\*\*: RMRR 0x7B800000-0x7FFFFFFF \(72 MiB\)/);
  const rmrrScope = hoverText(featureContext('t.dsl', explicit), { line: lineOf(explicit, 'PCI Path : 1F,06', lineOf(explicit, 'Subtable Type : 0001')), character: 0 });
  assert.match(rmrrScope, /Translated by DRHD 0xFED91000, whose scope lists it/);
});

test('hover on an IOAPIC scope and on decoded header fields', () => {
  const ctx = featureContext('t.dsl', text);
  assert.match(hoverText(ctx, at('Enumeration ID : 02')), /The I\/O APIC with ID 2/);
  const haw = hoverText(ctx, at('Host Address Width'));
  assert.match(haw, /Value: `0x26`, meaning \*\*39-bit\*\* DMA addresses/);
  const flags = hoverText(ctx, at('Flags : 01'));
  assert.match(flags, /- bit 0 `INTR_REMAP`: \*\*set\*\*/);
  assert.match(flags, /- bit 1 `X2APIC_OPT_OUT`: clear/);
  const drhdFlags = hoverText(ctx, at('Flags : 01', lineOf(text, 'Subtable Type : 0000')));
  assert.match(drhdFlags, /`INCLUDE_PCI_ALL`: \*\*set\*\*/);
  assert.match(drhdFlags, /### DRHD 0xFED91000 \(INCLUDE_PCI_ALL\)/);
  const scopeType = hoverText(ctx, at('Device Scope Type : 03'));
  assert.match(scopeType, /Value: `0x03` \(3\): \*\*IOAPIC Device\*\*/);
  // The template leaves Table Length at 0: the hover says what it should be.
  assert.match(hoverText(ctx, at('Table Length')), /The content encodes to 112 bytes: the written value is stale/);
});

test('hover works on the JSON form, at the ranges its reader records', () => {
  const json = writeJson(tableOf(text, true));
  const ctx = featureContext('t.dmar.json', json);
  assert.equal(ctx.doc.form, 'json');
  const line = lineOf(json, '"rmrr"');
  const value = hoverText(ctx, { line, character: json.split('\n')[line]!.indexOf('rmrr') });
  assert.match(value, /### RMRR 0x7B800000-0x7FFFFFFF \(72 MiB\)/);
});

test('hover works on a binary table, at the lines of its listing', () => {
  const bytes = encodeTable(tableOf(text, true));
  const ctx = featureContext('DMAR.dat', bytes);
  assert.equal(ctx.doc.form, 'binary');
  const value = hoverText(ctx, { line: lineOf(ctx.doc.text, 'Subtable Type : 0001'), character: 5 });
  assert.match(value, /### RMRR 0x7B800000-0x7FFFFFFF \(72 MiB\)/);
});

test('no hover between structures or outside the table', () => {
  const ctx = featureContext('t.dsl', text);
  assert.equal(hover(ctx, { line: lineOf(text, 'Reserved : 00 00') + 1, character: 0 }), undefined);
});
