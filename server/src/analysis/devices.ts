// What each RMRR does to the devices it names: which devices its scopes reach (following bridges
// through the PCI inventory), what class each device is and where that knowledge came from, and
// whether the RMRR locks it out of passthrough. The passthrough rules, the hover and the code lens
// all read one computation, cached per table, so a table with thousands of RMRRs is indexed once.

import { SCOPE_TYPE, isPciScope, type DeviceScope, type DmarTable, type Rmrr } from '../table/model';
import { hex } from '../table/bytes';
import { formatBdf, formatFullBdf, formatRange, formatScopePath, plural } from './format';
import type { DeviceAnnotation, Platform, PlatformDevice } from './platform';

// ---------------------------------------------------------------------------------------------
// What the operating systems say. Quoted verbatim so a user can search for them.

/** Linux 3.17 to about 6.5, intel_iommu_attach_device() in drivers/iommu/intel/iommu.c (two spaces after the first period). */
export const LINUX_RMRR_LOCK_MESSAGE =
  'Device is ineligible for IOMMU domain attach due to platform RMRR requirement.  Contact your platform vendor.';
/** Linux 6.6+, __iommu_device_set_domain() in drivers/iommu/iommu.c (devices with IOMMU_RESV_DIRECT regions). */
export const LINUX_DIRECT_MAPPING_MESSAGE =
  'Firmware has requested this device have a 1:1 IOMMU mapping, rejecting configuring the device without a 1:1 mapping. Contact your platform vendor.';
/** Microsoft's Discrete Device Assignment survey (SurveyDDA.ps1): the device is "Not assignable". */
export const HYPERV_DDA_MESSAGE = 'BIOS requires that this device remain attached to BIOS-owned memory.';

/** Xen's intel_iommu_assign_device() (xen/drivers/passthrough/vtd/iommu.c) for an RMRR listing more than one device. */
export function xenSharedRmrrMessage(device: string, base: bigint, domain = 'DomN'): string {
  return `It's disallowed to assign ${device} with shared RMRR at ${base.toString(16)} for ${domain}.`;
}

/** Where to give a device's class, for messages about devices whose class is unknown. */
export function classHint(label: string): string {
  return classHintQuotesLabel(label) ? CLASS_HINT.beforeLabel + label + CLASS_HINT.afterLabel : CLASS_HINT.forPath;
}

/**
 * Whether classHint(label) quotes the label (a bus:device.function), between CLASS_HINT.beforeLabel
 * and CLASS_HINT.afterLabel; else it is CLASS_HINT.forPath. For messages that join the hint with
 * their own constant text once, not per device.
 */
export function classHintQuotesLabel(label: string): boolean {
  return isBdfLabel(label);
}

const CLASS_HINT_INVENTORY = 'a PCI inventory (`--pci lspci.txt`, or the `pci` key of .dmarrc.json)';
const CLASS_HINT_FOR_PATH = `give ${CLASS_HINT_INVENTORY}, which also finds the bus behind the bridge, or a \`devices\` annotation in .dmarrc.json keyed by the device's bus:device.function, such as \`"devices": {"01:00.0": {"class": "0x020000"}}\``;
const CLASS_HINT_BEFORE_LABEL = `give ${CLASS_HINT_INVENTORY} or a \`devices\` annotation in .dmarrc.json such as \`"devices": {"`;
const CLASS_HINT_AFTER_LABEL = '": {"class": "0x020000"}}` (its 24-bit PCI class code)';
export const CLASS_HINT = { beforeLabel: CLASS_HINT_BEFORE_LABEL, afterLabel: CLASS_HINT_AFTER_LABEL, forPath: CLASS_HINT_FOR_PATH } as const;

