// How the editor names a structure or a device scope in outlines, hovers and lenses:
// `RMRR 0x8C587000-0x8C5A6FFF (128 KiB)`, `DRHD 0xFED91000 (INCLUDE_PCI_ALL)`,
// `00:14.0 (PCI Endpoint)`. Addresses and sizes come from analysis/format.ts like every message.

import { formatRange, formatScopePath, formatSize, hexAddress } from '../analysis/format';
import { SCOPE_TYPE_NAMES, STRUCTURE_BY_KIND, type FlagBit } from '../table/fields';
import { hex } from '../table/bytes';
import { SCOPE_TYPE, type DeviceScope, type Rmrr, type Structure } from '../table/model';

/** The names of the set flag bits a structure's Flags field defines (`INCLUDE_PCI_ALL`). */
export function setFlagNames(bits: readonly FlagBit[] | undefined, value: number): string[] {
  return (bits ?? []).filter((b) => (value >> b.bit) & 1).map((b) => b.name);
}

function flagsOf(s: Structure): string[] {
  if (s.kind === 'unknown' || !('flags' in s)) return [];
  const spec = STRUCTURE_BY_KIND.get(s.kind)!.fields.find((f) => f.key === 'flags');
  return setFlagNames(spec?.flags, s.flags);
}

function segmentText(segment: number): string {
  return segment ? ` segment ${hex(segment, 4)}` : '';
}

export function structureLabel(s: Structure): string {
  const flags = flagsOf(s);
  const flagText = flags.length ? ` (${flags.join(', ')})` : '';
  switch (s.kind) {
    case 'drhd': return `DRHD ${hexAddress(s.registerBase)}${segmentText(s.segment)}${flagText}`;
    case 'rmrr': return `RMRR ${formatRange(s.base, s.limit)}${segmentText(s.segment)}`;
    case 'atsr': return `ATSR${segmentText(s.segment) || ' segment 0000'}${flagText}`;
    case 'rhsa': return `RHSA ${hexAddress(s.registerBase)} -> proximity domain ${s.proximityDomain}`;
    case 'andd': return `ANDD ${s.deviceNumber} "${s.name}"`;
    case 'satc': return `SATC${segmentText(s.segment) || ' segment 0000'}${flagText}`;
    case 'sidp': return `SIDP${segmentText(s.segment) || ' segment 0000'}`;
    case 'unknown': return `Unknown structure type 0x${hex(s.type, 4)}`;
  }
}

/** `PCI Endpoint`, `IOAPIC`: the scope type's name without the trailing "Device". */
export function scopeTypeName(type: number): string {
  const name = SCOPE_TYPE_NAMES[type];
  return name ? name.replace(/ Device$/, '') : `scope type ${hex(type, 2)}`;
}

/** `00:14.0 (PCI Endpoint)`, `f0:1f.0 (IOAPIC 2)`; `label` replaces the written path (a resolved BDF). */
export function scopeLabel(segment: number, scope: DeviceScope, label = formatScopePath(segment, scope.startBus, scope.path)): string {
  const type = scopeTypeName(scope.type);
  switch (scope.type) {
    case SCOPE_TYPE.ioapic: return `${label} (${type} ${scope.enumerationId})`;
    case SCOPE_TYPE.hpet: return `${label} (HPET ${scope.enumerationId})`;
    case SCOPE_TYPE.namespace: return `ANDD ${scope.enumerationId} (${type})`;
    default: return `${label} (${type})`;
  }
}

export function segmentOf(s: Structure): number {
  return 'segment' in s ? s.segment : 0;
}

/** An RMRR's size in human units (`72 MiB`), or that it is inverted. */
export function rmrrSizeText(rmrr: Rmrr): string {
  return rmrr.limit < rmrr.base ? 'ends before it starts' : formatSize(rmrr.limit - rmrr.base + 1n);
}
