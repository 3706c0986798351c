import type { Finding } from '../../table/finding';
import { hex } from '../../table/bytes';
import { atField } from '../locate';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

export const unknownStructureType: Rule = {
  meta: {
    id: 'unknown-structure-type', severity: 'warning', fixable: false,
    title: 'A remapping structure type above 6',
  },
  check(ctx) {
    const out: Finding[] = [];
    const unknown = structuresOfKind(ctx, 'unknown');
    for (let i = 0; i < unknown.length; i++) {
      const s = unknown[i]!;
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