/** `^([0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$` without a regex (called once per device of a large table). */
function isBdfLabel(label: string): boolean {
  const n = label.length;
  if (n !== 7 && n !== 12) return false;
  const isHex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
  let i = 0;
  if (n === 12) {
    for (; i < 4; i++) if (!isHex(label.charCodeAt(i))) return false;
    if (label.charCodeAt(i++) !== 0x3a) return false;
  }
  const c = label.charCodeAt(i + 6);
  return isHex(label.charCodeAt(i)) && isHex(label.charCodeAt(i + 1)) && label.charCodeAt(i + 2) === 0x3a
    && isHex(label.charCodeAt(i + 3)) && isHex(label.charCodeAt(i + 4)) && label.charCodeAt(i + 5) === 0x2e && c >= 0x30 && c <= 0x37;
}

// ---------------------------------------------------------------------------------------------
// Classes

export type ClassSource = 'lspci' | 'annotation' | 'guess' | 'unknown';

/** Linux's IS_USB_DEVICE(): class >> 8 == PCI_CLASS_SERIAL_USB (0x0C03). */
export function isUsbClass(classCode: number): boolean {
  return classCode >> 8 === 0x0c03;
}

/** Linux's IS_GFX_DEVICE(): class >> 16 == PCI_BASE_CLASS_DISPLAY (0x03). */
export function isDisplayClass(classCode: number): boolean {
  return classCode >> 16 === 0x03;
}

/**
 * device_rmrr_is_relaxable() in drivers/iommu/intel/iommu.c: USB controllers and display devices.
 * Their RMRRs are reported as IOMMU_RESV_DIRECT_RELAXABLE and do not lock the device.
 */
export function isRelaxableClass(classCode: number): boolean {
  return isUsbClass(classCode) || isDisplayClass(classCode);
}

export function classHex(classCode: number): string {
  return '0x' + hex(classCode, 6);
}

const CLASS_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0100, 'SCSI controller'], [0x0101, 'IDE controller'], [0x0104, 'RAID controller'], [0x0106, 'SATA controller'],
  [0x0107, 'SAS controller'], [0x0108, 'NVMe controller'], [0x0200, 'Ethernet controller'], [0x0207, 'InfiniBand controller'],
  [0x0280, 'network controller'], [0x0300, 'VGA compatible controller'], [0x0302, '3D controller'], [0x0380, 'display controller'],
  [0x0401, 'audio controller'], [0x0403, 'audio device'], [0x0600, 'host bridge'], [0x0601, 'ISA bridge'],
  [0x0604, 'PCI bridge'], [0x0680, 'bridge'], [0x0700, 'serial controller'], [0x0780, 'communication controller'],
  [0x0880, 'system peripheral'], [0x0c03, 'USB controller'], [0x0c05, 'SMBus controller'], [0x0c80, 'serial bus controller'],
  [0x0d80, 'wireless controller'], [0x1180, 'signal processing controller'],
]);
const BASE_CLASS_NAMES: ReadonlyMap<number, string> = new Map([
  [0x01, 'mass storage controller'], [0x02, 'network controller'], [0x03, 'display controller'], [0x04, 'multimedia controller'],
  [0x05, 'memory controller'], [0x06, 'bridge'], [0x07, 'communication controller'], [0x08, 'system peripheral'],
  [0x09, 'input device controller'], [0x0c, 'serial bus controller'], [0x0d, 'wireless controller'], [0x10, 'encryption controller'],
  [0x11, 'signal processing controller'], [0x12, 'processing accelerator'],
]);

/** A short name for a class code: `USB controller`, `Ethernet controller`. */
export function pciClassName(classCode: number): string {
  return CLASS_NAMES.get(classCode >> 8) ?? BASE_CLASS_NAMES.get(classCode >> 16) ?? `class ${classHex(classCode)}`;
}

/**
 * Well-known Intel client addresses. Only a guess: the address says nothing for sure about what
 * sits there (on servers 00:02.0 is often a root port, on the 100 series and later 00:1d.x are
 * root ports), and every message built on it says so.
 */
