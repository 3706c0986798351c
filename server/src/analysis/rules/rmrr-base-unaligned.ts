import type { Finding } from '../../table/finding';
import { hexAddress } from '../format';
import { atField } from '../locate';
import { alignDown, isPageAligned, linuxBadRmrr, rmrrsOf } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-base-unaligned';

// VT-d spec 8.4: the RMRR base is 4-KiB aligned. Linux drivers/iommu/intel/iommu.c
// rmrr_sanity_check() (IS_ALIGNED(base_address, PAGE_SIZE)) then dmar_parse_one_rmrr() warns
// "bad RMRR" and taints; fwts dmar test fails it as InvalidRMRRRangeAddr.

export const rmrrBaseUnaligned: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: true,
    title: 'An RMRR base address is not 4-KiB aligned',
  },
  check({ table }) {
    const out: Finding[] = [];
    for (const { rmrr, index } of rmrrsOf(table)) {
      if (isPageAligned(rmrr.base)) continue;
      const aligned = alignDown(rmrr.base);
      out.push({
        rule: ID, ...atField(rmrr.loc, 'base'),
        message: `This RMRR's Base Address ${hexAddress(rmrr.base)} is not 4-KiB aligned (VT-d requires RMRRs to start on a page). `
          + `Linux logs "${linuxBadRmrr(rmrr.base, rmrr.limit)}" and taints the kernel, and fwts fails the table (InvalidRMRRRangeAddr); `
          + `an IOMMU maps whole pages anyway, so the page from ${hexAddress(aligned)} is what gets identity-mapped. `
          + `Write ${hexAddress(aligned)}.`,
        fixes: [{
          title: `Align the base down to ${hexAddress(aligned)}`, safe: true, preferred: true,
          apply: (t) => { const s = t.structures[index]; if (s?.kind === 'rmrr') s.base = aligned; },
        }],
      });
    }
    return out;
  },
};
