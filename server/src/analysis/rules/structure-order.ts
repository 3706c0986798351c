import { STRUCTURE_BY_TYPE } from '../../table/fields';
import type { Finding } from '../../table/finding';
import { atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'structure-order';

const nameOf = (type: number) => STRUCTURE_BY_TYPE.get(type)?.short ?? `type ${type}`;

export const structureOrder: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'Remapping structures are not in ascending type order',
  },
  check({ table }) {
    const out: Finding[] = [];
    let highest = -1;
    let highestAt = -1;
    table.structures.forEach((s, i) => {
      if (s.type < highest) {
        out.push({
          rule: ID, ...atStructure(s),
          message: `This ${nameOf(s.type)} comes after a ${nameOf(highest)}: the VT-d specification wants remapping structures in ascending type order (DRHDs, then RMRRs, ATSRs, RHSAs, ANDDs, SATCs, SIDPs). Linux and Xen read any order, but firmware validation suites flag it and other OSes may not. Move it up.`,
          related: [{ ...atStructure(table.structures[highestAt]!), message: `the ${nameOf(highest)} before it` }],
          fixes: [{
            title: 'Sort all structures by type (keeping the order within each type)', preferred: true,
            apply: (t) => { t.structures = t.structures.map((x, k) => [x, k] as const).sort((a, b) => a[0].type - b[0].type || a[1] - b[1]).map(([x]) => x); },
          }],
        });
      } else if (s.type > highest) {
        highest = s.type;
        highestAt = i;
      }
    });
    return out;
  },
};