const ICH_USB = 'a USB controller on Intel chipsets before the 100 series';
const GUESSES: ReadonlyMap<string, { classCode: number; what: string }> = new Map<string, { classCode: number; what: string }>([
  ['00:02.0', { classCode: 0x030000, what: 'the integrated GPU on Intel client platforms' }],
  ['00:02.1', { classCode: 0x038000, what: 'the second function of the integrated GPU on older Intel chipsets' }],
  ['00:14.0', { classCode: 0x0c0330, what: 'the xHCI USB controller on Intel platforms since the 7 series' }],
  ...['00:1a.0', '00:1a.1', '00:1a.2', '00:1d.0', '00:1d.1', '00:1d.2', '00:1d.3'].map((a) => [a, { classCode: 0x0c0300, what: ICH_USB }] as const),
  ...['00:1a.7', '00:1d.7'].map((a) => [a, { classCode: 0x0c0320, what: 'the EHCI USB controller on Intel chipsets before the 100 series' }] as const),
]);
const GUESSES_ON_BUS_0 = [...GUESSES.keys()].every((k) => k.startsWith('00:'));

// ---------------------------------------------------------------------------------------------
// The PCI inventory, indexed once per device list

export interface Bdf {
  segment: number;
  bus: number;
  device: number;
  function: number;
}

function key(segment: number, bus: number, device: number, fn: number): number {
  return ((segment * 256 + bus) * 32 + device) * 8 + fn;
}

export interface PciIndex {
  devices: readonly PlatformDevice[];
  byBdf: Map<number, PlatformDevice>;
  /** Sorted by segment, then bus, device, function: devices below a bridge are one slice. */
  sorted: PlatformDevice[];
  /** The bridge whose secondary bus is this `segment * 256 + bus`. */
  bridgeBySecondary: Map<number, PlatformDevice>;
}

const pciCache = new WeakMap<readonly PlatformDevice[], PciIndex>();

export function pciIndexOf(devices: readonly PlatformDevice[]): PciIndex {
  const cached = pciCache.get(devices);
  if (cached) return cached;
  const byBdf = new Map<number, PlatformDevice>();
  const bridgeBySecondary = new Map<number, PlatformDevice>();
  for (const d of devices) {
    byBdf.set(key(d.segment, d.bus, d.device, d.function), d);
    if (d.isBridge && d.secondaryBus !== undefined && d.secondaryBus > d.bus) bridgeBySecondary.set(d.segment * 256 + d.secondaryBus, d);
  }
  const sorted = [...byBdf.values()].sort((a, b) => key(a.segment, a.bus, a.device, a.function) - key(b.segment, b.bus, b.device, b.function));
  const index = { devices, byBdf, sorted, bridgeBySecondary };
  pciCache.set(devices, index);
  return index;
}

export function findPciDevice(index: PciIndex, bdf: Bdf): PlatformDevice | undefined {
  return index.byBdf.get(key(bdf.segment, bdf.bus, bdf.device, bdf.function));
}

/** Devices on the bridge's secondary through subordinate buses; undefined when the inventory lacks the bus numbers. */
export function devicesBelow(index: PciIndex, bridge: PlatformDevice): PlatformDevice[] | undefined {
  const { secondaryBus: sec, subordinateBus: sub } = bridge;
  if (sec === undefined || sub === undefined) return undefined;
  const lo = key(bridge.segment, sec, 0, 0);
  const hi = key(bridge.segment, sub, 31, 7);
  let a = 0;
  let b = index.sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    const d = index.sorted[m]!;
    if (key(d.segment, d.bus, d.device, d.function) < lo) a = m + 1;
    else b = m;
  }
  const out: PlatformDevice[] = [];
  for (let i = a; i < index.sorted.length; i++) {
    const d = index.sorted[i]!;
    if (key(d.segment, d.bus, d.device, d.function) > hi) break;
    if (d !== bridge) out.push(d);
  }
  return out;
}

