import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, INCLUDE_ALL_DRHD, applyFixToText, corpusFiles, dmarSource, lineOf, rmrrSource, run, tableOf } from '../../helpers';
import type { Platform, PlatformDevice } from '../../../server/src/analysis/platform';
import type { Rule } from '../../../server/src/analysis/rule';
import { PASSTHROUGH_RULES } from '../../../server/src/analysis/rules/groups/passthrough';
import { rmrrLocksPassthrough } from '../../../server/src/analysis/rules/rmrr-locks-passthrough';
import { rmrrRelaxable } from '../../../server/src/analysis/rules/rmrr-relaxable';
import { rmrrBridgeScope } from '../../../server/src/analysis/rules/rmrr-bridge-scope';
import { rmrrShared } from '../../../server/src/analysis/rules/rmrr-shared';
import { rmrrNamespaceScope } from '../../../server/src/analysis/rules/rmrr-namespace-scope';
import { scopeDeviceAbsent } from '../../../server/src/analysis/rules/scope-device-absent';
import { scopeTypeMismatch } from '../../../server/src/analysis/rules/scope-type-mismatch';
import { ioapicIdMismatch } from '../../../server/src/analysis/rules/ioapic-id-mismatch';
import { readSource } from '../../../server/src/table/source-reader';
import { emptyPlatform } from '../../../server/src/analysis/platform';

// ---------------------------------------------------------------------------------------------
// Small tables and hand-built platforms

/** One device scope in the iasl template dialect: `scope('02', '00', '1C,00')`, more paths for deeper devices. */
function scope(type: string, bus: string, ...paths: string[]): string {
  return `
Device Scope Type : ${type}
Entry Length : ${(6 + 2 * paths.length).toString(16).toUpperCase().padStart(2, '0')}
Reserved : 0000
Enumeration ID : 00
PCI Bus Number : ${bus}
${paths.map((p) => `PCI Path : ${p}`).join('\n')}
`;
}

function rmrrWith(base: string, limit: string, scopes: string[]): string {
  const length = 24 + scopes.reduce((n, s) => n + 6 + 2 * (s.match(/PCI Path/g)?.length ?? 0), 0);
  return `Subtable Type : 0001
Length : ${length.toString(16).toUpperCase().padStart(4, '0')}
Reserved : 0000
PCI Segment Number : 0000
Base Address : ${base}
End Address (limit) : ${limit}
${scopes.join('')}`;
}

const table = (...structures: string[]) => dmarSource([INCLUDE_ALL_DRHD, ...structures].join('\n'));

function dev(bdf: string, classCode: number, extra: Partial<PlatformDevice> = {}): PlatformDevice {
  const [bus, rest] = bdf.split(':');
  const [device, fn] = rest!.split('.');
  return {
    segment: 0, bus: parseInt(bus!, 16), device: parseInt(device!, 16), function: parseInt(fn!, 16),
    classCode, className: '', name: '', isBridge: false, line: 0, ...extra,
  };
}

function bridge(bdf: string, secondaryBus: number, subordinateBus = secondaryBus): PlatformDevice {
  return dev(bdf, 0x060400, { isBridge: true, secondaryBus, subordinateBus, className: 'PCI bridge', name: 'Root Port' });
}

function platformWith(devices: PlatformDevice[] | undefined, annotations: Record<string, { class?: number; name?: string }> = {}): Platform {
  return {
    ...(devices ? { pci: { file: 'lspci.txt', devices } } : {}),
    annotations: new Map(Object.entries(annotations)),
  };
}

