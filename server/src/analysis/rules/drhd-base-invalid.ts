import type { Finding } from '../../table/finding';
import { hexAddress } from '../format';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'drhd-base-invalid';
const ALL_ONES = 0xffffffffffffffffn;

// Linux drivers/iommu/intel/dmar.c dmar_validate_one_drhd(): a zero address prints
// "[Firmware Bug]: Your BIOS is broken; DMAR reported at address 0!" (warn_invalid_dmar) and fails
// detect_intel_iommu(), so intel_iommu_init is never installed. An all-ones base cannot be mapped
// (early_ioremap refuses a range that wraps): "Can't validate DRHD address: ffffffffffffffff", same
// failure. Xen xen/drivers/passthrough/vtd/dmar.c acpi_parse_one_drhd(): `!drhd->address ||
// !(drhd->address + 1)` fails the parse: "Failed to parse ACPI DMAR.  Disabling VT-d.".

export const drhdBaseInvalid: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'A DRHD register base is 0 or all-ones',
  },
  check(ctx) {
    const out: Finding[] = [];
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      if (s.registerBase !== 0n && s.registerBase !== ALL_ONES) continue;
      const linux = s.registerBase === 0n
        ? 'Linux reports "[Firmware Bug]: Your BIOS is broken; DMAR reported at address 0!" and gives up on VT-d'
        : `Linux cannot map it ("Can't validate DRHD address: ffffffffffffffff") and gives up on VT-d`;
      out.push({
        rule: ID, ...atField(s.loc, 'registerBase'),
        message: `This DRHD's Register Base Address is ${hexAddress(s.registerBase)}, which no remapping unit can live at (usually a unit the firmware failed to fill in or disabled). `
          + `${linux}, so DMA and interrupt remapping stay off for the whole machine; Xen fails the table ("Failed to parse ACPI DMAR.  Disabling VT-d."). `
          + `Write the unit's real register base, or remove the DRHD if the unit is absent.`,
      });
    }
    return out;
  },
};
