import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { DMAR_FIELDS, STRUCTURE_BY_KIND, type FieldSpec } from '../../table/fields';
import type { DeviceScope, DmarTable, NodeLoc } from '../../table/model';
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
    const structures = table.structures;
    for (let index = 0; index < structures.length; index++) {
      const s = structures[index]!;
      if (s.kind === 'unknown') continue;
      const spec = STRUCTURE_BY_KIND.get(s.kind)!;
      const reserved = RESERVED_FIELDS.get(s.kind)!;
      for (let k = 0; k < reserved.length; k++) {
        const field = reserved[k]!;
        const value = (s as unknown as Record<string, number>)[field.key]!;
        if (value !== 0) out.push(reservedField(s.loc, spec.short, field, value, index));
      }
      if (!('scopes' in s)) continue;
      const scopes = s.scopes;
      for (let j = 0; j < scopes.length; j++) {
        // The low byte is Flags since VT-d 3.x; only the high byte is still reserved.
        if (scopes[j]!.reserved >> 8 !== 0) out.push(reservedScopeByte(scopes[j]!, index, j));
      }
    }
    return out;
  },
};

/** Per structure kind, its reserved fields. */
const RESERVED_FIELDS = new Map([...STRUCTURE_BY_KIND].map(([kind, spec]) => [kind, spec.fields.filter((f) => f.role === 'reserved')]));

function reservedField(loc: NodeLoc, short: string, field: FieldSpec, value: number, index: number): Finding {
  return {
    rule: ID, ...atField(loc, field.key),
    message: `Reserved field of this ${short} is 0x${hex(value, field.width * 2)}, not zero. ${CONSEQUENCE}`,
    fixes: [{ title: 'Set it to zero', safe: true, preferred: true, apply: (t: DmarTable) => { (t.structures[index] as unknown as Record<string, number>)[field.key] = 0; } }],
  };
}

function reservedScopeByte(scope: DeviceScope, index: number, j: number): Finding {
  return {
    rule: ID, ...atField(scope.loc, 'reserved'),
    message: `The reserved byte of this device scope is 0x${hex(scope.reserved >> 8, 2)}, not zero. ${CONSEQUENCE}`,
    fixes: [{
      title: 'Set it to zero', safe: true, preferred: true,
      apply: (t) => { const target = t.structures[index]!; if ('scopes' in target) target.scopes[j]!.reserved &= 0xff; },
    }],
  };
}
