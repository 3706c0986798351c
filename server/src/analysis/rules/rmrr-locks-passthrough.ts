import type { Finding, Fix } from '../../table/finding';
import {
  HYPERV_DDA_MESSAGE, LINUX_DIRECT_MAPPING_MESSAGE, LINUX_RMRR_LOCK_MESSAGE, classHint, describeDevice, tableDevices,
  type AffectedDevice, type RmrrDevices,
} from '../devices';
import { formatRange } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'rmrr-locks-passthrough';

export const OS_REFUSALS = `Linux 3.17-6.5 refuses to attach it to a VFIO domain ("${LINUX_RMRR_LOCK_MESSAGE}"), Linux 6.6+ as well ("${LINUX_DIRECT_MAPPING_MESSAGE}"), and Hyper-V DDA marks it not assignable ("${HYPERV_DDA_MESSAGE}")`;

function removalFixes(r: RmrrDevices, d: AffectedDevice): Fix[] {
  const { index } = r;
  const j = d.scopeIndex;
  const removeRmrr: Fix = { title: 'Remove this RMRR', apply: (t) => { t.structures.splice(index, 1); } };
  if (r.rmrr.scopes.length <= 1) {
    return [{ ...removeRmrr, title: `Remove this RMRR (${d.viaBridge ? `bridge ${d.viaBridge}` : d.label} is its only device)` }];
  }
  const what = d.viaBridge ? `the bridge scope ${d.viaBridge} (and with it every device below it)` : d.label;
  return [
    {
      title: `Remove ${what} from this RMRR's scope`,
      apply: (t) => { const s = t.structures[index]; if (s?.kind === 'rmrr') s.scopes.splice(j, 1); },
    },
    removeRmrr,
  ];
}

export const rmrrLocksPassthrough: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'An RMRR locks a device out of passthrough (VFIO, VM device assignment)',
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const r of tableDevices(ctx).rmrrs) {
      for (const d of r.devices) {
        if (!d.locked || d.belowUnknown) continue;
        const range = formatRange(r.rmrr.base, r.rmrr.limit);
        const via = d.viaBridge
          ? `This RMRR (${range}) names bridge ${d.viaBridge} as a sub-hierarchy, which covers ${describeDevice(d)} below it (Linux 5.3+) and locks it out of passthrough: `
          : `This RMRR (${range}) locks ${describeDevice(d)} out of passthrough: `;
        const unknown = d.classSource === 'unknown'
          ? ` Its class is unknown, so it counts as locked (USB and display controllers would be exempt on Linux): ${classHint(d.label)}.`
          : '';
        out.push({
          rule: ID, ...atScope(d.scope),
          message: `${via}${OS_REFUSALS}; its whole IOMMU group stays with the host.${unknown} If the device does not DMA into this range once the OS runs, drop it from the scope (stop pre-boot DMA at ExitBootServices instead).`,
          related: [{ ...atStructure(r.rmrr), message: `the RMRR ${range}` }],
          fixes: removalFixes(r, d),
        });
      }
    }
    return out;
  },
};