/** The device-scope path from `bridge` (named by `bridgePath`) down to `target`, or undefined when a bridge on the way is unknown. */
export function pathBelow(index: PciIndex, bridge: PlatformDevice, bridgePath: readonly { device: number; function: number }[], target: PlatformDevice): { device: number; function: number }[] | undefined {
  const chain: PlatformDevice[] = [];
  let bus = target.bus;
  for (let guard = 0; bus !== bridge.secondaryBus; guard++) {
    const up = index.bridgeBySecondary.get(target.segment * 256 + bus);
    if (!up || guard > 255) return undefined;
    chain.unshift(up);
    bus = up.bus;
  }
  return [...bridgePath, ...chain.map((d) => ({ device: d.device, function: d.function })), { device: target.device, function: target.function }];
}

// ---------------------------------------------------------------------------------------------
// Resolving one scope

export type ScopeResolution =
  /** The path reaches a device the inventory lists. */
  | { kind: 'present'; bdf: Bdf; label: string; pci: PlatformDevice }
  /** The inventory has no such device (or no bridge on the way to it); `missing` names the first missing element. */
  | { kind: 'absent'; bdf?: Bdf; label: string; missing: string }
  /** No inventory: the address is known, whether something sits there is not. */
  | { kind: 'unverified'; bdf: Bdf; label: string }
  /** The path cannot be followed (no inventory, or one without bus numbers): the device is named by its path. */
  | { kind: 'unresolved'; label: string; reason: string };

/** Follows a PCI endpoint or bridge scope's path: element k+1 sits on the secondary bus of the bridge element k names. */
export function resolveScopePath(index: PciIndex | undefined, segment: number, scope: DeviceScope): ScopeResolution {
  const path = scope.path;
  if (path.length === 0) return { kind: 'unresolved', label: formatScopePath(segment, scope.startBus, path), reason: 'the scope has no path' };
  if (path.length === 1) {
    const bdf = { segment, bus: scope.startBus, device: path[0]!.device, function: path[0]!.function };
    const label = formatBdf(segment, bdf.bus, bdf.device, bdf.function);
    if (!index) return { kind: 'unverified', bdf, label };
    const pci = findPciDevice(index, bdf);
    return pci ? { kind: 'present', bdf, label, pci } : { kind: 'absent', bdf, label, missing: label };
  }
  // The path as written labels what cannot be followed to a device (formatted only then).
  const written = formatScopePath(segment, scope.startBus, path);
  if (!index) {
    return { kind: 'unresolved', label: written, reason: `the bus behind bridge ${formatBdf(segment, scope.startBus, path[0]!.device, path[0]!.function)} is unknown without a PCI inventory` };
  }
  let bus = scope.startBus;
  for (let k = 0; k < path.length - 1; k++) {
    const step = path[k]!;
    const hop = formatBdf(segment, bus, step.device, step.function);
    const bridge = findPciDevice(index, { segment, bus, device: step.device, function: step.function });
    if (!bridge) return { kind: 'absent', label: written, missing: hop };
    if (!bridge.isBridge) return { kind: 'unresolved', label: written, reason: `${hop} on its path is not a bridge in the PCI inventory` };
    if (bridge.secondaryBus === undefined) return { kind: 'unresolved', label: written, reason: `the PCI inventory does not give the bus numbers of bridge ${hop} (use \`lspci -vvnn\`)` };
    bus = bridge.secondaryBus;
  }
  const last = path[path.length - 1]!;
  const bdf = { segment, bus, device: last.device, function: last.function };
  const label = formatBdf(segment, bus, last.device, last.function);
  const pci = findPciDevice(index, bdf);
  return pci ? { kind: 'present', bdf, label, pci } : { kind: 'absent', bdf, label, missing: label };
}

// ---------------------------------------------------------------------------------------------
// Devices of RMRRs

