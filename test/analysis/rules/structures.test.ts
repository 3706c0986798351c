import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, INCLUDE_ALL_DRHD, applyFixToText, contextOf, corpusFiles, dmarSource, lineOf, rmrrSource, run, tableOf } from '../../helpers';
import type { Rule } from '../../../server/src/analysis/rule';
import { STRUCTURE_RULES } from '../../../server/src/analysis/rules/groups/structures';
import { hawInvalid } from '../../../server/src/analysis/rules/haw-invalid';
import { noDrhd } from '../../../server/src/analysis/rules/no-drhd';
import { x2apicOptOut } from '../../../server/src/analysis/rules/x2apic-opt-out';
import { platformOptIn } from '../../../server/src/analysis/rules/platform-opt-in';
import { drhdBaseInvalid } from '../../../server/src/analysis/rules/drhd-base-invalid';
import { drhdBaseUnaligned } from '../../../server/src/analysis/rules/drhd-base-unaligned';
import { drhdDuplicate } from '../../../server/src/analysis/rules/drhd-duplicate';
import { includeAllMultiple } from '../../../server/src/analysis/rules/include-all-multiple';
import { includeAllNotLast } from '../../../server/src/analysis/rules/include-all-not-last';
import { drhdNoScope } from '../../../server/src/analysis/rules/drhd-no-scope';
import { intrRemapNoIoapic } from '../../../server/src/analysis/rules/intr-remap-no-ioapic';
import { scopeEntryLength } from '../../../server/src/analysis/rules/scope-entry-length';
import { scopeTypeInvalid } from '../../../server/src/analysis/rules/scope-type-invalid';
import { scopeDuplicate } from '../../../server/src/analysis/rules/scope-duplicate';
import { scopeNotTranslated } from '../../../server/src/analysis/rules/scope-not-translated';
import { rhsaUnknownDrhd } from '../../../server/src/analysis/rules/rhsa-unknown-drhd';
import { anddName } from '../../../server/src/analysis/rules/andd-name';
import { anddUnreferenced } from '../../../server/src/analysis/rules/andd-unreferenced';
import { atsrAllPortsMultiple } from '../../../server/src/analysis/rules/atsr-all-ports-multiple';
import { lengthMismatch } from '../../../server/src/analysis/rules/length-mismatch';
import { readBinary } from '../../../server/src/table/binary-reader';
import { encodeTable } from '../../../server/src/table/binary-writer';
import { readSource } from '../../../server/src/table/source-reader';
import type { Finding } from '../../../server/src/table/finding';
import type { PlatformDevice } from '../../../server/src/analysis/platform';

// Small structure builders in the iasl template dialect, with lengths computed.

const h = (n: number | bigint, digits: number) => n.toString(16).toUpperCase().padStart(digits, '0');

interface ScopeSpec { type?: number; bus?: number; path?: string[]; id?: number; entryLength?: number }

function scope({ type = 1, bus = 0, path = ['14,00'], id = 0, entryLength }: ScopeSpec = {}): string {
  return `
Device Scope Type : ${h(type, 2)}
Entry Length : ${h(entryLength ?? 6 + 2 * path.length, 2)}
Reserved : 0000
Enumeration ID : ${h(id, 2)}
PCI Bus Number : ${h(bus, 2)}
${path.map((p) => `PCI Path : ${p}`).join('\n')}
`;
}

const scopeBytes = (scopes: ScopeSpec[]) => scopes.reduce((n, s) => n + 6 + 2 * (s.path ?? ['14,00']).length, 0);

function drhd({ flags = 0, size = 0, segment = 0, base = 0xfed90000n, scopes = [] as ScopeSpec[] } = {}): string {
  return `
Subtable Type : 0000
Length : ${h(16 + scopeBytes(scopes), 4)}
Flags : ${h(flags, 2)}
Reserved : ${h(size, 2)}
PCI Segment Number : ${h(segment, 4)}
Register Base Address : ${h(base, 16)}
${scopes.map(scope).join('')}`;
}

