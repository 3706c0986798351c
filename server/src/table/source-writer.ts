// Model -> ACPICA data-table source in the dialect `iasl -d` (20200925) prints, aligned the same
// way, so that iasl compiles it back and a diff against iasl's own disassembly is empty.

import { hex } from './bytes';
import { encodeTable, encodedScopeSize, encodedStructureSize } from './binary-writer';
import {
  DMAR_FIELDS, FieldSpec, PATH_FIELD, SCOPE_FIELDS, STRUCTURE_BY_KIND, STRUCTURE_HEADER_FIELDS,
  STRUCTURE_TYPE_TITLE_UNKNOWN, TABLE_HEADER_FIELDS,
} from './fields';
import type { DeviceScope, DmarTable, PathElement, Structure } from './model';

export const NAME_COLUMN_WIDTH = 29;

/**
 * The line prefixes iasl has written: `[030h 0048   2]` (iasl -d 20200925), `[030h 0048 002h]`
 * (newer iasl -d), `[0002]` (iasl -T templates), or none.
 */
export type PrefixStyle = 'disasm' | 'disasm-hex' | 'template' | 'none';

export interface WriteSourceOptions {
  /** Omit the `Raw Table Data` block. */
  noRawData?: boolean;
  /** The comment block at the top; omitted when empty. */
  banner?: string[];
  prefixStyle?: PrefixStyle;
}

/** The banner `iasl -d` opens with: what the listing is, then how to read the default line prefix. */
export function listingBanner(title: string): string[] {
  return [title, 'Format: [HexOffset DecimalOffset ByteLength]  FieldName : FieldValue'];
}

export function offsetPrefix(offset: number, width: number, style: PrefixStyle = 'disasm'): string {
  switch (style) {
    case 'disasm': return `[${hex(offset, 3)}h ${String(offset).padStart(4, '0')} ${String(width).padStart(3, ' ')}]`;
    case 'disasm-hex': return `[${hex(offset, 3)}h ${String(offset).padStart(4, '0')} ${hex(width, 3)}h]`;
    case 'template': return `[${String(width).padStart(4, '0')}]`;
    case 'none': return '';
  }
}

/** Where the colon sits in each style, as iasl aligns it. */
const NAME_END_COLUMN: Record<PrefixStyle, number> = { disasm: 44, 'disasm-hex': 44, template: 41, none: 28 };

export function fieldLine(offset: number, width: number, name: string, value: string, style: PrefixStyle = 'disasm'): string {
  const prefix = offsetPrefix(offset, width, style);
  const nameWidth = NAME_END_COLUMN[style] - prefix.length - (prefix ? 1 : 0);
  return `${prefix}${prefix ? ' ' : ''}${name.padStart(nameWidth)} : ${value}`;
}

/** The prefix style of an existing source, from its first field line. */
export function detectPrefixStyle(text: string): PrefixStyle {
  const m = /^[ \t]*(\[[^\]\n]*\])?[ \t]*[A-Za-z][^:\n]*:/m.exec(text);
  const prefix = m?.[1];
  if (!prefix) return 'none';
  if (/^\[[0-9A-Fa-f]+h\s+\d+\s+[0-9A-Fa-f]+h\]$/.test(prefix)) return 'disasm-hex';
  if (/^\[[0-9A-Fa-f]+h\s+\d+\s+\d+\]$/.test(prefix)) return 'disasm';
  return 'template';
}

/** The value text of a field as iasl prints it (without any decoded name). */
export function formatValue(spec: FieldSpec, value: unknown): string {
  switch (spec.kind) {
    case 'ascii':
    case 'name':
      return `"${printable(String(value))}"`;
    case 'bytes':
      return Array.from(value as Uint8Array, (b) => hex(b, 2)).join(' ');
    default:
      return hex(value as number | bigint, spec.width * 2);
  }
}

export function decodedName(spec: FieldSpec, value: unknown): string | undefined {
  if (spec.role === 'type' && spec.key === 'type' && spec.width === 2) {
    return STRUCTURE_BY_KIND_TYPE.get(Number(value)) ?? STRUCTURE_TYPE_TITLE_UNKNOWN;
  }
  return spec.values?.[Number(value)];
}

const STRUCTURE_BY_TYPE_TITLE = new Map([...STRUCTURE_BY_KIND.values()].map((s) => [s.type, s.short]));
const STRUCTURE_BY_KIND_TYPE = new Map([...STRUCTURE_BY_KIND.values()].map((s) => [s.type, s.title]));

class Emitter {
  readonly lines: string[] = [];
  constructor(readonly style: PrefixStyle = 'disasm') {}
  field(offset: number, spec: FieldSpec, value: unknown, width = spec.width, name = spec.names[0]!): number {
    let text = formatValue(spec, value);
    if (spec.key === 'signature') text += '    [DMA Remapping table]';
    else {
      const decoded = decodedName(spec, value);
      if (decoded) text += ` [${decoded}]`;
    }
    this.lines.push(fieldLine(offset, width, name, text, this.style));
    return offset + width;
  }
  fields(offset: number, specs: readonly FieldSpec[], node: object): number {
    let o = offset;
    for (const spec of specs) {
      const value = (node as Record<string, unknown>)[spec.key];
      o = this.field(o, spec, value);
      if (spec.kind === 'ascii' && printable(String(value)) !== value) {
        this.comment(`${spec.names[0]} holds bytes iasl cannot print (${Array.from(String(value), (c) => hex(c.charCodeAt(0), 2)).join(' ')}); the Raw Table Data keeps them`);
      }
    }
    return o;
  }
  blank(): void {
    this.lines.push('');
  }
  comment(text: string): void {
    this.lines.push(`/* ${text} */`);
  }
}