/** A server-like inventory: a NIC behind root port 00:1c.0, a switch below 00:01.0 with two endpoints, USB and SATA on bus 0. */
const SERVER = [
  dev('00:00.0', 0x060000, { className: 'Host bridge' }),
  bridge('00:01.0', 0x02, 0x04),
  dev('02:00.0', 0x060400, { isBridge: true, secondaryBus: 0x03, subordinateBus: 0x04, className: 'PCI bridge', name: 'Switch upstream' }),
  dev('03:00.0', 0x060400, { isBridge: true, secondaryBus: 0x04, subordinateBus: 0x04, className: 'PCI bridge', name: 'Switch downstream' }),
  dev('04:00.0', 0x010700, { className: 'Serial Attached SCSI controller', name: 'RAID card' }),
  dev('04:00.1', 0x010700, { className: 'Serial Attached SCSI controller', name: 'RAID card, function 1' }),
  dev('00:14.0', 0x0c0330, { className: 'USB controller', name: 'xHCI' }),
  bridge('00:1c.0', 0x05),
  dev('05:00.0', 0x020000, { className: 'Ethernet controller', name: 'NIC' }),
  dev('00:1f.2', 0x010601, { className: 'SATA controller', name: 'AHCI' }),
];

const lines = (findings: { range?: { start: { line: number } } }[]) => findings.map((f) => f.range!.start.line);

// ---------------------------------------------------------------------------------------------
// rmrr-locks-passthrough

test('rmrr-locks-passthrough: an endpoint of unknown class is locked, the message quotes Linux (both eras) and DDA and says how to give the class', () => {
  const text = table(rmrrSource('000000007DF83000', '000000007DF84FFF', ['1F,02', '1F,05']));
  const findings = run(rmrrLocksPassthrough, text);
  assert.deepEqual(findings.map((f) => f.rule), [rmrrLocksPassthrough.meta.id, rmrrLocksPassthrough.meta.id]);
  const first = lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'));
  assert.deepEqual(lines(findings), [first, lineOf(text, 'Device Scope Type', first + 1)]);
  const m = findings[0]!.message;
  assert.match(m, /00:1f\.2/);
  assert.match(m, /0x7DF83000-0x7DF84FFF \(8 KiB\)/);
  assert.ok(m.includes('Device is ineligible for IOMMU domain attach due to platform RMRR requirement.  Contact your platform vendor.'));
  assert.ok(m.includes('Firmware has requested this device have a 1:1 IOMMU mapping, rejecting configuring the device without a 1:1 mapping. Contact your platform vendor.'));
  assert.ok(m.includes('BIOS requires that this device remain attached to BIOS-owned memory.'));
  assert.match(m, /class is unknown/);
  assert.match(m, /--pci lspci\.txt/);
  assert.ok(m.includes('"devices": {"00:1f.2": {"class": "0x020000"}}'));
});

test('rmrr-locks-passthrough: fixes remove the device from the scope, or the RMRR', () => {
  const text = table(rmrrSource('000000007DF83000', '000000007DF84FFF', ['1F,02', '14,00']));
  const [finding] = run(rmrrLocksPassthrough, text);
  assert.ok(finding);
  assert.equal(finding.fixes!.length, 2);
  const withoutDevice = applyFixToText(text, finding, 0);
  assert.deepEqual(run(rmrrLocksPassthrough, withoutDevice), []);
  assert.ok(!withoutDevice.includes('1F,02') && withoutDevice.includes('14,00'));
  const withoutRmrr = applyFixToText(text, finding, 1);
  assert.deepEqual(run(rmrrLocksPassthrough, withoutRmrr), []);
  assert.ok(!withoutRmrr.includes('Subtable Type : 0001'));
  // The last device: the one fix removes the RMRR itself.
  const single = table(rmrrSource('000000007DF83000', '000000007DF84FFF', ['1F,02']));
  const [only] = run(rmrrLocksPassthrough, single);
  assert.equal(only!.fixes!.length, 1);
  assert.match(only!.fixes![0]!.title, /only device/);
  assert.ok(!applyFixToText(single, only!).includes('Subtable Type : 0001'));
});

