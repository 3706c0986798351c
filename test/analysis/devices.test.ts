import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INCLUDE_ALL_DRHD, dmarSource, rmrrSource, tableOf } from '../helpers';
import {
  HYPERV_DDA_MESSAGE, LINUX_DIRECT_MAPPING_MESSAGE, LINUX_RMRR_LOCK_MESSAGE, devicesBelow, impactSummary, isRelaxableClass,
  lockStatus, pathBelow, pciIndexOf, resolveScopePath, tableDevices,
} from '../../server/src/analysis/devices';
import { emptyPlatform, type Platform, type PlatformDevice } from '../../server/src/analysis/platform';
import { PASSTHROUGH_RULES } from '../../server/src/analysis/rules/groups/passthrough';
import type { DeviceScope } from '../../server/src/table/model';

function dev(bus: number, device: number, fn: number, classCode: number, extra: Partial<PlatformDevice> = {}): PlatformDevice {
  return { segment: 0, bus, device, function: fn, classCode, className: '', name: '', isBridge: false, line: 0, ...extra };
}
const bridgeDev = (bus: number, device: number, fn: number, sec: number, sub = sec) =>
  dev(bus, device, fn, 0x060400, { isBridge: true, secondaryBus: sec, subordinateBus: sub });

const INVENTORY = [
  bridgeDev(0, 0x1c, 0, 1, 3), bridgeDev(1, 0, 0, 2, 3), bridgeDev(2, 1, 0, 3),
  dev(3, 0, 0, 0x020000), dev(3, 0, 1, 0x020000), dev(2, 0, 0, 0x0c0330), dev(0, 0x1f, 2, 0x010601), dev(4, 0, 0, 0x030000),
];
const scopeOf = (type: number, startBus: number, ...path: [number, number][]): DeviceScope => ({
  type, length: 6 + 2 * path.length, reserved: 0, enumerationId: 0, startBus, path: path.map(([device, fn]) => ({ device, function: fn })),
  tail: new Uint8Array(0), loc: { offset: 0, fields: {} },
});

test('resolveScopePath: one element is bus:dev.fn; deeper paths follow secondary buses through the inventory', () => {
  const index = pciIndexOf(INVENTORY);
  assert.deepEqual(resolveScopePath(undefined, 0, scopeOf(1, 0, [0x1f, 2])), { kind: 'unverified', bdf: { segment: 0, bus: 0, device: 0x1f, function: 2 }, label: '00:1f.2' });
  const deep = resolveScopePath(index, 0, scopeOf(1, 0, [0x1c, 0], [0, 0], [1, 0], [0, 1]));
  assert.equal(deep.kind, 'present');
  assert.equal(deep.label, '03:00.1');
  const unresolved = resolveScopePath(undefined, 0, scopeOf(1, 0, [0x1c, 0], [0, 0]));
  assert.equal(unresolved.kind, 'unresolved');
  assert.equal(unresolved.label, '00:1c.0/00.0');
  const absent = resolveScopePath(index, 0, scopeOf(1, 0, [0x1d, 0], [0, 0]));
  assert.deepEqual(absent.kind === 'absent' && absent.missing, '00:1d.0');
  const missingEnd = resolveScopePath(index, 0, scopeOf(1, 0, [0x1c, 0], [0, 5]));
  assert.deepEqual(missingEnd.kind === 'absent' && missingEnd.label, '01:00.5');
  // lspci -nn: no bus numbers, so the path cannot be followed.
  const nn = pciIndexOf([dev(0, 0x1c, 0, 0x060400, { isBridge: true })]);
  assert.equal(resolveScopePath(nn, 0, scopeOf(1, 0, [0x1c, 0], [0, 0])).kind, 'unresolved');
});

test('devicesBelow and pathBelow: the secondary..subordinate range, and the path down to each device', () => {
  const index = pciIndexOf(INVENTORY);
  const root = INVENTORY[0]!;
  const below = devicesBelow(index, root)!.map((d) => `${d.bus}:${d.device}.${d.function}`);
  assert.deepEqual(below, ['1:0.0', '2:0.0', '2:1.0', '3:0.0', '3:0.1']);
  assert.equal(devicesBelow(index, dev(0, 0x1c, 0, 0x060400, { isBridge: true })), undefined);
  const nic = INVENTORY[4]!;
  assert.deepEqual(pathBelow(index, root, [{ device: 0x1c, function: 0 }], nic), [
    { device: 0x1c, function: 0 }, { device: 0, function: 0 }, { device: 1, function: 0 }, { device: 0, function: 1 },
  ]);
});

