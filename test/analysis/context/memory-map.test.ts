import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  NO_MEMORY_MAP_MESSAGE,
  classifyOverlap,
  describeSegment,
  findCovering,
  formatMemoryMapEntry,
  linuxAcceptsRmrr,
  linuxMemmapReserveParameter,
  memoryTypeOf,
  pageAligned,
  readMemoryMap,
  reservedCover,
  type MemoryMapEntry,
} from '../../../server/src/analysis/context/memory-map';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/context');
const fixture = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle));
}

test('dmesg: reads every BIOS-e820 line of a laptop log and nothing else', () => {
  const text = fixture('dmesg-laptop.txt');
  const map = readMemoryMap(text);
  assert.equal(map.format, 'e820');
  assert.deepEqual(map.problems, []);
  assert.equal(map.entries.length, 25);
  const first = map.entries[0];
  assert.deepEqual(first, { start: 0n, end: 0x57fffn, type: 'usable', rawType: 'usable', line: lineOf(text, '0x0000000000000000-0x0000000000057fff') });
  // The iGPU stolen-memory region just below TOLUD.
  const stolen = map.entries.find((e) => e.start === 0x67800000n);
  assert.equal(stolen?.end, 0x6f7fffffn);
  assert.equal(stolen?.type, 'reserved');
  const types = new Set(map.entries.map((e) => `${e.rawType}=${e.type}`));
  assert.deepEqual([...types].sort(), ['ACPI NVS=acpi-nvs', 'ACPI data=acpi-data', 'reserved=reserved', 'type 20=other', 'usable=usable']);
  assert.equal(map.entries[map.entries.length - 1].end, 0x48f7fffffn);
});

test('dmesg: the pre-3.x form has an exclusive end', () => {
  const map = readMemoryMap(fixture('dmesg-proliant-g7-2.6.32.txt'));
  assert.equal(map.format, 'e820');
  assert.deepEqual(map.problems, []);
  assert.equal(map.entries.length, 10);
  assert.deepEqual(
    map.entries.slice(0, 2).map((e) => [e.start, e.end, e.type]),
    [
      [0n, 0x9f3ffn, 'usable'],
      [0x9f400n, 0x9ffffn, 'reserved'],
    ],
  );
  const acpi = map.entries.find((e) => e.rawType === 'ACPI data');
  assert.deepEqual([acpi?.start, acpi?.end], [0xd762f000n, 0xd763bfffn]);
});

test('dmesg: sizes, gap lines and the newer type names of the 2025 e820 rework', () => {
  const text = [
    'BIOS-provided physical RAM map:',
    'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]  639   KB kernel usable RAM',
    'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff]    1   KB device reserved',
    'BIOS-e820: [gap 0x00000000000a0000-0x00000000000effff]  320   KB ...',
    'BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff]   64   KB device reserved',
    'BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff]    2   GB persistent RAM (type 7)',
    'BIOS-e820: [mem 0x0000000180000000-0x00000001bfffffff]    1   GB soft reserved',
  ].join('\n');
  const map = readMemoryMap(text);
  assert.deepEqual(map.problems, []);
  assert.deepEqual(
    map.entries.map((e) => [e.type, e.rawType]),
    [
      ['usable', 'kernel usable RAM'],
      ['reserved', 'device reserved'],
      ['reserved', 'device reserved'],
      ['persistent', 'persistent RAM (type 7)'],
      ['other', 'soft reserved'],
    ],
  );
});

test('dmesg: a second boot in the same log replaces the first map, and broken lines are reported', () => {
  const text = [
    '[    0.000000] BIOS-provided physical RAM map:',
    '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable',
    '-- Boot 2 --',
    '[    0.000000] BIOS-provided physical RAM map:',
    '[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000008ffff] usable',
    '[    0.000000] BIOS-e820: [mem 0x0000000000090000-oops] reserved',
    '[    0.000000] BIOS-e820: [mem 0x00000000000a0000-0x000000000009ffff] reserved',
  ].join('\n');
  const map = readMemoryMap(text);
  assert.deepEqual(map.entries.map((e) => e.end), [0x8ffffn]);
  assert.deepEqual(map.problems.map((p) => p.line), [3, 5, 6]);
  assert.match(map.problems[0].message, /second BIOS-provided memory map/);
  assert.match(map.problems[1].message, /could not be read/);
  assert.match(map.problems[2].message, /ends .* before it starts/);
});

