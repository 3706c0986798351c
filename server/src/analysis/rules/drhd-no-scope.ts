import type { Finding } from '../../table/finding';
import { hexAddress } from '../format';
import { atStructure } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'drhd-no-scope';
const INCLUDE_PCI_ALL = 0x1;

// VT-d spec 8.3: a DRHD without INCLUDE_PCI_ALL translates exactly the devices its scopes list.
// Linux drivers/iommu/intel/dmar.c dmar_parse_one_drhd() still allocates the unit
// (dmar_alloc_dev_scope() returns no devices), and dmar_find_matched_drhd_unit() never picks it.

export const drhdNoScope: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'A DRHD without INCLUDE_PCI_ALL lists no device',
  },
  check(ctx) {
    const out: Finding[] = [];
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      if ((s.flags & INCLUDE_PCI_ALL) || s.scopes.length > 0) continue;
      out.push({
        rule: ID, ...atStructure(s),
        message: `This DRHD (${hexAddress(s.registerBase)}) neither sets INCLUDE_PCI_ALL nor lists a device, so it translates nothing. `
          + `Linux and Xen still set the unit up, but no device is ever attached to it; usually a device scope was lost in a firmware template. `
          + `List the devices it translates, set INCLUDE_PCI_ALL if it is the catch-all unit of its segment, or remove it if the unit is absent.`,
      });
    }
    return out;
  },
};
