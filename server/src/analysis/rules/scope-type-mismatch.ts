import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import { SCOPE_TYPE, isPciScope } from '../../table/model';
import { classHex, pciIndexOf, resolveScopePath } from '../devices';
import { formatFullBdf } from '../format';
import { atField, atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'scope-type-mismatch';

export const scopeTypeMismatch: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false, needs: 'pci',
    title: 'An endpoint scope names a bridge, or a bridge scope names a non-bridge',
  },
  check({ table, platform }) {
    if (!platform.pci) return [];
    const pci = pciIndexOf(platform.pci.devices);
    const out: Finding[] = [];
    for (let i = 0; i < table.structures.length; i++) {
      const s = table.structures[i]!;
      if (s.kind !== 'drhd' && s.kind !== 'rmrr' && s.kind !== 'atsr' && s.kind !== 'satc') continue;
      const short = STRUCTURE_BY_KIND.get(s.kind)!.short;
      for (let j = 0; j < s.scopes.length; j++) {
        const scope = s.scopes[j]!;
        if (!isPciScope(scope)) continue;
        const res = resolveScopePath(pci, s.segment, scope);
        if (res.kind !== 'present') continue;
        const d = res.pci;
        const linux = `Linux rejects the entry ("Device scope type does not match for ${formatFullBdf(d.segment, d.bus, d.device, d.function)}"), and that error can make dmar_dev_scope_init() fail and leave the IOMMU off`;
        const desc = `${d.className || 'class ' + classHex(d.classCode)}${d.name ? `: ${d.name}` : ''}`;
        let message: string | undefined;
        if (scope.type === SCOPE_TYPE.endpoint && d.isBridge) {
          message = `This ${short} lists ${res.label} as a PCI endpoint, but the PCI inventory shows a bridge there (${desc}). ${linux}. Use a sub-hierarchy scope (type 02) for a bridge and everything below it, or name the endpoint below the bridge.`;
        } else if (scope.type === SCOPE_TYPE.bridge && !d.isBridge && d.classCode >> 16 !== 0x06) {
          // Linux lets a bridge scope name a non-bridge header of bridge class (NTB, host bridges).
          message = `This ${short} lists ${res.label} as a PCI sub-hierarchy (bridge), but the PCI inventory shows an endpoint there (${desc}). ${linux}. Use an endpoint scope (type 01).`;
        }
        if (!message) continue;
        out.push({ rule: ID, ...atField(scope.loc, 'type'), message, related: [{ ...atStructure(s), message: `the ${short}` }] });
      }
    }
    return out;
  },
};