test('/proc/iomem: takes e820 resources at any depth unless inside another e820 resource', () => {
  const text = fixture('proc-iomem-laptop.txt');
  const map = readMemoryMap(text);
  assert.equal(map.format, 'iomem');
  assert.deepEqual(map.problems, []);
  const dmesg = readMemoryMap(fixture('dmesg-laptop.txt'));
  // Same machine, same map, except that the kernel reserved page 0 (`e820: update [mem
  // 0x00000000-0x00000fff] usable ==> reserved`). /proc/iomem shows the MMCONFIG, Local APIC and
  // the PCI window's reserved entries as children of other resources.
  const expected = dmesg.entries.map((e) => [e.start, e.end, e.type]);
  expected.splice(0, 1, [0n, 0xfffn, 'reserved'], [0x1000n, 0x57fffn, 'usable']);
  assert.deepEqual(
    map.entries.map((e) => [e.start, e.end, e.type]),
    expected,
  );
  const localApic = map.entries.find((e) => e.start === 0xfee00000n);
  assert.equal(localApic?.line, lineOf(text, '  fee00000-fee00fff : Reserved'));
  // Kernel code, Graphics Stolen Memory and RAM buffer are not e820 entries.
  assert.ok(!map.entries.some((e) => /Kernel|Stolen|buffer/.test(e.rawType)));
});

test('/proc/iomem read as non-root: all-zero addresses are reported, not used', () => {
  const map = readMemoryMap(fixture('proc-iomem-nonroot.txt'));
  assert.equal(map.format, 'iomem');
  assert.deepEqual(map.entries, []);
  assert.equal(map.problems.length, 1);
  assert.equal(map.problems[0].line, 0);
  assert.match(map.problems[0].message, /non-root.*sudo cat \/proc\/iomem/);
});

test('/sys/firmware/memmap: the for-loop dump is sorted by address, not by the glob order', () => {
  const text = fixture('sys-firmware-memmap-server.txt');
  const map = readMemoryMap(text);
  assert.equal(map.format, 'memmap');
  assert.deepEqual(map.problems, []);
  assert.equal(map.entries.length, 11);
  const starts = map.entries.map((e) => e.start);
  assert.deepEqual(starts, [...starts].sort((a, b) => (a < b ? -1 : 1)));
  const high = map.entries[map.entries.length - 1];
  assert.deepEqual([high.start, high.end, high.type, high.line], [0x100000000n, 0x203fffffffn, 'usable', 2]);
  assert.equal(map.entries.find((e) => e.rawType === 'ACPI Tables')?.type, 'acpi-data');
});

test('/sys/firmware/memmap: the grep form gives the same entries', () => {
  const text = fixture('sys-firmware-memmap-grep.txt');
  const map = readMemoryMap(text);
  assert.equal(map.format, 'memmap');
  assert.deepEqual(map.problems, []);
  const loop = readMemoryMap(fixture('sys-firmware-memmap-server.txt'));
  assert.deepEqual(
    map.entries.map((e) => [e.start, e.end, e.type]),
    loop.entries.map((e) => [e.start, e.end, e.type]),
  );
  // An entry points at its `start` line.
  assert.equal(map.entries[0].line, lineOf(text, 'memmap/0/start'));
});

test('/sys/firmware/memmap: head output and incomplete entries', () => {
  const text = [
    '==> /sys/firmware/memmap/0/end <==',
    '0x9efff',
    '',
    '==> /sys/firmware/memmap/0/start <==',
    '0x0',
    '',
    '==> /sys/firmware/memmap/0/type <==',
    'System RAM',
    '/sys/firmware/memmap/1/start:0x9f000',
    '/sys/firmware/memmap/1/type:Reserved',
  ].join('\n');
  const map = readMemoryMap(text);
  assert.deepEqual(map.entries.map((e) => [e.start, e.end, e.type]), [[0n, 0x9effFn, 'usable']]);
  assert.deepEqual(map.problems, [{ line: 8, message: 'memmap entry 1 has no end; ignored' }]);
});

test('text that is no memory map says what was expected', () => {
  for (const text of ['', 'hello\nworld', fixture('lspci-nn-laptop.txt')]) {
    const map = readMemoryMap(text);
    assert.equal(map.format, 'unknown');
    assert.deepEqual(map.entries, []);
    assert.deepEqual(map.problems, [{ line: 0, message: NO_MEMORY_MAP_MESSAGE }]);
  }
});

