import type { Finding, Fix } from '../../table/finding';
import { SCOPE_TYPE, type DeviceScope } from '../../table/model';
import { pathBelow, resolveScopePath, tableDevices, type RmrrDevices, type TableDevices } from '../devices';
import { formatBdf, formatRange, plural } from '../format';
import { atScope, atStructure } from '../locate';
import type { PlatformDevice } from '../platform';
import type { AnalysisContext, Rule } from '../rule';

const ID = 'rmrr-bridge-scope';
const LISTED = 8;

export const rmrrBridgeScope: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'An RMRR names a bridge (sub-hierarchy scope): every device below it inherits the region',
  },
  check(ctx) {
    const out: Finding[] = [];
    const devices = tableDevices(ctx);
    const rmrrs = devices.rmrrs;
    for (let i = 0; i < rmrrs.length; i++) {
      const r = rmrrs[i]!;
      const scopes = r.rmrr.scopes;
      for (let j = 0; j < scopes.length; j++) {
        if (scopes[j]!.type === SCOPE_TYPE.bridge) out.push(bridgeScope(ctx, devices, r, scopes[j]!, j));
      }
    }
    return out;
  },
};

function bridgeScope(ctx: AnalysisContext, devices: TableDevices, r: RmrrDevices, scope: DeviceScope, j: number): Finding {
  const pci = devices.pci;
  const res = resolveScopePath(pci, r.rmrr.segment, scope);
  const range = formatRange(r.rmrr.base, r.rmrr.limit);
  const covered = devices.byScope.get(scope) ?? [];
  const expanded = covered.length === 0 || !covered[0]!.belowUnknown;
  const head = `This RMRR (${range}) names bridge ${res.label} as a sub-hierarchy: every device below the bridge inherits the region (Linux 5.3+ applies it to all of them), so whatever card sits in that slot is locked out of passthrough on Linux unless it is a USB or display controller, and Hyper-V DDA refuses all of them. EDK2's VT-d driver rejects any RMRR scope that is not an endpoint ("RMRR DevScopeEntryType is not endpoint, type[0x2]").`;
  let now: string;
  let fixes: Fix[] | undefined;
  if (res.kind === 'absent') {
    now = ` The PCI inventory has no ${res.missing}, so nothing is below it today. Name the devices that really need the region as endpoint scopes instead.`;
  } else if (res.kind === 'present' && !res.pci.isBridge) {
    now = ` The PCI inventory shows no bridge at ${res.label} but a ${res.pci.className || 'function'}${res.pci.name ? ` (${res.pci.name})` : ''}: if that device was meant, make this an endpoint scope (type 01).`;
  } else if (!expanded) {
    now = pci
      ? ' The PCI inventory does not give the bridge\'s bus numbers (use `lspci -vvnn`), so the devices below it cannot be listed, and no automatic fix is possible.'
      : ' With a PCI inventory (`--pci lspci.txt`) this check lists the devices below it; without one no automatic fix is possible, since endpoint scopes below a bridge need the bus numbers behind it.';
    now += ' Name the devices that really need the region as endpoint scopes instead.';
  } else if (covered.length === 0) {
    now = ' Nothing sits below it in the PCI inventory today, but any card plugged in later inherits the region. Name the devices that really need the region as endpoint scopes instead.';
  } else {
    const names = covered.slice(0, LISTED).map((d) => `${d.label} (${d.className}${d.name ? `: ${d.name}` : ''})`);
    if (covered.length > LISTED) names.push(`and ${covered.length - LISTED} more`);
    now = ` Below it now: ${names.join(', ')}. Name only the devices that really need the region, as endpoint scopes.`;
    fixes = replaceFix(ctx, r.index, j, scope, covered.map((d) => d.pci!).filter((d) => d && !d.isBridge));
  }
  return {
    rule: ID, ...atScope(scope),
    message: head + now,
    related: [{ ...atStructure(r.rmrr), message: `the RMRR ${range}` }],
    fixes,
  };
}

function replaceFix(ctx: AnalysisContext, index: number, j: number, scope: DeviceScope, below: PlatformDevice[]): Fix[] | undefined {
  const pci = tableDevices(ctx).pci;
  const rmrr = ctx.table.structures[index]!;
  if (!pci || rmrr.kind !== 'rmrr' || below.length === 0) return undefined;
  const res = resolveScopePath(pci, rmrr.segment, scope);
  if (res.kind !== 'present') return undefined;
  const paths: { label: string; path: { device: number; function: number }[] }[] = [];
  for (const d of below) {
    const path = pathBelow(pci, res.pci, scope.path, d);
    if (!path) return undefined;
    paths.push({ label: formatBdf(d.segment, d.bus, d.device, d.function), path });
  }
  return [{
    title: `Replace the bridge scope with endpoint scopes for the ${plural(paths.length, 'device')} below it (${paths.slice(0, 4).map((p) => p.label).join(', ')}${paths.length > 4 ? ', ...' : ''}); then drop those that do not need the region`,
    apply: (t) => {
      const s = t.structures[index];
      if (s?.kind !== 'rmrr') return;
      const original = s.scopes[j]!;
      const endpoints = paths.map((p) => {
        const e = { ...structuredClone(original), type: SCOPE_TYPE.endpoint, path: p.path, length: 6 + 2 * p.path.length, tail: new Uint8Array(0) };
        delete e.annotation;
        return e;
      });
      s.scopes.splice(j, 1, ...endpoints);
    },
  }];
}
