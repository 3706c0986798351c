// Hover: what a field means and holds (from fields.ts), and for RMRRs and device scopes what they
// do to real machines: the devices an RMRR locks out of passthrough per OS (devices.ts), the IOVA
// profile ranges it lands in, whether the memory map reserves it; for a scope, the unit that
// translates it and the RMRRs that name it. Markdown.

import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import {
  classHint, describeDevice, lockStatus, pciIndexOf, resolveScopePath, tableDevices, type AffectedDevice, type TableDevices,
} from '../analysis/devices';
import { formatBdf, formatRange, hexAddress, plural } from '../analysis/format';
import { intersects } from '../analysis/rmrr-ranges-util';
import { translatingDrhd } from '../analysis/translation';
import { classifyOverlap, describeRange, describeSegment, reservedCover } from '../analysis/context/memory-map';
import type { Platform } from '../analysis/platform';
import { encodeTable, encodedScopeSize, encodedStructureSize } from '../table/binary-writer';
import { hex, tableChecksumByte } from '../table/bytes';
import { SCOPE_TYPE_NAMES, STRUCTURE_BY_KIND } from '../table/fields';
import { SCOPE_TYPE, isPciScope, lineRange, type DeviceScope, type DmarTable, type PathElement, type Position, type Rmrr, type Structure } from '../table/model';
import { decodedName, formatValue } from '../table/source-writer';
import { platformOf, profilesOf, textTable, type FeatureContext } from './context';
import { nodeAt, type FieldRef } from './nodes';
import { scopeLabel, segmentOf, structureLabel } from './names';

/** A hover lists at most this many devices; a bridge over a whole switch can cover hundreds. */
const MAX_DEVICES = 16;

export function hover(ctx: FeatureContext, position: Position): Hover | undefined {
  const table = textTable(ctx);
  const at = nodeAt(table, position);
  const sections: string[] = [];
  if (at.field) sections.push(fieldSection(ctx, table, at.field));
  if (at.scope && at.structure) sections.push(scopeSection(ctx, table, at.structure, at.scope));
  else if (at.structure) sections.push(structureSection(ctx, table, at.structure));
  if (sections.length === 0) return undefined;
  const range = at.field ? lineRange(at.field.loc) : at.scope?.loc.range ?? at.structure?.loc.range;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range };
}

// ---------------------------------------------------------------------------------------------
// Fields

function fieldValue(table: DmarTable, ref: FieldRef): unknown {
  const owner = ref.owner;
  if (owner.kind === 'scope' && ref.pathIndex !== undefined) return owner.scope.path[ref.pathIndex];
  const node = owner.kind === 'table' ? table : owner.kind === 'structure' ? owner.structure : owner.scope;
  return (node as unknown as Record<string, unknown>)[ref.key];
}

function numberText(value: number | bigint, width: number): string {
  if (width >= 8) return `\`${hexAddress(value)}\``;
  return `\`0x${hex(value, width * 2)}\` (${value})`;
}