/** A `PCI Path` value as iasl writes it: `1C,00`. */
export function pathElementText(p: PathElement): string {
  return `${hex(p.device, 2)},${hex(p.function, 2)}`;
}

/** iasl prints a character it cannot show as a space. */
export function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, ' ');
}

function bytesText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => hex(b, 2)).join(' ');
}

export function writeSource(table: DmarTable, options: WriteSourceOptions = {}): string {
  const e = new Emitter(options.prefixStyle);
  if (options.banner?.length) {
    e.lines.push('/*', ...options.banner.map((l) => (l ? ` * ${l}` : ' *')), ' */', '');
  }
  let o = e.fields(0, TABLE_HEADER_FIELDS, table);
  e.blank();
  o = e.fields(o, DMAR_FIELDS, table);
  e.blank();
  for (const s of table.structures) {
    o = writeStructure(e, o, s);
  }
  if (table.trailing.length > 0) {
    e.comment(`Table Length counts ${table.trailing.length} more bytes after the last structure (${bytesText(table.trailing.subarray(0, 16))}${table.trailing.length > 16 ? ' ...' : ''}); iasl's language cannot express them`);
    e.blank();
  }
  if (!options.noRawData) writeRawData(e, encodeTable(table, { lossless: true }));
  return e.lines.join('\n') + '\n';
}

/** The text of some structures starting at `offset`, each followed by its blank lines. */
export function writeStructuresText(structures: readonly Structure[], offset: number, style: PrefixStyle = 'disasm'): string {
  const e = new Emitter(style);
  let o = offset;
  for (const s of structures) o = writeStructure(e, o, s);
  return e.lines.join('\n') + '\n';
}

/** The `Raw Table Data` block for these bytes, ending with a newline. */
export function rawDataText(bytes: Uint8Array): string {
  const e = new Emitter();
  writeRawData(e, bytes);
  return e.lines.join('\n') + '\n';
}

function writeStructure(e: Emitter, offset: number, s: Structure): number {
  const start = offset;
  let o = e.fields(offset, STRUCTURE_HEADER_FIELDS, s);
  e.blank();
  if (s.kind === 'unknown') {
    // The `****` line is iasl -d's marker for a body it could not decode; readers take the body
    // from the Raw Table Data block.
    e.blank();
    const known = STRUCTURE_BY_TYPE_TITLE.get(s.type);
    e.lines.push(known
      ? `**** DMAR subtable type 0x${hex(s.type, 1)} (${known}) is cut short: ${s.data.length} bytes after Type and Length`
      : `**** Unknown DMAR subtable type 0x${hex(s.type, 1)}`);
    e.comment(`its ${s.data.length} bytes after Type and Length are kept in the Raw Table Data below; iasl cannot compile this structure`);
    e.blank();
    e.blank();
    return start + encodedStructureSize(s);
  }
  const spec = STRUCTURE_BY_KIND.get(s.kind)!;
  for (const field of spec.fields) {
    if (field.kind === 'name' && s.kind === 'andd') {
      o = e.field(o, field, s.name, s.name.length + (s.nameTerminated ? 1 : 0));
      if (s.padding.length > 0) {
        e.comment(`${s.padding.length} bytes of padding after the name (${bytesText(s.padding)}) are counted by Length; iasl's language cannot express them, so iasl drops them and writes Length ${hex(s.length - s.padding.length, 4)}`);
      }
      o += s.padding.length;
    } else {
      o = e.field(o, field, (s as unknown as Record<string, unknown>)[field.key]);
    }
  }
  e.blank();
  if ('scopes' in s) {
    for (const scope of s.scopes) o = writeScope(e, o, scope);
  }
  if (s.tail.length > 0) {
    e.comment(`${s.tail.length} more bytes inside Length (${bytesText(s.tail)}) form no field; iasl's language cannot express them`);
    e.blank();
  }
  return start + encodedStructureSize(s);
}

function writeScope(e: Emitter, offset: number, scope: DeviceScope): number {
  let o = e.fields(offset, SCOPE_FIELDS, scope);
  e.blank();
  for (const p of scope.path) {
    e.lines.push(fieldLine(o, 2, PATH_FIELD.names[0]!, pathElementText(p), e.style));
    e.blank();
    o += 2;
  }
  if (scope.tail.length > 0) {
    e.comment(`${scope.tail.length} more byte(s) inside Entry Length (${bytesText(scope.tail)}) form no path element`);
  }
  e.blank();
  return offset + encodedScopeSize(scope);
}

/** The `Raw Table Data` block: 16 bytes a line with an ASCII column, as iasl prints it. */
function writeRawData(e: Emitter, bytes: Uint8Array): void {
  e.lines.push(`Raw Table Data: Length ${bytes.length} (0x${hex(bytes.length, 1)})`);
  e.blank();
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hexes = Array.from(row, (b) => hex(b, 2) + ' ').join('').padEnd(48);
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    e.lines.push(`    ${hex(i, 4)}: ${hexes} // ${ascii}`);
  }
}
