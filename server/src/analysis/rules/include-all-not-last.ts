import type { Finding } from '../../table/finding';
import type { DmarTable, Drhd } from '../../table/model';
import { formatSegment, hexAddress } from '../format';
import { atStructure } from '../locate';
import type { Rule } from '../rule';
import { indicesOfKind, structuresOfKind } from '../table-index';

const ID = 'include-all-not-last';
const INCLUDE_PCI_ALL = 0x1;

// VT-d spec 8.3: a DRHD with INCLUDE_PCI_ALL must be enumerated after every other DRHD of its
// segment. Linux (drivers/iommu/intel/dmar.c dmar_register_drhd_unit) and Xen
// (xen/drivers/passthrough/vtd/dmar.c acpi_register_drhd_unit) both move it to the end of their
// unit list themselves, "so scan the list will find it at the very end"; a consumer that takes
// the first matching DRHD in table order does not.

const isIncludeAll = (s: DmarTable['structures'][number]) => s.kind === 'drhd' && (s.flags & INCLUDE_PCI_ALL) !== 0;

/** Index of the last DRHD of each segment that does not set INCLUDE_PCI_ALL, from the DRHDs and their indices. */
function lastPlainDrhdOf(drhds: readonly Drhd[], indices: readonly number[]): Map<number, number> {
  const last = new Map<number, number>();
  drhds.forEach((s, k) => {
    if (!(s.flags & INCLUDE_PCI_ALL)) last.set(s.segment, indices[k]!);
  });
  return last;
}

function lastPlainDrhd(table: DmarTable): Map<number, number> {
  const drhds: Drhd[] = [];
  const indices: number[] = [];
  table.structures.forEach((s, i) => {
    if (s.kind === 'drhd') { drhds.push(s); indices.push(i); }
  });
  return lastPlainDrhdOf(drhds, indices);
}

export const includeAllNotLast: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'An INCLUDE_PCI_ALL DRHD is followed by another DRHD of its segment',
  },
  check(ctx) {
    const { table } = ctx;
    const out: Finding[] = [];
    const drhds = structuresOfKind(ctx, 'drhd');
    const at = indicesOfKind(ctx, 'drhd');
    const last = lastPlainDrhdOf(drhds, at);
    drhds.forEach((s, k) => {
      const index = at[k]!;
      if (!isIncludeAll(s)) return;
      const after = last.get(s.segment);
      if (after === undefined || after < index) return;
      const seg = formatSegment(s.segment);
      const later = table.structures[after]!;
      out.push({
        rule: ID, ...atStructure(s),
        message: `This INCLUDE_PCI_ALL DRHD (${hexAddress(s.registerBase)}) comes before another DRHD of segment ${seg}; VT-d requires the catch-all unit to be the last DRHD of its segment. `
          + `Linux and Xen reorder their unit lists themselves, but a consumer that takes the first matching DRHD in table order (boot loaders, firmware validation suites, other OSes) sends every device of the segment to this unit. `
          + `Move it after the last DRHD of segment ${seg}.`,
        related: [{ ...atStructure(later), message: `the last DRHD of segment ${seg}` }],
        fixes: [{
          title: `Move this DRHD after the last DRHD of segment ${seg}`, preferred: true,
          apply: (t) => {
            const [moved] = t.structures.splice(index, 1);
            const target = lastPlainDrhd(t).get(s.segment) ?? index - 1;
            t.structures.splice(target + 1, 0, moved!);
          },
        }],
      });
    });
    return out;
  },
};
