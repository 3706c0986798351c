import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  NO_PCI_INVENTORY_MESSAGE,
  classHex,
  devicesBelowBridge,
  findDevice,
  formatBdf,
  isRelaxable,
  parseBdf,
  pciClassName,
  pciIndex,
  pciKey,
  readPciInventory,
  resolvePath,
  type PciDevice,
} from '../../../server/src/analysis/context/pci-inventory';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/context');
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');

function byBdf(devices: PciDevice[], bdf: string): PciDevice {
  const device = devices.find((d) => formatBdf(d.segment, d.bus, d.device, d.function) === bdf);
  assert.ok(device, `${bdf} is in the inventory`);
  return device;
}

test('lspci -vvnn of a laptop: every device, its class, ids and the bridges with their buses', () => {
  const text = fixture('lspci-vvnn-laptop.txt');
  const inventory = readPciInventory(text);
  assert.equal(inventory.detail, 'vvnn');
  assert.deepEqual(inventory.problems, []);
  assert.equal(inventory.devices.length, 19);

  const xhci = byBdf(inventory.devices, '00:14.0');
  assert.equal(xhci.classCode, 0x0c0330);
  assert.equal(xhci.progIfKnown, true);
  assert.equal(xhci.className, 'USB controller');
  assert.equal(xhci.name, 'Intel Corporation Cannon Point-LP USB 3.1 xHCI Host Controller');
  assert.equal(xhci.vendorId, 0x8086);
  assert.equal(xhci.deviceId, 0x9ded);
  assert.equal(xhci.revision, 0x30);
  assert.equal(xhci.isBridge, false);
  assert.equal(xhci.line, text.split('\n').findIndex((l) => l.startsWith('00:14.0 ')));

  // Brackets inside the name do not confuse the ids.
  const gpu = byBdf(inventory.devices, '00:02.0');
  assert.equal(gpu.name, 'Intel Corporation WhiskeyLake-U GT2 [UHD Graphics 620]');
  assert.equal(gpu.classCode, 0x030000);
  assert.equal(gpu.deviceId, 0x3ea0);

  // `(prog-if 80)` without a name, and a device with no prog-if at all.
  assert.equal(byBdf(inventory.devices, '00:1f.3').classCode, 0x040380);
  const isa = byBdf(inventory.devices, '00:1f.0');
  assert.deepEqual([isa.classCode, isa.progIfKnown], [0x060100, false]);
  assert.equal(byBdf(inventory.devices, '02:00.0').className, 'Unassigned class');

  const rootPort = byBdf(inventory.devices, '00:1c.0');
  assert.equal(rootPort.isBridge, true);
  assert.deepEqual([rootPort.primaryBus, rootPort.secondaryBus, rootPort.subordinateBus], [0, 2, 2]);
  assert.deepEqual(
    inventory.devices.filter((d) => d.isBridge).map((d) => formatBdf(d.segment, d.bus, d.device, d.function)),
    ['00:1c.0', '00:1c.4', '00:1d.0'],
  );
});

test('lspci -nn: classes without prog-if and no bus numbers', () => {
  const inventory = readPciInventory(fixture('lspci-nn-laptop.txt'));
  assert.equal(inventory.detail, 'nn');
  assert.deepEqual(inventory.problems, []);
  assert.equal(inventory.devices.length, 19);
  const xhci = byBdf(inventory.devices, '00:14.0');
  assert.deepEqual([xhci.classCode, xhci.progIfKnown], [0x0c0300, false]);
  assert.equal(isRelaxable(xhci.classCode), true);
  const rootPort = byBdf(inventory.devices, '00:1d.0');
  assert.equal(rootPort.isBridge, true);
  assert.equal(rootPort.secondaryBus, undefined);
  assert.equal(devicesBelowBridge(pciIndex(inventory.devices), rootPort), undefined);
});

