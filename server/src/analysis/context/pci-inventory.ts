// Reads a PCI inventory from lspci output, and answers what the passthrough rules ask of it: which
// device a device-scope path reaches, which devices sit below a bridge, whether a device's RMRR is
// relaxable. Accepted: `lspci -nn` (`00:1f.0 ISA bridge [0601]: Intel Corporation ... [8086:a30e]
// (rev 10)`), `lspci -n` (`00:1f.0 0601: 8086:a30e (rev 10)`), each optionally with the domain
// (`-D`, `0000:00:1f.0`), and `lspci -vvnn` blocks (the same first line, then indented detail;
// a hex dump from `-x`/`-xxx` is read too).

import { formatBdf, formatFullBdf } from '../format';
import type { ContextProblem } from './memory-map';

export interface Bdf {
  segment: number;
  bus: number;
  device: number;
  function: number;
}

export interface PciDevice extends Bdf {
  /**
   * 24-bit class code: base class, subclass, programming interface (0x0c0330 for an xHCI
   * controller). lspci -nn shows only the 16-bit [0c03]; it is stored shifted (0x0c0300) and
   * progIfKnown is false.
   */
  classCode: number;
  progIfKnown: boolean;
  /** lspci's class name (`USB controller`), or `Class 0c03` when lspci printed numbers only. */
  className: string;
  vendorId?: number;
  deviceId?: number;
  /** lspci's device description (`Intel Corporation Cannon Point-LP USB 3.1 xHCI Host Controller`). */
  name: string;
  revision?: number;
  isBridge: boolean;
  /** Config-space header type without the multi-function bit (0 endpoint, 1 PCI bridge, 2 CardBus). */
  headerType?: number;
  primaryBus?: number;
  secondaryBus?: number;
  subordinateBus?: number;
  /** 0-based line of the device's first line. */
  line: number;
}

export interface PciInventory {
  devices: PciDevice[];
  /** `vvnn` when the text carries verbose blocks (bus numbers), `nn` when only one line per device. */
  detail: 'vvnn' | 'nn';
  problems: ContextProblem[];
}

export const NO_PCI_INVENTORY_MESSAGE =
  'no lspci lines found: expected `lspci -nn` or `lspci -vvnn` output, lines like "00:1f.0 ISA bridge [0601]: Intel Corporation ... [8086:a30e]"';

const DEVICE_LINE = /^(?:([0-9a-f]{4,8}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])\s+(.*)$/i;
const CLASS_WITH_NAME = /^(.*?)\s*\[([0-9a-f]{4})\]:\s*(.*)$/i;
const NUMERIC_ONLY = /^([0-9a-f]{4}):\s*([0-9a-f]{4}):([0-9a-f]{4})(.*)$/i;
const TRAILING_REVISION = /\s*\(rev ([0-9a-f]{2})\)\s*$/i;
const TRAILING_PROG_IF = /\s*\(prog-if ([0-9a-f]{2})(?:\s*\[[^\]]*\])?\)\s*$/i;
const TRAILING_IDS = /\s*\[([0-9a-f]{4}):([0-9a-f]{4})\]\s*$/i;
const BUS_LINE = /\bBus:\s*primary=([0-9a-f]{2}),\s*secondary=([0-9a-f]{2}),\s*subordinate=([0-9a-f]{2})/i;
const HEADER_TYPE_LINE = /header type:?\s*([0-9a-f]{2})\b/i;
const HEX_DUMP_LINE = /^([0-9a-f]{2,3}):((?:\s[0-9a-f]{2}){1,16})\s*$/i;

