import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { DMAR_FIELDS, STRUCTURE_BY_KIND } from '../../table/fields';
import type { DmarTable } from '../../table/model';
import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'reserved-nonzero';

const CONSEQUENCE = 'iasl forces reserved fields to zero when it compiles, so the binary will not say what this source says, and a later VT-d revision may give these bits a meaning an OS then acts on. Set it to zero.';

export const reservedNonzero: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'A reserved field is not zero',
  },
  check({ table }) {
    const out: Finding[] = [];
    const tableReserved = DMAR_FIELDS.find((f) => f.role === 'reserved')!;
    if (table.reserved.some((b) => b !== 0)) {
      out.push({
        rule: ID, ...atField(table.loc, tableReserved.key),
        message: `The DMAR header's Reserved bytes are not zero (${Array.from(table.reserved, (b) => hex(b, 2)).join(' ')}). ${CONSEQUENCE}`,
        fixes: [{ title: 'Zero the reserved bytes', safe: true, preferred: true, apply: (t) => { t.reserved = new Uint8Array(t.reserved.length); } }],
      });
    }
    table.structures.forEach((s, index) => {
      if (s.kind === 'unknown') return;
      const spec = STRUCTURE_BY_KIND.get(s.kind)!;
      for (const field of spec.fields) {
        if (field.role !== 'reserved') continue;
        const value = (s as unknown as Record<string, number>)[field.key]!;
        if (value === 0) continue;
        out.push({
          rule: ID, ...atField(s.loc, field.key),
          message: `Reserved field of this ${spec.short} is 0x${hex(value, field.width * 2)}, not zero. ${CONSEQUENCE}`,
          fixes: [{ title: 'Set it to zero', safe: true, preferred: true, apply: (t: DmarTable) => { (t.structures[index] as unknown as Record<string, number>)[field.key] = 0; } }],
        });
      }
      if (!('scopes' in s)) return;
      s.scopes.forEach((scope, j) => {
        // The low byte is Flags since VT-d 3.x; only the high byte is still reserved.
        if (scope.reserved >> 8 === 0) return;
        out.push({
          rule: ID, ...atField(scope.loc, 'reserved'),
          message: `The reserved byte of this device scope is 0x${hex(scope.reserved >> 8, 2)}, not zero. ${CONSEQUENCE}`,
          fixes: [{
            title: 'Set it to zero', safe: true, preferred: true,
            apply: (t) => { const target = t.structures[index]!; if ('scopes' in target) target.scopes[j]!.reserved &= 0xff; },
          }],
        });
      });
    });
    return out;
  },
};