function atsr({ flags = 0, segment = 0, scopes = [] as ScopeSpec[] } = {}): string {
  return `
Subtable Type : 0002
Length : ${h(8 + scopeBytes(scopes), 4)}
Flags : ${h(flags, 2)}
Reserved : 00
PCI Segment Number : ${h(segment, 4)}
${scopes.map(scope).join('')}`;
}

function satc({ segment = 0, scopes = [] as ScopeSpec[] } = {}): string {
  return `
Subtable Type : 0005
Length : ${h(8 + scopeBytes(scopes), 4)}
Flags : 01
Reserved : 00
PCI Segment Number : ${h(segment, 4)}
${scopes.map(scope).join('')}`;
}

function rmrr({ segment = 0, scopes = [{}] as ScopeSpec[] } = {}): string {
  return `
Subtable Type : 0001
Length : ${h(24 + scopeBytes(scopes), 4)}
Reserved : 0000
PCI Segment Number : ${h(segment, 4)}
Base Address : 000000008C587000
End Address (limit) : 000000008C5A6FFF
${scopes.map(scope).join('')}`;
}

const rhsa = (base: string) => `
Subtable Type : 0003
Length : 0014
Reserved : 00000000
Base Address : ${base}
Proximity Domain : 00000001
`;

const andd = (n: number, name: string) => `
Subtable Type : 0004
Length : ${h(8 + name.length + 1, 4)}
Reserved : 000000
Device Number : ${h(n, 2)}
Device Name : "${name}"
`;

const IOAPIC: ScopeSpec = { type: 3, bus: 0xf0, path: ['1F,00'], id: 2 };
const GOOD_UNIT = drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC] });

const lines = (findings: Finding[]) => findings.map((f) => f.range!.start.line);
const ids = (findings: Finding[]) => [...new Set(findings.map((f) => f.rule))];

/** Fires exactly at `expected` lines (in order) and nowhere else. */
function assertFires(rule: Rule, text: string, expected: number[]): Finding[] {
  const findings = run(rule, text);
  assert.deepEqual(ids(findings), [rule.meta.id]);
  assert.deepEqual(lines(findings), expected, findings.map((f) => f.message).join('\n'));
  for (const f of findings) assert.ok(f.message.length > 80, 'a message says what, what an OS does, and what to do');
  return findings;
}

function assertQuiet(rule: Rule, text: string): void {
  assert.deepEqual(run(rule, text).map((f) => f.message), []);
}

// Table header

test('haw-invalid: a width below 12 bits is reported at its value', () => {
  const bad = dmarSource(GOOD_UNIT, { haw: '0A' });
  const [f] = assertFires(hawInvalid, bad, [lineOf(bad, 'Host Address Width')]);
  assert.match(f!.message, /Invalid DMAR haw/);
  assert.match(f!.message, /11 bits/);
  assertQuiet(hawInvalid, dmarSource(GOOD_UNIT, { haw: '0B' }));
  assertQuiet(hawInvalid, dmarSource(GOOD_UNIT));
});

test('no-drhd: a table with only an RMRR, and a document with no table', () => {
  const bad = dmarSource(rmrr());
  const [f] = assertFires(noDrhd, bad, [lineOf(bad, 'Signature')]);
  assert.match(f!.message, /\[Firmware Bug\]: No DRHD structure found in DMAR table/);
  assertQuiet(noDrhd, dmarSource(GOOD_UNIT + rmrr()));
  assertQuiet(noDrhd, '');
});

test('x2apic-opt-out: flags bit 1 at the Flags value', () => {
  const bad = dmarSource(GOOD_UNIT, { flags: '03' });
  const [f] = assertFires(x2apicOptOut, bad, [lineOf(bad, 'Flags : 03')]);
  assert.match(f!.message, /x2apic is disabled because BIOS sets x2apic opt out bit/);
  assertQuiet(x2apicOptOut, dmarSource(GOOD_UNIT, { flags: '05' }));
});

