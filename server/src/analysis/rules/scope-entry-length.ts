import { encodedScopeSize } from '../../table/binary-writer';
import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import { hasScopes, type DeviceScope, type DmarTable } from '../../table/model';
import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'scope-entry-length';
/** The 6-byte scope header and at least one (device, function) path element. */
const MIN_LENGTH = 8;

// VT-d spec 8.3.1: Entry Length = 6 + 2 x path elements, and a path has at least one element.
// Xen xen/drivers/passthrough/vtd/dmar.c scope_device_count(): an entry shorter than
// MIN_SCOPE_LEN (8) is "Invalid device scope", then "Failed to parse ACPI DMAR.  Disabling VT-d.".
// Linux drivers/iommu/intel/dmar.c counts (length - 6) / 2 path elements, dropping an odd byte,
// and reads path[0] even when there is none. Entry Lengths that are valid but stale belong to
// length-mismatch; entries the binary reader cannot even cut out are reported by the reader.

export const scopeEntryLength: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: true,
    title: 'A device scope Entry Length is below 8 or not 6 + 2 x path elements',
  },
  check({ table }) {
    const out: Finding[] = [];
    const structures = table.structures;
    for (let index = 0; index < structures.length; index++) {
      const s = structures[index]!;
      if (!hasScopes(s)) continue;
      const scopes = s.scopes;
      for (let j = 0; j < scopes.length; j++) {
        const scope = scopes[j]!;
        const odd = (scope.length - 6) % 2 !== 0;
        if (scope.length >= MIN_LENGTH && !odd && scope.tail.length === 0) continue;
        out.push(badEntryLength(table, STRUCTURE_BY_KIND.get(s.kind)!.short, scope, index, j));
      }
    }
    return out;
  },
};

function badEntryLength(table: DmarTable, short: string, scope: DeviceScope, index: number, j: number): Finding {
  const len = `0x${hex(scope.length, 2)}`;
  let message: string;
  if (scope.length < MIN_LENGTH) {
    message = `Entry Length ${len} of this ${short} device scope leaves no room for a path element: a scope is the 6-byte header plus at least one (device, function) pair, so 8 or more. `
      + `Xen rejects the table ("Invalid device scope", then "Failed to parse ACPI DMAR.  Disabling VT-d."), and Linux reads a path element that is not there (the next entry's bytes). `;
  } else {
    const extra = scope.tail.length > 0 ? scope.tail.length : 1;
    message = `Entry Length ${len} of this ${short} device scope is not 6 + 2 x path elements: ${extra === 1 ? 'one byte is' : `${extra} bytes are`} left over after the path. `
      + `Linux and Xen ignore the leftover byte, but the entry no longer says what path the firmware meant, and tools that check the encoding reject it. `;
  }
  if (table.form === 'source') message += 'iasl also uses the typed value to decide how many path elements to read, so it misreads the lines that follow. ';
  const size = encodedScopeSize(scope);
  const canFix = scope.path.length > 0 && scope.tail.length === 0;
  return {
    rule: ID, ...atField(scope.loc, 'length'),
    message: message + (canFix ? `Write 0x${hex(size, 2)} for the ${scope.path.length === 1 ? 'path element' : `${scope.path.length} path elements`} below it.` : 'Give the scope its path and set Entry Length to 6 + 2 x path elements.'),
    fixes: canFix ? [{
      title: `Set Entry Length to 0x${hex(size, 2)}`, safe: true, preferred: true,
      apply: (t) => { const target = t.structures[index]!; if (hasScopes(target)) target.scopes[j]!.length = size; },
    }] : undefined,
  };
}
