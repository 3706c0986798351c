import type { Finding } from '../../table/finding';
import { STRUCTURE_BY_KIND } from '../../table/fields';
import { SCOPE_TYPE, isPciScope, type Atsr, type DeviceScope, type Drhd, type Rmrr, type Satc } from '../../table/model';
import { pciIndexOf, resolveScopePath, type PciIndex } from '../devices';
import type { PlatformDevice } from '../platform';
import { formatScopePath, formatSegment } from '../format';
import { atScope, atStructure } from '../locate';
import type { Rule } from '../rule';
import { translatingDrhd } from '../translation';
import { structuresOfKind } from '../table-index';

const ID = 'scope-not-translated';

// VT-d spec 8.3: a device is translated by the DRHD whose scope lists it or a bridge above it, else
// by its segment's INCLUDE_PCI_ALL unit. Linux drivers/iommu/intel/dmar.c
// dmar_find_matched_drhd_unit() walks the device and its parents through every DRHD's scope
// (dmar_pci_device_match), then the INCLUDE_ALL unit; a device no unit claims gets no IOMMU, so
// RMRRs (iommu.c), ATSRs and SATCs naming it have nothing to act on.
// dmar_match_pci_path() also accepts a one-element path whose start bus is the device's own bus
// ("RMRR entry for device ... is broken - applying workaround"): such a device sits below a bridge
// that only a PCI inventory can place, so with one, bridge scopes also cover the buses they decode.
// translatingDrhd() (translation.ts, shared with hover and go-to-definition) gives the first two
// answers; the inventory's is this rule's own.

/** Per segment: its first DRHD, and what its DRHD scopes cover beyond the paths they name. */
interface SegmentUnits {
  /** With a PCI inventory: the buses below DRHD bridge scopes, and the functions endpoint scopes name. */
  buses: Uint8Array;
  functions: Set<PlatformDevice>;
  hasBridges: boolean;
  /** Buses DRHD scopes start from: root buses, which no bridge decodes. */
  startBuses: Set<number>;
  first: Drhd;
}

/** The function a scope's path reaches in the inventory, following secondary bus numbers. */
function placed(inventory: PciIndex, segment: number, scope: DeviceScope): PlatformDevice | undefined {
  const res = resolveScopePath(inventory, segment, scope);
  return res.kind === 'present' ? res.pci : undefined;
}

export const scopeNotTranslated: Rule = {
  meta: {
    id: ID, severity: 'error', fixable: false,
    title: 'A device named by an RMRR, ATSR or SATC is covered by no DRHD',
  },
  check(ctx) {
    const { table, platform } = ctx;
    const inventory = platform.pci ? pciIndexOf(platform.pci.devices) : undefined;
    const segments = new Map<number, SegmentUnits>();
    const drhds = structuresOfKind(ctx, 'drhd');
    for (let i = 0; i < drhds.length; i++) {
      const s = drhds[i]!;
      let units = segments.get(s.segment);
      if (!units) segments.set(s.segment, units = { buses: new Uint8Array(256), functions: new Set(), hasBridges: false, startBuses: new Set(), first: s });
      for (const scope of s.scopes) {
        if (!isPciScope(scope) || scope.path.length === 0) continue;
        units.startBuses.add(scope.startBus);
        if (scope.type === SCOPE_TYPE.bridge) units.hasBridges = true;
        const d = inventory && placed(inventory, s.segment, scope);
        if (!d) continue;
        units.functions.add(d);
        if (scope.type === SCOPE_TYPE.bridge && d.secondaryBus !== undefined) units.buses.fill(1, d.secondaryBus, (d.subordinateBus ?? d.secondaryBus) + 1);
      }
    }
    if (segments.size === 0) return []; // no-drhd says it

    const out: Finding[] = [];
    const structures = table.structures;
    for (let i = 0; i < structures.length; i++) {
      const s = structures[i]!;
      if (s.kind !== 'rmrr' && s.kind !== 'atsr' && s.kind !== 'satc') continue;
      const units = segments.get(s.segment);
      const scopes = s.scopes;
      for (let j = 0; j < scopes.length; j++) {
        const scope = scopes[j]!;
        if (!isPciScope(scope) || scope.path.length === 0 || translatingDrhd(table, s.segment, scope)) continue;
        let covered = false;
        if (units && inventory) {
          // The device as the inventory places it, or (Linux's workaround) the start bus taken as its own bus.
          const d = placed(inventory, s.segment, scope);
          const bus = d?.bus ?? (scope.path.length === 1 ? scope.startBus : undefined);
          covered = bus !== undefined && (units.buses[bus] === 1 || (d !== undefined && units.functions.has(d)));
        }
        if (!covered) out.push(notTranslated(s, scope, units, inventory !== undefined));
      }
    }
    return out;
  },
};

function notTranslated(s: Rmrr | Atsr | Satc, scope: DeviceScope, units: SegmentUnits | undefined, hasInventory: boolean): Finding {
  const short = STRUCTURE_BY_KIND.get(s.kind)!.short;
  const seg = formatSegment(s.segment);
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
  const unsure = !hasInventory && units?.hasBridges && scope.path.length === 1 && !units.startBuses.has(scope.startBus)
    ? ' If bus ' + scope.startBus.toString(16).padStart(2, '0') + ' lies below one of the DRHD bridge scopes, Linux still matches it (with "RMRR entry for device ... is broken - applying workaround"); give a PCI inventory (lspci -vvnn) to check.'
    : '';
  return {
    rule: ID, ...atScope(scope),
    message: `${device}, named by this ${short}, is not covered by any DRHD: ${why}, ${effect}. `
      + `Add the device (or the root port above it, as a bridge scope) to the DRHD of the unit that translates it, or correct the path if it names the wrong device.${unsure}`,
    related: units ? [{ ...atStructure(units.first), message: `the first DRHD of segment ${seg}` }] : undefined,
  };
}
