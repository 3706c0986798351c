import type { Finding } from '../../table/finding';
import { formatSize, hexAddress } from '../format';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'drhd-base-unaligned';
const PAGE = 0x1000n;
const ALL_ONES = 0xffffffffffffffffn;

// VT-d spec 8.3: the Register Base Address is 4-KiB aligned; Size (VT-d 3.x) gives the register
// set as 2^N 4-KiB pages. Linux drivers/iommu/intel/dmar.c dmar_parse_one_drhd() maps
// `1 << (size + 12)` bytes from the base and reads CAP/ECAP at fixed offsets from it.

export const drhdBaseUnaligned: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'A DRHD register base is not 4-KiB aligned, or not aligned to its register-set size',
  },
  check(ctx) {
    const out: Finding[] = [];
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      const base = s.registerBase;
      if (base === 0n || base === ALL_ONES) continue; // drhd-base-invalid
      const consequence = 'An OS reads the unit\'s capability and command registers at fixed offsets from this base, so it would program registers that are not there. ';
      if (base % PAGE !== 0n) {
        out.push({
          rule: ID, ...atField(s.loc, 'registerBase'),
          message: `This DRHD's Register Base Address ${hexAddress(base)} is not 4-KiB aligned (VT-d requires it). ${consequence}`
            + `Write the unit's real base, which ends in ...000 (${hexAddress(base - (base % PAGE))} if the low bits are a typo).`,
        });
        continue;
      }
      if (s.size === 0) continue;
      const setSize = PAGE << BigInt(s.size);
      if (base % setSize === 0n) continue;
      out.push({
        rule: ID, ...atField(s.loc, 'registerBase'),
        message: `This DRHD's Register Base Address ${hexAddress(base)} is not aligned to its register set: Size ${s.size} means 2^${s.size} pages (${formatSize(setSize)}), and VT-d wants the base aligned to that. ${consequence}`
          + `Check the base and the Size field (older tables keep Size at 0, which means one page).`,
        related: s.loc.fields.size ? [{ ...atField(s.loc, 'size'), message: `Size ${s.size}: a ${formatSize(setSize)} register set` }] : undefined,
      });
    }
    return out;
  },
};