test('lspci -Dvvnn of a ProLiant: domains, the iLO functions, RAID and NICs behind root ports', () => {
  const inventory = readPciInventory(fixture('lspci-Dvvnn-proliant.txt'));
  assert.equal(inventory.detail, 'vvnn');
  assert.deepEqual(inventory.problems, []);
  assert.equal(inventory.devices.length, 30);
  assert.ok(inventory.devices.every((d) => d.segment === 0));
  const raid = byBdf(inventory.devices, '03:00.0');
  assert.deepEqual([raid.classCode, raid.vendorId, raid.deviceId], [0x010400, 0x103c, 0x3239]);
  assert.equal(raid.name, 'Hewlett-Packard Company Smart Array Gen9 Controllers');
  const iloUsb = byBdf(inventory.devices, '01:00.4');
  assert.deepEqual([iloUsb.classCode, iloUsb.progIfKnown], [0x0c0300, true]);
  assert.equal(byBdf(inventory.devices, '00:1f.2').classCode, 0x010601);

  const index = pciIndex(inventory.devices);
  const below = (bdf: string): string[] | undefined =>
    devicesBelowBridge(index, byBdf(inventory.devices, bdf))?.map((d) => formatBdf(d.segment, d.bus, d.device, d.function));
  assert.deepEqual(below('00:1c.7'), ['01:00.0', '01:00.1', '01:00.2', '01:00.4']);
  assert.deepEqual(below('00:02.2'), ['05:00.0', '05:00.1', '05:00.2', '05:00.3']);
  // A root port with a PCIe switch card: everything on buses 06-09.
  assert.deepEqual(below('00:03.0'), ['06:00.0', '07:08.0', '07:09.0', '08:00.0', '09:00.0']);
  assert.deepEqual(below('07:09.0'), ['09:00.0']);
  assert.deepEqual(below('00:1c.0'), []); // an empty slot
});

test('resolvePath follows each bridge to its secondary bus', () => {
  const index = pciIndex(readPciInventory(fixture('lspci-Dvvnn-proliant.txt')).devices);
  // Root port 00:03.0 -> switch upstream port 06:00.0 -> downstream port 07:08.0 -> 08:00.0.
  const path4 = resolvePath(index, 0, 0, [
    { device: 3, function: 0 },
    { device: 0, function: 0 },
    { device: 8, function: 0 },
    { device: 0, function: 0 },
  ]);
  assert.ok(path4.bdf);
  assert.deepEqual(path4.bdf, { segment: 0, bus: 8, device: 0, function: 0 });
  assert.equal(path4.device?.name, 'Mellanox Technologies MT27520 Family [ConnectX-3 Pro]');

  // One element: the device on the start bus itself.
  const single = resolvePath(index, 0, 3, [{ device: 0, function: 0 }]);
  assert.equal(single.bdf && formatBdf(0, single.bdf.bus, single.bdf.device, single.bdf.function), '03:00.0');

  // The path reaches an address with no device: resolved, but device is undefined.
  const absent = resolvePath(index, 0, 0, [{ device: 0x1c, function: 0 }, { device: 0, function: 0 }]);
  assert.deepEqual(absent.bdf, { segment: 0, bus: 2, device: 0, function: 0 });
  assert.equal(absent.bdf && absent.device, undefined);
});

test('resolvePath says why it cannot go on', () => {
  const index = pciIndex(readPciInventory(fixture('lspci-Dvvnn-proliant.txt')).devices);
  const unknown = resolvePath(index, 0, 0, [{ device: 0x1b, function: 0 }, { device: 0, function: 0 }]);
  assert.equal(unknown.bdf, undefined);
  assert.ok(!unknown.bdf);
  assert.equal(unknown.failedAtElement, 0);
  assert.equal(unknown.reason, 'the bridge 00:1b.0 (path element 1 of 2) is not in the PCI inventory');

  const notBridge = resolvePath(index, 0, 0, [{ device: 0x14, function: 0 }, { device: 0, function: 0 }]);
  assert.ok(!notBridge.bdf);
  assert.match(notBridge.reason, /00:14\.0 .* is a USB controller \(class 0x0c0330\), not a bridge/);

  const nnIndex = pciIndex(readPciInventory(fixture('lspci-nn-laptop.txt')).devices);
  const noBuses = resolvePath(nnIndex, 0, 0, [{ device: 0x1d, function: 0 }, { device: 0, function: 0 }]);
  assert.ok(!noBuses.bdf);
  assert.match(noBuses.reason, /secondary bus of the bridge 00:1d\.0.*use lspci -vvnn/);

  const empty = resolvePath(index, 0, 0, []);
  assert.ok(!empty.bdf);
  assert.equal(empty.reason, 'the device scope has no path');
});