export interface AffectedDevice {
  /** `00:14.0`; an unresolved path as written (`00:1c.7/00.0`). */
  label: string;
  bdf?: Bdf;
  /** Whether the PCI inventory lists it; `unknown` without one. */
  presence: 'present' | 'absent' | 'unknown';
  /** Why the scope's path could not be followed to a bus:device.function. */
  unresolvedReason?: string;
  /** A bridge scope that could not be expanded: this entry stands for the bridge and whatever sits below it. */
  belowUnknown?: boolean;
  classCode?: number;
  classSource: ClassSource;
  /** `USB controller`, or `unknown class`. */
  className: string;
  /** The device's name (lspci's description or the user's annotation). */
  name?: string;
  /** For a guess: what usually sits at that address. */
  guessedAs?: string;
  /** USB or display class: Linux does not lock it (device_rmrr_is_relaxable()). */
  relaxable: boolean;
  /** Locked out of passthrough on Linux: present or possibly present, not relaxable (unknown class counts as locked), not a bridge. */
  locked: boolean;
  /** The bridge scope's device when the device is covered through a sub-hierarchy scope. */
  viaBridge?: string;
  scope: DeviceScope;
  scopeIndex: number;
  pci?: PlatformDevice;
}

export interface RmrrDevices {
  rmrr: Rmrr;
  /** Index of the RMRR in table.structures. */
  index: number;
  devices: AffectedDevice[];
  /** PCI endpoint and bridge scopes, distinct by path: what Xen counts to call an RMRR shared. */
  pciScopes: number;
  lockedCount: number;
  relaxableCount: number;
}

export interface DeviceRmrrs {
  label: string;
  entries: { rmrr: RmrrDevices; device: AffectedDevice }[];
}

export interface TableDevices {
  hasInventory: boolean;
  pci?: PciIndex;
  rmrrs: readonly RmrrDevices[];
  byRmrr: ReadonlyMap<Rmrr, RmrrDevices>;
  /** Per device label, the RMRRs that name it. */
  byDevice: ReadonlyMap<string, DeviceRmrrs>;
  /** Per scope entry of an RMRR, the devices it covers. */
  byScope: ReadonlyMap<DeviceScope, readonly AffectedDevice[]>;
}

interface Classified {
  classCode?: number;
  classSource: ClassSource;
  name?: string;
  guessedAs?: string;
}

function annotationFor(platform: Platform, bdf: Bdf | undefined): DeviceAnnotation | undefined {
  if (!bdf || platform.annotations.size === 0) return undefined;
  const label = formatBdf(bdf.segment, bdf.bus, bdf.device, bdf.function);
  return platform.annotations.get(label) ?? (bdf.segment === 0 ? platform.annotations.get('0000:' + label) : undefined);
}

/** Device class in the order rules.md gives: the PCI inventory, the user's annotations, a labelled guess. */
function classify(platform: Platform, scope: DeviceScope, bdf: Bdf | undefined, pci: PlatformDevice | undefined, direct: boolean): Classified {
  const fromScope = direct ? scope.annotation : undefined;
  const fromConfig = annotationFor(platform, bdf);
  const name = pci?.name || fromScope?.name || fromConfig?.name;
  if (pci) return { classCode: pci.classCode, classSource: 'lspci', name };
  const annotated = fromScope?.class ?? fromConfig?.class;
  if (annotated !== undefined) return { classCode: annotated, classSource: 'annotation', name };
  // Every guess is on segment 0, bus 0 (today): skip formatting the address for the rest.
  if (bdf && !platform.pci && (!GUESSES_ON_BUS_0 || (bdf.segment === 0 && bdf.bus === 0))) {
    const guess = GUESSES.get(formatBdf(bdf.segment, bdf.bus, bdf.device, bdf.function));
    if (guess) return { classCode: guess.classCode, classSource: 'guess', name, guessedAs: guess.what };
  }
  return name === undefined ? UNCLASSIFIED : { classSource: 'unknown', name };
}

const UNCLASSIFIED: Classified = { classSource: 'unknown' };

