import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import { isPciScope } from '../../table/model';
import { pciIndexOf, resolveScopePath } from '../devices';
import { formatFullBdf, formatRange } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'scope-device-absent';

export const scopeDeviceAbsent: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false, needs: 'pci',
    title: 'A device scope names a PCI device that the PCI inventory does not have',
  },
  check({ table, platform }) {
    if (!platform.pci) return [];
    const pci = pciIndexOf(platform.pci.devices);
    const file = platform.pci.file;
    const out: Finding[] = [];
    for (let i = 0; i < table.structures.length; i++) {
      const s = table.structures[i]!;
      if (s.kind !== 'drhd' && s.kind !== 'rmrr' && s.kind !== 'atsr' && s.kind !== 'satc') continue;
      const short = STRUCTURE_BY_KIND.get(s.kind)!.short;
      for (let j = 0; j < s.scopes.length; j++) {
        const scope = s.scopes[j]!;
        if (!isPciScope(scope)) continue;
        const res = resolveScopePath(pci, s.segment, scope);
        if (res.kind !== 'absent') continue;
        const what = res.missing === res.label ? `${res.label}, which is not in the PCI inventory (${file})` : `${res.label}, but the bridge ${res.missing} on its path is not in the PCI inventory (${file})`;
        // Xen's %pp spelling: `0000:00:1d.0`.
        const shown = res.bdf ? formatFullBdf(res.bdf.segment, res.bdf.bus, res.bdf.device, res.bdf.function) : res.label;
        let xen: string;
        if (s.kind === 'rmrr') {
          xen = `Xen warns "Non-existent device (${shown}) is reported in RMRR [${s.base.toString(16)}, ${s.limit.toString(16)}]'s scope!" and ignores the whole RMRR (${formatRange(s.base, s.limit)}) when none of its devices exists`;
        } else if (s.kind === 'drhd') {
          xen = `Xen warns "Non-existent device (${shown}) in this DRHD's scope!", and Linux ignores a DRHD unit none of whose devices exists`;
        } else {
          xen = `Xen ignores the ${short} when none of its devices exists`;
        }
        out.push({
          rule: ID, ...atScope(scope),
          message: `This ${short} scope names ${what}: Linux leaves the entry unbound and ignores it; ${xen}; fwts reports DevScopeDevNotFound. Remove the entry, or check that the inventory comes from this machine with every device enabled (a device disabled in setup, an empty slot or a card behind a powered-down bridge does not show in lspci).`,
          related: [{ ...atStructure(s), message: `the ${short}` }],
        });
      }
    }
    return out;
  },
};