test('lspci -n (numbers only), domains other than 0, -x hex dumps and header types', () => {
  const text = [
    '0001:00:00.0 0600: 8086:2020 (rev 04)',
    '0001:00:02.0 0604: 8086:2032 (rev 04)',
    '00: 86 80 32 20 47 05 10 00 04 00 04 06 10 00 81 00',
    '10: 00 00 00 00 00 00 00 00 00 17 17 00 f0 00 00 20',
    '',
    '0001:17:00.0 0200: 15b3:1017',
    '\tHeader type: 00',
  ].join('\n');
  const inventory = readPciInventory(text);
  assert.deepEqual(inventory.problems, []);
  assert.equal(inventory.detail, 'vvnn');
  const [host, port, nic] = inventory.devices;
  assert.deepEqual([host.segment, host.classCode, host.className, host.vendorId, host.deviceId], [1, 0x060000, 'Class 0600', 0x8086, 0x2020]);
  assert.equal(formatBdf(port.segment, port.bus, port.device, port.function), '0001:00:02.0');
  assert.deepEqual([port.headerType, port.secondaryBus, port.subordinateBus, port.isBridge], [1, 0x17, 0x17, true]);
  assert.deepEqual([nic.headerType, nic.isBridge], [0, false]);
  assert.equal(findDevice(pciIndex(inventory.devices), { segment: 1, bus: 0x17, device: 0, function: 0 }), nic);
  assert.equal(findDevice(pciIndex(inventory.devices), { segment: 0, bus: 0x17, device: 0, function: 0 }), undefined);
});

test('lines it cannot use are reported, and text that is no lspci output says so', () => {
  const text = [
    '$ lspci -nn',
    '00:1f.0 ISA bridge: Intel Corporation Cannon Point-LP LPC Controller (rev 30)',
    '00:20.0 Host bridge [0600]: Nonsense [8086:0000]',
    '00:14.0 USB controller [0c03]: Intel Corporation xHCI [8086:9ded] (rev 30)',
    '00:14.0 USB controller [0c03]: Intel Corporation xHCI [8086:9ded] (rev 30)',
  ].join('\n');
  const inventory = readPciInventory(text);
  assert.equal(inventory.devices.length, 1);
  assert.deepEqual(
    inventory.problems.map((p) => p.line),
    [0, 1, 2, 4],
  );
  assert.match(inventory.problems[1].message, /run `lspci -nn`/);
  assert.match(inventory.problems[3].message, /listed twice \(first on line 4\)/);

  for (const notLspci of ['', fixture('dmesg-laptop.txt')]) {
    const result = readPciInventory(notLspci);
    assert.deepEqual(result.devices, []);
    assert.deepEqual(result.problems, [{ line: 0, message: NO_PCI_INVENTORY_MESSAGE }]);
  }
});

test('addresses: formatBdf, parseBdf, pciKey', () => {
  assert.equal(formatBdf(0, 0, 0x1f, 0), '00:1f.0');
  assert.equal(formatBdf(1, 0x80, 2, 7), '0001:80:02.7');
  assert.equal(pciKey(0, 0, 0x1f, 0), '0000:00:1f.0');
  assert.deepEqual(parseBdf('00:14.0'), { segment: 0, bus: 0, device: 0x14, function: 0 });
  assert.deepEqual(parseBdf('0001:3b:00.1'), { segment: 1, bus: 0x3b, device: 0, function: 1 });
  assert.equal(parseBdf('00:20.0'), undefined);
  assert.equal(parseBdf('00:1f.8'), undefined);
  assert.equal(parseBdf('1f.0'), undefined);
});

test('isRelaxable: USB controllers and display devices only (Linux device_rmrr_is_relaxable)', () => {
  for (const relaxable of [0x0c0330, 0x0c0320, 0x0c0300, 0x030000, 0x030200, 0x038000]) assert.equal(isRelaxable(relaxable), true, classHex(relaxable));
  for (const locked of [0x0c0500, 0x0c8000, 0x020000, 0x010400, 0x088000, 0x040300, 0x060400]) assert.equal(isRelaxable(locked), false, classHex(locked));
  assert.equal(classHex(0x0c0300, false), '0x0c03xx');
  assert.equal(pciClassName(0x0c0330), 'USB controller');
  assert.equal(pciClassName(0x010400), 'RAID bus controller');
  assert.equal(pciClassName(0x048000), 'Multimedia controller');
  assert.equal(pciClassName(0xff0000), 'Class 0xff0000');
});