test('rmrr-locks-passthrough: a NIC from the PCI inventory is locked, a USB controller is not', () => {
  const text = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('01', '00', '1C,00', '00,00'), scope('01', '00', '14,00')]));
  const findings = run(rmrrLocksPassthrough, text, platformWith(SERVER));
  assert.deepEqual(lines(findings), [lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'))]);
  assert.match(findings[0]!.message, /05:00\.0 \(Ethernet controller: NIC, from the PCI inventory\)/);
  assert.doesNotMatch(findings[0]!.message, /class is unknown/);
  // Without an inventory the two-element path cannot be followed: it is named by its path and counted as locked.
  const bare = run(rmrrLocksPassthrough, text);
  assert.equal(bare.length, 1);
  assert.match(bare[0]!.message, /00:1c\.0\/00\.0 \(the bus behind bridge 00:1c\.0 is unknown without a PCI inventory\)/);
});

test('rmrr-locks-passthrough: with an inventory, one finding per device below a bridge scope, at the bridge scope', () => {
  const text = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('02', '00', '01,00')]));
  const findings = run(rmrrLocksPassthrough, text, platformWith(SERVER));
  const at = lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'));
  // 02:00.0 and 03:00.0 are switch ports (VFIO never assigns bridges); 04:00.0/.1 are the RAID card.
  assert.deepEqual(findings.map((f) => f.message.match(/covers (\S+)/)![1]), ['04:00.0', '04:00.1']);
  assert.deepEqual(lines(findings), [at, at]);
  assert.match(findings[0]!.message, /names bridge 00:01\.0 as a sub-hierarchy/);
  // Without an inventory, a bridge scope is rmrr-bridge-scope's business alone.
  assert.deepEqual(run(rmrrLocksPassthrough, text), []);
});

// ---------------------------------------------------------------------------------------------
// rmrr-relaxable

test('rmrr-relaxable: a laptop iGPU RMRR (00:02.0) is relaxable by a labelled guess, not locked', () => {
  const text = table(rmrrSource('000000007C000000', '000000007E7FFFFF', ['02,00']));
  assert.deepEqual(run(rmrrLocksPassthrough, text), []);
  const findings = run(rmrrRelaxable, text);
  assert.deepEqual(lines(findings), [lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'))]);
  const m = findings[0]!.message;
  assert.match(m, /GUESS/);
  assert.match(m, /direct-relaxable/);
  assert.match(m, /Hyper-V DDA still refuses it \("BIOS requires that this device remain attached to BIOS-owned memory\."\)/);
  assert.match(m, /Xen/);
  assert.match(m, /inside a guest/);
  // The inventory beats the guess; a device that is no display controller is then not relaxable.
  const real = run(rmrrRelaxable, text, platformWith([dev('00:02.0', 0x030000, { className: 'VGA compatible controller', name: 'UHD Graphics' })]));
  assert.match(real[0]!.message, /from the PCI inventory/);
  assert.doesNotMatch(real[0]!.message, /GUESS/);
  const notGpu = platformWith([dev('00:02.0', 0x088000, { className: 'System peripheral' })]);
  assert.deepEqual(run(rmrrRelaxable, text, notGpu), []);
  assert.equal(run(rmrrLocksPassthrough, text, notGpu).length, 1);
});

test('rmrr-relaxable: annotations (project config, and JSON sources) give the class before any guess', () => {
  const text = table(rmrrSource('000000007C000000', '000000007E7FFFFF', ['1C,00']));
  assert.deepEqual(run(rmrrRelaxable, text), []);
  const annotated = platformWith(undefined, { '00:1c.0': { class: 0x0c0330, name: 'ASMedia xHCI' } });
  const findings = run(rmrrRelaxable, text, annotated);
  assert.equal(findings.length, 1);
  assert.match(findings[0]!.message, /00:1c\.0 \(USB controller 0x0C0330: ASMedia xHCI, from your annotation\)/);
  assert.deepEqual(run(rmrrLocksPassthrough, text, annotated), []);
  // An annotation on the scope itself (as JSON sources carry it).
  const t = tableOf(text);
  const rmrr = t.structures.find((s) => s.kind === 'rmrr');
  assert.ok(rmrr && rmrr.kind === 'rmrr');
  rmrr.scopes[0]!.annotation = { class: 0x030000 };
  const ctx = { table: t, platform: emptyPlatform(), profiles: [] };
  assert.equal(rmrrRelaxable.check(ctx).length, 1);
  assert.deepEqual(rmrrLocksPassthrough.check(ctx), []);
});

// ---------------------------------------------------------------------------------------------
// rmrr-bridge-scope

test('rmrr-bridge-scope: without an inventory it warns and offers no fix', () => {
  const text = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('02', '00', '1C,00')]));
  const findings = run(rmrrBridgeScope, text);
  assert.deepEqual(lines(findings), [lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'))]);
  assert.match(findings[0]!.message, /every device below the bridge inherits/);
  assert.match(findings[0]!.message, /--pci lspci\.txt/);
  assert.equal(findings[0]!.fixes, undefined);
  // The corrected table names the endpoint.
  assert.deepEqual(run(rmrrBridgeScope, table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('01', '00', '1C,00', '00,00')]))), []);
});

