import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'haw-invalid';

// Linux drivers/iommu/intel/dmar.c parse_dmar_table(): `dmar->width < PAGE_SHIFT - 1` prints
// "Invalid DMAR haw" and fails; dmar_table_init() then prints "Parse DMAR table failure.".
// Xen xen/drivers/passthrough/vtd/dmar.c acpi_parse_dmar() rejects a zero width
// ("Zero: Invalid DMAR width") and disables VT-d.
const MIN_BITS = 12;

export const hawInvalid: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'Host Address Width + 1 is below 12 bits',
  },
  check({ table }) {
    const bits = table.hostAddressWidth + 1;
    if (bits >= MIN_BITS) return [];
    const xen = table.hostAddressWidth === 0 ? ' Xen also refuses it ("Zero: Invalid DMAR width") and disables VT-d.' : '';
    const finding: Finding = {
      rule: ID, ...atField(table.loc, 'hostAddressWidth'),
      message: `Host Address Width is 0x${hex(table.hostAddressWidth, 2)}, which means ${bits} bits (the field holds N-1): below the 12 bits of one page. `
        + `Linux rejects the whole table ("Invalid DMAR haw", then "Parse DMAR table failure."), so the IOMMU stays off.${xen} `
        + `Write the platform's DMA address width minus one, for example 26 for 39 bits or 2D for 46 bits.`,
    };
    return [finding];
  },
};
