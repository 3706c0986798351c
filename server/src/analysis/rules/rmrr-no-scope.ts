import type { Finding } from '../../table/finding';
import type { Rmrr } from '../../table/model';
import { formatRange } from '../format';
import { atStructure } from '../locate';
import { analysisRmrrs } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-no-scope';

// Linux drivers/iommu/intel/dmar.c dmar_parse_one_rmrr() keeps an RMRR without devices, but
// only device scopes ever make it identity-map anything; Xen acpi_parse_one_rmrr() frees an RMRR
// whose scope has no device (devices_cnt == 0).

export const rmrrNoScope: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: true,
    title: 'An RMRR lists no device',
  },
  check(ctx) {
    const out: Finding[] = [];
    const rmrrs = analysisRmrrs(ctx);
    for (let i = 0; i < rmrrs.length; i++) {
      const { rmrr, index } = rmrrs[i]!;
      if (rmrr.scopes.length === 0) out.push(noScope(rmrr, index));
    }
    return out;
  },
};

function noScope(rmrr: Rmrr, index: number): Finding {
  return {
    rule: ID, ...atStructure(rmrr),
    message: `This RMRR ${formatRange(rmrr.base, rmrr.limit)} lists no device. An RMRR only takes effect for the devices in its scope, so every OS ignores it: `
      + 'Linux keeps it without mapping anything, Xen drops it while parsing. '
      + 'Remove it, or add the device that really DMAs into this memory.',
    fixes: [{
      title: 'Remove this RMRR', safe: true, preferred: true,
      apply: (t) => { if (t.structures[index]?.kind === 'rmrr') t.structures.splice(index, 1); },
    }],
  };
}
