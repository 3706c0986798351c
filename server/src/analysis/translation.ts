// Which DRHD (IOMMU) translates a device named by a scope. VT-d spec 8.3 and Linux's
// dmar_find_matched_drhd_unit(): the unit whose scope lists the device or a bridge above it
// (the deepest such entry wins, as Linux walks from the device up), else the segment's
// INCLUDE_PCI_ALL unit. The scope-not-translated rule, hover and go-to-definition all ask.

import { isPciScope, type DeviceScope, type DmarTable, type Drhd, type PathElement } from '../table/model';

const INCLUDE_PCI_ALL = 0x1;

export interface Translation {
  drhd: Drhd;
  drhdIndex: number;
  /** The DRHD scope entry that names the device or a bridge above it; absent for INCLUDE_PCI_ALL. */
  scope?: DeviceScope;
}

interface SegmentUnits {
  includeAll?: Translation;
  byPath: Map<string, Translation>;
}

function pathKey(startBus: number, path: readonly PathElement[], depth: number): string {
  let key = `${startBus}|`;
  for (let i = 0; i < depth; i++) key += `${path[i]!.device}.${path[i]!.function}/`;
  return key;
}

const cache = new WeakMap<DmarTable, Map<number, SegmentUnits>>();

function unitsOf(table: DmarTable): Map<number, SegmentUnits> {
  const hit = cache.get(table);
  if (hit) return hit;
  const segments = new Map<number, SegmentUnits>();
  table.structures.forEach((s, drhdIndex) => {
    if (s.kind !== 'drhd') return;
    let units = segments.get(s.segment);
    if (!units) segments.set(s.segment, units = { byPath: new Map() });
    if (s.flags & INCLUDE_PCI_ALL) units.includeAll ??= { drhd: s, drhdIndex };
    for (const scope of s.scopes) {
      if (!isPciScope(scope) || scope.path.length === 0) continue;
      const key = pathKey(scope.startBus, scope.path, scope.path.length);
      if (!units.byPath.has(key)) units.byPath.set(key, { drhd: s, drhdIndex, scope });
    }
  });
  cache.set(table, segments);
  return segments;
}

/** The unit that translates the PCI device a scope names in `segment`, or undefined when none does. */
export function translatingDrhd(table: DmarTable, segment: number, scope: DeviceScope): Translation | undefined {
  if (!isPciScope(scope)) return undefined;
  const units = unitsOf(table).get(segment);
  if (!units) return undefined;
  for (let depth = scope.path.length; depth >= 1; depth--) {
    const hit = units.byPath.get(pathKey(scope.startBus, scope.path, depth));
    if (hit) return hit;
  }
  return units.includeAll;
}
