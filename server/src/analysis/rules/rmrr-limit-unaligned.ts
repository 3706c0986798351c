import type { Finding } from '../../table/finding';
import type { Rmrr } from '../../table/model';
import { hexAddress } from '../format';
import { atField } from '../locate';
import { analysisRmrrs, endOfPage, isPageAligned, linuxBadRmrr, PAGE_OFFSET_MASK } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-limit-unaligned';

// VT-d spec 8.4: the limit is inclusive and limit + 1 is 4-KiB aligned, so it ends in ...FFF.
// Linux rmrr_sanity_check() (IS_ALIGNED(end_address + 1, PAGE_SIZE)) -> "bad RMRR" and a taint;
// fwts InvalidRMRRRangeAddr. A limit written as base + size is the classic off-by-one.

/** The inclusive limit the firmware most likely meant, and whether writing it maps the same pages. */
export function inclusiveLimit(base: bigint, limit: bigint): { value: bigint; looksExclusive: boolean; samePages: boolean } {
  const looksExclusive = (limit & PAGE_OFFSET_MASK) === 0n || ((limit - base) & PAGE_OFFSET_MASK) === 0n;
  if ((limit & PAGE_OFFSET_MASK) === 0n && limit - 1n >= base) return { value: limit - 1n, looksExclusive, samePages: false };
  return { value: endOfPage(limit), looksExclusive, samePages: true };
}

export const rmrrLimitUnaligned: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: true,
    title: 'An RMRR limit is not the last byte of a 4-KiB page (limit + 1 not aligned)',
  },
  check(ctx) {
    const out: Finding[] = [];
    const rmrrs = analysisRmrrs(ctx);
    for (let i = 0; i < rmrrs.length; i++) {
      const { rmrr, index } = rmrrs[i]!;
      // A limit at or below the base is rmrr-limit-before-base's finding; its alignment means nothing.
      // (limit + 1 aligned: its low 12 bits all ones, tested without making limit + 1.)
      if (rmrr.limit <= rmrr.base || (rmrr.limit & PAGE_OFFSET_MASK) === PAGE_OFFSET_MASK) continue;
      out.push(unalignedLimit(rmrr, index));
    }
    return out;
  },
};

function unalignedLimit(rmrr: Rmrr, index: number): Finding {
  const fix = inclusiveLimit(rmrr.base, rmrr.limit);
  const what = fix.looksExclusive && !fix.samePages
    ? 'It looks like an exclusive end (base + size): the limit is the last byte of the region, so as written the region claims one page more than it needs. '
    : fix.looksExclusive
      ? 'It looks like an exclusive end (base + size); the limit is the last byte of the region and must end in ...FFF. '
      : 'The limit is the last byte of the region and must end in ...FFF. ';
  return {
    rule: ID, ...atField(rmrr.loc, 'limit'),
    message: `This RMRR's limit ${hexAddress(rmrr.limit)} is not the last byte of a 4-KiB page. ${what}`
      + `Linux logs "${linuxBadRmrr(rmrr.base, rmrr.limit)}" and taints the kernel, and fwts fails the table (InvalidRMRRRangeAddr). `
      + `Write ${hexAddress(fix.value)}.`,
    fixes: [{
      title: fix.samePages ? `Round the limit up to ${hexAddress(fix.value)}, the end of its page` : `Make the limit inclusive: ${hexAddress(fix.value)}`,
      // Rounding up covers the same pages an IOMMU maps anyway; dropping the page at an
      // exclusive-looking limit is right only if the firmware meant it exclusive.
      safe: fix.samePages, preferred: true,
      apply: (t) => { const s = t.structures[index]; if (s?.kind === 'rmrr') s.limit = fix.value; },
    }],
  };
}
