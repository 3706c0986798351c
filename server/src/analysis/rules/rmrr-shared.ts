import type { Finding } from '../../table/finding';
import { SCOPE_TYPE, isPciScope, type DeviceScope, type Rmrr } from '../../table/model';
import { resolveScopePath, tableDevices, xenSharedRmrrMessage, type RmrrDevices, type TableDevices } from '../devices';
import { formatRange, formatScopePath, plural } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'rmrr-shared';

/** `a, b and c`, or `a, b, c, d and 3 more`. */
function listed(items: string[], max = 4): string {
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Xen's %pp: `0000:00:1a.0`. */
function xenName(label: string): string {
  return /^[0-9a-f]{2}:/.test(label) && !label.includes('/') ? `0000:${label}` : label;
}

/** An RMRR's PCI scopes grouped by the device they name (a duplicate entry is scope-duplicate's business). */
function scopesByDevice(rmrr: Rmrr): Map<string, DeviceScope[]> {
  const groups = new Map<string, DeviceScope[]>();
  for (const scope of rmrr.scopes) {
    if (!isPciScope(scope)) continue;
    const k = `${scope.type}:${formatScopePath(rmrr.segment, scope.startBus, scope.path)}`;
    const g = groups.get(k);
    if (g) g.push(scope); else groups.set(k, [scope]);
  }
  return groups;
}

export const rmrrShared: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'One RMRR lists more than one device',
  },
  check(ctx) {
    const out: Finding[] = [];
    const devices = tableDevices(ctx);
    const rmrrs = devices.rmrrs;
    for (let i = 0; i < rmrrs.length; i++) {
      if (rmrrs[i]!.pciScopes >= 2) out.push(sharedRmrr(devices, rmrrs[i]!));
    }
    return out;
  },
};

function sharedRmrr(devices: TableDevices, r: RmrrDevices): Finding {
  const { rmrr, index } = r;
  const range = formatRange(rmrr.base, rmrr.limit);
  const groups = scopesByDevice(rmrr);
  const labels = [...groups.values()].map(([scope]) => {
    const res = resolveScopePath(devices.pci, rmrr.segment, scope!);
    return scope!.type === SCOPE_TYPE.bridge ? `bridge ${res.label}` : res.label;
  });
  const first = labels[0]!.replace(/^bridge /, '');
  const shown = listed(labels, 6);
  const locked = [...new Set(r.devices.filter((d) => d.locked).map((d) => d.belowUnknown ? `whatever sits below bridge ${d.label}` : d.label))];
  const linux = locked.length === 0
    ? `Linux exempts them all as USB or display controllers${r.devices.some((d) => d.classSource === 'guess') ? ' (judging by their addresses)' : ''}, although they still DMA into the same memory whoever owns them`
    : `on Linux ${listed(locked)} ${locked.length === 1 ? 'is' : 'are'} locked out of passthrough together with ${locked.length === 1 ? 'its IOMMU group' : 'their IOMMU groups'}`;
  return {
    rule: ID, ...atStructure(rmrr),
    message: `This RMRR (${range}) lists ${plural(labels.length, 'device')} (${shown}), so they share one buffer: Xen refuses to assign any of them to a guest ("${xenSharedRmrrMessage(xenName(first), rmrr.base)}") unless the guest's pci entry says rdm_policy=relaxed, and ${linux}. List only the devices that really DMA into this range; if several do, give each its own RMRR over its own, non-overlapping memory (copies of this range would overlap, and Xen disables VT-d for overlapping RMRRs).`,
    related: [...groups.values()].map((g, k) => ({ ...atScope(g[0]!), message: labels[k]! })),
    fixes: [{
      title: `Split into ${plural(groups.size, 'RMRR')}, one per device, over the same range (they overlap: Xen then disables VT-d, see the rule's page)`,
      apply: (t) => {
        const s = t.structures[index];
        if (s?.kind !== 'rmrr') return;
        const others = s.scopes.filter((sc) => !isPciScope(sc));
        const copies = [...scopesByDevice(s).values()].map((scopes, k) => ({ ...structuredClone(s), scopes: k === 0 ? [...scopes, ...others] : scopes }));
        t.structures.splice(index, 1, ...copies);
      },
    }],
  };
}
