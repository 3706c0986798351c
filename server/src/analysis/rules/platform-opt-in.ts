import { plural } from '../format';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'platform-opt-in';
const DMA_CTRL_PLATFORM_OPT_IN = 0x4;

// Linux drivers/iommu/intel/iommu.c platform_optin_force_iommu(): with the flag set and an
// external-facing PCI port, "Intel-IOMMU force enabled due to platform opt in" even when the IOMMU
// was off by default. The flag says firmware kept pre-OS DMA to the RMRRs (VT-d spec 8.1, Kernel
// DMA Protection); Windows' DMA-protection checks fail RMRRs that are not on their allow-list.

export const platformOptIn: Rule = {
  meta: {
    id: ID, severity: 'info', fixable: false,
    title: 'DMAR flags say DMA_CTRL_PLATFORM_OPT_IN: the OS forces the IOMMU on',
  },
  check(ctx) {
    const { table } = ctx;
    if (!(table.flags & DMA_CTRL_PLATFORM_OPT_IN)) return [];
    const rmrrs = structuresOfKind(ctx, 'rmrr').length;
    const which = rmrrs === 0
      ? 'This table has no RMRR, which is what such a promise should look like.'
      : `This table has ${plural(rmrrs, 'RMRR')}: each one is a range that stays open to DMA and is part of that promise.`;
    return [{
      rule: ID, ...atField(table.loc, 'flags'),
      message: `Flags bit 2 (DMA_CTRL_PLATFORM_OPT_IN) is set: firmware declares that it restricts pre-boot DMA to the RMRRs (Kernel DMA Protection). `
        + `Linux then turns DMA remapping on even where it is off by default, if the machine has an external-facing port ("Intel-IOMMU force enabled due to platform opt in"), `
        + `and Windows' DMA-protection audit fails any RMRR that is not on its allow-list. ${which} `
        + `Keep only RMRRs the OS really needs, and clear the bit only if firmware does not in fact protect pre-boot DMA.`,
    }];
  },
};
