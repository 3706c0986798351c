import { encodeScope } from '../../table/binary-writer';
import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import { SCOPE_TYPE, hasScopes, type DeviceScope, type ScopedStructure } from '../../table/model';
import { formatScopePath } from '../format';
import { atScope } from '../locate';
import type { Rule } from '../rule';

const ID = 'scope-duplicate';

// VT-d spec 8.3.1: each device scope names one device. Linux drivers/iommu/intel/dmar.c
// dmar_insert_dev_scope() stores a PCI device in the first matching entry only and leaves the
// repeated slot empty; irq_remapping.c ir_parse_one_ioapic_scope() skips an IOAPIC ID already
// seen for the unit.

/** What makes two scopes name the same device: the PCI path (endpoint or bridge), or type, ID and path. */
function deviceKey(scope: DeviceScope): string {
  const path = `${scope.startBus}/${scope.path.map((p) => `${p.device}.${p.function}`).join('/')}`;
  switch (scope.type) {
    case SCOPE_TYPE.endpoint:
    case SCOPE_TYPE.bridge: return `pci ${path}`;
    // Same ID at another path is not a repeat: Sandy Bridge tables list HPET 0 at F0:0F.0 to 0F.7.
    default: return `type ${scope.type} ${scope.enumerationId} ${path}`;
  }
}

function describe(scope: DeviceScope, segment: number): string {
  switch (scope.type) {
    case SCOPE_TYPE.ioapic: return `IOAPIC ID ${scope.enumerationId} at ${formatScopePath(segment, scope.startBus, scope.path)}`;
    case SCOPE_TYPE.hpet: return `HPET number ${scope.enumerationId} at ${formatScopePath(segment, scope.startBus, scope.path)}`;
    case SCOPE_TYPE.namespace: return `ACPI namespace device ${scope.enumerationId} at ${formatScopePath(segment, scope.startBus, scope.path)}`;
    default: return formatScopePath(segment, scope.startBus, scope.path);
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export const scopeDuplicate: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'The same device is listed twice in one structure',
  },
  check({ table }) {
    const out: Finding[] = [];
    const structures = table.structures;
    for (let index = 0; index < structures.length; index++) {
      const s = structures[index]!;
      // One scope cannot repeat another (most RMRRs of a large table have one): no key to build.
      if (hasScopes(s) && s.scopes.length >= 2) repeatedScopes(s, index, out);
    }
    return out;
  },
};

function repeatedScopes(s: ScopedStructure, index: number, out: Finding[]): void {
  const short = STRUCTURE_BY_KIND.get(s.kind)!.short;
  const seen = new Map<string, DeviceScope>();
  s.scopes.forEach((scope, j) => {
    const key = deviceKey(scope);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, scope);
      return;
    }
    const identical = sameBytes(encodeScope(first), encodeScope(scope));
    const what = describe(scope, s.segment);
    const typeClash = !identical && first.type !== scope.type
      ? ` The two entries disagree on the type (${first.type === SCOPE_TYPE.bridge ? 'bridge' : 'endpoint'} first, ${scope.type === SCOPE_TYPE.bridge ? 'bridge' : 'endpoint'} here); keep the one that matches the device.`
      : '';
    out.push({
      rule: ID, ...atScope(scope),
      message: `${what} is listed twice in this ${short}. The OS uses the first entry and ignores this one (Linux leaves its slot empty), so it only adds noise and hides what was meant, often a second device whose path was copied and not edited.${typeClash} `
        + `Remove the repeated entry, or correct it to the device it should name.`,
      related: [{ ...atScope(first), message: `the first entry for ${what}` }],
      fixes: [{
        title: 'Remove the repeated scope entry', safe: identical, preferred: true,
        apply: (t) => { const target = t.structures[index]!; if (hasScopes(target)) target.scopes.splice(j, 1); },
      }],
    });
  });
}
