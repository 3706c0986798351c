import type { Finding } from '../../table/finding';
import { formatSegment, hexAddress } from '../format';
import { atField, atStructure } from '../locate';
import { repeats, type Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'drhd-duplicate';

// Linux drivers/iommu/intel/dmar.c dmar_parse_one_drhd(): dmar_find_dmaru() matches an earlier unit
// with the same segment and register base and skips the new one without a word, device scopes and all.

export const drhdDuplicate: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'Two DRHDs with the same segment and register base',
  },
  check(ctx) {
    const out: Finding[] = [];
    const drhds = structuresOfKind(ctx, 'drhd');
    for (const [s, first] of repeats(drhds, (s) => `${s.segment}:${s.registerBase}`)) {
      const scopes = s.scopes.length > 0 ? ` The ${s.scopes.length === 1 ? 'device scope' : `${s.scopes.length} device scopes`} of this copy are lost with it.` : '';
      out.push({
        rule: ID, ...atField(s.loc, 'registerBase'),
        message: `A DRHD with segment ${formatSegment(s.segment)} and Register Base Address ${hexAddress(s.registerBase)} was already declared: one unit, two definitions. `
          + `Linux keeps the first and silently ignores this one.${scopes} `
          + `Merge the two into one DRHD (its device scopes together, INCLUDE_PCI_ALL if either had it), or correct the base of this one.`,
        related: [{ ...atStructure(first), message: 'the first DRHD with this base' }],
      });
    }
    return out;
  },
};
