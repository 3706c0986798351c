import type { Finding } from '../../table/finding';
import { hex } from '../../table/bytes';
import { atField } from '../locate';
import type { Rule } from '../rule';

export const unknownStructureType: Rule = {
  meta: {
    id: 'unknown-structure-type', severity: 'warning', fixable: false,
    title: 'A remapping structure type above 6',
  },
  check({ table }) {
    const out: Finding[] = [];
    for (const s of table.structures) {
      if (s.kind !== 'unknown') continue;
      out.push({
        rule: 'unknown-structure-type', ...atField(s.loc, 'type'),
        message: `Remapping structure type 0x${hex(s.type, 4)} is not defined by VT-d (types 0-6: DRHD, RMRR, ATSR, RHSA, ANDD, SATC, SIDP). `
          + `Linux skips structures it does not know, and iasl can neither disassemble nor compile it, so whatever it was meant to declare is lost. `
          + `Use a defined type, or remove it.`,
      });
    }
    return out;
  },
};
