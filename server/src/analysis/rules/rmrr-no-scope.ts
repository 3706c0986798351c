import type { Finding } from '../../table/finding';
import { formatRange } from '../format';
import { atStructure } from '../locate';
import { rmrrsOf } from '../rmrr-ranges-util';
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
  check({ table }) {
    const out: Finding[] = [];
    for (const { rmrr, index } of rmrrsOf(table)) {
      if (rmrr.scopes.length > 0) continue;
      out.push({
        rule: ID, ...atStructure(rmrr),
        message: `This RMRR ${formatRange(rmrr.base, rmrr.limit)} lists no device. An RMRR only takes effect for the devices in its scope, so every OS ignores it: `
          + 'Linux keeps it without mapping anything, Xen drops it while parsing. '
          + 'Remove it, or add the device that really DMAs into this memory.',
        fixes: [{
          title: 'Remove this RMRR', safe: true, preferred: true,
          apply: (t) => { if (t.structures[index]?.kind === 'rmrr') t.structures.splice(index, 1); },
        }],
      });
    }
    return out;
  },
};