test('rmrr-bridge-scope: with an inventory it lists the devices below and replaces the bridge by endpoint scopes', () => {
  const text = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('02', '00', '01,00')]));
  const platform = platformWith(SERVER);
  const [finding] = run(rmrrBridgeScope, text, platform);
  assert.ok(finding);
  assert.match(finding.message, /Below it now: 02:00\.0 \(PCI bridge: Switch upstream\), 03:00\.0 .*04:00\.0 \(Serial Attached SCSI controller: RAID card\), 04:00\.1/);
  assert.equal(finding.fixes!.length, 1);
  const fixed = applyFixToText(text, finding);
  assert.deepEqual(run(rmrrBridgeScope, fixed, platform), []);
  // The bridges below are not endpoints; the two RAID functions are, with their full paths.
  const rmrr = tableOf(fixed).structures.find((s) => s.kind === 'rmrr');
  assert.ok(rmrr && rmrr.kind === 'rmrr');
  assert.deepEqual(rmrr.scopes.map((s) => [s.type, s.path.map((p) => `${p.device}.${p.function}`).join('/')]), [[1, '1.0/0.0/0.0/0.0'], [1, '1.0/0.0/0.0/0.1']]);
  assert.deepEqual(run(scopeTypeMismatch, fixed, platform), []);
  assert.deepEqual(run(scopeDeviceAbsent, fixed, platform), []);
  assert.deepEqual(run(rmrrLocksPassthrough, fixed, platform).map((f) => f.message.match(/locks (\S+)/)![1]), ['04:00.0', '04:00.1']);
});

// ---------------------------------------------------------------------------------------------
// rmrr-shared

test('rmrr-shared: an RMRR listing two devices, at its header; the split fix gives one RMRR per device', () => {
  const text = table(rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['1D,00', '1A,00']));
  const findings = run(rmrrShared, text);
  assert.deepEqual(lines(findings), [lineOf(text, 'Subtable Type : 0001')]);
  assert.ok(findings[0]!.message.includes('"It\'s disallowed to assign 0000:00:1d.0 with shared RMRR at 7dffd000 for DomN."'));
  assert.match(findings[0]!.message, /rdm_policy=relaxed/);
  assert.match(findings[0]!.message, /Xen disables VT-d for overlapping RMRRs/);
  assert.equal(findings[0]!.related!.length, 2);
  const fix = findings[0]!.fixes![0]!;
  assert.ok(!fix.safe && !fix.preferred);
  const fixed = applyFixToText(text, findings[0]!);
  assert.deepEqual(run(rmrrShared, fixed), []);
  const rmrrs = tableOf(fixed).structures.filter((s) => s.kind === 'rmrr');
  assert.equal(rmrrs.length, 2);
  assert.ok(rmrrs.every((r) => r.kind === 'rmrr' && r.scopes.length === 1 && r.base === 0x7dffd000n && r.limit === 0x7dffffffn));
  // One device: quiet.
  assert.deepEqual(run(rmrrShared, table(rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['1D,00']))), []);
});