function fieldSection(ctx: FeatureContext, table: DmarTable, ref: FieldRef): string {
  const spec = ref.spec;
  if (!spec) return `**${ref.key}**: a property of the JSON form, not a table field.`;
  const width = spec.width || ref.loc.width;
  const lines = [`**${spec.names[0]}** · ${plural(width, 'byte')} at offset 0x${hex(ref.loc.offset, 3)} (${ref.loc.offset})`, '', spec.doc, ''];
  const value = fieldValue(table, ref);
  if (ref.pathIndex !== undefined) {
    lines.push(...pathElementLines(ctx, ref, value as PathElement));
  } else if (spec.flags) {
    const v = Number(value);
    lines.push(`Value: \`0x${hex(v, spec.width * 2)}\``);
    for (const bit of spec.flags) lines.push(`- bit ${bit.bit} \`${bit.name}\`: ${(v >> bit.bit) & 1 ? '**set**' : 'clear'}. ${bit.doc}`);
    const known = spec.flags.reduce((m, b) => m | (1 << b.bit), 0);
    const unknown = v & ~known;
    if (unknown) lines.push(`- bits 0x${hex(unknown, 2)} are set but defined by no spec version: they should be zero.`);
  } else if (spec.key === 'hostAddressWidth') {
    lines.push(`Value: \`0x${hex(Number(value), 2)}\`, meaning **${Number(value) + 1}-bit** DMA addresses (stored as N-1).`);
  } else if (spec.kind === 'uint') {
    const decoded = decodedName(spec, value);
    lines.push(`Value: ${numberText(value as number | bigint, spec.width)}${decoded ? `: **${decoded}**` : ''}`);
    if (spec.role === 'length') lines.push('', lengthNote(table, ref, Number(value)));
    if (spec.role === 'checksum') lines.push('', checksumNote(table, Number(value)));
  } else {
    lines.push(`Value: \`${formatValue(spec, value)}\``);
  }
  return lines.join('\n');
}

function lengthNote(table: DmarTable, ref: FieldRef, written: number): string {
  const owner = ref.owner;
  const encoded = owner.kind === 'table' ? tableSize(table)
    : owner.kind === 'structure' ? encodedStructureSize(owner.structure) : encodedScopeSize(owner.scope);
  return encoded === written
    ? `Matches the ${plural(encoded, 'byte')} the content encodes to.`
    : `The content encodes to ${plural(encoded, 'byte')}: the written value is stale (iasl recomputes it; an OS reading a binary trusts it).`;
}

function tableSize(table: DmarTable): number {
  return 48 + table.structures.reduce((n, s) => n + encodedStructureSize(s), 0) + table.trailing.length;
}

function checksumNote(table: DmarTable, written: number): string {
  const right = tableChecksumByte(encodeTable(table, { lossless: true }));
  return right === written
    ? 'Right: the table\'s bytes sum to 0.'
    : `The bytes as written need \`0x${hex(right, 2)}\` to sum to 0 (iasl recomputes it when compiling).`;
}

