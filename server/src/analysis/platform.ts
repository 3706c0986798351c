// The platform context the rules can use, whatever file it came from. Readers for dmesg, lspci,
// /proc/iomem and MADT disassemblies live in context/; they fill this.

export type MemoryType = 'usable' | 'reserved' | 'acpi-nvs' | 'acpi-data' | 'unusable' | 'persistent' | 'other';

export interface MemoryRegion {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  type: MemoryType;
  /** The type as the file wrote it. */
  rawType: string;
  line: number;
}

export interface PlatformDevice {
  segment: number;
  bus: number;
  device: number;
  function: number;
  /** 24-bit class code (0x0c0330); from `lspci -nn` the programming interface is unknown (0). */
  classCode: number;
  className: string;
  name: string;
  isBridge: boolean;
  secondaryBus?: number;
  subordinateBus?: number;
  line: number;
}

export interface IoApic {
  id: number;
  address: number;
  gsiBase: number;
  line: number;
}

export interface DeviceAnnotation {
  class?: number;
  name?: string;
}

export interface Platform {
  memoryMap?: { file: string; entries: readonly MemoryRegion[] };
  pci?: { file: string; devices: readonly PlatformDevice[] };
  madt?: { file: string; ioApics: readonly IoApic[] };
  /** Per-device annotations from the project config, keyed by BDF (`00:14.0`, `0001:00:14.0`). */
  annotations: ReadonlyMap<string, DeviceAnnotation>;
}

export function emptyPlatform(): Platform {
  return { annotations: new Map() };
}
