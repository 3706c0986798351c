import type { Finding } from '../../table/finding';
import { formatSegment } from '../format';
import { atField, atStructure } from '../locate';
import { repeats, type Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'atsr-all-ports-multiple';
const ALL_PORTS = 0x1;

// VT-d spec 8.4: at most one ATSR per segment sets ALL_PORTS. Xen
// xen/drivers/passthrough/vtd/dmar.c acpi_parse_one_atsr() (segment 0): "Only one ALL_PORTS device
// scope is allowed", then "Failed to parse ACPI DMAR.  Disabling VT-d.".

export const atsrAllPortsMultiple: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'More than one ALL_PORTS ATSR in a segment',
  },
  check(ctx) {
    const out: Finding[] = [];
    const allPorts = structuresOfKind(ctx, 'atsr').filter((s) => (s.flags & ALL_PORTS) !== 0);
    for (const [s, earlier] of repeats(allPorts, (s) => s.segment)) {
      const seg = formatSegment(s.segment);
      const xen = s.segment === 0
        ? 'Xen refuses the table ("Only one ALL_PORTS device scope is allowed", then "Failed to parse ACPI DMAR.  Disabling VT-d."), so VT-d is off'
        : 'Xen refuses the same thing for segment 0000 ("Only one ALL_PORTS device scope is allowed")';
      out.push({
        rule: ID, ...atField(s.loc, 'flags'),
        message: `This ATSR sets ALL_PORTS for segment ${seg}, but an earlier ATSR already does: one ALL_PORTS ATSR per segment covers every root port. `
          + `${xen}. `
          + `Keep one ALL_PORTS ATSR per segment and remove this one (it adds nothing).`,
        related: [{ ...atStructure(earlier), message: `the first ALL_PORTS ATSR of segment ${seg}` }],
      });
    }
    return out;
  },
};
