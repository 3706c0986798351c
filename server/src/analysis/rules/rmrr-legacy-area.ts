import type { Finding } from '../../table/finding';
import { formatRange } from '../format';
import { atField } from '../locate';
import { analysisRmrrSpans, ONE_MIB, PAGE_SIZE } from '../rmrr-ranges-util';
import type { Rule } from '../rule';

const ID = 'rmrr-legacy-area';

// Below 1 MiB sit the real-mode interrupt vector table (page 0), the BIOS data areas, VGA memory,
// option ROMs and the BIOS image (0xE0000-0xFFFFF). RMRRs there are typically USB legacy
// keyboard emulation buffers, a DMA target only before the OS drives the controller itself.
// Linux drivers/iommu/dma-iommu.c never allocates IOVA page 0 (base_pfn is at least 1).

export const rmrrLegacyArea: Rule = {
  meta: {
    id: ID, severity: 'warning', fixable: false,
    title: 'An RMRR lies (partly) below 1 MiB',
  },
  check(ctx) {
    const out: Finding[] = [];
    const spans = analysisRmrrSpans(ctx);
    for (let i = 0; i < spans.length; i++) {
      const { rmrr } = spans[i]!.value;
      if (rmrr.base >= ONE_MIB) continue;
      const range = formatRange(rmrr.base, rmrr.limit);
      const message = rmrr.base < PAGE_SIZE
        ? `This RMRR ${range} includes page 0. Identity-mapping it makes IOVA 0 and guest address 0 live: a driver that DMAs to a NULL DMA address then silently writes memory instead of faulting `
          + '(Linux\'s DMA API never allocates IOVA 0), and a passed-through device would write the guest\'s page 0, its real-mode interrupt vector table. '
          + 'If the device needs this memory only before the OS takes over (USB legacy emulation does), stop that DMA at the handoff and remove the RMRR; otherwise move the buffer out of the first megabyte.'
        : `This RMRR ${range} lies ${rmrr.limit < ONE_MIB ? '' : 'partly '}below 1 MiB, in the legacy area (BIOS data, VGA memory, option ROMs and the BIOS image at 0xE0000-0xFFFFF). `
          + 'Such RMRRs are usually USB legacy keyboard emulation buffers that matter only until the OS drives the controller; they keep the device out of passthrough all the same, '
          + 'and no hypervisor can leave a hole there for it, because the guest\'s own firmware occupies the same addresses. '
          + 'Stop this DMA at the OS handoff (ExitBootServices) and remove the RMRR.';
      out.push({ rule: ID, ...atField(rmrr.loc, 'base'), message });
    }
    return out;
  },
};