// ---------------------------------------------------------------------------------------------
// rmrr-namespace-scope

test('rmrr-namespace-scope: a namespace scope in an RMRR, named through its ANDD', () => {
  const andd = `Subtable Type : 0004
Length : 0017
Reserved : 000000
Device Number : 01
Device Name : "\\_SB.PCI0.I2C0"
`;
  const text = dmarSource([INCLUDE_ALL_DRHD, rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['15,00'], '05').replace('Enumeration ID : 00', 'Enumeration ID : 01'), andd].join('\n'));
  const findings = run(rmrrNamespaceScope, text);
  assert.deepEqual(findings.map((f) => f.rule), ['rmrr-namespace-scope']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Device Scope Type : 05')]);
  assert.match(findings[0]!.message, /ACPI namespace device 1 \(\\_SB\.PCI0\.I2C0\)/);
  assert.match(findings[0]!.message, /EDK2/);
  assert.match(findings[0]!.message, /cannot be fixed automatically/);
  assert.equal(findings[0]!.fixes, undefined);
  assert.deepEqual(run(rmrrNamespaceScope, table(rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['15,00']))), []);
});

// ---------------------------------------------------------------------------------------------
// scope-device-absent

test('scope-device-absent: needs an inventory; finds a missing endpoint and a path through a missing bridge', () => {
  const text = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('01', '00', '1F,05'), scope('01', '00', '1C,07', '00,00'), scope('01', '00', '1F,02')]));
  assert.deepEqual(run(scopeDeviceAbsent, text), []);
  const findings = run(scopeDeviceAbsent, text, platformWith(SERVER));
  const rmrrLine = lineOf(text, 'Subtable Type : 0001');
  const first = lineOf(text, 'Device Scope Type', rmrrLine);
  assert.deepEqual(lines(findings), [first, lineOf(text, 'Device Scope Type', first + 1)]);
  assert.ok(findings[0]!.message.includes('"Non-existent device (0000:00:1f.5) is reported in RMRR [7df83000, 7df84fff]\'s scope!"'));
  assert.match(findings[0]!.message, /DevScopeDevNotFound/);
  assert.match(findings[1]!.message, /the bridge 00:1c\.7 on its path is not in the PCI inventory/);
  // IOAPIC and HPET scopes are not PCI functions: the DRHD's IOAPIC at F0:1f.0 is not checked.
  const fixedInventory = platformWith([...SERVER, dev('00:1f.5', 0x010601), bridge('00:1c.7', 0x06), dev('06:00.0', 0x088000)]);
  assert.deepEqual(run(scopeDeviceAbsent, text, fixedInventory), []);
});

// ---------------------------------------------------------------------------------------------
// scope-type-mismatch

test('scope-type-mismatch: an endpoint scope naming a bridge and a bridge scope naming an endpoint', () => {
  const text = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('01', '00', '1C,00'), scope('02', '00', '1F,02')]));
  assert.deepEqual(run(scopeTypeMismatch, text), []);
  const findings = run(scopeTypeMismatch, text, platformWith(SERVER));
  const first = lineOf(text, 'Device Scope Type', lineOf(text, 'Subtable Type : 0001'));
  assert.deepEqual(lines(findings), [first, lineOf(text, 'Device Scope Type', first + 1)]);
  assert.ok(findings[0]!.message.includes('"Device scope type does not match for 0000:00:1c.0"'));
  assert.match(findings[0]!.message, /sub-hierarchy scope \(type 02\)/);
  assert.match(findings[1]!.message, /Use an endpoint scope \(type 01\)/);
  // Corrected: both right; and Linux lets a bridge scope name a non-bridge header of bridge class (NTB).
  const good = table(rmrrWith('000000007DF83000', '000000007DF84FFF', [scope('02', '00', '1C,00'), scope('01', '00', '1F,02'), scope('02', '00', '1F,03')]));
  assert.deepEqual(run(scopeTypeMismatch, good, platformWith([...SERVER, dev('00:1f.3', 0x068000)])), []);
});

