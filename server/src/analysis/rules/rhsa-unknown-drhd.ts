import type { Finding } from '../../table/finding';
import { hexAddress } from '../format';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'rhsa-unknown-drhd';

// Linux drivers/iommu/intel/dmar.c dmar_parse_one_rhsa() looks the base up among all DRHD units
// (by address only) and otherwise prints "[Firmware Bug]: Your BIOS is broken; RHSA refers to
// non-existent DMAR unit at <base>" and taints the kernel (TAINT_FIRMWARE_WORKAROUND).

export const rhsaUnknownDrhd: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'An RHSA names a register base that no DRHD has',
  },
  check(ctx) {
    const bases = new Set<bigint>();
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) bases.add(drhds[i]!.registerBase);
    const out: Finding[] = [];
    const rhsas = structuresOfKind(ctx, 'rhsa');
    for (let i = 0; i < rhsas.length; i++) {
      const s = rhsas[i]!;
      if (bases.has(s.registerBase)) continue;
      out.push({
        rule: ID, ...atField(s.loc, 'registerBase'),
        message: `This RHSA gives proximity domain ${s.proximityDomain} to the unit at ${hexAddress(s.registerBase)}, but no DRHD has that Register Base Address. `
          + `Linux reports "[Firmware Bug]: Your BIOS is broken; RHSA refers to non-existent DMAR unit at ${s.registerBase.toString(16)}" and taints the kernel; the real unit gets no NUMA node, so its page tables and queues may be allocated on a remote node. `
          + `Write the register base of the DRHD this affinity is for, or remove the RHSA.`,
      });
    }
    return out;
  },
};
