import type { Finding } from '../../table/finding';
import type { Drhd } from '../../table/model';
import { formatRange, hexAddress, plural } from '../format';
import { atField } from '../locate';
import { analysisRmrrSpans, drhdRegisterSpan, SpanIndex, type Span } from '../rmrr-ranges-util';
import type { Rule } from '../rule';
import { structuresOfKind } from '../table-index';

const ID = 'rmrr-drhd-registers';

// A DRHD's registers are 2^Size 4-KiB pages of MMIO from its base (VT-d 8.3; Linux
// dmar_parse_one_drhd() maps 1 << (size + 12) bytes). An RMRR over them would have the IOMMU
// identity-map its own control registers for a device.

const MAX_RELATED = 8;

export const rmrrDrhdRegisters: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'An RMRR covers a DRHD\'s register pages',
  },
  check(ctx) {
    const out: Finding[] = [];
    const registers: Span<Drhd>[] = [];
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      const span = drhdRegisterSpan(s);
      if (span) registers.push({ ...span, value: s });
    }
    if (registers.length === 0) return out;
    const index = new SpanIndex(registers);
    const spans = analysisRmrrSpans(ctx);
    for (let i = 0; i < spans.length; i++) {
      const { rmrr } = spans[i]!.value;
      if (!index.overlapsAny(rmrr.base, rmrr.limit)) continue;
      const hits = index.overlapping(rmrr.base, rmrr.limit);
      const first = hits[0]!;
      const which = hits.length === 1
        ? `the register pages ${formatRange(first.start, first.end)} of the DRHD at ${hexAddress(first.value.registerBase)}`
        : `the register pages of ${plural(hits.length, 'DRHD')} (${hits.slice(0, 3).map((h) => hexAddress(h.value.registerBase)).join(', ')}${hits.length > 3 ? ', ...' : ''})`;
      out.push({
        rule: ID, ...atField(rmrr.loc, 'base'),
        message: `This RMRR ${formatRange(rmrr.base, rmrr.limit)} covers ${which}. `
          + 'Identity-mapping them would let the device\'s DMA reach the IOMMU\'s own control registers, where a write can rewrite or switch off translation and defeat DMA protection; '
          + 'they are MMIO registers, never a DMA buffer. Shrink the RMRR to the memory the device really uses, or correct the DRHD\'s Register Base Address or Size if those are wrong.',
        related: hits.slice(0, MAX_RELATED).map((h) => ({
          ...atField(h.value.loc, 'registerBase'),
          message: `the DRHD whose registers are ${formatRange(h.start, h.end)}`,
        })),
      });
    }
    return out;
  },
};
