import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { INCLUDE_ALL_DRHD, applyFixToText, contextOf, corpusFiles, dmarSource, lineOf, rmrrSource, run, tableOf } from '../../helpers';
import { readSource } from '../../../server/src/table/source-reader';
import { lengthMismatch } from '../../../server/src/analysis/rules/length-mismatch';
import { RMRR_RANGE_RULES } from '../../../server/src/analysis/rules/groups/rmrr-ranges';
import { rmrrBaseUnaligned } from '../../../server/src/analysis/rules/rmrr-base-unaligned';
import { rmrrLimitUnaligned } from '../../../server/src/analysis/rules/rmrr-limit-unaligned';
import { rmrrLimitBeforeBase } from '../../../server/src/analysis/rules/rmrr-limit-before-base';
import { rmrrExceedsHaw } from '../../../server/src/analysis/rules/rmrr-exceeds-haw';
import { rmrrOverlap } from '../../../server/src/analysis/rules/rmrr-overlap';
import { rmrrNoScope } from '../../../server/src/analysis/rules/rmrr-no-scope';
import { rmrrMsiWindow } from '../../../server/src/analysis/rules/rmrr-msi-window';
import { rmrrDrhdRegisters } from '../../../server/src/analysis/rules/rmrr-drhd-registers';
import { rmrrLegacyArea } from '../../../server/src/analysis/rules/rmrr-legacy-area';
import { rmrrNotReserved } from '../../../server/src/analysis/rules/rmrr-not-reserved';
import { rmrrIovaConflict } from '../../../server/src/analysis/rules/rmrr-iova-conflict';
import { BUILT_IN_PROFILES, resolveProfiles } from '../../../server/src/analysis/iova-profiles';
import type { MemoryRegion, MemoryType, Platform } from '../../../server/src/analysis/platform';
import { SpanIndex, overlappingNeighbours } from '../../../server/src/analysis/rmrr-ranges-util';
import type { Rmrr } from '../../../server/src/table/model';

/** A table with the usual INCLUDE_PCI_ALL DRHD (registers at 0xFED91000) and the given RMRRs. */
const table = (...rmrrs: string[]) => dmarSource([INCLUDE_ALL_DRHD, ...rmrrs].join('\n'));
const ids = (findings: { rule: string }[]) => findings.map((f) => f.rule);
const lines = (findings: { range?: { start: { line: number } } }[]) => findings.map((f) => f.range!.start.line);

const GOOD = table(rmrrSource('000000008C587000', '000000008C5A6FFF'));

test('a clean table is quiet for every RMRR range rule', () => {
  const ctx = contextOf(tableOf(GOOD), undefined, [...BUILT_IN_PROFILES].filter((p) => p.name === 'qemu-q35'));
  for (const rule of RMRR_RANGE_RULES) assert.deepEqual(rule.check(ctx), [], rule.meta.id);
});

