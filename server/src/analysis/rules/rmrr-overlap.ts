import type { Finding, Fix } from '../../table/finding';
import type { DeviceScope } from '../../table/model';
import { formatRange, hexAddress } from '../format';
import { atField } from '../locate';
import { analysisRmrrSpans, intersection, overlappingNeighbours, rmrrDevices, xenHex, type IndexedRmrr } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-overlap';

// Xen xen/drivers/passthrough/vtd/dmar.c acpi_parse_one_rmrr() compares each RMRR with those
// parsed before it: "Overlapping RMRRs [%"PRIx64",%"PRIx64"] and [...]", -EEXIST, and
// acpi_parse_dmar() answers "Failed to parse ACPI DMAR.  Disabling VT-d.". Linux accepts overlaps.

const scopeKey = (s: DeviceScope) => `${s.type}/${s.startBus}/${s.path.map((p) => `${p.device}.${p.function}`).join('/')}`;

function mergeFix(first: IndexedRmrr, second: IndexedRmrr): Fix {
  const a = first.rmrr;
  const b = second.rmrr;
  const base = a.base < b.base ? a.base : b.base;
  const limit = a.limit > b.limit ? a.limit : b.limit;
  return {
    title: `Merge both into one RMRR ${formatRange(base, limit)} with the devices of both`,
    preferred: true,
    apply: (t) => {
      const keep = t.structures[first.index];
      const drop = t.structures[second.index];
      if (keep?.kind !== 'rmrr' || drop?.kind !== 'rmrr') return;
      keep.base = base;
      keep.limit = limit;
      const have = new Set(keep.scopes.map(scopeKey));
      for (const s of drop.scopes) if (!have.has(scopeKey(s))) { have.add(scopeKey(s)); keep.scopes.push(s); }
      t.structures.splice(second.index, 1);
    },
  };
}

export const rmrrOverlap: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: true,
    title: 'Two RMRRs intersect',
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const [reach, next] of overlappingNeighbours(analysisRmrrSpans(ctx))) {
      // Xen reports the pair when it parses the later of the two; so does this rule.
      const [first, second] = reach.value.index < next.value.index ? [reach.value, next.value] : [next.value, reach.value];
      const a = first.rmrr;
      const b = second.rmrr;
      const common = intersection(a.base, a.limit, b.base, b.limit)!;
      const fixes: Fix[] = [];
      if (a.segment === b.segment) fixes.push(mergeFix(first, second));
      // Separating keeps the earlier-starting range and starts the other after it, which is only
      // possible when that other one reaches further.
      const lower = reach.value.rmrr;
      const upper = next.value;
      if (upper.rmrr.limit > lower.limit) {
        const newBase = lower.limit + 1n;
        fixes.push({
          title: `Separate them: start the RMRR ${formatRange(upper.rmrr.base, upper.rmrr.limit)} at ${hexAddress(newBase)}`,
          apply: (t) => { const s = t.structures[upper.index]; if (s?.kind === 'rmrr') s.base = newBase; },
        });
      }
      const same = a.base === b.base && a.limit === b.limit;
      out.push({
        rule: ID, ...atField(b.loc, 'base'),
        message: `This RMRR ${formatRange(b.base, b.limit)} (${rmrrDevices(b)}) ${same ? 'repeats the range of' : `overlaps, in ${formatRange(common.start, common.end)},`} `
          + `the earlier RMRR ${formatRange(a.base, a.limit)} (${rmrrDevices(a)}). `
          + `Xen refuses the table: "Overlapping RMRRs [${xenHex(a.base)},${xenHex(a.limit)}] and [${xenHex(b.base)},${xenHex(b.limit)}]", then "Failed to parse ACPI DMAR.  Disabling VT-d.", so nothing can be passed through; Linux accepts it silently. `
          + (a.segment === b.segment
            ? `Merge them into one RMRR covering ${formatRange(a.base < b.base ? a.base : b.base, a.limit > b.limit ? a.limit : b.limit)} that lists the devices of both, or make the ranges disjoint.`
            : 'They name devices of different PCI segments, so one RMRR cannot hold both: make the ranges disjoint.'),
        related: [{ ...atField(a.loc, 'base'), message: `the other RMRR, ${formatRange(a.base, a.limit)} (${rmrrDevices(a)})` }],
        fixes,
      });
    }
    return out;
  },
};