/** Reads lspci text. Never throws. */
export function readPciInventory(text: string): PciInventory {
  const lines = text.split(/\r?\n/);
  const devices: PciDevice[] = [];
  const problems: ContextProblem[] = [];
  const seen = new Map<string, PciDevice>();
  let current: PciDevice | undefined;
  let verbose = false;
  let sawDeviceLine = false;

  lines.forEach((line, index) => {
    if (line.trim() === '') {
      current = undefined;
      return;
    }
    if (/^\s/.test(line)) {
      if (!current) return; // detail of a device line we could not use; already reported
      verbose = true;
      readDetailLine(current, line);
      return;
    }
    const dump = HEX_DUMP_LINE.exec(line);
    if (dump && current) {
      verbose = true;
      readHexDumpLine(current, Number.parseInt(dump[1], 16), dump[2]);
      return;
    }
    const match = DEVICE_LINE.exec(line);
    if (!match) {
      current = undefined;
      if (!line.trim().startsWith('#')) problems.push({ line: index, message: 'not an lspci device line; ignored' });
      return;
    }
    sawDeviceLine = true;
    current = undefined;
    const device = readDeviceLine(match, index, problems);
    if (!device) return;
    const key = pciKey(device.segment, device.bus, device.device, device.function);
    const earlier = seen.get(key);
    if (earlier) {
      const bdf = formatBdf(device.segment, device.bus, device.device, device.function);
      problems.push({ line: index, message: `${bdf} is listed twice (first on line ${earlier.line + 1}); the later one is ignored` });
      return;
    }
    seen.set(key, device);
    devices.push(device);
    current = device;
  });

  // Not lspci output at all: one clear message instead of one complaint per line.
  if (!sawDeviceLine) return { devices: [], detail: 'nn', problems: [{ line: 0, message: NO_PCI_INVENTORY_MESSAGE }] };
  for (const device of devices) device.isBridge = isBridgeDevice(device);
  return { devices, detail: verbose ? 'vvnn' : 'nn', problems };
}

function readDeviceLine(match: RegExpExecArray, line: number, problems: ContextProblem[]): PciDevice | undefined {
  const segment = match[1] ? Number.parseInt(match[1], 16) : 0;
  const bus = Number.parseInt(match[2], 16);
  const device = Number.parseInt(match[3], 16);
  const fn = Number.parseInt(match[4], 10);
  if (device > 0x1f) {
    problems.push({ line, message: `device number ${match[3]} is above 1f; not a PCI address` });
    return undefined;
  }
  let rest = match[5];
  let classCode: number;
  let className: string;
  const named = CLASS_WITH_NAME.exec(rest);
  const numeric = named ? undefined : NUMERIC_ONLY.exec(rest);
  if (named) {
    className = named[1].trim();
    classCode = Number.parseInt(named[2], 16) << 8;
    rest = named[3];
  } else if (numeric) {
    classCode = Number.parseInt(numeric[1], 16) << 8;
    className = `Class ${numeric[1].toLowerCase()}`;
    rest = `[${numeric[2]}:${numeric[3]}]${numeric[4]}`;
  } else {
    problems.push({ line, message: 'no class code in brackets: run `lspci -nn` (or `lspci -vvnn`) so the class is shown as [0c03]' });
    return undefined;
  }

  let progIfKnown = false;
  let revision: number | undefined;
  for (let stripped = true; stripped; ) {
    stripped = false;
    const progIf = TRAILING_PROG_IF.exec(rest);
    if (progIf) {
      classCode = (classCode & 0xffff00) | Number.parseInt(progIf[1], 16);
      progIfKnown = true;
      rest = rest.slice(0, progIf.index);
      stripped = true;
    }
    const rev = TRAILING_REVISION.exec(rest);
    if (rev) {
      revision = Number.parseInt(rev[1], 16);
      rest = rest.slice(0, rev.index);
      stripped = true;
    }
  }
  let vendorId: number | undefined;
  let deviceId: number | undefined;
  const ids = TRAILING_IDS.exec(rest);
  if (ids) {
    vendorId = Number.parseInt(ids[1], 16);
    deviceId = Number.parseInt(ids[2], 16);
    rest = rest.slice(0, ids.index);
  }
  return {
    segment,
    bus,
    device,
    function: fn,
    classCode,
    progIfKnown,
    className,
    vendorId,
    deviceId,
    name: rest.trim(),
    revision,
    isBridge: false,
    line,
  };
}

function readDetailLine(device: PciDevice, line: string): void {
  const bus = BUS_LINE.exec(line);
  if (bus) {
    device.primaryBus = Number.parseInt(bus[1], 16);
    device.secondaryBus = Number.parseInt(bus[2], 16);
    device.subordinateBus = Number.parseInt(bus[3], 16);
    return;
  }
  const header = HEADER_TYPE_LINE.exec(line);
  if (header) device.headerType = Number.parseInt(header[1], 16) & 0x7f;
}