test('rmrr-base-unaligned: fires at the base value; aligning down is safe and settles it', () => {
  const text = table(rmrrSource('000000008C587001', '000000008C5A6FFF'));
  const findings = run(rmrrBaseUnaligned, text);
  assert.deepEqual(ids(findings), ['rmrr-base-unaligned']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Base Address : 000000008C587001')]);
  assert.match(findings[0]!.message, /bad RMRR \[0x000000008c587001-0x000000008c5a6fff\]/);
  assert.equal(findings[0]!.fixes![0]!.safe, true);
  const fixed = applyFixToText(text, findings[0]!);
  assert.match(fixed, /Base Address : 000000008C587000/);
  assert.deepEqual(run(rmrrBaseUnaligned, fixed), []);
  assert.deepEqual(run(rmrrBaseUnaligned, GOOD), []);
});

test('rmrr-limit-unaligned: an exclusive-looking limit becomes limit - 1 (not safe)', () => {
  const text = table(rmrrSource('000000008C587000', '000000008C5A7000'));
  const findings = run(rmrrLimitUnaligned, text);
  assert.deepEqual(ids(findings), ['rmrr-limit-unaligned']);
  assert.deepEqual(lines(findings), [lineOf(text, 'End Address (limit) : 000000008C5A7000')]);
  assert.match(findings[0]!.message, /exclusive/);
  assert.notEqual(findings[0]!.fixes![0]!.safe, true);
  const fixed = applyFixToText(text, findings[0]!);
  assert.match(fixed, /End Address \(limit\) : 000000008C5A6FFF/);
  assert.deepEqual(run(rmrrLimitUnaligned, fixed), []);
});

test('rmrr-limit-unaligned: other limits are rounded up to the end of their page (safe)', () => {
  const text = table(rmrrSource('000000008C587000', '000000008C5A6FFE'));
  const findings = run(rmrrLimitUnaligned, text);
  assert.deepEqual(lines(findings), [lineOf(text, 'End Address (limit) : 000000008C5A6FFE')]);
  assert.doesNotMatch(findings[0]!.message, /exclusive/);
  assert.equal(findings[0]!.fixes![0]!.safe, true);
  const fixed = applyFixToText(text, findings[0]!);
  assert.match(fixed, /End Address \(limit\) : 000000008C5A6FFF/);
  assert.deepEqual(run(rmrrLimitUnaligned, fixed), []);
  // base + size with an unaligned base also looks exclusive, but limit - 1 would not end in FFF.
  const shifted = table(rmrrSource('000000008C587010', '000000008C5A7010'));
  const f2 = run(rmrrLimitUnaligned, shifted);
  assert.match(f2[0]!.message, /exclusive/);
  assert.match(applyFixToText(shifted, f2[0]!), /End Address \(limit\) : 000000008C5A7FFF/);
});

test('rmrr-limit-before-base: an inverted range and a one-byte range, at the limit value', () => {
  const text = table(rmrrSource('000000008C587000', '0000000000000000'));
  const findings = run(rmrrLimitBeforeBase, text);
  assert.deepEqual(ids(findings), ['rmrr-limit-before-base']);
  assert.deepEqual(lines(findings), [lineOf(text, 'End Address (limit) : 0000000000000000')]);
  assert.match(findings[0]!.message, /RMRR \(8c587000, 0\) is incorrect/);
  assert.match(findings[0]!.message, /Disabling VT-d/);
  assert.match(findings[0]!.message, /template/);
  assert.equal(findings[0]!.related![0]!.range!.start.line, lineOf(text, 'Base Address : 000000008C587000'));
  // The other range rules keep quiet about a range that does not exist.
  for (const rule of [rmrrLimitUnaligned, rmrrOverlap, rmrrMsiWindow, rmrrLegacyArea, rmrrIovaConflict]) assert.deepEqual(run(rule, text, undefined, [...BUILT_IN_PROFILES]), [], rule.meta.id);
  const oneByte = table(rmrrSource('000000008C587000', '000000008C587000'));
  const f2 = run(rmrrLimitBeforeBase, oneByte);
  assert.deepEqual(lines(f2), [lineOf(oneByte, 'End Address (limit) : 000000008C587000')]);
  assert.match(f2[0]!.message, /one byte/);
  assert.deepEqual(run(rmrrLimitUnaligned, oneByte), []);
  assert.deepEqual(run(rmrrLimitBeforeBase, GOOD), []);
});

test('rmrr-exceeds-haw: a limit above 2^39 with a 39-bit width, quiet with 48 bits', () => {
  const body = rmrrSource('0000008000000000', '0000008000000FFF');
  const text = dmarSource([INCLUDE_ALL_DRHD, body].join('\n'), { haw: '26' });
  const findings = run(rmrrExceedsHaw, text);
  assert.deepEqual(ids(findings), ['rmrr-exceeds-haw']);
  assert.deepEqual(lines(findings), [lineOf(text, 'End Address (limit) : 0000008000000FFF')]);
  assert.match(findings[0]!.message, /39-bit/);
  assert.equal(findings[0]!.related![0]!.range!.start.line, lineOf(text, 'Host Address Width'));
  assert.deepEqual(run(rmrrExceedsHaw, dmarSource([INCLUDE_ALL_DRHD, body].join('\n'), { haw: '2F' })), []);
  assert.deepEqual(run(rmrrExceedsHaw, GOOD), []);
});

test('rmrr-overlap: reported at the later RMRR, quoting Xen; merging settles it', () => {
  const text = table(
    rmrrSource('000000008C587000', '000000008C5A6FFF', ['14,00']),
    rmrrSource('000000008C5A0000', '000000008C5BFFFF', ['1A,00']),
  );
  const findings = run(rmrrOverlap, text);
  assert.deepEqual(ids(findings), ['rmrr-overlap']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Base Address : 000000008C5A0000')]);
  assert.match(findings[0]!.message, /Overlapping RMRRs \[8c587000,8c5a6fff\] and \[8c5a0000,8c5bffff\]/);
  assert.match(findings[0]!.message, /Disabling VT-d/);
  assert.equal(findings[0]!.related![0]!.range!.start.line, lineOf(text, 'Base Address : 000000008C587000'));
  assert.equal(findings[0]!.fixes!.length, 2);

  const merged = applyFixToText(text, findings[0]!, 0);
  assert.deepEqual(run(rmrrOverlap, merged), []);
  assert.deepEqual(run(lengthMismatch, merged).filter((f) => !/Table Length/.test(f.message)), []);
  const t = tableOf(merged);
  const rmrrs = t.structures.filter((s): s is Rmrr => s.kind === 'rmrr');
  assert.equal(rmrrs.length, 1);
  assert.equal(rmrrs[0]!.base, 0x8c587000n);
  assert.equal(rmrrs[0]!.limit, 0x8c5bffffn);
  assert.deepEqual(rmrrs[0]!.scopes.map((s) => s.path[0]!.device), [0x14, 0x1a]);

  const separated = applyFixToText(text, findings[0]!, 1);
  assert.deepEqual(run(rmrrOverlap, separated), []);
  assert.match(separated, /Base Address : 000000008C5A7000/);
});

test('rmrr-overlap: one finding per RMRR against the one reaching furthest; duplicates; nested ranges', () => {
  const text = table(
    rmrrSource('0000000080000000', '000000008FFFFFFF', ['14,00']),
    rmrrSource('0000000081000000', '0000000081FFFFFF', ['1A,00']),
    rmrrSource('0000000083000000', '0000000083FFFFFF', ['1D,00']),
  );
  const findings = run(rmrrOverlap, text);
  assert.deepEqual(lines(findings), [lineOf(text, 'Base Address : 0000000081000000'), lineOf(text, 'Base Address : 0000000083000000')]);
  for (const f of findings) {
    assert.equal(f.related![0]!.range!.start.line, lineOf(text, 'Base Address : 0000000080000000'));
    assert.equal(f.fixes!.length, 1, 'a nested range cannot be separated, only merged');
  }
  const dup = table(rmrrSource('0000000000000000', '0000000000000FFF', ['1D,00']), rmrrSource('0000000000000000', '0000000000000FFF', ['1A,00']));
  const d = run(rmrrOverlap, dup);
  assert.equal(d.length, 1);
  assert.match(d[0]!.message, /repeats the range/);
  assert.deepEqual(run(rmrrOverlap, applyFixToText(dup, d[0]!)), []);
  // Touching is not overlapping.
  assert.deepEqual(run(rmrrOverlap, table(rmrrSource('0000000080000000', '0000000080000FFF'), rmrrSource('0000000080001000', '0000000080001FFF'))), []);
});

test('rmrr-overlap: RMRRs of different segments cannot be merged', () => {
  const text = table(
    rmrrSource('0000000080000000', '0000000080FFFFFF'),
    rmrrSource('0000000080800000', '0000000081FFFFFF').replace('PCI Segment Number : 0000', 'PCI Segment Number : 0001'),
  );
  const findings = run(rmrrOverlap, text);
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /different PCI segments/);
  assert.deepEqual(findings[0]!.fixes!.map((f) => /Separate/.test(f.title)), [true]);
});

test('rmrr-no-scope: fires at the structure header; removing the RMRR is safe and settles it', () => {
  const text = table(rmrrSource('000000008C587000', '000000008C5A6FFF', []));
  const findings = run(rmrrNoScope, text);
  assert.deepEqual(ids(findings), ['rmrr-no-scope']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Subtable Type : 0001')]);
  assert.equal(findings[0]!.fixes![0]!.safe, true);
  const fixed = applyFixToText(text, findings[0]!);
  assert.doesNotMatch(fixed, /Subtable Type : 0001/);
  assert.deepEqual(run(rmrrNoScope, fixed), []);
  assert.deepEqual(run(rmrrNoScope, GOOD), []);
});

test('rmrr-msi-window: any range meeting 0xFEE00000-0xFEEFFFFF', () => {
  const text = table(rmrrSource('00000000FEEFF000', '00000000FEF00FFF'));
  const findings = run(rmrrMsiWindow, text);
  assert.deepEqual(ids(findings), ['rmrr-msi-window']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Base Address : 00000000FEEFF000')]);
  assert.match(findings[0]!.message, /0xFEEFF000-0xFEEFFFFF/);
  assert.deepEqual(run(rmrrMsiWindow, table(rmrrSource('00000000FEF00000', '00000000FEF00FFF'))), []);
  assert.deepEqual(run(rmrrMsiWindow, table(rmrrSource('00000000FED00000', '00000000FEDFFFFF'))), []);
});

test('rmrr-drhd-registers: a DRHD register page, and a multi-page register set from Size', () => {
  const text = table(rmrrSource('00000000FED90000', '00000000FED91FFF'));
  const findings = run(rmrrDrhdRegisters, text);
  assert.deepEqual(ids(findings), ['rmrr-drhd-registers']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Base Address : 00000000FED90000')]);
  assert.equal(findings[0]!.related![0]!.range!.start.line, lineOf(text, 'Register Base Address : 00000000FED91000'));
  assert.match(findings[0]!.message, /0xFED91000-0xFED91FFF/);
  assert.deepEqual(run(rmrrDrhdRegisters, table(rmrrSource('00000000FED92000', '00000000FED92FFF'))), []);
  // Size 2: four pages, 0xFED90000-0xFED93FFF.
  const sized = dmarSource([
    INCLUDE_ALL_DRHD.replace('Register Base Address : 00000000FED91000', 'Register Base Address : 00000000FED90000')
      .replace('Reserved : 00\nPCI Segment Number', 'Reserved : 02\nPCI Segment Number'),
    rmrrSource('00000000FED93000', '00000000FED93FFF'),
  ].join('\n'));
  assert.deepEqual(lines(run(rmrrDrhdRegisters, sized)), [lineOf(sized, 'Base Address : 00000000FED93000')]);
  assert.deepEqual(run(rmrrDrhdRegisters, sized.replace('Reserved : 02', 'Reserved : 01')), []);
});

test('rmrr-legacy-area: page 0 gets its own wording; partly below 1 MiB; above is quiet', () => {
  const page0 = table(rmrrSource('0000000000000000', '0000000000000FFF'));
  const f0 = run(rmrrLegacyArea, page0);
  assert.deepEqual(ids(f0), ['rmrr-legacy-area']);
  assert.deepEqual(lines(f0), [lineOf(page0, 'Base Address : 0000000000000000')]);
  assert.match(f0[0]!.message, /page 0/);
  assert.match(f0[0]!.message, /IOVA 0/);
  const usb = table(rmrrSource('00000000000E8000', '00000000000E8FFF'));
  const f1 = run(rmrrLegacyArea, usb);
  assert.deepEqual(lines(f1), [lineOf(usb, 'Base Address : 00000000000E8000')]);
  assert.match(f1[0]!.message, /lies below 1 MiB/);
  assert.doesNotMatch(f1[0]!.message, /page 0/);
  assert.match(run(rmrrLegacyArea, table(rmrrSource('00000000000F0000', '000000000010FFFF')))[0]!.message, /partly below 1 MiB/);
  assert.deepEqual(run(rmrrLegacyArea, table(rmrrSource('0000000000100000', '0000000000100FFF'))), []);
});

function platformWith(entries: [number, number, MemoryType][]): Platform {
  const regions: MemoryRegion[] = entries.map(([start, end, type], line) => ({ start: BigInt(start), end: BigInt(end), type, rawType: type, line }));
  return { memoryMap: { file: 'e820.txt', entries: regions }, annotations: new Map() };
}

test('rmrr-not-reserved: silent without a memory map, quiet inside one reserved entry', () => {
  const text = table(rmrrSource('000000007B800000', '000000007FFFFFFF', ['02,00']));
  assert.deepEqual(run(rmrrNotReserved, text), []);
  assert.equal(rmrrNotReserved.meta.needs, 'memory-map');
  assert.deepEqual(run(rmrrNotReserved, text, platformWith([[0x100000, 0x7b7fffff, 'usable'], [0x7b800000, 0x7fffffff, 'reserved']])), []);
  assert.deepEqual(run(rmrrNotReserved, text, platformWith([[0x100000, 0x7b7fffff, 'usable'], [0x7b000000, 0x7fffffff, 'acpi-nvs']])), []);
});

test('rmrr-not-reserved: running through usable RAM into a reserved entry, which Linux does not catch', () => {
  const text = table(rmrrSource('000000007B800000', '000000007FFFFFFF', ['02,00']));
  const findings = run(rmrrNotReserved, text, platformWith([[0x100000, 0x7bffffff, 'usable'], [0x7c000000, 0x7fffffff, 'reserved']]));
  assert.deepEqual(ids(findings), ['rmrr-not-reserved']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Base Address : 000000007B800000')]);
  const m = findings[0]!.message;
  assert.match(m, /0x7B800000-0x7BFFFFFF \(8 MiB\) is usable RAM \(e820\.txt line 1\)/);
  assert.match(m, /Linux would not catch it/);
  assert.match(m, /not in reserved memory/);
  assert.match(m, /BIOS-e820: \[mem 0x000000007b800000-0x000000007fffffff\] reserved/);
  assert.match(m, /memmap=0x4800000\$0x7b800000/);
  assert.equal(findings[0]!.severity, undefined);
});

test('rmrr-not-reserved: ending in usable RAM is caught by Linux; a hole is named as such', () => {
  const text = table(rmrrSource('000000007B800000', '000000007FFFFFFF', ['02,00']));
  const ram = run(rmrrNotReserved, text, platformWith([[0x7b800000, 0x7dffffff, 'reserved'], [0x7e000000, 0x7fffffff, 'usable']]));
  assert.match(ram[0]!.message, /\[Firmware Bug\]: No firmware reserved region can cover this RMRR \[0x000000007b800000-0x000000007fffffff\], contact BIOS vendor for fixes/);
  assert.match(ram[0]!.message, /bad RMRR \[0x000000007b800000-0x000000007fffffff\]/);
  assert.match(ram[0]!.message, /silent memory corruption/);
  const hole = run(rmrrNotReserved, text, platformWith([[0x7b800000, 0x7dffffff, 'reserved']]));
  assert.match(hole[0]!.message, /0x7E000000-0x7FFFFFFF \(32 MiB\) is a hole/);
  assert.match(hole[0]!.message, /No firmware reserved region/);
  assert.match(hole[0]!.message, /PCI BARs/);
});

test('rmrr-not-reserved: split over adjacent reserved and ACPI NVS entries is a warning', () => {
  const text = table(rmrrSource('000000007B800000', '000000007FFFFFFF', ['02,00']));
  const findings = run(rmrrNotReserved, text, platformWith([[0x7b800000, 0x7dffffff, 'reserved'], [0x7e000000, 0x7fffffff, 'acpi-nvs']]));
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, 'warning');
  assert.match(findings[0]!.message, /split over 2 entries/);
});

test('rmrr-iova-conflict: an iGPU RMRR below 2 GiB hits q35 guest RAM; above 2 GiB it does not', () => {
  const q35 = resolveProfiles(undefined).profiles;
  const low = table(rmrrSource('000000007B800000', '000000007FFFFFFF', ['02,00']));
  const findings = run(rmrrIovaConflict, low, undefined, q35);
  assert.deepEqual(ids(findings), ['rmrr-iova-conflict']);
  assert.deepEqual(lines(findings), [lineOf(low, 'Base Address : 000000007B800000')]);
  assert.match(findings[0]!.message, /"qemu-q35"/);
  assert.match(findings[0]!.message, /q35 guest RAM below 2 GiB, 0x00000000-0x7FFFFFFF/);
  assert.match(findings[0]!.message, /for 00:02\.0/);
  assert.match(findings[0]!.message, /max-ram-below-4g=0x7B800000/);
  const high = table(rmrrSource('000000008B800000', '000000008FFFFFFF', ['02,00']));
  assert.deepEqual(run(rmrrIovaConflict, high, undefined, q35), []);
  // Every built-in profile but q35 reaches 0x8B800000: one finding per profile.
  const all = run(rmrrIovaConflict, high, undefined, [...BUILT_IN_PROFILES]);
  assert.deepEqual(all.map((f) => /IOVA profile "([^"]+)"/.exec(f.message)![1]), ['qemu-i440fx', 'xen-hvm', 'linux-dma']);
  assert.deepEqual(run(rmrrIovaConflict, low, undefined, []), []);
  // An RMRR that names no device binds nobody.
  assert.deepEqual(run(rmrrIovaConflict, table(rmrrSource('000000007B800000', '000000007FFFFFFF', [])), undefined, q35), []);
});

test('rmrr-iova-conflict: several ranges of one profile make one finding; custom profiles count', () => {
  const usb = table(rmrrSource('00000000000E8000', '00000000000E8FFF', ['1D,00']));
  const findings = run(rmrrIovaConflict, usb, undefined, resolveProfiles(['qemu-q35']).profiles);
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /q35 guest RAM below 2 GiB.* and guest BIOS area/);
  assert.doesNotMatch(findings[0]!.message, /max-ram-below-4g/);
  const custom = resolveProfiles(['mine'], [{ name: 'mine', ranges: [{ start: 0x8c000000n, end: 0x8cffffffn, label: 'our DMA pool' }] }]).profiles;
  const f2 = run(rmrrIovaConflict, GOOD, undefined, custom);
  assert.equal(f2.length, 1);
  assert.match(f2[0]!.message, /our DMA pool/);
});

test('span utilities: binary-searched overlaps and containment, neighbour sweep', () => {
  const index = new SpanIndex([
    { start: 0n, end: 0xffn, value: 'a' },
    { start: 0x10n, end: 0x1fn, value: 'b' },
    { start: 0x200n, end: 0x2ffn, value: 'c' },
  ]);
  assert.deepEqual(index.overlapping(0x18n, 0x20n).map((s) => s.value), ['a', 'b']);
  assert.deepEqual(index.overlapping(0x100n, 0x1ffn), []);
  assert.deepEqual(index.overlapping(0x2ffn, 0x400n).map((s) => s.value), ['c']);
  assert.equal(index.containing(0x12n, 0x14n)?.value, 'b');
  assert.equal(index.containing(0x12n, 0x24n)?.value, 'a');
  assert.equal(index.containing(0xf0n, 0x200n), undefined);
  const pairs = overlappingNeighbours([{ start: 0n, end: 0x10n, value: 1 }, { start: 5n, end: 6n, value: 2 }, { start: 8n, end: 0x20n, value: 3 }, { start: 0x21n, end: 0x22n, value: 4 }]);
  assert.deepEqual(pairs.map(([a, b]) => [a.value, b.value]), [[1, 2], [1, 3]]);
});

/** The table of `text` with its one RMRR repeated `count` times, placed by `place`. */
function manyRmrrs(text: string, count: number, place: (r: Rmrr, i: number) => void) {
  const t = tableOf(text);
  const template = t.structures.find((s): s is Rmrr => s.kind === 'rmrr')!;
  t.structures = t.structures.filter((s) => s.kind !== 'rmrr');
  for (let i = 0; i < count; i++) {
    const r: Rmrr = { ...template, scopes: template.scopes };
    place(r, i);
    t.structures.push(r);
  }
  return t;
}

test('10,000 RMRRs: a clean table is checked in well under a second or two', () => {
  const t = manyRmrrs(dmarSource([INCLUDE_ALL_DRHD, rmrrSource('0000000100000000', '0000000100000FFF')].join('\n'), { haw: '2F' }), 10000, (r, i) => {
    r.base = 0x100000000n + BigInt(i) * 0x2000n;
    r.limit = r.base + 0xfffn;
  });
  const map = platformWith([[0, 0x7fffffff, 'usable'], [0x100000000, 0x1ffffffff, 'reserved']]);
  const started = Date.now();
  for (const rule of RMRR_RANGE_RULES) assert.deepEqual(rule.check(contextOf(t, map, [...BUILT_IN_PROFILES])), [], rule.meta.id);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
});

test('10,000 overlapping RMRRs give one overlap finding each, without a pairwise loop', () => {
  const t = manyRmrrs(table(rmrrSource('0000000080000000', '0000000080000FFF')), 10000, (r, i) => {
    r.base = 0x80000000n + BigInt(i) * 0x1000n;
    r.limit = r.base + (i % 7 === 0 ? 0x10fffn : 0x1fffn);
  });
  const started = Date.now();
  assert.equal(rmrrOverlap.check(contextOf(t)).length, 9999);
  // Building 10,000 messages takes its time on a loaded machine; a pairwise loop takes minutes.
  assert.ok(Date.now() - started < 15000, `took ${Date.now() - started} ms`);
});

test('corpus: the RMRR range rules never throw on a real table', () => {
  const profiles = [...BUILT_IN_PROFILES];
  const map = platformWith([[0, 0x9ffff, 'usable'], [0xe0000, 0xfffff, 'reserved'], [0x100000, 0x7fffffff, 'usable'], [0x80000000, 0xffffffff, 'reserved']]);
  for (const file of corpusFiles('.dsl')) {
    const { table: t } = readSource(fs.readFileSync(file, 'utf8'));
    for (const rule of RMRR_RANGE_RULES) {
      assert.doesNotThrow(() => rule.check(contextOf(t, map, profiles)), `${rule.meta.id} on ${file}`);
    }
  }
});
