import type { Finding } from '../../table/finding';
import { formatSegment, hexAddress } from '../format';
import { atField, atStructure } from '../locate';
import { repeats, type Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'include-all-multiple';
const INCLUDE_PCI_ALL = 0x1;

// VT-d spec 8.3: at most one DRHD per segment may set INCLUDE_PCI_ALL. Xen
// xen/drivers/passthrough/vtd/dmar.c acpi_parse_one_drhd() (segment 0): "Only one INCLUDE_ALL device
// scope is allowed", then "Failed to parse ACPI DMAR.  Disabling VT-d.". Linux
// drivers/iommu/intel/dmar.c dmar_register_drhd_unit() queues both at the tail and
// dmar_find_matched_drhd_unit() returns the first, so the other unit translates nothing.

export const includeAllMultiple: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'More than one INCLUDE_PCI_ALL DRHD in a segment',
  },
  check(ctx) {
    const out: Finding[] = [];
    const catchAll = structuresOfKind(ctx, 'drhd').filter((s) => (s.flags & INCLUDE_PCI_ALL) !== 0);
    for (const [s, earlier] of repeats(catchAll, (s) => s.segment)) {
      const seg = formatSegment(s.segment);
      const xen = s.segment === 0
        ? 'Xen refuses the table ("Only one INCLUDE_ALL device scope is allowed", then "Failed to parse ACPI DMAR.  Disabling VT-d.")'
        : 'Xen refuses this for segment 0000 ("Only one INCLUDE_ALL device scope is allowed") and VT-d is then off';
      out.push({
        rule: ID, ...atField(s.loc, 'flags'),
        message: `This DRHD (${hexAddress(s.registerBase)}) sets INCLUDE_PCI_ALL, but the DRHD at ${hexAddress(earlier.registerBase)} already does for segment ${seg}: only one unit per segment may catch all devices. `
          + `${xen}; Linux sends every unlisted device to the first one it finds, so the other translates nothing. `
          + `Keep INCLUDE_PCI_ALL on the unit that really translates the rest of the segment, and give this one device scopes for its own devices.`,
        related: [{ ...atStructure(earlier), message: `the first INCLUDE_PCI_ALL DRHD of segment ${seg}` }],
      });
    }
    return out;
  },
};