/** Config-space bytes from `lspci -x`: class at 0x09-0x0b, header type 0x0e, bus numbers 0x18-0x1a. */
function readHexDumpLine(device: PciDevice, rowOffset: number, bytesText: string): void {
  const bytes = bytesText.trim().split(/\s+/).map((b) => Number.parseInt(b, 16));
  const at = (offset: number): number | undefined => {
    const i = offset - rowOffset;
    return i >= 0 && i < bytes.length ? bytes[i] : undefined;
  };
  const progIf = at(0x09);
  if (progIf !== undefined) {
    device.classCode = (device.classCode & 0xffff00) | progIf;
    device.progIfKnown = true;
  }
  const headerType = at(0x0e);
  if (headerType !== undefined) device.headerType = headerType & 0x7f;
  const isBridgeHeader = device.headerType === 1 || device.headerType === 2;
  const [primary, secondary, subordinate] = [at(0x18), at(0x19), at(0x1a)];
  if (isBridgeHeader && primary !== undefined && secondary !== undefined && subordinate !== undefined) {
    device.primaryBus = primary;
    device.secondaryBus = secondary;
    device.subordinateBus = subordinate;
  }
}

/**
 * A bridge by class (PCI-to-PCI 0x0604, semi-transparent 0x0609, CardBus 0x0607), by header type
 * (1 or 2, what Linux's pci_is_bridge() tests) or because lspci showed its bus numbers.
 */
function isBridgeDevice(device: PciDevice): boolean {
  const baseAndSub = device.classCode >> 8;
  return (
    baseAndSub === 0x0604 ||
    baseAndSub === 0x0609 ||
    baseAndSub === 0x0607 ||
    device.headerType === 1 ||
    device.headerType === 2 ||
    device.secondaryBus !== undefined
  );
}

// ---------------------------------------------------------------------------------------------
// Addresses.

/** `00:1f.0`, or `0001:00:1f.0` outside segment 0: lspci's own spelling, and every message's. */
export { formatBdf };

/** The key of pciIndex(): always with the segment, `0000:00:1f.0`. */
export const pciKey = formatFullBdf;

/** Reads `00:1f.0` or `0000:00:1f.0`; undefined when it is not a PCI address. */
export function parseBdf(text: string): Bdf | undefined {
  const match = /^(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,2}):([0-9a-f]{1,2})\.([0-7])$/i.exec(text.trim());
  if (!match) return undefined;
  const device = Number.parseInt(match[3], 16);
  if (device > 0x1f) return undefined;
  return {
    segment: match[1] ? Number.parseInt(match[1], 16) : 0,
    bus: Number.parseInt(match[2], 16),
    device,
    function: Number.parseInt(match[4], 10),
  };
}

export type PciIndex = Map<string, PciDevice>;

/** Devices by pciKey(), for constant-time lookups from device scopes. */
export function pciIndex(devices: readonly PciDevice[]): PciIndex {
  return new Map(devices.map((d) => [pciKey(d.segment, d.bus, d.device, d.function), d]));
}

export function findDevice(index: PciIndex, bdf: Bdf): PciDevice | undefined {
  return index.get(pciKey(bdf.segment, bdf.bus, bdf.device, bdf.function));
}

/**
 * Every device on the buses the bridge forwards to (secondary through subordinate), which is what
 * a sub-hierarchy device scope covers (Linux 5.3+ is_downstream_to_pci_bridge() in
 * drivers/iommu/intel/iommu.c). Undefined when the inventory does not show the bridge's bus
 * numbers (lspci -nn).
 */
export function devicesBelowBridge(index: PciIndex, bridge: PciDevice): PciDevice[] | undefined {
  if (bridge.secondaryBus === undefined || bridge.subordinateBus === undefined) return undefined;
  const below: PciDevice[] = [];
  for (const device of index.values()) {
    if (device.segment !== bridge.segment || device === bridge) continue;
    if (device.bus >= bridge.secondaryBus && device.bus <= bridge.subordinateBus) below.push(device);
  }
  return below.sort((a, b) => a.bus - b.bus || a.device - b.device || a.function - b.function);
}

export interface PathStep {
  device: number;
  function: number;
}

export type PathResolution =
  | { bdf: Bdf; device: PciDevice | undefined }
  | { bdf: undefined; reason: string; failedAtElement: number };