test('platform-opt-in: flags bit 2 at the Flags value, counting the RMRRs', () => {
  const bad = dmarSource(GOOD_UNIT + rmrr() + rmrr(), { flags: '05' });
  const [f] = assertFires(platformOptIn, bad, [lineOf(bad, 'Flags : 05')]);
  assert.match(f!.message, /2 RMRRs/);
  assertQuiet(platformOptIn, dmarSource(GOOD_UNIT, { flags: '03' }));
});

// DRHD

test('drhd-base-invalid: base 0 and all-ones, each at its Register Base Address', () => {
  const bad = dmarSource(drhd({ base: 0n, scopes: [{ path: ['02,00'] }] }) + drhd({ flags: 1, base: 0xffffffffffffffffn, scopes: [IOAPIC] }));
  const findings = assertFires(drhdBaseInvalid, bad, [lineOf(bad, 'Register Base Address : 0000000000000000'), lineOf(bad, 'Register Base Address : FFFFFFFFFFFFFFFF')]);
  assert.match(findings[0]!.message, /Your BIOS is broken; DMAR reported at address 0!/);
  // Neither is also reported as unaligned.
  assertQuiet(drhdBaseUnaligned, bad);
  assertQuiet(drhdBaseInvalid, dmarSource(GOOD_UNIT));
});

test('drhd-base-unaligned: not 4-KiB aligned, or not aligned to its Size', () => {
  const bad = dmarSource(drhd({ base: 0xfed90800n, scopes: [{ path: ['02,00'] }] }) + drhd({ flags: 1, size: 4, base: 0xfc811000n, scopes: [IOAPIC] }));
  const findings = assertFires(drhdBaseUnaligned, bad, [lineOf(bad, 'Register Base Address : 00000000FED90800'), lineOf(bad, 'Register Base Address : 00000000FC811000')]);
  assert.match(findings[1]!.message, /64 KiB/);
  // Size 4 (64 KiB) at a 64-KiB boundary, as on the corpus's Meteor Lake tables.
  assertQuiet(drhdBaseUnaligned, dmarSource(drhd({ size: 4, base: 0xfc800000n, scopes: [{ path: ['02,00'] }] }) + drhd({ flags: 1, size: 4, base: 0xfc810000n, scopes: [IOAPIC] })));
});

test('drhd-duplicate: the second DRHD with the same segment and base', () => {
  const unit = drhd({ base: 0xfed90000n, scopes: [{ path: ['02,00'] }] });
  const bad = dmarSource(unit + unit + GOOD_UNIT);
  const second = lineOf(bad, 'Register Base Address : 00000000FED90000', lineOf(bad, 'Register Base Address : 00000000FED90000') + 1);
  const [f] = assertFires(drhdDuplicate, bad, [second]);
  assert.equal(f!.related![0]!.range!.start.line, lineOf(bad, 'Subtable Type : 0000'));
  assertQuiet(drhdDuplicate, dmarSource(unit + drhd({ segment: 1, base: 0xfed90000n, scopes: [{ path: ['02,00'] }] }) + GOOD_UNIT));
});

test('include-all-multiple: a second INCLUDE_PCI_ALL unit in one segment, not across segments', () => {
  const bad = dmarSource(drhd({ flags: 1, base: 0xfed90000n }) + GOOD_UNIT);
  const [f] = assertFires(includeAllMultiple, bad, [lineOf(bad, 'Flags : 01', lineOf(bad, 'Register Base Address : 00000000FED90000'))]);
  assert.match(f!.message, /Only one INCLUDE_ALL device scope is allowed/);
  assertQuiet(includeAllMultiple, dmarSource(drhd({ flags: 1, segment: 1, base: 0xfed90000n }) + GOOD_UNIT));
});

