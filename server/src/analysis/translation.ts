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

/** The DRHD scope entries of a segment as a tree of their paths: start bus, then each element. */
interface PathNode {
  /** The first DRHD scope entry whose path ends here. */
  translation?: Translation;
  /** By the next element's elementKey. */
  below?: Map<number | string, PathNode>;
}

interface SegmentUnits {
  includeAll?: Translation;
  byStartBus: Map<number, PathNode>;
}

/** A path element as a number (both are bytes in every table a reader gives), else as text. */
function elementKey(element: PathElement): number | string {
  const { device, function: fn } = element;
  return device >= 0 && device <= 0xff && fn >= 0 && fn <= 0xff && Number.isInteger(device) && Number.isInteger(fn) ? device * 256 + fn : `${device}.${fn}`;
}

const cache = new WeakMap<DmarTable, Map<number, SegmentUnits>>();

function unitsOf(table: DmarTable): Map<number, SegmentUnits> {
  const hit = cache.get(table);
  if (hit) return hit;
  const segments = new Map<number, SegmentUnits>();
  table.structures.forEach((s, drhdIndex) => {
    if (s.kind !== 'drhd') return;
    let units = segments.get(s.segment);
    if (!units) segments.set(s.segment, units = { byStartBus: new Map() });
    if (s.flags & INCLUDE_PCI_ALL) units.includeAll ??= { drhd: s, drhdIndex };
    for (const scope of s.scopes) {
      if (!isPciScope(scope) || scope.path.length === 0) continue;
      let node: PathNode | undefined = units.byStartBus.get(scope.startBus);
      if (!node) units.byStartBus.set(scope.startBus, node = {});
      for (const element of scope.path) {
        const below: Map<number | string, PathNode> = node.below ??= new Map();
        const key = elementKey(element);
        let next: PathNode | undefined = below.get(key);
        if (!next) below.set(key, next = {});
        node = next;
      }
      node.translation ??= { drhd: s, drhdIndex, scope };
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
  // The deepest DRHD entry on the scope's path: the device itself, else the nearest bridge above it.
  let deepest: Translation | undefined;
  let node = units.byStartBus.get(scope.startBus);
  const path = scope.path;
  for (let depth = 0; node !== undefined && depth < path.length; depth++) {
    node = node.below?.get(elementKey(path[depth]!));
    if (node?.translation) deepest = node.translation;
  }
  return deepest ?? units.includeAll;
}