/**
 * The function a device-scope path reaches: from the start bus, each element but the last names
 * a bridge whose secondary bus the next element lives on (VT-d spec 8.3.1). `device` is the
 * inventory's entry for the result, undefined when the inventory does not list it. When a bridge
 * on the way is missing, not a bridge, or shows no bus numbers, `bdf` is undefined and `reason`
 * says which (failedAtElement is 0-based).
 */
export function resolvePath(index: PciIndex, segment: number, startBus: number, path: readonly PathStep[]): PathResolution {
  if (path.length === 0) return { bdf: undefined, reason: 'the device scope has no path', failedAtElement: 0 };
  let bus = startBus;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i];
    const where = `${formatBdf(segment, bus, step.device, step.function)} (path element ${i + 1} of ${path.length})`;
    const bridge = index.get(pciKey(segment, bus, step.device, step.function));
    if (!bridge) {
      return { bdf: undefined, reason: `the bridge ${where} is not in the PCI inventory`, failedAtElement: i };
    }
    if (!bridge.isBridge) {
      return {
        bdf: undefined,
        reason: `${where} is a ${bridge.className} (class ${classHex(bridge.classCode, bridge.progIfKnown)}), not a bridge, so the path cannot continue below it`,
        failedAtElement: i,
      };
    }
    if (bridge.secondaryBus === undefined) {
      return {
        bdf: undefined,
        reason: `the inventory does not show the secondary bus of the bridge ${where}; lspci -nn has no bus numbers, use lspci -vvnn`,
        failedAtElement: i,
      };
    }
    bus = bridge.secondaryBus;
  }
  const last = path[path.length - 1];
  const bdf: Bdf = { segment, bus, device: last.device, function: last.function };
  return { bdf, device: findDevice(index, bdf) };
}

// ---------------------------------------------------------------------------------------------
// Classes.

/**
 * Linux 5.3+ lets VFIO take a device despite its RMRR when it is a USB controller (class
 * 0x0C03xx) or a display device (base class 0x03): device_rmrr_is_relaxable() in
 * drivers/iommu/intel/iommu.c, via IS_USB_DEVICE() and IS_GFX_DEVICE() (now pci_is_display()).
 * Works on 16-bit classes stored shifted, since the programming interface does not matter.
 */
export function isRelaxable(classCode: number): boolean {
  return classCode >> 8 === 0x0c03 || classCode >> 16 === 0x03;
}

/** `0x0c0330`, or `0x0c03xx` when the programming interface is not known. */
export function classHex(classCode: number, progIfKnown = true): string {
  const text = classCode.toString(16).padStart(6, '0');
  return '0x' + (progIfKnown ? text : text.slice(0, 4) + 'xx');
}

// From the PCI Code and ID Assignment Specification; only the classes the rules talk about, so that
// a class written in the project config reads as words in messages.
const CLASS_NAMES: Record<number, string> = {
  0x0100: 'SCSI storage controller',
  0x0104: 'RAID bus controller',
  0x0106: 'SATA controller',
  0x0107: 'Serial Attached SCSI controller',
  0x0108: 'Non-Volatile memory controller',
  0x0200: 'Ethernet controller',
  0x0207: 'InfiniBand controller',
  0x0280: 'Network controller',
  0x0300: 'VGA compatible controller',
  0x0302: '3D controller',
  0x0380: 'Display controller',
  0x0403: 'Audio device',
  0x0600: 'Host bridge',
  0x0601: 'ISA bridge',
  0x0604: 'PCI bridge',
  0x0880: 'System peripheral',
  0x0c03: 'USB controller',
  0x0c04: 'Fibre Channel',
  0x0c05: 'SMBus',
};

const BASE_CLASS_NAMES: Record<number, string> = {
  0x01: 'Mass storage controller',
  0x02: 'Network controller',
  0x03: 'Display controller',
  0x04: 'Multimedia controller',
  0x05: 'Memory controller',
  0x06: 'Bridge',
  0x07: 'Communication controller',
  0x08: 'Generic system peripheral',
  0x0c: 'Serial bus controller',
};

export function pciClassName(classCode: number): string {
  return CLASS_NAMES[classCode >> 8] ?? BASE_CLASS_NAMES[classCode >> 16] ?? `Class ${classHex(classCode)}`;
}