test('include-all-not-last: the catch-all unit before another DRHD of its segment; the fix moves it last', () => {
  const plain = drhd({ base: 0xfed90000n, scopes: [{ path: ['02,00'] }] });
  const bad = dmarSource(GOOD_UNIT + drhd({ segment: 1, flags: 1, base: 0xfed92000n }) + plain + rmrr());
  const [f] = assertFires(includeAllNotLast, bad, [lineOf(bad, 'Subtable Type : 0000')]);
  assert.equal(f!.related![0]!.range!.start.line, lineOf(bad, 'Register Base Address : 00000000FED90000') - 5);
  const fixed = applyFixToText(bad, f!);
  assertQuiet(includeAllNotLast, fixed);
  const order = tableOf(fixed, true).structures.map((s) => (s.kind === 'drhd' ? `${s.segment}:${s.registerBase.toString(16)}` : s.kind));
  assert.deepEqual(order, ['1:fed92000', '0:fed90000', '0:fed91000', 'rmrr']);
  // INCLUDE_PCI_ALL units of other segments and a unit already last stay quiet.
  assertQuiet(includeAllNotLast, dmarSource(plain + drhd({ segment: 1, flags: 1, base: 0xfed92000n }) + GOOD_UNIT));
});

test('drhd-no-scope: a unit without INCLUDE_PCI_ALL and without devices', () => {
  const bad = dmarSource(drhd({ base: 0xfed90000n }) + GOOD_UNIT);
  assertFires(drhdNoScope, bad, [lineOf(bad, 'Subtable Type : 0000')]);
  assertQuiet(drhdNoScope, dmarSource(drhd({ base: 0xfed90000n, scopes: [{ path: ['02,00'] }] }) + drhd({ flags: 1, base: 0xfed91000n })));
});

test('intr-remap-no-ioapic: INTR_REMAP set and no IOAPIC scope anywhere', () => {
  const units = drhd({ base: 0xfed90000n, scopes: [{ path: ['02,00'] }] }) + drhd({ flags: 1, base: 0xfed91000n, scopes: [{ type: 4, bus: 0xf0, path: ['0F,00'] }] });
  const bad = dmarSource(units);
  const [f] = assertFires(intrRemapNoIoapic, bad, [lineOf(bad, 'Flags : 01')]);
  assert.match(f!.message, /ioapic N has no mapping iommu, interrupt remapping will be disabled/);
  assertQuiet(intrRemapNoIoapic, dmarSource(units, { flags: '00' }));
  assertQuiet(intrRemapNoIoapic, dmarSource(drhd({ base: 0xfed90000n, scopes: [{ path: ['02,00'] }] }) + GOOD_UNIT));
  assertQuiet(intrRemapNoIoapic, dmarSource(rmrr())); // no DRHD at all is no-drhd's
});

// Device scopes

test('scope-entry-length: below 8 and odd lengths, at the Entry Length value; the fix writes 6 + 2n', () => {
  const bad = dmarSource(GOOD_UNIT + rmrr({ scopes: [{ entryLength: 6 }, { path: ['1A,00'], entryLength: 9 }] }));
  const findings = assertFires(scopeEntryLength, bad, [lineOf(bad, 'Entry Length : 06'), lineOf(bad, 'Entry Length : 09')]);
  assert.match(findings[0]!.message, /Invalid device scope/);
  let fixed = bad;
  for (const f of run(scopeEntryLength, bad).reverse()) fixed = applyFixToText(fixed, f);
  assertQuiet(scopeEntryLength, fixed);
  assert.equal(fixed.match(/Entry Length : 08/g)!.length, 3);
  // A stale but well-formed Entry Length is length-mismatch's, not this rule's.
  const stale = dmarSource(GOOD_UNIT + rmrr({ scopes: [{ entryLength: 10 }] }));
  assertQuiet(scopeEntryLength, stale);
  assert.equal(run(lengthMismatch, stale).filter((f) => f.range!.start.line === lineOf(stale, 'Entry Length : 0A')).length, 1);
});

