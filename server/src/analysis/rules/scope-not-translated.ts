import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import { SCOPE_TYPE, type DeviceScope, type Drhd, type PathElement } from '../../table/model';
import type { Platform, PlatformDevice } from '../platform';
import { formatScopePath } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';

const ID = 'scope-not-translated';
const INCLUDE_PCI_ALL = 0x1;

// VT-d spec 8.3: a device is translated by the DRHD whose scope lists it or a bridge above it, else
// by its segment's INCLUDE_PCI_ALL unit. Linux drivers/iommu/intel/dmar.c
// dmar_find_matched_drhd_unit() walks the device and its parents through every DRHD's scope
// (dmar_pci_device_match), then the INCLUDE_ALL unit; a device no unit claims gets no IOMMU, so
// RMRRs (iommu.c), ATSRs and SATCs naming it have nothing to act on.
// dmar_match_pci_path() also accepts a one-element path whose start bus is the device's own bus
// ("RMRR entry for device ... is broken - applying workaround"): such a device sits below a bridge
// that only a PCI inventory can place, so with one, bridge scopes also cover the buses they decode.

/** `bus|dev.fn/dev.fn` for the first `depth` path elements. */
function pathKey(startBus: number, path: readonly PathElement[], depth = path.length): string {
  let key = `${startBus}|`;
  for (let i = 0; i < depth; i++) key += `${path[i]!.device}.${path[i]!.function}/`;
  return key;
}

interface SegmentUnits {
  includeAll: boolean;
  /** Paths named by a DRHD endpoint or bridge scope: a device at or below any of them is covered. */
  paths: Set<string>;
  /** With a PCI inventory: the buses below DRHD bridge scopes, and the functions endpoint scopes name. */
  buses: Uint8Array;
  functions: Set<string>;
  hasBridges: boolean;
  /** Buses DRHD scopes start from: root buses, which no bridge decodes. */
  startBuses: Set<number>;
  first: Drhd;
}

/** Resolves a scope path to the function it names, walking secondary bus numbers in the inventory. */
class Inventory {
  private readonly byBdf = new Map<string, PlatformDevice>();
  constructor(devices: readonly PlatformDevice[]) {
    for (const d of devices) this.byBdf.set(bdfKey(d.segment, d.bus, d.device, d.function), d);
  }
  resolve(segment: number, startBus: number, path: readonly PathElement[]): PlatformDevice | undefined {
    let bus = startBus;
    for (let i = 0; i < path.length; i++) {
      const d = this.byBdf.get(bdfKey(segment, bus, path[i]!.device, path[i]!.function));
      if (!d || i === path.length - 1) return d;
      if (d.secondaryBus === undefined) return undefined;
      bus = d.secondaryBus;
    }
    return undefined;
  }
}

const bdfKey = (segment: number, bus: number, device: number, fn: number) => `${segment}:${bus}:${device}.${fn}`;

function inventoryOf(platform: Platform): Inventory | undefined {
  return platform.pci ? new Inventory(platform.pci.devices) : undefined;
}

const isPci = (scope: DeviceScope) => scope.type === SCOPE_TYPE.endpoint || scope.type === SCOPE_TYPE.bridge;

export const scopeNotTranslated: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'A device named by an RMRR, ATSR or SATC is covered by no DRHD',
  },
  check({ table, platform }) {
    const inventory = inventoryOf(platform);
    const segments = new Map<number, SegmentUnits>();
    for (const s of table.structures) {
      if (s.kind !== 'drhd') continue;
      let units = segments.get(s.segment);
      if (!units) segments.set(s.segment, units = { includeAll: false, paths: new Set(), buses: new Uint8Array(256), functions: new Set(), hasBridges: false, startBuses: new Set(), first: s });
      if (s.flags & INCLUDE_PCI_ALL) units.includeAll = true;
      for (const scope of s.scopes) {
        if (!isPci(scope) || scope.path.length === 0) continue;
        units.paths.add(pathKey(scope.startBus, scope.path));
        units.startBuses.add(scope.startBus);
        if (scope.type === SCOPE_TYPE.bridge) units.hasBridges = true;
        const d = inventory?.resolve(s.segment, scope.startBus, scope.path);
        if (!d) continue;
        units.functions.add(bdfKey(d.segment, d.bus, d.device, d.function));
        if (scope.type === SCOPE_TYPE.bridge && d.secondaryBus !== undefined) units.buses.fill(1, d.secondaryBus, (d.subordinateBus ?? d.secondaryBus) + 1);
      }
    }
    if (segments.size === 0) return []; // no-drhd says it

    const out: Finding[] = [];
    for (const s of table.structures) {
      if (s.kind !== 'rmrr' && s.kind !== 'atsr' && s.kind !== 'satc') continue;
      const units = segments.get(s.segment);
      if (units?.includeAll) continue;
      const short = STRUCTURE_BY_KIND.get(s.kind)!.short;
      const seg = s.segment.toString(16).padStart(4, '0');
      for (const scope of s.scopes) {
        if (!isPci(scope) || scope.path.length === 0) continue;
        let covered = false;
        for (let depth = 1; depth <= scope.path.length && !covered && units; depth++) {
          covered = units.paths.has(pathKey(scope.startBus, scope.path, depth));
        }
        if (!covered && units && inventory) {
          // The device as the inventory places it, or (Linux's workaround) the start bus taken as its own bus.
          const d = inventory.resolve(s.segment, scope.startBus, scope.path);
          const last = scope.path[scope.path.length - 1]!;
          const bus = d?.bus ?? (scope.path.length === 1 ? scope.startBus : undefined);
          covered = bus !== undefined && (units.buses[bus] === 1 || units.functions.has(bdfKey(s.segment, bus, last.device, last.function)));
        }
        if (covered) continue;
        const device = formatScopePath(s.segment, scope.startBus, scope.path);
        const why = !units
          ? `segment ${seg} has no DRHD at all`
          : `segment ${seg} has no INCLUDE_PCI_ALL unit and no DRHD scope names it or a bridge above it`;
        const effect = s.kind === 'rmrr'
          ? 'so no IOMMU translates its DMA and this RMRR has nothing to act on: the OS never identity-maps it for the device, and with the IOMMU on Linux gives the device no IOMMU group, so it cannot be passed through either'
          : s.kind === 'atsr'
            ? 'so no IOMMU translates DMA below this root port and the ATS capability it declares is never used'
            : 'so no IOMMU translates its DMA and its address translation cache is never used';
        // A one-element path from a bus no DRHD scope starts at may name a device by its own bus,
        // below a bridge scope: only an inventory can tell.
        const unsure = !inventory && units?.hasBridges && scope.path.length === 1 && !units.startBuses.has(scope.startBus)
          ? ' If bus ' + scope.startBus.toString(16).padStart(2, '0') + ' lies below one of the DRHD bridge scopes, Linux still matches it (with "RMRR entry for device ... is broken - applying workaround"); give a PCI inventory (lspci -vvnn) to check.'
          : '';
        out.push({
          rule: ID, ...atScope(scope),
          message: `${device}, named by this ${short}, is not covered by any DRHD: ${why}, ${effect}. `
            + `Add the device (or the root port above it, as a bridge scope) to the DRHD of the unit that translates it, or correct the path if it names the wrong device.${unsure}`,
          related: units ? [{ ...atStructure(units.first), message: `the first DRHD of segment ${seg}` }] : undefined,
        });
      }
    }
    return out;
  },
};