function affected(platform: Platform, scope: DeviceScope, scopeIndex: number, res: ScopeResolution, pciOverride?: PlatformDevice, viaBridge?: string): AffectedDevice {
  const pci = pciOverride ?? (res.kind === 'present' ? res.pci : undefined);
  const bdf = pciOverride ? { segment: pciOverride.segment, bus: pciOverride.bus, device: pciOverride.device, function: pciOverride.function } : 'bdf' in res ? res.bdf : undefined;
  const label = pciOverride ? formatBdf(pciOverride.segment, pciOverride.bus, pciOverride.device, pciOverride.function) : res.label;
  const presence = pci ? 'present' : res.kind === 'absent' ? 'absent' : 'unknown';
  const c = classify(platform, scope, bdf, pci, !viaBridge);
  const relaxable = c.classCode !== undefined && isRelaxableClass(c.classCode);
  return {
    label, bdf, presence,
    unresolvedReason: res.kind === 'unresolved' ? res.reason : undefined,
    classCode: c.classCode, classSource: c.classSource,
    className: c.classCode === undefined ? 'unknown class'
      : c.classSource === 'lspci' && pci?.className ? pci.className
        : c.classSource === 'guess' ? (isUsbClass(c.classCode) ? 'USB controller' : 'display controller')
          : pciClassName(c.classCode),
    name: c.name, guessedAs: c.guessedAs,
    // vfio-pci takes only normal-header functions, so a bridge is never assigned and never "locked".
    relaxable, locked: presence !== 'absent' && !relaxable && !pci?.isBridge,
    viaBridge, scope, scopeIndex, pci,
  };
}

function compute(table: DmarTable, platform: Platform): TableDevices {
  const pci = platform.pci ? pciIndexOf(platform.pci.devices) : undefined;
  const rmrrs: RmrrDevices[] = [];
  // Per scope entry, in order: the scope and how many devices it covers (for byScope, built on
  // demand), and per RMRR where its entries start.
  const scopeRuns: (DeviceScope | number)[] = [];
  const runStarts: number[] = [];
  const structures = table.structures;
  // Each RMRR's devices are gathered here and kept in a copy of their number: an array grown by
  // push keeps room for 17, and most RMRRs of a large table name one device. Only the first
  // `count` are this RMRR's: the array is not cut between RMRRs (setting its length is a call
  // into the runtime), what lies past `count` is left over from earlier ones.
  const devices: AffectedDevice[] = [];
  for (let index = 0; index < structures.length; index++) {
    const s = structures[index]!;
    if (s.kind !== 'rmrr') continue;
    let count = 0;
    let lockedCount = 0;
    let relaxableCount = 0;
    runStarts.push(scopeRuns.length);
    // Scopes distinct by type and path, as written; the keys are only formatted once a second scope shows up.
    let pciScopes = 0;
    let firstKeyed: DeviceScope | undefined;
    let distinct: Set<string> | undefined;
    const scopes = s.scopes;
    for (let j = 0; j < scopes.length; j++) {
      const scope = scopes[j]!;
      // A scope without a path names nothing (scope-entry-length reports it).
      if (!isPciScope(scope) || scope.path.length === 0) continue;
      if (firstKeyed === undefined) {
        firstKeyed = scope;
        pciScopes = 1;
      } else {
        distinct ??= new Set([scopeKey(s.segment, firstKeyed)]);
        distinct.add(scopeKey(s.segment, scope));
        pciScopes = distinct.size;
      }
      const res = resolveScopePath(pci, s.segment, scope);
      const before = count;
      if (scope.type === SCOPE_TYPE.endpoint) {
        devices[count++] = affected(platform, scope, j, res);
      } else {
        const below = res.kind === 'present' && pci ? devicesBelow(pci, res.pci) : undefined;
        if (below) {
          for (const d of below) devices[count++] = affected(platform, scope, j, res, d, res.label);
        } else {
          const bridge = affected(platform, scope, j, res);
          // The bridge stands for itself and whatever sits below it; what is below is unknown, so it counts as locked.
          devices[count++] = { ...bridge, belowUnknown: true, relaxable: false, locked: bridge.presence !== 'absent' };
        }
      }
      for (let k = before; k < count; k++) {
        if (devices[k]!.locked) lockedCount++;
        if (devices[k]!.relaxable) relaxableCount++;
      }
      scopeRuns.push(scope, count - before);
    }
    rmrrs.push({ rmrr: s, index, devices: devices.slice(0, count), pciScopes, lockedCount, relaxableCount });
  }
  return new ComputedDevices(pci, rmrrs, scopeRuns, runStarts);
}

