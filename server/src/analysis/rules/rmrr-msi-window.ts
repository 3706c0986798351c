import type { Finding } from '../../table/finding';
import { formatRange } from '../format';
import { atField } from '../locate';
import { analysisRmrrSpans, intersection, MSI_WINDOW } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-msi-window';

// VT-d: DMA writes to 0xFEE00000-0xFEEFFFFF are interrupt requests, handled by interrupt
// remapping and never address-translated. Linux reserves the window in every domain
// (intel_iommu_get_resv_regions(): IOAPIC_RANGE_START..IOAPIC_RANGE_END as IOMMU_RESV_MSI).

export const rmrrMsiWindow: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'An RMRR intersects the interrupt window 0xFEE00000-0xFEEFFFFF',
  },
  check(ctx) {
    const out: Finding[] = [];
    const spans = analysisRmrrSpans(ctx);
    for (let i = 0; i < spans.length; i++) {
      const { rmrr } = spans[i]!.value;
      const hit = intersection(rmrr.base, rmrr.limit, MSI_WINDOW.start, MSI_WINDOW.end);
      if (!hit) continue;
      out.push({
        rule: ID, ...atField(rmrr.loc, 'base'),
        message: `This RMRR ${formatRange(rmrr.base, rmrr.limit)} reaches into the interrupt window ${formatRange(MSI_WINDOW.start, MSI_WINDOW.end)} (in ${formatRange(hit.start, hit.end)}). `
          + 'A DMA write there is an interrupt request (an MSI), not a memory access: the IOMMU never translates it, and every OS reserves the window in every IOMMU domain '
          + '(Linux as the MSI region of each device), so the identity map this RMRR asks for cannot exist and the device\'s writes there raise interrupts instead. '
          + 'Keep RMRRs out of 0xFEE00000-0xFEEFFFFF: this is the Local APIC range, not memory.',
      });
    }
    return out;
  },
};
