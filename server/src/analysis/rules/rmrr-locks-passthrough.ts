import type { Finding, Fix, Location } from '../../table/finding';
import { fieldLocOf, lineRange, type DmarTable, type Rmrr } from '../../table/model';
import {
  HYPERV_DDA_MESSAGE, LINUX_DIRECT_MAPPING_MESSAGE, LINUX_RMRR_LOCK_MESSAGE, classHint, describeDevice, tableDevices,
  type AffectedDevice, type RmrrDevices,
} from '../devices';
import { formatRange } from '../format';
import { atScope } from '../locate';
import type { Rule } from '../rule';

const ID = 'rmrr-locks-passthrough';

export const OS_REFUSALS = `Linux 3.17-6.5 refuses to attach it to a VFIO domain ("${LINUX_RMRR_LOCK_MESSAGE}"), Linux 6.6+ as well ("${LINUX_DIRECT_MAPPING_MESSAGE}"), and Hyper-V DDA marks it not assignable ("${HYPERV_DDA_MESSAGE}")`;

// The constant parts of the message, joined once: a table can have tens of thousands of locked
// devices, and each message is then a few concatenations of shared strings (which V8 keeps as a
// small tree over them, not as a copy of the 1.2 KB).
const AFTER_DEVICE = `${OS_REFUSALS}; its whole IOMMU group stays with the host.`;
const UNKNOWN_CLASS = ' Its class is unknown, so it counts as locked (USB and display controllers would be exempt on Linux): ';
const REMEDY = ' If the device does not DMA into this range once the OS runs, drop it from the scope (stop pre-boot DMA at ExitBootServices instead).';
const LOCKS_OUT = ' out of passthrough: ';
const BELOW_LOCKS = ' below it (Linux 5.3+) and locks it out of passthrough: ';
const KNOWN_CLASS_END = AFTER_DEVICE + REMEDY;
const UNKNOWN_CLASS_START = AFTER_DEVICE + UNKNOWN_CLASS;
const UNKNOWN_CLASS_END = '.' + REMEDY;

/** A string built from pieces, copied into one: a few dozen bytes instead of a tree of them. */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * atStructure() of locate.ts, reading only the structure's Type field: building the whole
 * `loc.fields` of every RMRR of a large source (see model.ts lazyFieldsLoc) only to point at its
 * first line doubled the memory this rule leaves behind.
 */
function rmrrHeader(rmrr: Rmrr): Location {
  const type = fieldLocOf(rmrr.loc, 'type');
  return { range: (type ? lineRange(type) : undefined) ?? rmrr.loc.range, offset: rmrr.loc.offset, width: type?.width ?? 1 };
}

function removeRmrr(index: number): (t: DmarTable) => void {
  return (t) => { t.structures.splice(index, 1); };
}

function removalFixes(r: RmrrDevices, d: AffectedDevice): Fix[] {
  const { index } = r;
  const j = d.scopeIndex;
  if (r.rmrr.scopes.length <= 1) {
    return [{ title: `Remove this RMRR (${d.viaBridge ? `bridge ${d.viaBridge}` : d.label} is its only device)`, apply: removeRmrr(index) }];
  }
  const what = d.viaBridge ? `the bridge scope ${d.viaBridge} (and with it every device below it)` : d.label;
  return [
    {
      title: `Remove ${what} from this RMRR's scope`,
      apply: (t) => { const s = t.structures[index]; if (s?.kind === 'rmrr') s.scopes.splice(j, 1); },
    },
    { title: 'Remove this RMRR', apply: removeRmrr(index) },
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
      if (r.lockedCount === 0) continue;
      // Per RMRR, not per device: its range text and where it is.
      const range = flat(formatRange(r.rmrr.base, r.rmrr.limit));
      const thisRmrr = `This RMRR (${range}) `;
      let locks: string | undefined;
      let rmrrAt: Location | undefined;
      for (const d of r.devices) {
        if (!d.locked || d.belowUnknown) continue;
        const via = d.viaBridge
          ? `${thisRmrr}names bridge ${d.viaBridge} as a sub-hierarchy, which covers ${describeDevice(d)}` + BELOW_LOCKS
          : (locks ??= thisRmrr + 'locks ') + describeDevice(d) + LOCKS_OUT;
        // via + AFTER_DEVICE + (unknown class: UNKNOWN_CLASS + classHint + '.') + REMEDY
        const message = d.classSource === 'unknown' ? via + UNKNOWN_CLASS_START + classHint(d.label) + UNKNOWN_CLASS_END : via + KNOWN_CLASS_END;
        rmrrAt ??= rmrrHeader(r.rmrr);
        // Written out, not spread: atScope and atStructure give exactly range, offset and width,
        // and a spread of tens of thousands of objects is slow.
        const at = atScope(d.scope);
        out.push({
          rule: ID, range: at.range, offset: at.offset, width: at.width,
          message,
          related: [{ range: rmrrAt.range, offset: rmrrAt.offset, width: rmrrAt.width, message: `the RMRR ${range}` }],
          fixes: removalFixes(r, d),
        });
      }
    }
    return out;
  },
};