test('scope-entry-length: in a binary, an odd byte left in the scope; nothing the reader already reported', () => {
  const table = tableOf(dmarSource(GOOD_UNIT + rmrr()));
  const bytes = encodeTable(table);
  // Grow the RMRR's scope by one byte: RMRR Length and Table Length follow.
  const rmrrAt = 48 + 0x18;
  const grown = new Uint8Array(bytes.length + 1);
  grown.set(bytes.subarray(0, rmrrAt + 32));
  grown[rmrrAt + 24 + 1] = 9;
  grown[rmrrAt + 2] = 33;
  grown[4] = grown.length;
  const odd = readBinary(grown);
  const findings = scopeEntryLength.check(contextOf(odd.table));
  assert.deepEqual(findings.map((f) => f.offset), [rmrrAt + 24 + 1]);
  assert.equal(findings[0]!.fixes, undefined);
  // An entry shorter than its 6-byte header: the reader says it, the rule does not repeat it.
  const cut = bytes.slice();
  cut[rmrrAt + 24 + 1] = 4;
  const short = readBinary(cut);
  assert.ok(short.findings.some((f) => f.rule === 'scope-entry-length'));
  assert.deepEqual(scopeEntryLength.check(contextOf(short.table)), []);
});

test('scope-type-invalid: an undefined type, an IOAPIC under an RMRR, a namespace device under an ATSR', () => {
  const bad = dmarSource(drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC, { type: 7, path: ['1F,00'] }] })
    + rmrr({ scopes: [{}, { type: 3, bus: 0xf0, path: ['1F,00'] }] })
    + atsr({ scopes: [{ type: 5, path: ['15,00'] }] }));
  const findings = assertFires(scopeTypeInvalid, bad, [lineOf(bad, 'Device Scope Type : 07'), lineOf(bad, 'Device Scope Type : 03', lineOf(bad, 'Subtable Type : 0001')), lineOf(bad, 'Device Scope Type : 05')]);
  assert.match(findings[0]!.message, /Unsupported device scope/);
  assert.match(findings[1]!.message, /^An RMRR cannot name an IOAPIC Device/);
  assert.match(findings[2]!.message, /^An ATSR cannot name a Namespace Device/);
  // An RMRR naming a namespace device is rmrr-namespace-scope's finding.
  assertQuiet(scopeTypeInvalid, dmarSource(GOOD_UNIT + rmrr({ scopes: [{ type: 5, path: ['15,00'] }] })));
});

test('scope-duplicate: the same device twice in one RMRR, at the second entry; the fix removes it', () => {
  const bad = dmarSource(GOOD_UNIT + rmrr({ scopes: [{ path: ['14,00'] }, { path: ['1A,00'] }, { path: ['14,00'] }] }));
  const [f] = assertFires(scopeDuplicate, bad, [lineOf(bad, 'Device Scope Type', lineOf(bad, 'PCI Path : 1A,00'))]);
  assert.match(f!.message, /^00:14\.0 is listed twice in this RMRR/);
  assert.equal(f!.related![0]!.range!.start.line, lineOf(bad, 'Device Scope Type', lineOf(bad, 'Subtable Type : 0001')));
  assert.equal(f!.fixes![0]!.safe, true);
  const fixed = applyFixToText(bad, f!);
  assertQuiet(scopeDuplicate, fixed);
  assert.deepEqual(run(lengthMismatch, fixed).filter((x) => x.range!.start.line > lineOf(fixed, 'Subtable Type : 0001')), []);
  // The same device in two structures, and HPET 0 at several paths (Sandy Bridge tables), are not repeats.
  assertQuiet(scopeDuplicate, dmarSource(drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC, { type: 4, bus: 0xf0, path: ['0F,00'] }, { type: 4, bus: 0xf0, path: ['0F,01'] }] }) + rmrr() + rmrr()));
});