test('overlapping entries are reported', () => {
  const map = readMemoryMap(['0x0 0xfffff System RAM', '0x80000 0x9ffff Reserved'].join('\n'));
  assert.equal(map.problems.length, 1);
  assert.equal(map.problems[0].line, 1);
  assert.match(map.problems[0].message, /overlaps 0x0 - 0xfffff/);
});

test('memoryTypeOf covers every spelling', () => {
  const cases: [string, string][] = [
    ['usable', 'usable'],
    ['(usable)', 'usable'],
    ['System RAM', 'usable'],
    ['reserved', 'reserved'],
    ['Reserved', 'reserved'],
    ['ACPI NVS', 'acpi-nvs'],
    ['ACPI Non-volatile Storage', 'acpi-nvs'],
    ['ACPI data', 'acpi-data'],
    ['ACPI Tables', 'acpi-data'],
    ['unusable', 'unusable'],
    ['Unusable memory', 'unusable'],
    ['persistent (type 12)', 'persistent'],
    ['Persistent Memory (legacy)', 'persistent'],
    ['type 20', 'other'],
    ['type 4', 'acpi-nvs'],
    ['Unknown E820 type', 'other'],
  ];
  for (const [raw, type] of cases) assert.equal(memoryTypeOf(raw), type, raw);
});

// ---------------------------------------------------------------------------------------------

const laptop = readMemoryMap(fixture('dmesg-laptop.txt')).entries;

test('reservedCover: the iGPU and USB RMRRs of the laptop sit inside one reserved entry', () => {
  const igpu = reservedCover(laptop, 0x6b800000n, 0x6f7fffffn);
  assert.deepEqual([igpu?.start, igpu?.end], [0x67800000n, 0x6f7fffffn]);
  assert.ok(reservedCover(laptop, 0x62b2a000n, 0x62b49fffn));
  // ACPI NVS counts as reserved; ACPI data (reclaimable) does not.
  assert.equal(reservedCover(laptop, 0x5b2e8000n, 0x5b2e8fffn)?.type, 'acpi-nvs');
  assert.equal(reservedCover(laptop, 0x64d7a000n, 0x64d7afffn), undefined);
  assert.equal(findCovering(laptop, 0x64d7a000n, 0x64d7afffn)?.type, 'acpi-data');
  // Two adjacent reserved-like entries are not one entry.
  assert.equal(reservedCover(laptop, 0x5b2e8000n, 0x5b2e9fffn), undefined);
  assert.equal(findCovering(laptop, 0x5b2e8000n, 0x5b2e9fffn), undefined);
});

test('linuxAcceptsRmrr: a range inside one reserved entry passes in both kernel eras', () => {
  for (const era of ['v6.1+', 'v5.5-6.0'] as const) {
    const verdict = linuxAcceptsRmrr(laptop, 0x6b800000n, 0x6f7fffffn, era);
    assert.equal(verdict.accepted, true, era);
    assert.equal(verdict.acceptedThroughOtherTypes, false, era);
    assert.equal(verdict.decidingEntry?.start, 0x67800000n);
  }
});

test('linuxAcceptsRmrr: 6.1+ looks only at the last entry of the walk, so a range starting in RAM passes', () => {
  // Starts in usable RAM (..0x61f2cfff), ends in the reserved entry 0x61f2d000-0x64d79fff.
  const verdict = linuxAcceptsRmrr(laptop, 0x61f00000n, 0x61f3ffffn);
  assert.equal(verdict.accepted, true);
  assert.equal(verdict.acceptedThroughOtherTypes, true);
  assert.deepEqual(verdict.walked.map((e) => e.type), ['usable', 'reserved']);
  assert.equal(verdict.decidingEntry?.type, 'reserved');
  assert.equal(reservedCover(laptop, 0x61f00000n, 0x61f3ffffn), undefined);
  // 5.5-6.0 asked for E820_TYPE_RESERVED entries only, so the RAM part fails the walk.
  assert.equal(linuxAcceptsRmrr(laptop, 0x61f00000n, 0x61f3ffffn, 'v5.5-6.0').accepted, false);
});