/**
 * The lookups of TableDevices, built on first use: the passthrough rules only walk `rmrrs`, and a
 * table with thousands of RMRRs would otherwise build three maps that only a hover reads.
 */
class ComputedDevices implements TableDevices {
  private byRmrrMap: Map<Rmrr, RmrrDevices> | undefined;
  private byDeviceMap: Map<string, DeviceRmrrs> | undefined;
  private byScopeMap: Map<DeviceScope, readonly AffectedDevice[]> | undefined;

  constructor(
    readonly pci: PciIndex | undefined, readonly rmrrs: readonly RmrrDevices[],
    private readonly scopeRuns: readonly (DeviceScope | number)[], private readonly runStarts: readonly number[],
  ) {}

  get hasInventory(): boolean {
    return this.pci !== undefined;
  }

  get byRmrr(): ReadonlyMap<Rmrr, RmrrDevices> {
    if (!this.byRmrrMap) {
      this.byRmrrMap = new Map();
      for (const entry of this.rmrrs) this.byRmrrMap.set(entry.rmrr, entry);
    }
    return this.byRmrrMap;
  }

  get byDevice(): ReadonlyMap<string, DeviceRmrrs> {
    if (!this.byDeviceMap) {
      const byDevice = new Map<string, DeviceRmrrs>();
      for (const entry of this.rmrrs) {
        for (const device of entry.devices) {
          let perDevice = byDevice.get(device.label);
          if (!perDevice) byDevice.set(device.label, perDevice = { label: device.label, entries: [] });
          perDevice.entries.push({ rmrr: entry, device });
        }
      }
      this.byDeviceMap = byDevice;
    }
    return this.byDeviceMap;
  }

  get byScope(): ReadonlyMap<DeviceScope, readonly AffectedDevice[]> {
    if (!this.byScopeMap) {
      const byScope = new Map<DeviceScope, readonly AffectedDevice[]>();
      this.rmrrs.forEach((entry, i) => {
        // The runs of each RMRR cover its devices in order.
        const end = i + 1 < this.runStarts.length ? this.runStarts[i + 1]! : this.scopeRuns.length;
        let at = 0;
        for (let run = this.runStarts[i]!; run < end; run += 2) {
          const count = this.scopeRuns[run + 1] as number;
          byScope.set(this.scopeRuns[run] as DeviceScope, entry.devices.slice(at, at + count));
          at += count;
        }
      });
      this.byScopeMap = byScope;
    }
    return this.byScopeMap;
  }
}

function scopeKey(segment: number, scope: DeviceScope): string {
  return `${scope.type}:${formatScopePath(segment, scope.startBus, scope.path)}`;
}

const cache = new WeakMap<DmarTable, { platform: Platform; value: TableDevices }>();

/** The devices of every RMRR of the table, computed once per table and platform. */
export function tableDevices(ctx: { table: DmarTable; platform: Platform }): TableDevices {
  const hit = cache.get(ctx.table);
  if (hit && hit.platform === ctx.platform) return hit.value;
  const value = compute(ctx.table, ctx.platform);
  cache.set(ctx.table, { platform: ctx.platform, value });
  return value;
}

// ---------------------------------------------------------------------------------------------
// Words for messages, hovers and code lenses

