import type { Finding } from '../../table/finding';
import { formatRange, hexAddress } from '../format';
import { RMRR_BASE_PLACEHOLDER, type IovaRange } from '../iova-profiles';
import { atField } from '../locate';
import { intersects, ONE_MIB, rmrrDevices, rmrrSpans } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-iova-conflict';

// The profiles (iova-profiles.ts) are a handful of ranges each, so testing every range of every
// enabled profile per RMRR keeps the rule linear in the number of RMRRs.

export const rmrrIovaConflict: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'An RMRR intersects a range of an enabled IOVA profile',
  },
  check({ table, profiles }) {
    const out: Finding[] = [];
    if (profiles.length === 0) return out;
    for (const { value: { rmrr } } of rmrrSpans(table)) {
      // An RMRR without devices binds nobody (rmrr-no-scope says so); it cannot get in a guest's way.
      if (rmrr.scopes.length === 0) continue;
      for (const profile of profiles) {
        const hit: IovaRange[] = profile.ranges.filter((r) => intersects(rmrr.base, rmrr.limit, r.start, r.end));
        if (hit.length === 0) continue;
        const ranges = hit.map((r) => `${r.label}, ${formatRange(r.start, r.end)},`).join(' and ');
        const consequences = [...new Set(hit.map((r) => r.consequence))].join('; ');
        // A remedy that moves guest RAM below the RMRR makes no sense for one in the first megabyte.
        const remedy = rmrr.base >= ONE_MIB ? hit.find((r) => r.remedy)?.remedy?.split(RMRR_BASE_PLACEHOLDER).join(hexAddress(rmrr.base)) : undefined;
        const devices = rmrrDevices(rmrr);
        out.push({
          rule: ID, ...atField(rmrr.loc, 'base'),
          message: `This RMRR ${formatRange(rmrr.base, rmrr.limit)} for ${devices} lands in ${ranges} of the IOVA profile "${profile.name}": ${consequences}. `
            + (remedy ? `If you pass ${devices} through there: ${remedy}. ` : '')
            + 'The lasting fix is firmware that stops this DMA before the OS takes over and drops the RMRR, or that places the region outside these ranges.',
        });
      }
    }
    return out;
  },
};
