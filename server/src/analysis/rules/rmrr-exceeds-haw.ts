import type { Finding } from '../../table/finding';
import { hexAddress } from '../format';
import { atField, atTableField } from '../locate';
import { analysisRmrrs } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-exceeds-haw';

// The DMAR Host Address Width (N-1) bounds every DMA address the platform's IOMMUs translate.
// Linux before the 5.x rework refused the identity map in domain_prepare_identity_map():
// "Your BIOS is broken; RMRR exceeds permitted address width (%d bits)".

export const rmrrExceedsHaw: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'An RMRR lies above the table\'s Host Address Width',
  },
  check(ctx) {
    const { table } = ctx;
    const out: Finding[] = [];
    const bits = table.hostAddressWidth + 1;
    // Below 12 bits the whole table is rejected (haw-invalid); a comparison would only add noise.
    if (bits < 12) return out;
    const highest = (1n << BigInt(bits)) - 1n;
    const rmrrs = analysisRmrrs(ctx);
    for (let i = 0; i < rmrrs.length; i++) {
      const { rmrr } = rmrrs[i]!;
      if (rmrr.limit <= highest) continue;
      out.push({
        rule: ID, ...atField(rmrr.loc, 'limit'),
        message: `This RMRR's limit ${hexAddress(rmrr.limit)} lies above the ${bits}-bit Host Address Width this table declares (the highest DMA address is ${hexAddress(highest)}): `
          + `the IOMMU cannot translate addresses up there, so the identity map this RMRR asks for cannot be built. `
          + `Older Linux refused it with "Your BIOS is broken; RMRR exceeds permitted address width" (naming the domain's width in bits). `
          + 'Correct the limit (or the Host Address Width, if the platform really decodes more address bits).',
        related: [{ ...atTableField(table, 'hostAddressWidth'), message: `Host Address Width: ${bits} bits` }],
      });
    }
    return out;
  },
};
