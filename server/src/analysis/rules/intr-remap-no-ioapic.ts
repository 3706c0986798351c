import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';
import { SCOPE_TYPE } from '../../table/model';

const ID = 'intr-remap-no-ioapic';
const INTR_REMAP = 0x1;

// Linux drivers/iommu/intel/irq_remapping.c parse_ioapics_under_ir(): every I/O APIC must sit
// under a DRHD IOAPIC scope, else "[Firmware Bug]: ioapic N has no mapping iommu, interrupt
// remapping will be disabled" and "Not enabling interrupt remapping". Without it,
// drivers/vfio/vfio_iommu_type1.c refuses device assignment: "No interrupt remapping support.  Use
// the module param "allow_unsafe_interrupts" to enable VFIO IOMMU support on this platform".

export const intrRemapNoIoapic: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'INTR_REMAP is set but no DRHD lists an IOAPIC',
  },
  check(ctx) {
    const { table } = ctx;
    if (!(table.flags & INTR_REMAP)) return [];
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      if (drhds[i]!.scopes.some((sc) => sc.type === SCOPE_TYPE.ioapic)) return [];
    }
    if (drhds.length === 0) return []; // no-drhd says it
    return [{
      rule: ID, ...atField(table.loc, 'flags'),
      message: `Flags bit 0 (INTR_REMAP) says the platform supports interrupt remapping, but no DRHD lists an IOAPIC scope, so the OS cannot tell which unit remaps the I/O APIC's interrupts. `
        + `Linux turns interrupt remapping off ("ioapic N has no mapping iommu, interrupt remapping will be disabled", "Not enabling interrupt remapping"); without it VFIO refuses passthrough `
        + `("No interrupt remapping support.  Use the module param "allow_unsafe_interrupts" to enable VFIO IOMMU support on this platform"). `
        + `Add an IOAPIC scope (type 3, Enumeration ID = the I/O APIC ID in the MADT) to the DRHD that covers the I/O APIC, usually the INCLUDE_PCI_ALL unit.`,
    }];
  },
};