function pathElementLines(ctx: FeatureContext, ref: FieldRef, element: PathElement | undefined): string[] {
  if (!element || ref.owner.kind !== 'scope') return [];
  const { structure, scope } = ref.owner;
  const lines = [`Value: device \`0x${hex(element.device, 2)}\`, function \`${element.function}\``];
  if (ref.pathIndex === scope.path.length - 1 && isPciScope(scope)) {
    lines.push('', `The path names **${deviceLabel(ctx, segmentOf(structure), scope)}**.`);
  } else if (ref.pathIndex === 0 && scope.path.length > 1) {
    lines.push('', `The bridge ${formatBdf(segmentOf(structure), scope.startBus, element.device, element.function)}; the next element is on its secondary bus.`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Structures

function structureSection(ctx: FeatureContext, table: DmarTable, s: Structure): string {
  if (s.kind === 'rmrr') return rmrrSection(ctx, table, s);
  const spec = s.kind === 'unknown' ? undefined : STRUCTURE_BY_KIND.get(s.kind);
  const lines = [`### ${structureLabel(s)}`, '', spec ? `*${spec.title}*: ${spec.doc}` : 'A remapping structure type no VT-d version defines; an OS skips it by its Length.'];
  if (s.kind === 'drhd') {
    const seg = hex(s.segment, 4);
    lines.push('', s.flags & 1
      ? `Translates every PCI device of segment ${seg} that no other DRHD lists (INCLUDE_PCI_ALL)${s.scopes.length ? `, and the ${plural(s.scopes.length, 'scope')} it lists` : ''}.`
      : `Translates the ${plural(s.scopes.length, 'device scope')} it lists in segment ${seg}, and the devices below its bridge scopes.`);
  }
  return lines.join('\n');
}

function rmrrSection(ctx: FeatureContext, table: DmarTable, rmrr: Rmrr): string {
  const platform = platformOf(ctx);
  const devices = tableDevices({ table, platform });
  const entry = devices.byRmrr.get(rmrr);
  const lines = [`### ${structureLabel(rmrr)}`, '', `*Reserved Memory Region*: ${formatRange(rmrr.base, rmrr.limit)}. ${STRUCTURE_BY_KIND.get('rmrr')!.doc}`, ''];

  const list = entry?.devices ?? [];
  lines.push(`**Devices** (${list.length === 0 ? 'none: every OS drops an RMRR without devices' : plural(list.length, 'device')})`);
  for (const d of list.slice(0, MAX_DEVICES)) lines.push(...deviceLines(devices, d));
  if (list.length > MAX_DEVICES) lines.push(`- ... and ${list.length - MAX_DEVICES} more`);

  lines.push('', '**IOVA profiles**', ...profileLines(ctx, rmrr));
  lines.push('', '**Memory map**', memoryMapLine(platform, rmrr));
  return lines.join('\n');
}

function verdictWord(d: AffectedDevice): string {
  if (d.presence === 'absent') return 'not present in the PCI inventory';
  if (d.relaxable) return 'relaxable on Linux';
  return '**locked out of passthrough**';
}

function deviceLines(devices: TableDevices, d: AffectedDevice): string[] {
  // describeDevice leaves saying that a class is unknown (and how to give it) to its caller.
  const unknownClass = d.classSource === 'unknown' && !d.belowUnknown;
  const lines = [`- ${describeDevice(d)}${unknownClass ? ' (class unknown)' : ''}: ${verdictWord(d)}${d.viaBridge ? ` (below bridge ${d.viaBridge})` : ''}`];
  if (d.presence === 'absent') return lines;
  if (unknownClass) lines.push(`  - To say what it is, ${classHint(d.label)}.`);
  for (const v of lockStatus(devices, d)) {
    lines.push(`  - ${v.os}: ${v.note}${v.message ? ` — "${v.message}"` : ''}`);
  }
  return lines;
}

function profileLines(ctx: FeatureContext, rmrr: Rmrr): string[] {
  const profiles = profilesOf(ctx);
  if (profiles.length === 0) return ['No IOVA profile is enabled (`dmar.iovaProfiles` or `iovaProfiles` in .dmarrc.json).'];
  if (rmrr.limit < rmrr.base) return ['The range ends before it starts, so it overlaps nothing.'];
  const lines: string[] = [];
  for (const p of profiles) {
    for (const r of p.ranges) {
      if (!intersects(rmrr.base, rmrr.limit, r.start, r.end)) continue;
      lines.push(`- \`${p.name}\`, ${r.label} (${formatRange(r.start, r.end)}): ${r.consequence}.`);
    }
  }
  if (lines.length === 0) return [`Overlaps no range of the enabled profiles (${profiles.map((p) => `\`${p.name}\``).join(', ')}).`];
  return lines;
}

function memoryMapLine(platform: Platform, rmrr: Rmrr): string {
  const map = platform.memoryMap;
  if (!map) return 'No memory map configured: cannot check whether the firmware reserves this range (set `dmar.memoryMap` or `memoryMap` in .dmarrc.json to a dmesg, /proc/iomem or /sys/firmware/memmap dump).';
  if (rmrr.limit < rmrr.base) return 'The range ends before it starts: no memory map entry can cover it.';
  const file = map.file.replace(/^.*[\\/]/, '');
  const cover = reservedCover(map.entries, rmrr.base, rmrr.limit);
  if (cover) return `Reserved: inside \`${describeRange(cover.start, cover.end)}\` ${cover.rawType} (${file}, line ${cover.line + 1}).`;
  const pieces = classifyOverlap(map.entries, rmrr.base, rmrr.limit).map(describeSegment);
  return `**Not reserved** by one reserved or ACPI NVS entry of ${file}: ${pieces.join('; ')}.`;
}

// ---------------------------------------------------------------------------------------------
// Device scopes

/** The device a PCI scope names: the resolved BDF with an inventory, else the path as written. */
function deviceLabel(ctx: FeatureContext, segment: number, scope: DeviceScope): string {
  const pci = platformOf(ctx).pci;
  return resolveScopePath(pci ? pciIndexOf(pci.devices) : undefined, segment, scope).label;
}

function scopeSection(ctx: FeatureContext, table: DmarTable, s: Structure, scope: DeviceScope): string {
  const segment = segmentOf(s);
  const typeName = SCOPE_TYPE_NAMES[scope.type] ?? `an undefined scope type (0x${hex(scope.type, 2)})`;
  const lines = [`### ${scopeLabel(segment, scope, isPciScope(scope) ? deviceLabel(ctx, segment, scope) : undefined)}`, '', `*${typeName}* in ${structureLabel(s)}.`];

  if (scope.type === SCOPE_TYPE.namespace) {
    const andd = table.structures.find((x) => x.kind === 'andd' && x.deviceNumber === scope.enumerationId);
    lines.push('', andd?.kind === 'andd' ? `Names ACPI device \`${andd.name}\` (ANDD ${andd.deviceNumber}).` : `No ANDD declares device number ${scope.enumerationId}.`);
    return lines.join('\n');
  }
  if (scope.type === SCOPE_TYPE.ioapic) lines.push('', `The I/O APIC with ID ${scope.enumerationId}, whose interrupts this unit remaps.`);
  if (scope.type === SCOPE_TYPE.hpet) lines.push('', `HPET number ${scope.enumerationId}, whose MSIs this unit remaps.`);
  if (!isPciScope(scope)) return lines.join('\n');

  if (scope.type === SCOPE_TYPE.bridge) lines.push('', 'A sub-hierarchy: the bridge and every device below it.');
  lines.push('', translationLine(table, s, scope));

  const devices = tableDevices({ table, platform: platformOf(ctx) });
  const covered = devices.byScope.get(scope);
  if (covered) {
    lines.push('', `**Devices this RMRR scope covers** (${plural(covered.length, 'device')})`);
    for (const d of covered.slice(0, MAX_DEVICES)) lines.push(...deviceLines(devices, d));
    if (covered.length > MAX_DEVICES) lines.push(`- ... and ${covered.length - MAX_DEVICES} more`);
  }
  const naming = devices.byDevice.get(deviceLabel(ctx, segment, scope))?.entries ?? [];
  const others = naming.filter((e) => e.rmrr.rmrr !== s);
  if (others.length > 0 || (s.kind !== 'rmrr' && naming.length === 0)) {
    lines.push('', others.length === 0
      ? 'No RMRR names this device.'
      : `**RMRRs naming this device**: ${[...new Set(others.map((e) => structureLabel(e.rmrr.rmrr)))].join('; ')}.`);
  }
  return lines.join('\n');
}

function translationLine(table: DmarTable, s: Structure, scope: DeviceScope): string {
  if (s.kind === 'drhd') return `Translated by this unit (${structureLabel(s)}), which lists it.`;
  const t = translatingDrhd(table, segmentOf(s), scope);
  if (!t) return `**No DRHD translates it**: its segment has no INCLUDE_PCI_ALL unit and no DRHD scope names it or a bridge above it.`;
  if (!t.scope) return `Translated by ${structureLabel(t.drhd)}, which takes every device no other DRHD lists.`;
  const listed = `${formatBdf(t.drhd.segment, t.scope.startBus, t.scope.path[0]!.device, t.scope.path[0]!.function)}${t.scope.path.length > 1 ? '/...' : ''}`;
  return `Translated by ${structureLabel(t.drhd)}, whose scope lists ${t.scope.path.length === scope.path.length ? 'it' : `the bridge ${listed} above it`}.`;
}
