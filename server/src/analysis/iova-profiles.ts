// Address ranges that OSes and hypervisors use by default, where an RMRR collides (rules.md,
// "IOVA profiles"). Sources, checked against the code:
// - QEMU hw/i386/pc_q35.c: guest RAM below 4 GiB ends at 0x80000000 when the guest has 0xB0000000
//   (2.75 GiB) of RAM or more, else at its RAM size (at most 0xB0000000); `max-ram-below-4g`
//   lowers that end. So every q35 guest with 2 GiB or more has RAM at 0-0x7FFFFFFF.
// - QEMU hw/i386/pc_piix.c: i440FX low RAM ends at 0xC0000000 with 0xE0000000 (3.5 GiB) of RAM or
//   more (0xE0000000 on pc-1.7 and older, which lack gigabyte_align), else at the RAM size.
// - QEMU include/hw/pci-host/q35.h: MMCONFIG (PCIEXBAR) at 0xB0000000, 256 MiB. The BIOS image is
//   mapped at 0xE0000-0xFFFFF (isa-bios) and at the top of 4 GiB (SeaBIOS: 256 KiB).
// - Xen xen/include/public/hvm/e820.h: HVM_BELOW_4G_RAM_END 0xF0000000. tools/libs/light/libxl_dm.c
//   libxl__domain_device_construct_rdm(): an RMRR (RDM) of an assigned device that meets guest
//   low RAM and starts above rdm_mem_boundary (default 2 GiB) makes libxl lower the guest's
//   low-RAM end to the RMRR's start; one starting at or below the boundary is a conflict that the
//   default per-device `strict` policy turns into a failed domain build ("RDM conflict at 0x...").
//   The split below is by address, so an RMRR starting exactly at 0x80000000 is filed under the
//   upper range although libxl treats it as below the boundary.
// - Linux drivers/iommu/dma-iommu.c and iova.c: a DMA domain allocates IOVAs from page 1 up
//   (IOVA 0 is never handed out), 32-bit ones first and top-down, and reserves every RMRR of the
//   device in it.

export interface IovaRange {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  label: string;
  /** What an RMRR here does, in one sentence. */
  consequence: string;
  /**
   * What a user can do about it, in one sentence (built-in ranges; custom ranges have none).
   * RMRR_BASE_PLACEHOLDER in it stands for the RMRR's base address.
   */
  remedy?: string;
}

export const RMRR_BASE_PLACEHOLDER = '<RMRR base>';

export interface IovaProfile {
  name: string;
  description: string;
  ranges: readonly IovaRange[];
  builtIn: boolean;
}

const GUEST_RAM_CONSEQUENCE =
  'without a virtual IOMMU a passed-through device uses guest-physical addresses as IOVAs, so DMA the firmware keeps doing into this RMRR lands in guest RAM at the same address and corrupts it, and a hypervisor that honours the RMRR must punch a hole there';

const GUEST_FIRMWARE_CONSEQUENCE =
  'the guest\'s own firmware (SeaBIOS or OVMF) sits at these addresses, so no hypervisor can leave a hole for the RMRR here, and DMA into it hits guest firmware memory';

export const BUILT_IN_PROFILES: readonly IovaProfile[] = [
  {
    name: 'qemu-q35',
    description: 'QEMU q35 machine: guest RAM below 2 GiB (guests with 2 GiB of RAM or more), MMCONFIG, BIOS',
    builtIn: true,
    ranges: [
      {
        start: 0x0n, end: 0x7fffffffn, label: 'q35 guest RAM below 2 GiB', consequence: GUEST_RAM_CONSEQUENCE,
        remedy: `QEMU's -machine q35,max-ram-below-4g=${RMRR_BASE_PLACEHOLDER} ends the guest's RAM below 4 GiB at the RMRR (the rest moves above 4 GiB)`,
      },
      {
        start: 0xb0000000n, end: 0xbfffffffn, label: 'q35 MMCONFIG (PCIEXBAR)',
        consequence: 'the guest\'s PCI Express configuration window sits here and no guest RAM is mapped for DMA, so DMA the device keeps doing into this RMRR faults in the host IOMMU and whatever firmware feature needs it stops working',
      },
      { start: 0xe0000n, end: 0xfffffn, label: 'guest BIOS area', consequence: GUEST_FIRMWARE_CONSEQUENCE },
      { start: 0xfffc0000n, end: 0xffffffffn, label: 'guest BIOS flash', consequence: GUEST_FIRMWARE_CONSEQUENCE },
    ],
  },
  {
    name: 'qemu-i440fx',
    description: 'QEMU i440FX (pc) machine: guest RAM below 3 GiB (3.5 GiB of RAM or more; 0x0-0xDFFFFFFF on pc-1.7 and older)',
    builtIn: true,
    ranges: [{
      start: 0x0n, end: 0xbfffffffn, label: 'i440fx guest RAM below 3 GiB', consequence: GUEST_RAM_CONSEQUENCE,
      remedy: `QEMU's -machine pc,max-ram-below-4g=${RMRR_BASE_PLACEHOLDER} ends the guest's RAM below 4 GiB at the RMRR (the rest moves above 4 GiB)`,
    }],
  },
  {
    name: 'xen-hvm',
    description: 'Xen HVM guest: RAM up to the default MMIO hole at 0xF0000000; RMRRs of assigned devices below the 2 GiB rdm_mem_boundary are fatal under the default strict policy',
    builtIn: true,
    ranges: [
      {
        start: 0x0n, end: 0x7fffffffn, label: 'Xen HVM guest RAM below the 2 GiB rdm_mem_boundary',
        consequence: 'when a device in this RMRR\'s scope is assigned to a guest whose RAM reaches the RMRR, libxl\'s default strict per-device RDM policy fails the domain build ("RDM conflict at 0x...")',
        remedy: 'Xen lets the guest start with rdm_policy=relaxed on the device (pci = [ "...,rdm_policy=relaxed" ]), but then the guest RAM stays where the RMRR is; a smaller guest whose RAM ends below the RMRR avoids it',
      },
      {
        start: 0x80000000n, end: 0xefffffffn, label: 'Xen HVM guest RAM above 2 GiB',
        consequence: 'when a device in this RMRR\'s scope is assigned, libxl lowers the guest\'s RAM end below the RMRR, so the guest gets less memory below 4 GiB (the rest moves above 4 GiB)',
      },
    ],
  },
  {
    name: 'linux-dma',
    description: 'Linux host DMA API: PCI devices get IOVAs top-down below 4 GiB first',
    builtIn: true,
    ranges: [{
      start: 0x1000n, end: 0xffffffffn, label: 'Linux DMA API 32-bit IOVA window',
      consequence: 'Linux reserves the RMRR in the device\'s DMA domain, so the 32-bit IOVA space it allocates from shrinks by the RMRR\'s size (information only)',
    }],
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
