// ACPICA data-table source -> model. Reads every dialect iasl has written: `[0002]` template
// prefixes, `[048h 0072   2]` and `[048h 0072 002h]` disassembly prefixes or none, old and new
// field spellings, decoded names in brackets, comments, and the `Raw Table Data` block. It never
// gives up: a line it cannot read becomes a finding and reading goes on, so a half-typed file
// still has a model. One pass over the lines, one over the fields: linear in the file size.

import { encodeScope, encodeStructure, encodedScopeSize, encodedStructureSize } from './binary-writer';
import { hex, latin1, readAscii, readUint } from './bytes';
import { printable } from './source-writer';
import { decodeStructure } from './binary-reader';
import {
  ALL_FIELD_NAMES, DMAR_FIELDS, FieldSpec, PATH_FIELD, SCOPE_FIELDS, STRUCTURE_BY_TYPE, STRUCTURE_HEADER_FIELDS,
  TABLE_HEADER_FIELDS, maxValue,
} from './fields';
import type { Finding } from './finding';
import type { Andd, DeviceScope, DmarTable, FieldLoc, NodeLoc, RawTableData, Structure, TextRange } from './model';
import type { ReadResult } from './binary-reader';

/** One `Name : Value` line. */
export interface FieldToken {
  line: number;
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The value text without comments or a trailing decoded `[name]`. */
  value: string;
  valueStart: number;
  valueEnd: number;
  lineStart: number;
  lineEnd: number;
}

const STRUCTURE_START = 'Subtable Type';
const SCOPE_START_NAMES = SCOPE_FIELDS[0]!.names;
const PATH_NAME = PATH_FIELD.names[0]!;
const OPAQUE_MARK = '****';
const HEX_DIGITS = /^[0-9A-Fa-f]+$/;
const TYPE_FIELD = STRUCTURE_HEADER_FIELDS.slice(0, 1);
const AFTER_TYPE_FIELDS = STRUCTURE_HEADER_FIELDS.slice(1);
const SCOPE_TYPE_FIELD = SCOPE_FIELDS.slice(0, 1);
const AFTER_SCOPE_TYPE_FIELDS = SCOPE_FIELDS.slice(1);
const never = () => false;
const stopStructureHeader = (name: string) => name === STRUCTURE_START || name === OPAQUE_MARK || SCOPE_START_NAMES.includes(name);
const stopScopeHeader = (name: string) => name === STRUCTURE_START || name === PATH_NAME || SCOPE_START_NAMES.includes(name);
/** A hex dump row: `    0010: 41 43 52 50 ...  // ACRP` (the ASCII column with or without `//`). */
const RAW_ROW = /^\s*([0-9A-Fa-f]{4,8}):((?: [0-9A-Fa-f]{2}){1,16})(?=\s|$)/;

interface Lexed {
  tokens: FieldToken[];
  raw?: RawTableData;
  findings: Finding[];
}

