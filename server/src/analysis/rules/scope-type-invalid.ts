import { hex } from '../../table/bytes';
import type { Finding } from '../../table/finding';
import { SCOPE_TYPE_NAMES, STRUCTURE_BY_KIND } from '../../table/fields';
import { SCOPE_TYPE, hasScopes } from '../../table/model';
import { atField } from '../locate';
import type { Rule } from '../rule';

const ID = 'scope-type-invalid';

// VT-d spec 8.3.1: scope types 1-5; IOAPIC, HPET and ACPI namespace scopes belong under DRHDs
// only, RMRR/ATSR/SATC scopes name PCI endpoints and bridges (the allowed types per structure are
// fields.ts STRUCTURE_SPECS[].scopeTypes). Linux drivers/iommu/intel/dmar.c dmar_alloc_dev_scope()
// warns "Unsupported device scope" for other types and skips them; dmar_insert_dev_scope() only
// ever matches endpoint and bridge scopes of RMRRs, ATSRs and SATCs. An RMRR naming a namespace
// device is rmrr-namespace-scope's finding, not this one.

const typeName = (type: number) => SCOPE_TYPE_NAMES[type] ?? 'undefined';
/** "an RMRR", "a DRHD", "an IOAPIC Device", "a Namespace Device": acronyms by their first letter's sound, words by their first vowel. */
function withArticle(word: string): string {
  const first = word.split(/[\s-]/)[0]!;
  const vowelSound = /^[A-Z]+$/.test(first) ? /^[AEFHILMNORSX]/.test(first) : /^[aeiou]/i.test(first);
  return (vowelSound ? 'an ' : 'a ') + word;
}

export const scopeTypeInvalid: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'A device scope type is undefined or not allowed in its structure',
  },
  check({ table }) {
    const out: Finding[] = [];
    for (let i = 0; i < table.structures.length; i++) {
      const s = table.structures[i]!;
      if (!hasScopes(s)) continue;
      const spec = STRUCTURE_BY_KIND.get(s.kind)!;
      const allowed = spec.scopeTypes ?? [];
      for (let j = 0; j < s.scopes.length; j++) {
        const scope = s.scopes[j]!;
        if (allowed.includes(scope.type)) continue;
        if (s.kind === 'rmrr' && scope.type === SCOPE_TYPE.namespace) continue;
        const type = `0x${hex(scope.type, 2)}`;
        const message = !(scope.type in SCOPE_TYPE_NAMES)
          ? `Device scope type ${type} is not defined (VT-d defines 1 PCI endpoint, 2 PCI bridge, 3 IOAPIC, 4 HPET, 5 ACPI namespace device). `
            + `Linux warns "Unsupported device scope" and skips it, so whatever device it was meant to name is not covered by this ${spec.short}. `
            + `Use the type of the device it names, or remove the entry.`
          : `${withArticle(spec.short).replace(/^a/, 'A')} cannot name ${withArticle(typeName(scope.type))} (type ${type}): its device scopes are ${allowed.map((t) => `${typeName(t)}s (${t})`).join(' and ')}; IOAPIC, HPET and namespace scopes belong under the DRHD that remaps them. `
            + (s.kind === 'sidp' ? 'An OS ignores it here. ' : 'Linux matches only endpoint and bridge scopes here and ignores this one. ')
            + `Move it to the DRHD that covers the device, or name the PCI device this ${spec.short} is meant for.`;
        out.push({ rule: ID, ...atField(scope.loc, 'type'), message });
      }
    }
    return out;
  },
};