// ---------------------------------------------------------------------------------------------
// ioapic-id-mismatch

test('ioapic-id-mismatch: needs the MADT; a scope ID the MADT lacks, and an MADT I/O APIC without scope', () => {
  const text = table(rmrrSource('000000007DFFD000', '000000007DFFFFFF', ['14,00']));
  const madt = (ids: number[]): Platform => ({
    annotations: new Map(),
    madt: { file: 'apic.dsl', ioApics: ids.map((id, i) => ({ id, address: 0xfec00000 + i * 0x1000, gsiBase: i * 24, line: 40 + i * 10 })) },
  });
  assert.deepEqual(run(ioapicIdMismatch, text), []);
  const findings = run(ioapicIdMismatch, text, madt([8]));
  assert.deepEqual(findings.map((f) => f.rule), ['ioapic-id-mismatch', 'ioapic-id-mismatch']);
  assert.deepEqual(lines(findings), [lineOf(text, 'Enumeration ID : 02'), lineOf(text, 'Subtable Type : 0000')]);
  assert.equal(findings[0]!.range!.start.character, 'Enumeration ID : '.length);
  assert.match(findings[0]!.message, /I\/O APIC ID 2 \(0x02\).*ID 8 \(0x08\) at 0xFEC00000/);
  assert.ok(findings[1]!.message.includes('"[Firmware Bug]: ioapic 8 has no mapping iommu, interrupt remapping will be disabled"'));
  assert.match(findings[1]!.message, /apic\.dsl, line 41/);
  assert.deepEqual(run(ioapicIdMismatch, text, madt([2])), []);
  // Without INTR_REMAP Linux never looks for the MADT's I/O APICs.
  const noIr = dmarSource([INCLUDE_ALL_DRHD].join('\n'), { flags: '00' });
  assert.deepEqual(run(ioapicIdMismatch, noIr, madt([2, 9])), []);
});

// ---------------------------------------------------------------------------------------------
// The corpus

test('passthrough rules over the real corpus: never throw; HP ProLiant is locked, a laptop iGPU is relaxable', () => {
  const counts = new Map<string, number>();
  const rules: readonly Rule[] = PASSTHROUGH_RULES;
  for (const file of corpusFiles('.dsl')) {
    const { table: t } = readSource(fs.readFileSync(file, 'utf8'));
    const ctx = { table: t, platform: emptyPlatform(), profiles: [] };
    for (const rule of rules) {
      const findings = rule.check(ctx);
      for (const f of findings) assert.equal(f.rule, rule.meta.id);
      if (findings.length) counts.set(`${path.basename(file)} ${rule.meta.id}`, findings.length);
    }
  }
  const proliant = fs.readdirSync(CORPUS_DIR).filter((f) => f.startsWith('Server_Hewlett-Packard_ProLiant_') && f.endsWith('.dsl'));
  assert.ok(proliant.length > 0);
  for (const f of proliant) assert.ok((counts.get(`${f} rmrr-locks-passthrough`) ?? 0) > 0, f);
  const laptop = 'Notebook_Dell_Latitude_Latitude_5511_A37FB9368F2A.dsl';
  const { table: t } = readSource(fs.readFileSync(path.join(CORPUS_DIR, laptop), 'utf8'));
  const igpu = rmrrRelaxable.check({ table: t, platform: emptyPlatform(), profiles: [] }).filter((f) => /^This RMRR \(0x7C000000-0x7E7FFFFF \(40 MiB\)\) names 00:02\.0 \(display controller by a GUESS/.test(f.message));
  assert.equal(igpu.length, 1);
  assert.ok(!rmrrLocksPassthrough.check({ table: t, platform: emptyPlatform(), profiles: [] }).some((f) => f.message.includes('00:02.0')));
});