function lineRangeOf(line: number, start: number, end: number): TextRange {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** What String.prototype.trim() removes. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/** Split the text into field tokens, comments removed; collect the Raw Table Data block. */
export function lexSource(text: string): Lexed {
  const tokens: FieldToken[] = [];
  const findings: Finding[] = [];
  let raw: { declared: number; bytes: number[]; present: number[]; startLine: number; endLine: number; titleEnd: number } | undefined;
  let inRaw = false;
  let inComment = false;
  let lineNo = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    const line = text.slice(pos, eol > pos && text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol);
    const current = lineNo;
    pos = eol + 1;
    lineNo++;

    // Raw dump rows come first: their ASCII column may hold anything, comment openers included.
    if (inRaw && !inComment) {
      const m = RAW_ROW.exec(line);
      if (m) {
        let at = parseInt(m[1]!, 16);
        for (let c = 0; c < m[2]!.length; c += 3) {
          raw!.bytes[at] = parseInt(m[2]!.slice(c + 1, c + 3), 16);
          raw!.present[at] = 1;
          at++;
        }
        raw!.endLine = current;
        continue;
      }
    }

    // Remove comments, remembering an open block comment across lines. Code is copied in spans
    // (a character at a time made this loop most of the reading time on large files).
    let code = '';
    if (!inComment && line.indexOf('/') < 0) code = line;
    else {
      let i = 0;
      let from = 0;
      let inString = false;
      while (i < line.length) {
        if (inComment) {
          const close = line.indexOf('*/', i);
          if (close < 0) { i = from = line.length; break; }
          inComment = false;
          code += ' '.repeat(close + 2 - i);
          i = from = close + 2;
          continue;
        }
        const c = line.charCodeAt(i);
        if (c === 0x22 /* " */) inString = !inString;
        else if (!inString && c === 0x2f /* / */) {
          const next = line.charCodeAt(i + 1);
          if (next === 0x2f) { code += line.slice(from, i); i = from = line.length; break; }
          if (next === 0x2a) { code += line.slice(from, i) + '  '; inComment = true; i += 2; from = i; continue; }
        }
        i++;
      }
      code += line.slice(from, i);
    }
    // Trim by index: slicing and trimming copies of every line cost more than the rest of the lexer.
    const len = code.length;
    let first = 0;
    while (first < len && isSpace(code.charCodeAt(first))) first++;
    if (first === len) continue;
    let last = len;
    while (last > first && isSpace(code.charCodeAt(last - 1))) last--;

    if (inRaw) inRaw = false;
    const c0 = code.charCodeAt(first);
    if ((c0 | 0x20) === 0x72 /* R or r */) {
      const rawTitle = /^Raw Table Data\s*:\s*Length\s+(\d+)/i.exec(code.slice(first, last));
      if (rawTitle) {
        raw = { declared: Number(rawTitle[1]), bytes: [], present: [], startLine: current, endLine: current, titleEnd: line.length };
        inRaw = true;
        continue;
      }
    }
    if (c0 === 0x2a /* * */ && code.startsWith('****', first)) {
      // iasl -d's note that it could not decode a subtable: the body is only in the Raw Table Data.
      tokens.push({ line: current, name: OPAQUE_MARK, nameStart: 0, nameEnd: 0, value: code.slice(first, last), valueStart: 0, valueEnd: line.length, lineStart: 0, lineEnd: line.length });
      continue;
    }

    // Optional `[...]` prefix, then `Name : Value`.
    let at = first;
    const lineStart = at;
    if (c0 === 0x5b /* [ */) {
      const close = code.indexOf(']', at);
      if (close < 0) {
        findings.push({ rule: 'syntax', range: lineRangeOf(current, at, line.length), message: 'Unclosed `[` prefix: expected `[width]` or `[offset offset width]` before the field name.' });
        continue;
      }
      at = close + 1;
    }
    const colon = code.indexOf(':', at);
    if (colon < 0) {
      findings.push({ rule: 'syntax', range: lineRangeOf(current, lineStart, lineStart + (last - first)), message: `Cannot read "${code.slice(first, last)}": expected \`Field Name : Value\`.` });
      continue;
    }
    let nameStart = at;
    while (nameStart < colon && isSpace(code.charCodeAt(nameStart))) nameStart++;
    let nameEnd = colon;
    while (nameEnd > nameStart && isSpace(code.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = code.slice(nameStart, nameEnd);
    let valueStart = colon + 1;
    while (valueStart < len && isSpace(code.charCodeAt(valueStart))) valueStart++;
    let valueText = valueStart < last ? code.slice(valueStart, last) : '';
    // A decoded name in brackets after the value (`0001 [Reserved Memory Region]`) is iasl's comment.
    if (valueText.startsWith('"')) {
      const close = valueText.indexOf('"', 1);
      if (close > 0) {
        const after = valueText.slice(close + 1).trim();
        if (after === '' || (after.startsWith('[') && after.endsWith(']'))) valueText = valueText.slice(0, close + 1);
      }
    } else {
      const bracket = valueText.indexOf('[');
      if (bracket > 0 && valueText.endsWith(']')) valueText = valueText.slice(0, bracket).trimEnd();
    }
    tokens.push({
      line: current, name, nameStart, nameEnd: nameStart + name.length,
      value: valueText, valueStart, valueEnd: valueStart + valueText.length,
      lineStart, lineEnd: last,
    });
    if (!name) {
      findings.push({ rule: 'syntax', range: lineRangeOf(current, lineStart, colon + 1), message: 'A field name is missing before the colon.' });
    }
  }
  let rawData: RawTableData | undefined;
  if (raw) {
    const size = Math.max(raw.declared, raw.bytes.length);
    const bytes = new Uint8Array(size);
    const present = new Uint8Array(size);
    for (let k = 0; k < raw.bytes.length; k++) if (raw.present[k]) { bytes[k] = raw.bytes[k]!; present[k] = 1; }
    rawData = {
      declaredLength: raw.declared, bytes, present,
      loc: { offset: 0, range: { start: { line: raw.startLine, character: 0 }, end: { line: raw.endLine, character: 0 } }, fields: {} },
    };
  }
  return { tokens, raw: rawData, findings };
}

class SourceParser {
  private k = 0;
  private offset = 0;
  readonly findings: Finding[];

  constructor(private readonly tokens: FieldToken[], private readonly raw: RawTableData | undefined, findings: Finding[]) {
    this.findings = findings;
  }

  private peek(): FieldToken | undefined {
    return this.tokens[this.k];
  }

  private report(rule: string, t: FieldToken | undefined, message: string, which: 'line' | 'value' | 'name' = 'line'): void {
    const range = t
      ? which === 'value' && t.valueEnd > t.valueStart ? lineRangeOf(t.line, t.valueStart, t.valueEnd)
        : which === 'name' ? lineRangeOf(t.line, t.nameStart, t.nameEnd)
          : lineRangeOf(t.line, t.lineStart, t.lineEnd)
      : this.endRange();
    this.findings.push({ rule, range, message });
  }

  private endRange(): TextRange {
    const last = this.tokens[this.tokens.length - 1];
    const line = last ? last.line : 0;
    const ch = last ? last.lineEnd : 0;
    return lineRangeOf(line, ch, ch);
  }

  private fieldLoc(t: FieldToken, width: number): FieldLoc {
    return {
      offset: this.offset, width, line: t.line, nameStart: t.nameStart, nameEnd: t.nameEnd,
      valueStart: t.valueStart, valueEnd: t.valueEnd, lineStart: t.lineStart, lineEnd: t.lineEnd,
    };
  }

  /** Parse a value for a field; reports and returns a fallback when it cannot. */
  private parseValue(spec: FieldSpec, t: FieldToken, width = spec.width, label = spec.names[0]!): unknown {
    const v = t.value;
    if (spec.kind === 'ascii' || spec.kind === 'name') {
      if (!(v.length >= 2 && v.startsWith('"') && v.endsWith('"'))) {
        this.report('syntax', t, `${label} takes a quoted string, not ${v ? `"${v}"` : 'nothing'}.`, 'value');
        return spec.kind === 'name' ? '' : ''.padEnd(0);
      }
      const s = v.slice(1, -1);
      if (spec.kind === 'ascii' && s.length > width) {
        this.report('value-width', t, `"${s}" has ${s.length} characters; ${label} holds ${width}. iasl would refuse it; shorten it to ${width}.`, 'value');
        return s.slice(0, width);
      }
      return s;
    }
    if (spec.kind === 'bytes') {
      const parts = v ? v.split(/[\s,]+/) : [];
      const out = new Uint8Array(width);
      for (let i = 0; i < parts.length; i++) {
        if (!/^(0x)?[0-9A-Fa-f]{1,2}$/.test(parts[i]!)) {
          this.report('syntax', t, `"${parts[i]}" is not a hexadecimal byte: ${label} is written as ${width} bytes like \`00 00 00\`.`, 'value');
          return out;
        }
        if (i < width) out[i] = parseInt(parts[i]!.replace(/^0x/, ''), 16);
      }
      if (parts.length > width) this.report('value-width', t, `${parts.length} bytes do not fit ${label}, which holds ${width}.`, 'value');
      return out;
    }
    const digits = v.charCodeAt(0) === 0x30 && (v.charCodeAt(1) | 0x20) === 0x78 ? v.slice(2) : v;
    if (!HEX_DIGITS.test(digits)) {
      this.report('syntax', t, v ? `"${v}" is not a hexadecimal number (iasl reads field values as hex, such as ${'0'.repeat(width * 2 - 1)}1).` : `${label} has no value.`, 'value');
      return width > 4 ? 0n : 0;
    }
    // Up to 4 bytes, a double holds any value that fits; skip BigInt (the common case).
    if (width <= 4 && digits.length <= 12) {
      const n = parseInt(digits, 16);
      if (n <= 2 ** (width * 8) - 1) return n;
    }
    let big = BigInt('0x' + digits);
    const max = maxValue(width);
    if (big > max) {
      this.report('value-width', t, `0x${digits.toUpperCase()} does not fit the ${width}-byte field ${label} (at most 0x${hex(max, 1)}). iasl would refuse it.`, 'value');
      big &= max;
    }
    return width > 4 ? big : Number(big);
  }

  /**
   * Read `specs` in order into `node`. A missing field is reported once with what came instead;
   * fields from elsewhere are reported and skipped. `stop` names tokens that end the group.
   */
  private readGroup(specs: readonly FieldSpec[], node: Record<string, unknown>, loc: NodeLoc, stop: (name: string) => boolean): void {
    let i = 0;
    while (i < specs.length) {
      const spec = specs[i]!;
      const t = this.peek();
      if (t && spec.names.includes(t.name)) {
        node[spec.key] = this.parseValue(spec, t);
        const width = spec.kind === 'name' ? (node[spec.key] as string).length + 1 : spec.width;
        loc.fields[spec.key] = this.fieldLoc(t, width);
        this.offset += width;
        this.k++;
        i++;
        continue;
      }
      if (t && spec.parts && spec.parts[0]!.names.includes(t.name)) {
        this.readParts(spec, node, loc);
        i++;
        continue;
      }
      const later = t ? specs.findIndex((s, j) => j > i && (s.names.includes(t.name) || !!s.parts?.[0]!.names.includes(t.name))) : -1;
      if (!t || stop(t.name) || later >= 0) {
        const upTo = later >= 0 ? later : specs.length;
        const missing = specs.slice(i, upTo);
        const where = t ? `before "${t.name}"` : 'at the end of the file';
        this.report('field-order', t, `Missing ${missing.map((m) => `"${m.names[0]}"`).join(', ')} ${where}. iasl compiles fields in the order the structure defines, so it would stop here.`, 'name');
        for (const m of missing) {
          node[m.key] = m.kind === 'bytes' ? new Uint8Array(m.width) : m.kind === 'ascii' || m.kind === 'name' ? '' : m.width > 4 ? 0n : 0;
          loc.fields[m.key] = { offset: this.offset, width: m.width };
          this.offset += m.kind === 'name' ? 1 : m.width;
        }
        i = upTo;
        continue;
      }
      this.reportStray(t, `"${spec.names[0]}"`);
      this.k++;
    }
  }

  private readParts(spec: FieldSpec, node: Record<string, unknown>, loc: NodeLoc): void {
    let value = 0;
    let shift = 0;
    const first = this.peek()!;
    for (const part of spec.parts!) {
      const t = this.peek();
      const partSpec: FieldSpec = { ...spec, width: part.width, names: part.names, parts: undefined };
      if (t && part.names.includes(t.name)) {
        value += (this.parseValue(partSpec, t, part.width, part.names[0]) as number) * 2 ** shift;
        this.k++;
      } else {
        this.report('field-order', t, `Missing "${part.names[0]}" after "${first.name}".`, 'name');
      }
      shift += part.width * 8;
    }
    node[spec.key] = value;
    loc.fields[spec.key] = this.fieldLoc(first, spec.width);
    this.offset += spec.width;
  }

  private reportStray(t: FieldToken, expected: string): void {
    if (t.name && ALL_FIELD_NAMES.has(t.name)) {
      this.report('field-order', t, `"${t.name}" is out of place: ${expected} comes here. iasl compiles fields in order and would stop.`, 'name');
    } else if (t.name) {
      this.report('syntax', t, `Unknown field "${t.name}" here; expected ${expected}.`, 'name');
    }
  }

  parseTable(): DmarTable {
    const table = { form: 'source', structures: [] as Structure[], trailing: new Uint8Array(0), loc: { offset: 0, fields: {} } as NodeLoc } as unknown as DmarTable;
    const node = table as unknown as Record<string, unknown>;
    const isStructureStart = (name: string) => name === STRUCTURE_START;
    const dmarNames = DMAR_FIELDS.flatMap((f) => f.names);
    this.readGroup(TABLE_HEADER_FIELDS, node, table.loc, (name) => isStructureStart(name) || dmarNames.includes(name));
    this.readGroup(DMAR_FIELDS, node, table.loc, isStructureStart);
    this.recoverAsciiFromRaw(table);
    if (table.signature !== 'DMAR' && table.loc.fields.signature?.line !== undefined) {
      const f = table.loc.fields.signature;
      this.findings.push({ rule: 'syntax', range: lineRangeOf(f.line!, f.valueStart!, f.valueEnd!), message: `Signature "${table.signature}" is not "DMAR": this tool reads DMAR tables only.` });
    }
    while (this.k < this.tokens.length) {
      const t = this.peek()!;
      if (isStructureStart(t.name)) {
        table.structures.push(this.parseStructure());
      } else if (t.name === OPAQUE_MARK) {
        this.k++;
      } else {
        this.reportStray(t, `"${STRUCTURE_START}" (the start of a remapping structure)`);
        this.k++;
      }
    }
    // Table Length counts bytes after the last structure that only the Raw Table Data shows.
    if (this.raw && table.length > this.offset && this.rawCovers(this.offset, table.length)) {
      table.trailing = this.raw.bytes.slice(this.offset, table.length);
    }
    if (this.raw) table.rawData = this.raw;
    const first = this.tokens[0];
    if (first) table.loc.range = { start: { line: first.line, character: 0 }, end: this.endRange().end };
    return table;
  }

  /** iasl prints unprintable header characters as spaces; the Raw Table Data keeps the bytes. */
  private recoverAsciiFromRaw(table: DmarTable): void {
    if (!this.raw) return;
    for (const spec of TABLE_HEADER_FIELDS) {
      const f = table.loc.fields[spec.key];
      if (spec.kind !== 'ascii' || !f || !this.rawCovers(f.offset, f.offset + spec.width)) continue;
      const value = (table as unknown as Record<string, string>)[spec.key]!;
      const fromRaw = readAscii(this.raw.bytes, f.offset, spec.width);
      if (fromRaw !== value && printable(fromRaw).trimEnd() === value.trimEnd()) (table as unknown as Record<string, string>)[spec.key] = fromRaw;
    }
  }

  private rawCovers(start: number, end: number): boolean {
    if (!this.raw || end > this.raw.bytes.length) return false;
    for (let i = start; i < end; i++) if (!this.raw.present[i]) return false;
    return true;
  }

  private parseStructure(): Structure {
    const start = this.offset;
    const first = this.peek()!;
    const loc: NodeLoc = { offset: start, fields: {} };
    const node: Record<string, unknown> = { tail: new Uint8Array(0), loc };
    const stopHeader = stopStructureHeader;
    this.readGroup(TYPE_FIELD, node, loc, never);
    this.readGroup(AFTER_TYPE_FIELDS, node, loc, stopHeader);
    const type = node.type as number;
    const spec = STRUCTURE_BY_TYPE.get(type);
    if (this.peek()?.name === OPAQUE_MARK) {
      this.k++;
      return this.finishOpaque(node, start, first);
    }
    if (!spec) {
      node.kind = 'unknown';
      node.data = new Uint8Array(0);
      node.dataKnown = false;
      while (this.peek() && !isStart(this.peek()!.name)) {
        const t = this.peek()!;
        this.report('syntax', t, `Structure type 0x${hex(type, 4)} is unknown, so it has no field "${t.name}"; its bytes can only come from the Raw Table Data block.`, 'name');
        this.k++;
      }
    } else {
      node.kind = spec.kind;
      this.readGroup(spec.fields, node, loc, stopHeader);
      if (spec.scopeTypes) {
        const scopes: DeviceScope[] = [];
        while (this.peek() && SCOPE_START_NAMES.includes(this.peek()!.name)) scopes.push(this.parseScope());
        node.scopes = scopes;
      } else {
        while (this.peek() && SCOPE_START_NAMES.includes(this.peek()!.name)) {
          const t = this.peek()!;
          this.report('field-order', t, `A ${spec.short} has no device scopes; this scope cannot be compiled here.`, 'name');
          this.parseScope();
        }
      }
      if (spec.kind === 'andd') {
        node.nameTerminated = true;
        node.padding = new Uint8Array(0);
      }
    }
    // Stray tokens until the next structure.
    while (this.peek() && this.peek()!.name !== STRUCTURE_START) {
      if (this.peek()!.name === OPAQUE_MARK) { this.k++; continue; }
      this.reportStray(this.peek()!, `"${STRUCTURE_START}" or a device scope`);
      this.k++;
    }
    const s = node as unknown as Structure;
    this.recoverFromRaw(s, start);
    this.offset = start + encodedStructureSize(s);
    const lastToken = this.tokens[this.k - 1] ?? first;
    loc.range = { start: { line: first.line, character: first.lineStart }, end: { line: lastToken.line, character: lastToken.lineEnd } };
    return s;

    function isStart(name: string) {
      return name === STRUCTURE_START;
    }
  }

  /**
   * A structure iasl -d could not decode (`**** Unknown DMAR subtable type`): its Type and Length
   * lines stand in the source, its body only in the Raw Table Data. Decode it from there.
   */
  private finishOpaque(node: Record<string, unknown>, start: number, first: FieldToken): Structure {
    const length = node.length as number;
    const loc = node.loc as NodeLoc;
    let s: Structure;
    // A structure cut short by the end of the table is in the block only as far as the table goes.
    const end = this.raw ? Math.min(start + length, this.raw.declaredLength) : 0;
    if (length >= 4 && end >= start + 4 && this.rawCovers(start, end) && readUint(this.raw!.bytes, start, 2) === node.type) {
      s = decodeStructure(this.raw!.bytes.subarray(0, end), start, node.type as number, length, this.findings);
      s.loc.fields.type = loc.fields.type!;
      s.loc.fields.length = loc.fields.length!;
    } else {
      s = { kind: 'unknown', type: node.type as number, length, data: new Uint8Array(0), dataKnown: false, tail: new Uint8Array(0), loc };
    }
    const last = this.tokens[this.k - 1] ?? first;
    s.loc.range = { start: { line: first.line, character: first.lineStart }, end: { line: last.line, character: last.lineEnd } };
    this.offset = start + encodedStructureSize(s);
    return s;
  }

  /**
   * A structure whose written Length exceeds what its fields encode may carry bytes that iasl's
   * language cannot express (ANDD padding, an unknown type's body). When the Raw Table Data holds
   * the same structure at this offset, take those bytes from it.
   */
  private recoverFromRaw(s: Structure, start: number): void {
    if (!this.raw) return;
    // A structure cut short by the end of the table is in the block only as far as the table goes.
    const end = Math.min(start + s.length, this.raw.declaredLength);
    if (s.kind === 'andd') this.recoverAnddName(s, start, end);
    const size = encodedStructureSize(s);
    if (end <= start + size || !this.rawCovers(start, end)) return;
    const raw = this.raw.bytes;
    if (s.kind === 'unknown') {
      if (raw[start] !== (s.type & 0xff) || raw[start + 1] !== s.type >> 8) return;
      s.data = raw.slice(start + 4, end);
      s.dataKnown = true;
      return;
    }
    const encoded = encodeStructure(s, { lossless: true });
    for (let i = 4; i < encoded.length; i++) if (raw[start + i] !== encoded[i]) return;
    const extra = raw.slice(start + encoded.length, end);
    if (s.kind === 'andd') s.padding = extra;
    else s.tail = extra;
  }

  /** Bytes inside a scope's Entry Length that form no path element, from the Raw Table Data. */
  private recoverScopeTail(scope: DeviceScope, start: number): void {
    const size = encodedScopeSize(scope);
    if (!this.raw || scope.length <= size || !this.rawCovers(start, start + scope.length)) return;
    const encoded = encodeScope(scope, { lossless: true });
    for (let i = 0; i < encoded.length; i++) if (this.raw.bytes[start + i] !== encoded[i]) return;
    scope.tail = this.raw.bytes.slice(start + size, start + scope.length);
  }

  /** iasl prints an ANDD name's unprintable bytes as spaces and cannot say that the NUL is missing. */
  private recoverAnddName(s: Andd, start: number, end: number): void {
    const nameStart = start + 8;
    if (end < nameStart || !this.rawCovers(nameStart, end)) return;
    const bytes = this.raw!.bytes.subarray(nameStart, end);
    const nul = bytes.indexOf(0);
    const rawName = latin1(bytes.subarray(0, nul < 0 ? bytes.length : nul));
    if (printable(rawName) !== s.name) return;
    s.name = rawName;
    if (nul < 0) s.nameTerminated = false;
  }

  private parseScope(): DeviceScope {
    const first = this.peek()!;
    const start = this.offset;
    const loc: NodeLoc = { offset: start, fields: {} };
    const node: Record<string, unknown> = { loc, tail: new Uint8Array(0) };
    this.readGroup(SCOPE_TYPE_FIELD, node, loc, never);
    this.readGroup(AFTER_SCOPE_TYPE_FIELDS, node, loc, stopScopeHeader);
    const path: { device: number; function: number }[] = [];
    while (this.peek()?.name === PATH_NAME) {
      const t = this.peek()!;
      const m = /^([0-9A-Fa-f]{1,2})\s*,\s*([0-9A-Fa-f]{1,2})$/.exec(t.value);
      if (!m) {
        this.report('syntax', t, `"${t.value}" is not a path element: write device and function in hex as \`DD,FF\` (for example 1F,03).`, 'value');
      }
      loc.fields[`path${path.length}`] = this.fieldLoc(t, 2);
      path.push(m ? { device: parseInt(m[1]!, 16), function: parseInt(m[2]!, 16) } : { device: 0, function: 0 });
      this.offset += 2;
      this.k++;
    }
    node.path = path;
    const scope = node as unknown as DeviceScope;
    this.recoverScopeTail(scope, start);
    this.offset = start + encodedScopeSize(scope);
    const lastToken = this.tokens[this.k - 1] ?? first;
    loc.range = { start: { line: first.line, character: first.lineStart }, end: { line: lastToken.line, character: lastToken.lineEnd } };
    return node as unknown as DeviceScope;
  }
}

export function readSource(text: string): ReadResult {
  const lexed = lexSource(text);
  const parser = new SourceParser(lexed.tokens, lexed.raw, lexed.findings);
  const table = parser.parseTable();
  if (lexed.tokens.length === 0) {
    parser.findings.push({ rule: 'syntax', range: lineRangeOf(0, 0, 0), message: 'No DMAR fields here: a DMAR source starts with `Signature : "DMAR"` (run `iasl -T DMAR` for a template).' });
  }
  return { table, findings: parser.findings };
}