test('tableDevices: computed once per table and platform; classes from lspci, annotations, guesses', () => {
  const table = tableOf(dmarSource([INCLUDE_ALL_DRHD, rmrrSource('000000007C000000', '000000007E7FFFFF', ['02,00', '14,00', '1F,02', '16,07'])].join('\n')));
  const platform = emptyPlatform();
  const a = tableDevices({ table, platform });
  assert.equal(tableDevices({ table, platform }), a);
  assert.deepEqual(a.rmrrs[0]!.devices.map((d) => [d.label, d.classSource, d.relaxable, d.locked]), [
    ['00:02.0', 'guess', true, false], ['00:14.0', 'guess', true, false], ['00:1f.2', 'unknown', false, true], ['00:16.7', 'unknown', false, true],
  ]);
  assert.equal(impactSummary(a.rmrrs[0]!), 'locks 2 devices out of passthrough; 2 relaxable devices (USB/display)');
  const annotated: Platform = { annotations: new Map([['00:1f.2', { class: 0x0c0300, name: 'USB' }], ['00:02.0', { class: 0x020000 }]]) };
  const b = tableDevices({ table, platform: annotated });
  assert.notEqual(b, a);
  assert.deepEqual(b.rmrrs[0]!.devices.map((d) => [d.label, d.classSource, d.relaxable]), [
    ['00:02.0', 'annotation', false], ['00:14.0', 'guess', true], ['00:1f.2', 'annotation', true], ['00:16.7', 'unknown', false],
  ]);
  const inventory: Platform = { annotations: annotated.annotations, pci: { file: 'lspci.txt', devices: [dev(0, 2, 0, 0x030000, { name: 'UHD' }), dev(0, 0x14, 0, 0x0c0330), dev(0, 0x1f, 2, 0x010601)] } };
  const c = tableDevices({ table, platform: inventory });
  assert.deepEqual(c.rmrrs[0]!.devices.map((d) => [d.label, d.classSource, d.presence, d.locked]), [
    ['00:02.0', 'lspci', 'present', false], ['00:14.0', 'lspci', 'present', false], ['00:1f.2', 'lspci', 'present', true], ['00:16.7', 'unknown', 'absent', false],
  ]);
  assert.equal(c.byDevice.get('00:1f.2')!.entries.length, 1);
});

test('lockStatus: Linux (both eras), Hyper-V DDA and Xen, per device', () => {
  const table = tableOf(dmarSource([INCLUDE_ALL_DRHD, rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['1D,00', '1F,02'])].join('\n')));
  const devices = tableDevices({ table, platform: emptyPlatform() });
  const [usb, sata] = devices.rmrrs[0]!.devices;
  const usbStatus = lockStatus(devices, usb!);
  assert.deepEqual(usbStatus.map((v) => [v.os, v.assignable]), [['Linux 3.17-6.5', true], ['Linux 6.6+', true], ['Hyper-V DDA', false], ['Xen', false]]);
  assert.equal(usbStatus[2]!.message, HYPERV_DDA_MESSAGE);
  assert.equal(usbStatus[3]!.message, "It's disallowed to assign 0000:00:1d.0 with shared RMRR at 7dffd000 for DomN.");
  const sataStatus = lockStatus(devices, sata!);
  assert.equal(sataStatus[0]!.message, LINUX_RMRR_LOCK_MESSAGE);
  assert.equal(sataStatus[1]!.message, LINUX_DIRECT_MAPPING_MESSAGE);
  assert.ok(isRelaxableClass(0x0c0320) && isRelaxableClass(0x038000) && !isRelaxableClass(0x0c0500) && !isRelaxableClass(0x020000));
});

/** A table of `n` RMRRs, built in the model directly (the source reader's speed is not measured here). */
function manyRmrrs(n: number) {
  const table = tableOf(dmarSource([INCLUDE_ALL_DRHD, rmrrSource('0000000010000000', '0000000010000FFF', ['14,00', '1F,02'])].join('\n')));
  const template = table.structures[1]!;
  for (let i = 1; i < n; i++) {
    const copy = structuredClone(template);
    if (copy.kind !== 'rmrr') continue;
    copy.base = 0x10000000n + BigInt(i) * 0x2000n;
    copy.limit = copy.base + 0xfffn;
    copy.scopes[1]!.path[0] = { device: i % 32, function: i % 8 };
    table.structures.push(copy);
  }
  return table;
}

test('10,000 RMRRs stay instant for every passthrough rule: the work grows linearly', () => {
  const platform: Platform = { annotations: new Map(), pci: { file: 'lspci.txt', devices: INVENTORY }, madt: { file: 'apic.dsl', ioApics: [{ id: 2, address: 0xfec00000, gsiBase: 0, line: 0 }] } };
  const time = (n: number) => {
    const table = manyRmrrs(n);
    const started = process.hrtime.bigint();
    let findings = 0;
    for (const rule of PASSTHROUGH_RULES) findings += rule.check({ table, platform, profiles: [] }).length;
    return { ms: Number(process.hrtime.bigint() - started) / 1e6, findings };
  };
  time(1000); // warm up the JIT
  const small = time(1000);
  const large = time(10000);
  assert.ok(large.findings >= 10 * small.findings - 10);
  // Linear work takes about 10 times as long for 10 times the RMRRs; a loop over RMRRs inside a
  // loop over RMRRs would take about 100 times as long.
  assert.ok(large.ms < 35 * small.ms + 100, `1,000 RMRRs: ${small.ms.toFixed(0)} ms, 10,000: ${large.ms.toFixed(0)} ms`);
});
