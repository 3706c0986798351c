import type { Finding } from '../../table/finding';
import { SCOPE_TYPE } from '../../table/model';
import { hex } from '../../table/bytes';
import { formatRange } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';
import { indicesOfKind, structuresOfKind } from '../table-index';

const ID = 'rmrr-namespace-scope';

export const rmrrNamespaceScope: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'An RMRR names an ACPI namespace device',
  },
  check(ctx) {
    const { table } = ctx;
    const out: Finding[] = [];
    const andds = new Map<number, { name: string; at: number }>();
    const anddList = structuresOfKind(ctx, 'andd');
    const anddAt = indicesOfKind(ctx, 'andd');
    for (let k = 0; k < anddList.length; k++) {
      const s = anddList[k]!;
      if (!andds.has(s.deviceNumber)) andds.set(s.deviceNumber, { name: s.name, at: anddAt[k]! });
    }
    const rmrrs = structuresOfKind(ctx, 'rmrr');
    for (let i = 0; i < rmrrs.length; i++) {
      const s = rmrrs[i]!;
      for (let j = 0; j < s.scopes.length; j++) {
        const scope = s.scopes[j]!;
        if (scope.type !== SCOPE_TYPE.namespace) continue;
        const andd = andds.get(scope.enumerationId);
        const who = andd ? `ACPI namespace device ${scope.enumerationId} (${andd.name || 'unnamed'})` : `ACPI namespace device ${scope.enumerationId} (no ANDD declares it)`;
        const range = formatRange(s.base, s.limit);
        out.push({
          rule: ID, ...atScope(scope),
          message: `This RMRR (${range}) names ${who}: mainline Linux never identity-maps an RMRR for a namespace device (it binds namespace scopes under DRHDs only), so once the IOMMU is on that device's DMA into this range faults; EDK2's VT-d driver rejects the RMRR ("RMRR DevScopeEntryType is not endpoint, type[0x${hex(SCOPE_TYPE.namespace, 1)}]"). Name the PCI endpoint that actually does the DMA (the controller the namespace device sits behind) instead; which one that is only the platform knows, so this cannot be fixed automatically.`,
          related: andd ? [{ ...atStructure(table.structures[andd.at]!), message: `the ANDD declaring device ${scope.enumerationId}` }] : [{ ...atStructure(s), message: `the RMRR ${range}` }],
        });
      }
    }
    return out;
  },
};
