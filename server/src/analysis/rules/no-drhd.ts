import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'no-drhd';

// Linux drivers/iommu/intel/dmar.c parse_dmar_table(): no DRHD counted prints
// "[Firmware Bug]: No DRHD structure found in DMAR table"; dmar_table_init() then finds the unit
// list empty ("No DMAR devices found") and the IOMMU stays off.

export const noDrhd: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'The table has no DRHD (remapping hardware unit)',
  },
  check(ctx) {
    const { table } = ctx;
    if (structuresOfKind(ctx, 'drhd').length > 0) return [];
    // A document with no DMAR header at all is a syntax problem, not this one.
    if (table.form === 'source' && table.loc.fields.signature?.line === undefined) return [];
    const rmrrs = structuresOfKind(ctx, 'rmrr').length;
    const rest = rmrrs > 0 ? ` The ${rmrrs === 1 ? 'RMRR' : `${rmrrs} RMRRs`} in it mean nothing without a unit to translate their devices.` : '';
    return [{
      rule: ID, ...atField(table.loc, 'signature'),
      message: `This DMAR table declares no DRHD, so it names no IOMMU at all. `
        + `Linux reports "[Firmware Bug]: No DRHD structure found in DMAR table" and "No DMAR devices found", and leaves DMA remapping and interrupt remapping off.${rest} `
        + `Add a DRHD for each remapping unit (usually one with INCLUDE_PCI_ALL last in each PCI segment), or drop the DMAR table if the platform has no VT-d.`,
    }];
  },
};