/** `00:1f.2 (SATA controller, from lspci: Intel C600 SATA AHCI)`, with the class source always said. */
export function describeDevice(d: AffectedDevice): string {
  if (d.belowUnknown) {
    const why = d.presence === 'present' ? 'the PCI inventory does not give its bus numbers' : 'without a PCI inventory nobody knows what sits below it';
    return `bridge ${d.label} and whatever sits below it (${why})`;
  }
  const name = d.name ? `: ${d.name}` : '';
  switch (d.classSource) {
    case 'lspci': return `${d.label} (${d.className}${name}, from the PCI inventory)`;
    case 'annotation': return `${d.label} (${d.className} ${classHex(d.classCode!)}${name}, from your annotation)`;
    case 'guess': return `${d.label} (${d.className} by a GUESS from its address: ${d.label} is usually ${d.guessedAs}; give its class to be sure)`;
    default:
      // The caller says that the class is unknown and how to give it.
      if (d.unresolvedReason) return `${d.label} (${d.unresolvedReason}${d.name ? `; ${d.name}` : ''})`;
      return d.name ? `${d.label} (${d.name})` : d.label;
  }
}

export interface OsVerdict {
  os: 'Linux 3.17-6.5' | 'Linux 6.6+' | 'Hyper-V DDA' | 'Xen';
  /** Whether a VM can get the device. */
  assignable: boolean;
  /** The OS's own message when it refuses. */
  message?: string;
  note: string;
}

/** Xen's spelling of a device: `0000:00:1a.0`. */
function xenName(d: AffectedDevice): string {
  return d.bdf ? formatFullBdf(d.bdf.segment, d.bdf.bus, d.bdf.device, d.bdf.function) : d.label;
}

/** Per operating system, what happens when someone assigns this device to a VM (for hovers). */
export function lockStatus(devices: TableDevices, d: AffectedDevice): OsVerdict[] {
  const entries = devices.byDevice.get(d.label)?.entries ?? [];
  const shared = entries.find((e) => e.rmrr.pciScopes > 1);
  const unknown = d.classSource === 'unknown' ? ' (class unknown, so assumed not relaxable)' : d.classSource === 'guess' ? ' (class guessed from the address)' : '';
  const linuxNote = d.relaxable
    ? `allowed: ${d.className} is relaxable (device_rmrr_is_relaxable()); since 5.3 the region shows as direct-relaxable in /sys/kernel/iommu_groups/N/reserved_regions${unknown}`
    : `refused${unknown}; ownership is per IOMMU group, so the rest of its group cannot be assigned either`;
  return [
    { os: 'Linux 3.17-6.5', assignable: d.relaxable, message: d.relaxable ? undefined : LINUX_RMRR_LOCK_MESSAGE, note: linuxNote },
    { os: 'Linux 6.6+', assignable: d.relaxable, message: d.relaxable ? undefined : LINUX_DIRECT_MAPPING_MESSAGE, note: linuxNote },
    { os: 'Hyper-V DDA', assignable: false, message: HYPERV_DDA_MESSAGE, note: 'Not assignable: DDA has no USB or graphics exemption' },
    shared
      ? { os: 'Xen', assignable: false, message: xenSharedRmrrMessage(xenName(d), shared.rmrr.rmrr.base), note: `refused: the RMRR ${formatRange(shared.rmrr.rmrr.base, shared.rmrr.rmrr.limit)} lists ${plural(shared.rmrr.pciScopes, 'device')}; pci = ['${d.label},rdm_policy=relaxed'] lets it through at the guest's risk` }
      : { os: 'Xen', assignable: true, note: 'allowed: Xen identity-maps the RMRR into the guest and must keep that range out of the guest\'s RAM (an RDM conflict can fail the domain build)' },
  ];
}

/** For a code lens: `locks 2 devices out of passthrough`, `1 relaxable device, locks none`. */
export function impactSummary(r: RmrrDevices): string {
  const unknownBelow = r.devices.filter((d) => d.belowUnknown && d.locked);
  const locked = r.lockedCount - unknownBelow.length;
  const parts: string[] = [];
  if (locked > 0 || unknownBelow.length === 0) parts.push(`locks ${locked === 0 ? 'no device' : plural(locked, 'device')} out of passthrough`);
  for (const b of unknownBelow) parts.push(`locks whatever sits below bridge ${b.label}`);
  if (r.relaxableCount > 0) parts.push(`${plural(r.relaxableCount, 'relaxable device')} (USB/display)`);
  return parts.join('; ');
}
