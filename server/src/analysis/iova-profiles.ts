// Address ranges that OSes and hypervisors use by default, where an RMRR collides (rules.md,
// "IOVA profiles"). Sources: QEMU hw/i386/pc_q35.c and pc_piix.c (low-memory split),
// include/hw/pci-host/q35.h (MMCONFIG/PCIEXBAR at 0xB0000000), xen/include/public/hvm/e820.h
// (HVM_BELOW_4G_RAM_END 0xF0000000), tools/libs/light/libxl_dm.c (2 GiB rdm_mem_boundary),
// Linux drivers/iommu/iova.c and dma-iommu.c (32-bit IOVAs allocated top-down first).

export interface IovaRange {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  label: string;
  /** What an RMRR here does, in one sentence. */
  consequence: string;
}

export interface IovaProfile {
  name: string;
  description: string;
  ranges: readonly IovaRange[];
  builtIn: boolean;
}

const GUEST_RAM_CONSEQUENCE =
  'without a virtual IOMMU a passed-through device uses guest-physical addresses as IOVAs, so DMA the firmware keeps doing into this RMRR lands in guest RAM, and a hypervisor that honours the RMRR must punch a hole there';

export const BUILT_IN_PROFILES: readonly IovaProfile[] = [
  {
    name: 'qemu-q35',
    description: 'QEMU q35 machine: guest RAM below 2 GiB (with 2.75 GiB of RAM or more), MMCONFIG, BIOS',
    builtIn: true,
    ranges: [
      { start: 0x0n, end: 0x7fffffffn, label: 'q35 guest RAM below 2 GiB', consequence: GUEST_RAM_CONSEQUENCE },
      { start: 0xb0000000n, end: 0xbfffffffn, label: 'q35 MMCONFIG (PCIEXBAR)', consequence: 'the guest\'s PCI Express configuration space sits here; device DMA into it corrupts config accesses or is dropped' },
      { start: 0xe0000n, end: 0xfffffn, label: 'guest BIOS area', consequence: 'the guest firmware (SeaBIOS/OVMF) lives here' },
      { start: 0xfffc0000n, end: 0xffffffffn, label: 'guest BIOS flash', consequence: 'the guest firmware flash is mapped here' },
    ],
  },
  {
    name: 'qemu-i440fx',
    description: 'QEMU i440FX (pc) machine: guest RAM below 3 GiB (3.5 GiB RAM or more; 0x0-0xDFFFFFFF on pc-1.7 and older)',
    builtIn: true,
    ranges: [{ start: 0x0n, end: 0xbfffffffn, label: 'i440fx guest RAM below 3 GiB', consequence: GUEST_RAM_CONSEQUENCE }],
  },
  {
    name: 'xen-hvm',
    description: 'Xen HVM guest: RAM up to the default MMIO hole at 0xF0000000',
    builtIn: true,
    ranges: [
      { start: 0x0n, end: 0x7fffffffn, label: 'Xen HVM guest RAM below the 2 GiB rdm_mem_boundary', consequence: 'under the default strict per-device RDM policy the domain build fails ("RDM conflict at 0x...")' },
      { start: 0x80000000n, end: 0xefffffffn, label: 'Xen HVM guest RAM above 2 GiB', consequence: 'libxl lowers the guest\'s RAM end below the RMRR, so the guest gets less low memory' },
    ],
  },
  {
    name: 'linux-dma',
    description: 'Linux host DMA API: PCI devices get IOVAs top-down below 4 GiB first',
    builtIn: true,
    ranges: [{ start: 0x1000n, end: 0xffffffffn, label: 'Linux DMA API 32-bit IOVA window', consequence: 'Linux reserves the RMRR in the device\'s DMA domain, shrinking its 32-bit IOVA space (information)' }],
  },
];

export const DEFAULT_PROFILE_NAMES: readonly string[] = ['qemu-q35'];

export interface CustomProfileInput {
  name: string;
  description?: string;
  ranges: { start: bigint; end: bigint; label?: string }[];
}

/**
 * The enabled profiles: `names` picks built-ins and custom ones; 'none' disables all. Unknown
 * names come back in `unknown` so the caller can say so.
 */
export function resolveProfiles(names: readonly string[] | undefined, custom: readonly CustomProfileInput[] = []): { profiles: IovaProfile[]; unknown: string[] } {
  const wanted = names && names.length > 0 ? names : DEFAULT_PROFILE_NAMES;
  if (wanted.includes('none')) return { profiles: [], unknown: [] };
  const byName = new Map<string, IovaProfile>(BUILT_IN_PROFILES.map((p) => [p.name, p]));
  for (const c of custom) {
    byName.set(c.name, {
      name: c.name, description: c.description ?? `user-defined profile ${c.name}`, builtIn: false,
      ranges: c.ranges.map((r) => ({ start: r.start, end: r.end, label: r.label ?? `${c.name} range`, consequence: c.description ?? 'a range this project declared as in use' })),
    });
  }
  const profiles: IovaProfile[] = [];
  const unknown: string[] = [];
  for (const n of wanted) {
    const p = byName.get(n);
    if (p) { if (!profiles.includes(p)) profiles.push(p); } else unknown.push(n);
  }
  return { profiles, unknown };
}
