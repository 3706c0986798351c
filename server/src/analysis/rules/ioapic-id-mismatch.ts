import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { SCOPE_TYPE, type DeviceScope, type Drhd } from '../../table/model';
import { hexAddress } from '../format';
import { atField, atStructure } from '../locate';
import type { IoApic } from '../platform';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'ioapic-id-mismatch';

function describe(a: IoApic): string {
  return `ID ${a.id} (0x${hex(a.id, 2)}) at ${hexAddress(a.address)}, GSI base ${a.gsiBase}`;
}

export const ioapicIdMismatch: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false, needs: 'madt',
    title: 'An IOAPIC scope and the MADT disagree about I/O APIC IDs',
  },
  check(ctx) {
    const { table, platform } = ctx;
    if (!platform.madt) return [];
    const { file, ioApics } = platform.madt;
    const madtById = new Map<number, IoApic>();
    for (const a of ioApics) if (!madtById.has(a.id)) madtById.set(a.id, a);
    const scoped = new Map<number, { drhd: Drhd; scope: DeviceScope }>();
    const out: Finding[] = [];
    const list = ioApics.map(describe).join('; ') || 'none';
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      for (let j = 0; j < s.scopes.length; j++) {
        const scope = s.scopes[j]!;
        if (scope.type !== SCOPE_TYPE.ioapic) continue;
        if (!scoped.has(scope.enumerationId)) scoped.set(scope.enumerationId, { drhd: s, scope });
        if (madtById.has(scope.enumerationId)) continue;
        out.push({
          rule: ID, ...atField(scope.loc, 'enumerationId'),
          message: `This IOAPIC scope says I/O APIC ID ${scope.enumerationId} (0x${hex(scope.enumerationId, 2)}), but the MADT (${file}) has no I/O APIC with that ID (it lists: ${list}). Linux finds the remapping unit of each MADT I/O APIC by this ID, so this entry maps nothing and the I/O APIC it meant is left without a unit: "[Firmware Bug]: ioapic N has no mapping iommu, interrupt remapping will be disabled". Write the MADT's I/O APIC ID here.`,
          related: [{ ...atStructure(s), message: 'the DRHD' }],
        });
      }
    }
    // Linux checks the MADT side only when it enables interrupt remapping (INTR_REMAP), and a
    // table without any IOAPIC scope is intr-remap-no-ioapic's finding.
    const intrRemap = (table.flags & 1) !== 0;
    if (!intrRemap || scoped.size === 0) return out;
    const home = [...scoped.values()][0]!.drhd;
    for (const a of ioApics) {
      if (scoped.has(a.id)) continue;
      out.push({
        rule: ID, ...atStructure(home),
        message: `The MADT (${file}, line ${a.line + 1}) declares I/O APIC ${describe(a)}, but no DRHD lists an IOAPIC scope with Enumeration ID 0x${hex(a.id, 2)}: Linux turns interrupt remapping off at boot ("[Firmware Bug]: ioapic ${a.id} has no mapping iommu, interrupt remapping will be disabled"), which also costs x2APIC mode and the protection against interrupts injected by assigned devices. Add an IOAPIC scope (type 03, Enumeration ID 0x${hex(a.id, 2)}, with the I/O APIC's PCI bus, device and function) to the DRHD that translates it.`,
      });
    }
    return out;
  },
};