test('scope-not-translated: RMRR, ATSR and SATC devices no DRHD reaches', () => {
  const units = drhd({ base: 0xfed90000n, scopes: [{ path: ['02,00'] }, { type: 2, path: ['1C,00'] }] }) + drhd({ base: 0xfed91000n, scopes: [IOAPIC] });
  const bad = dmarSource(units
    + rmrr({ scopes: [{ path: ['14,00'] }, { type: 2, path: ['1C,00'] }, { path: ['1C,00', '00,00'] }, { path: ['02,00'] }] })
    + rmrr({ segment: 1, scopes: [{ path: ['1D,00'] }] })
    + atsr({ scopes: [{ type: 2, path: ['1D,00'] }] })
    + satc({ scopes: [{ path: ['02,00'] }, { path: ['0B,00'] }] }));
  const findings = assertFires(scopeNotTranslated, bad, [
    lineOf(bad, 'Device Scope Type', lineOf(bad, 'Subtable Type : 0001')),
    lineOf(bad, 'Device Scope Type', lineOf(bad, 'PCI Segment Number : 0001')),
    lineOf(bad, 'Device Scope Type', lineOf(bad, 'Subtable Type : 0002')),
    lineOf(bad, 'Device Scope Type', lineOf(bad, 'PCI Path : 02,00', lineOf(bad, 'Subtable Type : 0005'))),
  ]);
  assert.match(findings[0]!.message, /^00:14\.0, named by this RMRR, is not covered by any DRHD/);
  assert.match(findings[1]!.message, /segment 0001 has no DRHD at all/);
  assert.match(findings[2]!.message, /^00:1d\.0, named by this ATSR/);
  assert.match(findings[3]!.message, /^00:0b\.0, named by this SATC/);
  // An INCLUDE_PCI_ALL unit in the segment covers everything.
  assertQuiet(scopeNotTranslated, dmarSource(units + GOOD_UNIT + rmrr({ scopes: [{ path: ['14,00'] }] })));
});

test('scope-not-translated: a device named by its own bus below a DRHD bridge scope needs an inventory to place', () => {
  const units = drhd({ base: 0xfed90000n, scopes: [{ type: 2, path: ['1C,00'] }] }) + drhd({ base: 0xfed91000n, scopes: [IOAPIC] });
  const text = dmarSource(units + rmrr({ scopes: [{ bus: 3, path: ['00,00'] }] }));
  const [f] = assertFires(scopeNotTranslated, text, [lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'))]);
  assert.match(f!.message, /give a PCI inventory/);
  const device = (bus: number, dev: number, fn: number, bridge?: [number, number]): PlatformDevice => ({
    segment: 0, bus, device: dev, function: fn, classCode: bridge ? 0x060400 : 0x020000, className: '', name: '', isBridge: !!bridge,
    secondaryBus: bridge?.[0], subordinateBus: bridge?.[1], line: 0,
  });
  const pci = (devices: PlatformDevice[]) => ({ annotations: new Map(), pci: { file: 'lspci.txt', devices } });
  // 00:1c.0 decodes buses 02-04: 03:00.0 is below it, and so is the path 00:1c.0/00.0 (bus 02).
  const below = pci([device(0, 0x1c, 0, [2, 4]), device(3, 0, 0)]);
  assert.deepEqual(run(scopeNotTranslated, text, below), []);
  // Bus 05 is not: the finding stands, without the hint.
  const elsewhere = dmarSource(units + rmrr({ scopes: [{ bus: 5, path: ['00,00'] }] }));
  const [g] = run(scopeNotTranslated, elsewhere, below);
  assert.ok(g && !/inventory/.test(g.message));
});

// Other structures

test('rhsa-unknown-drhd: an RHSA base no DRHD has', () => {
  const bad = dmarSource(GOOD_UNIT + rhsa('00000000FED92000'));
  const [f] = assertFires(rhsaUnknownDrhd, bad, [lineOf(bad, 'Base Address : 00000000FED92000')]);
  assert.match(f!.message, /RHSA refers to non-existent DMAR unit at fed92000/);
  assertQuiet(rhsaUnknownDrhd, dmarSource(GOOD_UNIT + rhsa('00000000FED91000')));
});

test('andd-name: not an ACPI path, empty; a binary name without its NUL', () => {
  const ns: ScopeSpec = { type: 5, path: ['15,00'], id: 1 };
  const units = drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC, ns, { ...ns, path: ['15,01'], id: 2 }] });
  const bad = dmarSource(units + andd(1, '\\_SB.PCI0.I2C-0') + andd(2, ''));
  assertFires(anddName, bad, [lineOf(bad, 'I2C-0'), lineOf(bad, 'Device Name : ""')]);
  const good = dmarSource(units + andd(1, '\\_SB.PCI0.I2C0') + andd(2, '^^UA00'));
  assertQuiet(anddName, good);

  const table = tableOf(good);
  const a = table.structures[1]!;
  assert.equal(a.kind, 'andd');
  if (a.kind === 'andd') a.nameTerminated = false; // the writer recomputes the lengths
  const unterminated = readBinary(encodeTable(table)).table;
  const findings = anddName.check(contextOf(unterminated));
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /ANDD object name is not NUL-terminated/);
});

