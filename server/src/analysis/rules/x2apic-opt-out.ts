import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'x2apic-opt-out';
const X2APIC_OPT_OUT = 0x2;

// Linux drivers/iommu/intel/irq_remapping.c intel_prepare_irq_remapping(): with the bit set,
// "x2apic is disabled because BIOS sets x2apic opt out bit." and
// "Use 'intremap=no_x2apic_optout' to override the BIOS setting.". Xen
// xen/drivers/passthrough/vtd/dmar.c platform_supports_x2apic() wants INTR_REMAP set and the
// opt-out bit clear.

export const x2apicOptOut: Rule = {
  meta: {
    id: ID, severity: 'info', fixable: false,
    title: 'DMAR flags ask the OS to keep xAPIC mode (X2APIC_OPT_OUT)',
  },
  check({ table }) {
    if (!(table.flags & X2APIC_OPT_OUT)) return [];
    return [{
      rule: ID, ...atField(table.loc, 'flags'),
      message: `Flags bit 1 (X2APIC_OPT_OUT) is set: firmware asks the OS not to use x2APIC. `
        + `Linux keeps interrupt remapping in xAPIC mode ("x2apic is disabled because BIOS sets x2apic opt out bit.", "Use 'intremap=no_x2apic_optout' to override the BIOS setting.") and Xen does not enable x2APIC either, `
        + `so CPUs with APIC IDs above 255 cannot be brought up. `
        + `Clear the bit unless the firmware must support an OS that cannot run in x2APIC mode.`,
    }];
  },
};
