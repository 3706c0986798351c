import type { Finding } from '../../table/finding';
import { hexAddress } from '../format';
import { atField } from '../locate';
import { analysisRmrrs, endOfPage, linuxBadRmrr, xenHex } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-limit-before-base';

// Linux drivers/iommu/intel/iommu.c rmrr_sanity_check(): end_address <= base_address is a
// "bad RMRR"; kernels before 5.x warned "RMRR ends before it starts!" in
// domain_prepare_identity_map(). Xen xen/drivers/passthrough/vtd/dmar.c acpi_parse_one_rmrr():
// base > end is "RMRR (...) is incorrect", -EFAULT, and acpi_parse_dmar() then disables VT-d.

export const rmrrLimitBeforeBase: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'An RMRR limit is at or below its base',
  },
  check(ctx) {
    const out: Finding[] = [];
    const rmrrs = analysisRmrrs(ctx);
    for (let i = 0; i < rmrrs.length; i++) {
      const { rmrr } = rmrrs[i]!;
      if (rmrr.limit > rmrr.base) continue;
      const linux = `Linux logs "${linuxBadRmrr(rmrr.base, rmrr.limit)}" and taints the kernel`;
      const template = rmrr.limit === 0n || rmrr.base === 0n
        ? ' A zero here usually means a template value nobody filled in.'
        : '';
      const message = rmrr.limit === rmrr.base
        ? `This RMRR's limit equals its base ${hexAddress(rmrr.base)}: a region of one byte, which no IOMMU can map. ${linux}; Xen accepts it. `
          + `The limit is inclusive: a one-page region at ${hexAddress(rmrr.base)} ends at ${hexAddress(endOfPage(rmrr.base))}. Write the region's last byte (ending in ...FFF).${template}`
        : `This RMRR's limit ${hexAddress(rmrr.limit)} is below its base ${hexAddress(rmrr.base)}: the region ends before it starts. `
          + `${linux} (older kernels: "Your BIOS is broken; RMRR ends before it starts!"), and Xen logs "RMRR (${xenHex(rmrr.base)}, ${xenHex(rmrr.limit)}) is incorrect", `
          + `then "Failed to parse ACPI DMAR.  Disabling VT-d.": no device can be passed through at all.${template} `
          + 'Write the last byte of the region (it ends in ...FFF), or remove the RMRR.';
      out.push({
        rule: ID, ...atField(rmrr.loc, 'limit'), message,
        related: [{ ...atField(rmrr.loc, 'base'), message: `the base, ${hexAddress(rmrr.base)}` }],
      });
    }
    return out;
  },
};