test('andd-unreferenced: an ANDD no scope names, a namespace scope with no ANDD', () => {
  const units = drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC, { type: 5, path: ['15,00'], id: 1 }, { type: 5, path: ['15,01'], id: 3 }] });
  const bad = dmarSource(units + andd(1, '\\_SB.PCI0.I2C0') + andd(2, '\\_SB.PCI0.I2C1'));
  assertFires(anddUnreferenced, bad, [lineOf(bad, 'Device Number : 02'), lineOf(bad, 'Enumeration ID : 03')]);
  const good = dmarSource(drhd({ flags: 1, base: 0xfed91000n, scopes: [IOAPIC, { type: 5, path: ['15,00'], id: 1 }, { type: 5, path: ['15,01'], id: 2 }] })
    + andd(1, '\\_SB.PCI0.I2C0') + andd(2, '\\_SB.PCI0.I2C1'));
  assertQuiet(anddUnreferenced, good);
});

test('atsr-all-ports-multiple: a second ALL_PORTS ATSR in one segment', () => {
  const bad = dmarSource(GOOD_UNIT + atsr({ flags: 1 }) + atsr({ flags: 1 }));
  const [f] = assertFires(atsrAllPortsMultiple, bad, [lineOf(bad, 'Flags : 01', lineOf(bad, 'Subtable Type : 0002', lineOf(bad, 'Subtable Type : 0002') + 1))]);
  assert.match(f!.message, /Only one ALL_PORTS device scope is allowed/);
  assertQuiet(atsrAllPortsMultiple, dmarSource(GOOD_UNIT + atsr({ flags: 1 }) + atsr({ flags: 1, segment: 1 })));
});

// The real corpus

test('corpus: the structure rules never throw, and stay quiet on the multi-unit server tables', () => {
  const quietOnServers = new Set(STRUCTURE_RULES.map((r) => r.meta.id));
  quietOnServers.delete('x2apic-opt-out');
  quietOnServers.delete('platform-opt-in');
  const files = corpusFiles('.dsl');
  assert.ok(files.length > 200);
  for (const file of files) {
    const { table } = readSource(fs.readFileSync(file, 'utf8'));
    const server = path.basename(file).startsWith('Server_');
    for (const rule of STRUCTURE_RULES) {
      const findings = rule.check(contextOf(table));
      if (server && quietOnServers.has(rule.meta.id)) assert.deepEqual(findings.map((f) => f.message), [], `${rule.meta.id} on ${path.basename(file)}`);
    }
  }
  for (const file of corpusFiles('.dat')) {
    const { table } = readBinary(new Uint8Array(fs.readFileSync(file)));
    for (const rule of STRUCTURE_RULES) rule.check(contextOf(table));
  }
  assert.ok(fs.existsSync(CORPUS_DIR));
});
