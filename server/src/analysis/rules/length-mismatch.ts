import { encodedScopeSize, encodedStructureSize } from '../../table/binary-writer';
import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import type { DeviceScope, DmarTable, Structure } from '../../table/model';
import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'length-mismatch';

export function encodedTableSize(table: DmarTable): number {
  let n = 48 + table.trailing.length;
  const structures = table.structures;
  for (let i = 0; i < structures.length; i++) n += encodedStructureSize(structures[i]!);
  return n;
}

function structureName(s: Structure): string {
  return s.kind === 'unknown' ? `structure type 0x${hex(s.type, 4)}` : STRUCTURE_BY_KIND.get(s.kind)!.short;
}

export const lengthMismatch: Rule = {
  meta: {
    id: ID, severity: 'warning', binarySeverity: 'error', fixable: true,
    title: 'A Table Length, structure Length or scope Entry Length disagrees with what is encoded',
  },
  check({ table }) {
    const out: Finding[] = [];
    const binary = table.form === 'binary';
    const size = encodedTableSize(table);
    if (table.length !== size) {
      out.push({
        rule: ID, ...atField(table.loc, 'length'),
        message: binary
          ? `Table Length is 0x${hex(table.length, 8)} but the table holds 0x${hex(size, 8)} bytes. An OS walks the structures by these lengths: Linux reports "[Firmware Bug]: Record passes table end" or misreads the last structures, then "Parse DMAR table failure." and the IOMMU stays off. Write 0x${hex(size, 8)}.`
          : `Table Length says 0x${hex(table.length, 8)} but the fields encode 0x${hex(size, 8)} bytes. iasl recomputes it when compiling, so this value is only stale; update it so the source says what the binary will.`,
        fixes: [{ title: `Set Table Length to 0x${hex(size, 8)}`, safe: true, preferred: true, apply: (t) => { t.length = size; } }],
      });
    }
    const structures = table.structures;
    for (let index = 0; index < structures.length; index++) {
      const s = structures[index]!;
      if (s.kind === 'unknown' && !s.dataKnown) continue;
      const actual = encodedStructureSize(s);
      if (s.length !== actual) out.push(structureLength(table, s, index, actual));
      if (!('scopes' in s)) continue;
      const scopes = s.scopes;
      for (let j = 0; j < scopes.length; j++) {
        const scope = scopes[j]!;
        const scopeSize = encodedScopeSize(scope);
        // Entry Lengths that are invalid in themselves (below 8, odd) belong to scope-entry-length.
        if (scope.length === scopeSize || scope.length < 8 || (scope.length - 6) % 2 !== 0) continue;
        out.push(scopeLength(binary, scope, index, j, scopeSize));
      }
    }
    return out;
  },
};

function structureLength(table: DmarTable, s: Structure, index: number, actual: number): Finding {
  const binary = table.form === 'binary';
  const runsPastEnd = binary && s.loc.offset + s.length > table.length;
  return {
    rule: ID, ...atField(s.loc, 'length'),
    message: runsPastEnd
      ? `This ${structureName(s)} says Length 0x${hex(s.length, 4)} but only 0x${hex(actual, 4)} bytes remain in the table: Linux stops with "[Firmware Bug]: Record passes table end" and "Parse DMAR table failure.", so the IOMMU stays off. Correct the Length or the Table Length.`
      : binary
        ? `This ${structureName(s)} says Length 0x${hex(s.length, 4)} but encodes 0x${hex(actual, 4)} bytes; an OS reading it by its Length misparses it and everything after it. Write 0x${hex(actual, 4)}.`
        : `This ${structureName(s)} says Length 0x${hex(s.length, 4)} but its fields encode 0x${hex(actual, 4)} bytes. iasl recomputes it, so the value is only stale; update it.`,
    fixes: [{ title: `Set Length to 0x${hex(actual, 4)}`, safe: true, preferred: true, apply: (t) => { t.structures[index]!.length = actual; } }],
  };
}

function scopeLength(binary: boolean, scope: DeviceScope, index: number, j: number, scopeSize: number): Finding {
  return {
    rule: ID, ...atField(scope.loc, 'length'),
    message: binary
      ? `Entry Length 0x${hex(scope.length, 2)} disagrees with the 0x${hex(scopeSize, 2)} bytes this scope holds; an OS would read a different path.`
      : `Entry Length 0x${hex(scope.length, 2)} disagrees with the ${scope.path.length} path element(s) below it (0x${hex(scopeSize, 2)} bytes). iasl recomputes it when it writes, but it uses the typed value to decide how many path elements to read, so a wrong one can make it misread the rest or loop. Write 0x${hex(scopeSize, 2)}.`,
    fixes: [{
      title: `Set Entry Length to 0x${hex(scopeSize, 2)}`, safe: true, preferred: true,
      apply: (t) => { const target = t.structures[index]!; if ('scopes' in target) target.scopes[j]!.length = scopeSize; },
    }],
  };
}
