import type { Finding } from '../../table/finding';
import type { Rmrr } from '../../table/model';
import { formatRange, hexAddress } from '../format';
import { RMRR_BASE_PLACEHOLDER, type IovaProfile, type IovaRange } from '../iova-profiles';
import { atField } from '../locate';
import { analysisRmrrSpans, intersects, ONE_MIB, rmrrDevices } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-iova-conflict';

// The profiles (iova-profiles.ts) are a handful of ranges each, so testing every range of every
// enabled profile per RMRR keeps the rule linear in the number of RMRRs.

export const rmrrIovaConflict: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'An RMRR intersects a range of an enabled IOVA profile',
  },
  check(ctx) {
    const { profiles } = ctx;
    const out: Finding[] = [];
    if (profiles.length === 0) return out;
    const spans = analysisRmrrSpans(ctx);
    for (let i = 0; i < spans.length; i++) {
      const { rmrr } = spans[i]!.value;
      // An RMRR without devices binds nobody (rmrr-no-scope says so); it cannot get in a guest's way.
      if (rmrr.scopes.length === 0) continue;
      for (let p = 0; p < profiles.length; p++) {
        const profile = profiles[p]!;
        // Only an RMRR that meets a range gets the array of those it meets (made in conflict()).
        const ranges = profile.ranges;
        let k = 0;
        while (k < ranges.length && !intersects(rmrr.base, rmrr.limit, ranges[k]!.start, ranges[k]!.end)) k++;
        if (k < ranges.length) out.push(conflict(rmrr, profile));
      }
    }
    return out;
  },
};

function conflict(rmrr: Rmrr, profile: IovaProfile): Finding {
  const hit: IovaRange[] = profile.ranges.filter((r) => intersects(rmrr.base, rmrr.limit, r.start, r.end));
  const ranges = hit.map((r) => `${r.label}, ${formatRange(r.start, r.end)},`).join(' and ');
  const consequences = [...new Set(hit.map((r) => r.consequence))].join('; ');
  // A remedy that moves guest RAM below the RMRR makes no sense for one in the first megabyte.
  const remedy = rmrr.base >= ONE_MIB ? hit.find((r) => r.remedy)?.remedy?.split(RMRR_BASE_PLACEHOLDER).join(hexAddress(rmrr.base)) : undefined;
  const devices = rmrrDevices(rmrr);
  return {
    rule: ID, ...atField(rmrr.loc, 'base'),
    message: `This RMRR ${formatRange(rmrr.base, rmrr.limit)} for ${devices} lands in ${ranges} of the IOVA profile "${profile.name}": ${consequences}. `
      + (remedy ? `If you pass ${devices} through there: ${remedy}. ` : '')
      + 'The lasting fix is firmware that stops this DMA before the OS takes over and drops the RMRR, or that places the region outside these ranges.',
  };
}