test('linuxAcceptsRmrr: the NVS story of commit "Allow NVS regions in arch_rmrr_sanity_check()"', () => {
  // The e820 snippet quoted in that commit: the RMRR lies in the ACPI NVS entry.
  const map = readMemoryMap(
    [
      'BIOS-e820: [mem 0x0000000068bff000-0x000000006ebfefff] reserved',
      'BIOS-e820: [mem 0x000000006ebff000-0x000000006f9fefff] ACPI NVS',
      'BIOS-e820: [mem 0x000000006f9ff000-0x000000006fffefff] ACPI data',
    ].join('\n'),
  ).entries;
  assert.equal(linuxAcceptsRmrr(map, 0x6f760000n, 0x6f762fffn, 'v5.5-6.0').accepted, false);
  assert.equal(linuxAcceptsRmrr(map, 0x6f760000n, 0x6f762fffn, 'v6.1+').accepted, true);
  // A range that ends in ACPI data is refused: the walk's last entry decides.
  const verdict = linuxAcceptsRmrr(map, 0x6f9fe000n, 0x6f9fffffn);
  assert.equal(verdict.accepted, false);
  assert.equal(verdict.decidingEntry?.type, 'acpi-data');
});

test('linuxAcceptsRmrr: a hole breaks the walk', () => {
  // 0x6f800000 onwards is a hole up to 0xe0000000.
  const verdict = linuxAcceptsRmrr(laptop, 0x6f000000n, 0x6fffffffn);
  assert.equal(verdict.accepted, false);
  assert.equal(verdict.decidingEntry, undefined);
  assert.equal(verdict.walked.length, 1);
});

test('classifyOverlap: splits a range into RAM, reserved and holes', () => {
  const segments = classifyOverlap(laptop, 0x663fe000n, 0x67ffffffn);
  assert.deepEqual(
    segments.map((s) => [s.start, s.end, s.kind]),
    [
      [0x663fe000n, 0x663fefffn, 'other'],
      [0x663ff000n, 0x663fffffn, 'usable'],
      [0x66400000n, 0x667fffffn, 'reserved'],
      [0x66800000n, 0x677fffffn, 'hole'],
      [0x67800000n, 0x67ffffffn, 'reserved'],
    ],
  );
  assert.deepEqual(segments.map(describeSegment), [
    '0x663fe000 - 0x663fefff is "type 20"',
    '0x663ff000 - 0x663fffff is usable RAM',
    '0x66400000 - 0x667fffff is reserved',
    '0x66800000 - 0x677fffff is in a hole (no memory-map entry)',
    '0x67800000 - 0x67ffffff is reserved',
  ]);
  // Entirely in a hole, and beyond the end of the map.
  assert.deepEqual(classifyOverlap(laptop, 0x70000000n, 0x700fffffn).map((s) => s.kind), ['hole']);
  assert.deepEqual(classifyOverlap(laptop, 0x48f7ff000n, 0x48f800fffn).map((s) => s.kind), ['usable', 'hole']);
  assert.deepEqual(classifyOverlap([], 0n, 0xfffn).map((s) => s.kind), ['hole']);
});

test('classifyOverlap, reservedCover and linuxAcceptsRmrr do not depend on the order of the entries', () => {
  const shuffled: MemoryMapEntry[] = [...laptop].reverse();
  assert.deepEqual(classifyOverlap(shuffled, 0x61f00000n, 0x61f3ffffn), classifyOverlap(laptop, 0x61f00000n, 0x61f3ffffn));
  assert.equal(linuxAcceptsRmrr(shuffled, 0x61f00000n, 0x61f3ffffn).accepted, true);
});

test('fix texts: the entry to add in each format, and the Linux workaround', () => {
  assert.equal(formatMemoryMapEntry(0x7b800000n, 0x7fffffffn), 'BIOS-e820: [mem 0x000000007b800000-0x000000007fffffff] reserved');
  assert.equal(formatMemoryMapEntry(0x7b800000n, 0x7fffffffn, 'acpi-nvs', 'iomem'), '7b800000-7fffffff : ACPI Non-volatile Storage');
  assert.equal(formatMemoryMapEntry(0x9f000n, 0x9ffffn, 'reserved', 'memmap'), '0x9f000 0x9ffff Reserved');
  // A fix line reads back as what it says.
  const back = readMemoryMap(formatMemoryMapEntry(0x7b800000n, 0x7fffffffn)).entries[0];
  assert.deepEqual([back.start, back.end, back.type], [0x7b800000n, 0x7fffffffn, 'reserved']);
  assert.deepEqual(pageAligned(0x7b800010n, 0x7b801000n), { start: 0x7b800000n, end: 0x7b801fffn });
  assert.equal(linuxMemmapReserveParameter(0x6b800000n, 0x6f7fffffn), 'memmap=0x4000000$0x6b800000');
});
