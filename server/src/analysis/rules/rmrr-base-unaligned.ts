import type { Finding } from '../../table/finding';
import type { Rmrr } from '../../table/model';
import { hexAddress } from '../format';
import { atField } from '../locate';
import { alignDown, analysisRmrrs, isPageAligned, linuxBadRmrr } from '../rmrr-ranges-util';
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
  check(ctx) {
    const out: Finding[] = [];
    const rmrrs = analysisRmrrs(ctx);
    for (let i = 0; i < rmrrs.length; i++) {
      const { rmrr, index } = rmrrs[i]!;
      if (!isPageAligned(rmrr.base)) out.push(unalignedBase(rmrr, index));
    }
    return out;
  },
};

function unalignedBase(rmrr: Rmrr, index: number): Finding {
  const aligned = alignDown(rmrr.base);
  return {
    rule: ID, ...atField(rmrr.loc, 'base'),
    message: `This RMRR's Base Address ${hexAddress(rmrr.base)} is not 4-KiB aligned (VT-d requires RMRRs to start on a page). `
      + `Linux logs "${linuxBadRmrr(rmrr.base, rmrr.limit)}" and taints the kernel, and fwts fails the table (InvalidRMRRRangeAddr); `
      + `an IOMMU maps whole pages anyway, so the page from ${hexAddress(aligned)} is what gets identity-mapped. `
      + `Write ${hexAddress(aligned)}.`,
    fixes: [{
      title: `Align the base down to ${hexAddress(aligned)}`, safe: true, preferred: true,
      apply: (t) => { const s = t.structures[index]; if (s?.kind === 'rmrr') s.base = aligned; },
    }],
  };
}
