// ACPICA data-table source -> model. Reads every dialect iasl has written: `[0002]` template
// prefixes, `[048h 0072   2]` and `[048h 0072 002h]` disassembly prefixes or none, old and new
// field spellings, decoded names in brackets, comments, and the `Raw Table Data` block. It never
// gives up: a line it cannot read becomes a finding and reading goes on, so a half-typed file
// still has a model. One pass over the lines, one over the fields: linear in the file size.
//
// Built for tables of tens of thousands of structures (a 7 MB source is read in tens of ms): the
// lexer keeps its tokens as numbers in one Int32Array (no object, no string per line; names are
// matched in place against the known spellings, values parsed from the text's characters), and
// the field locations are kept the same way and turned into FieldLoc objects only when someone
// reads a node's `loc.fields` (model.ts, lazyFieldsLoc).

import { encodeScope, encodeStructure, encodedScopeSize, encodedStructureSize } from './binary-writer';
import { hex, latin1, readAscii, readUint } from './bytes';
import { printable } from './source-writer';
import { decodeStructure } from './binary-reader';
import {
  ALL_FIELD_NAMES, DMAR_FIELDS, FieldSpec, PATH_FIELD, SCOPE_FIELDS, STRUCTURE_BY_TYPE, STRUCTURE_HEADER_FIELDS,
  TABLE_HEADER_FIELDS, maxValue, type StructureSpec,
} from './fields';
import type { Finding } from './finding';
import type { Andd, DeviceScope, DmarTable, FieldLoc, NodeLoc, PathElement, Position, RawTableData, Structure, TextRange } from './model';
import { closeLazyFieldsLoc, lazyFieldsLoc, type FieldLocSource } from './model';
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
const PATH_NAME = PATH_FIELD.names[0]!;
const OPAQUE_MARK = '****';
const TYPE_FIELD = STRUCTURE_HEADER_FIELDS.slice(0, 1);
const AFTER_TYPE_FIELDS = STRUCTURE_HEADER_FIELDS.slice(1);
const SCOPE_TYPE_FIELD = SCOPE_FIELDS.slice(0, 1);
const AFTER_SCOPE_TYPE_FIELDS = SCOPE_FIELDS.slice(1);
/** A hex dump row: `    0010: 41 43 52 50 ...  // ACRP` (the ASCII column with or without `//`). */
const RAW_ROW = /^\s*([0-9A-Fa-f]{4,8}):((?: [0-9A-Fa-f]{2}){1,16})(?=\s|$)/;
/** Shared by every node without extra bytes: a zero-length array cannot be changed, only replaced. */
const NO_BYTES = new Uint8Array(0);

// ---------------------------------------------------------------------------------------------
// Field names by number: every spelling gets an id, so the parser compares numbers, not strings.

const NAMES: readonly string[] = [...ALL_FIELD_NAMES, OPAQUE_MARK];
const NAME_COUNT = NAMES.length;
const UNKNOWN_NAME = -1;
const OPAQUE_ID = NAMES.indexOf(OPAQUE_MARK);
const STRUCTURE_START_ID = NAMES.indexOf(STRUCTURE_START);
const PATH_ID = NAMES.indexOf(PATH_NAME);
/**
 * Ids of the known names by length and first character (all names are ASCII), at
 * `length * 128 + first`: a name on a line is found with one comparison, rarely two.
 */
const NAMES_BY_LENGTH_AND_FIRST: (number[] | undefined)[] = new Array<number[] | undefined>((Math.max(...NAMES.map((n) => n.length)) + 1) * 128).fill(undefined);
NAMES.forEach((name, id) => (NAMES_BY_LENGTH_AND_FIRST[name.length * 128 + name.charCodeAt(0)] ??= []).push(id));

function nameSet(names: Iterable<string>): Uint8Array {
  const set = new Uint8Array(NAME_COUNT);
  for (const name of names) {
    const id = NAMES.indexOf(name);
    if (id >= 0) set[id] = 1;
  }
  return set;
}

const SCOPE_START = nameSet(SCOPE_FIELDS[0]!.names);
const NEVER = new Uint8Array(NAME_COUNT);
const STOP_STRUCTURE_HEADER = nameSet([STRUCTURE_START, OPAQUE_MARK, ...SCOPE_FIELDS[0]!.names]);
const STOP_SCOPE_HEADER = nameSet([STRUCTURE_START, PATH_NAME, ...SCOPE_FIELDS[0]!.names]);
const STOP_TABLE_HEADER = nameSet([STRUCTURE_START, ...DMAR_FIELDS.flatMap((f) => f.names)]);
const STOP_DMAR_HEADER = nameSet([STRUCTURE_START]);

/** A field list with, per field, the name ids it accepts (and those of its first part) and its key's id. */
interface CompiledGroup {
  specs: readonly FieldSpec[];
  accepts: Uint8Array[];
  partAccepts: (Uint8Array | undefined)[];
  keys: number[];
}

const compiledGroups = new WeakMap<readonly FieldSpec[], CompiledGroup>();

function compiled(specs: readonly FieldSpec[]): CompiledGroup {
  let c = compiledGroups.get(specs);
  if (!c) {
    c = {
      specs, accepts: specs.map((s) => nameSet(s.names)), partAccepts: specs.map((s) => (s.parts ? nameSet(s.parts[0]!.names) : undefined)),
      keys: specs.map((s) => keyId(s.key)),
    };
    compiledGroups.set(specs, c);
  }
  return c;
}

/** Field keys by number, so the field table holds numbers only. */
const KEYS: string[] = [];
const KEY_IDS = new Map<string, number>();
function keyId(key: string): number {
  let id = KEY_IDS.get(key);
  if (id === undefined) {
    id = KEYS.length;
    KEYS.push(key);
    KEY_IDS.set(key, id);
  }
  return id;
}

const partAcceptCache = new WeakMap<object, Uint8Array>();
function partAccepts(part: { names: readonly string[] }): Uint8Array {
  let set = partAcceptCache.get(part);
  if (!set) partAcceptCache.set(part, set = nameSet(part.names));
  return set;
}

const PATH_KEYS: number[] = [];
function pathKey(i: number): number {
  return PATH_KEYS[i] ??= keyId(`path${i}`);
}

// The groups read for every structure and scope, compiled once instead of looked up per read.
const TYPE_GROUP = compiled(TYPE_FIELD);
const AFTER_TYPE_GROUP = compiled(AFTER_TYPE_FIELDS);
const SCOPE_TYPE_GROUP = compiled(SCOPE_TYPE_FIELD);
const AFTER_SCOPE_TYPE_GROUP = compiled(AFTER_SCOPE_TYPE_FIELDS);

// ---------------------------------------------------------------------------------------------
// Characters

/** What String.prototype.trim() removes (and what `\s` matches). */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 10; d++) HEX_VALUE[0x30 + d] = d;
for (let d = 0; d < 6; d++) { HEX_VALUE[0x41 + d] = 10 + d; HEX_VALUE[0x61 + d] = 10 + d; }

/** 2^(8 * width) - 1, for widths up to 4. */
const UINT_MAX = [0, 0xff, 0xffff, 0xffffff, 0xffffffff];

function hexValue(c: number): number {
  return c < 128 ? HEX_VALUE[c]! : -1;
}

function lineRangeOf(line: number, start: number, end: number): TextRange {
  return { start: { line, character: start }, end: { line, character: end } };
}

// ---------------------------------------------------------------------------------------------
// The text as character codes: reading a typed array is several times faster than charCodeAt.

type Codes = Uint8Array | Uint16Array;

/**
 * The UTF-16 code units of `text` in a typed array: one byte each when the text is ASCII (nearly
 * always), else two. `ascii` may pass the bytes the text was decoded from when they are ASCII.
 */
function charCodes(text: string, ascii?: Uint8Array): Codes {
  if (ascii && ascii.length === text.length) return ascii;
  if (Buffer.byteLength(text, 'utf8') === text.length) return Buffer.from(text, 'latin1');
  return stringCodes(text);
}

function stringCodes(text: string): Uint16Array {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

const NAME_CODES: Uint16Array = stringCodes(NAMES.join(''));
const NAME_STARTS: Int32Array = (() => {
  const starts = new Int32Array(NAMES.length);
  let at = 0;
  NAMES.forEach((name, id) => { starts[id] = at; at += name.length; });
  return starts;
})();

// ---------------------------------------------------------------------------------------------
// Tokens: nine numbers each in one Int32Array

const T_LINE = 0;
const T_NAME = 1;
const T_NAME_START = 2;
const T_NAME_END = 3;
const T_VALUE_START = 4;
const T_VALUE_END = 5;
const T_LINE_START = 6;
const T_LINE_END = 7;
/** Where column 0 of the token's line is in the text; -1 when the columns index a copy of the line with comments blanked. */
const T_BASE = 8;
const T_STRIDE = 9;

class Tokens {
  data: Int32Array;
  count = 0;
  /** Lines that held comments, as lexed (comments blanked out), by token index. */
  private readonly lines = new Map<number, string>();
  /** The value text of `****` tokens, by token index. */
  private readonly opaqueValues = new Map<number, string>();

  constructor(public text: string, public codes: Codes, capacity: number) {
    this.data = new Int32Array(Math.max(capacity, 16) * T_STRIDE);
  }

  push(line: number, name: number, nameStart: number, nameEnd: number, valueStart: number, valueEnd: number, lineStart: number, lineEnd: number, base: number, code: string | undefined): void {
    if ((this.count + 1) * T_STRIDE > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    const o = this.count * T_STRIDE;
    d[o + T_LINE] = line;
    d[o + T_NAME] = name;
    d[o + T_NAME_START] = nameStart;
    d[o + T_NAME_END] = nameEnd;
    d[o + T_VALUE_START] = valueStart;
    d[o + T_VALUE_END] = valueEnd;
    d[o + T_LINE_START] = lineStart;
    d[o + T_LINE_END] = lineEnd;
    d[o + T_BASE] = code === undefined ? base : -1;
    if (code !== undefined) this.lines.set(this.count, code);
    this.count++;
  }

  pushOpaque(line: number, value: string, lineLength: number): void {
    this.opaqueValues.set(this.count, value);
    this.push(line, OPAQUE_ID, 0, 0, 0, lineLength, 0, lineLength, 0, '');
  }

  /**
   * Reading is done: the model keeps only the numbers (for its locations), not the text, its
   * codes, the lines with comments or the growth slack.
   */
  trim(): void {
    if (this.data.length > (this.count + 16) * T_STRIDE * 1.25) this.data = this.data.slice(0, Math.max(this.count, 1) * T_STRIDE);
    this.text = '';
    this.codes = new Uint8Array(0);
    this.lines.clear();
    this.opaqueValues.clear();
  }

  nameId(k: number): number {
    return this.data[k * T_STRIDE + T_NAME]!;
  }

  line(k: number): number {
    return this.data[k * T_STRIDE + T_LINE]!;
  }

  get(k: number, field: number): number {
    return this.data[k * T_STRIDE + field]!;
  }

  /** The string the token's columns index, and where its column 0 is in it. */
  private source(k: number): { src: string; base: number } {
    const base = this.data[k * T_STRIDE + T_BASE]!;
    return base >= 0 ? { src: this.text, base } : { src: this.lines.get(k)!, base: 0 };
  }

  name(k: number): string {
    const id = this.nameId(k);
    if (id >= 0) return NAMES[id]!;
    const { src, base } = this.source(k);
    const o = k * T_STRIDE;
    return src.slice(base + this.data[o + T_NAME_START]!, base + this.data[o + T_NAME_END]!);
  }

  value(k: number): string {
    if (this.nameId(k) === OPAQUE_ID && this.opaqueValues.has(k)) return this.opaqueValues.get(k)!;
    const { src, base } = this.source(k);
    const o = k * T_STRIDE;
    return src.slice(base + this.data[o + T_VALUE_START]!, base + this.data[o + T_VALUE_END]!);
  }

  /**
   * For uint fields: the value parsed in place, without slicing the text. NaN when it is not a
   * hex number or not below 2^53 (where doubles stop being exact); the caller then takes the slow path.
   */
  hexNumber(k: number): number {
    const o = k * T_STRIDE;
    const base = this.data[o + T_BASE]!;
    if (base < 0) return NaN;
    const codes = this.codes;
    let s = base + this.data[o + T_VALUE_START]!;
    const e = base + this.data[o + T_VALUE_END]!;
    if (e - s >= 2 && codes[s] === 0x30 && (codes[s + 1]! | 0x20) === 0x78) s += 2;
    if (e <= s) return NaN;
    let n = 0;
    for (let i = s; i < e; i++) {
      const d = hexValue(codes[i]!);
      if (d < 0) return NaN;
      n = n * 16 + d;
    }
    // Every partial value is at most n, so below 2^53 all of them were exact.
    return n <= Number.MAX_SAFE_INTEGER ? n : NaN;
  }

  /** The token as an object (for formatting.ts, through lexSource). */
  token(k: number): FieldToken {
    const o = k * T_STRIDE;
    const d = this.data;
    return {
      line: d[o + T_LINE]!, name: this.name(k), nameStart: d[o + T_NAME_START]!, nameEnd: d[o + T_NAME_END]!,
      value: this.value(k), valueStart: d[o + T_VALUE_START]!, valueEnd: d[o + T_VALUE_END]!,
      lineStart: d[o + T_LINE_START]!, lineEnd: d[o + T_LINE_END]!,
    };
  }

  /** The FieldLoc of a field read from token `k`. */
  fieldLoc(k: number, offset: number, width: number): FieldLoc {
    const o = k * T_STRIDE;
    const d = this.data;
    return {
      offset, width, line: d[o + T_LINE]!, nameStart: d[o + T_NAME_START]!, nameEnd: d[o + T_NAME_END]!,
      valueStart: d[o + T_VALUE_START]!, valueEnd: d[o + T_VALUE_END]!, lineStart: d[o + T_LINE_START]!, lineEnd: d[o + T_LINE_END]!,
    };
  }
}

interface CompactLexed {
  tokens: Tokens;
  raw?: RawTableData;
  findings: Finding[];
}

/** The id of the known field name at `codes[at, at + length)`, or UNKNOWN_NAME. */
function nameIdAt(codes: Codes, at: number, length: number): number {
  const first = codes[at]!;
  if (length === 0 || first >= 128) return UNKNOWN_NAME;
  const candidates = NAMES_BY_LENGTH_AND_FIRST[length * 128 + first];
  if (candidates === undefined) return UNKNOWN_NAME;
  for (let i = 0; i < candidates.length; i++) {
    const id = candidates[i]!;
    const o = NAME_STARTS[id]!;
    let j = 1;
    while (j < length && codes[at + j] === NAME_CODES[o + j]) j++;
    if (j === length) return id;
  }
  return UNKNOWN_NAME;
}

/** Remove comments from one line (same length, comments blanked), carrying an open block comment across lines. */
function stripComments(line: string, state: { inComment: boolean }): string {
  let code = '';
  let i = 0;
  let from = 0;
  let inString = false;
  while (i < line.length) {
    if (state.inComment) {
      const close = line.indexOf('*/', i);
      if (close < 0) { i = from = line.length; break; }
      state.inComment = false;
      code += ' '.repeat(close + 2 - i);
      i = from = close + 2;
      continue;
    }
    const c = line.charCodeAt(i);
    if (c === 0x22 /* " */) inString = !inString;
    else if (!inString && c === 0x2f /* / */) {
      const next = line.charCodeAt(i + 1);
      if (next === 0x2f) { code += line.slice(from, i); i = from = line.length; break; }
      if (next === 0x2a) { code += line.slice(from, i) + '  '; state.inComment = true; i += 2; from = i; continue; }
    }
    i++;
  }
  return code + line.slice(from, i);
}

/**
 * The next `ch` in the whole text at or after a position: found by one indexOf and reused until a
 * search starts past it, so no line is scanned twice and no search is quadratic. The search is
 * the string's (the text and its codes have the same indices): a third faster per call than a
 * Buffer's indexOf, which goes through JavaScript argument handling into C++.
 */
class NextChar {
  private at = -1;

  constructor(private readonly text: string, private readonly ch: string) {}

  /** The first `ch` in the text's [base + from, base + end), relative to base, or -1. */
  within(base: number, from: number, end: number): number {
    if (this.at < base + from) {
      const at = this.text.indexOf(this.ch, base + from);
      this.at = at < 0 ? this.text.length : at;
    }
    return this.at < base + end ? this.at - base : -1;
  }
}

/** The first `ch` in `codes[from, end)`, or -1. */
function find(codes: Codes, ch: number, from: number, end: number): number {
  const at = codes.indexOf(ch, from);
  return at >= 0 && at < end ? at : -1;
}

/**
 * Split the text into field tokens, comments removed; collect the Raw Table Data block. Works on
 * the text's character codes (`ascii`: the bytes it was decoded from, when they are ASCII).
 */
function lexCompact(text: string, ascii?: Uint8Array, firstLine = 0): CompactLexed {
  const n = text.length;
  const codes = charCodes(text, ascii);
  const tokens = new Tokens(text, codes, (n >> 5) + 16);
  const findings: Finding[] = [];
  let raw: { declared: number; bytes: number[]; present: number[]; startLine: number; endLine: number } | undefined;
  let inRaw = false;
  const comment = { inComment: false };
  let lineNo = firstLine;
  let pos = 0;
  // Where a line holds no comment, its '/' and '[' are looked for in the whole text.
  const nextSlash = new NextChar(text, '/');
  const nextOpen = new NextChar(text, '[');
  while (pos <= n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    const lineAbs = pos;
    const lineEndAbs = eol > pos && codes[eol - 1] === 0x0d ? eol - 1 : eol;
    const lineLength = lineEndAbs - lineAbs;
    const current = lineNo;
    pos = eol + 1;
    lineNo++;

    // Raw dump rows come first: their ASCII column may hold anything, comment openers included.
    if (inRaw && !comment.inComment) {
      const m = RAW_ROW.exec(text.slice(lineAbs, lineEndAbs));
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

    // The line's code: the text itself (columns from lineAbs), or, when the line holds a comment,
    // a copy with the comments blanked out (same columns).
    let src = codes;
    let base = lineAbs;
    let len = lineLength;
    let code: string | undefined;
    if (comment.inComment || nextSlash.within(lineAbs, 0, lineLength) >= 0) {
      code = stripComments(text.slice(lineAbs, lineEndAbs), comment);
      src = stringCodes(code);
      base = 0;
      len = code.length;
    }

    // Trim by index.
    let first = 0;
    while (first < len && isSpace(src[base + first]!)) first++;
    if (first === len) continue;
    let last = len;
    while (last > first && isSpace(src[base + last - 1]!)) last--;

    if (inRaw) inRaw = false;
    const c0 = src[base + first]!;
    if ((c0 | 0x20) === 0x72 /* R or r */ && first + 1 < len && (src[base + first + 1]! | 0x20) === 0x61 /* a */) {
      const line = code ?? text.slice(lineAbs, lineEndAbs);
      const rawTitle = /^Raw Table Data\s*:\s*Length\s+(\d+)/i.exec(line.slice(first, last));
      if (rawTitle) {
        raw = { declared: Number(rawTitle[1]), bytes: [], present: [], startLine: current, endLine: current };
        inRaw = true;
        continue;
      }
    }
    if (c0 === 0x2a /* * */ && last - first >= 4 && src[base + first + 1] === 0x2a && src[base + first + 2] === 0x2a && src[base + first + 3] === 0x2a) {
      // iasl -d's note that it could not decode a subtable: the body is only in the Raw Table Data.
      tokens.pushOpaque(current, (code ?? text.slice(lineAbs, lineEndAbs)).slice(first, last), lineLength);
      continue;
    }

    // Optional `[...]` prefix, then `Name : Value`.
    let at = first;
    const lineStart = at;
    if (c0 === 0x5b /* [ */) {
      // A short prefix: scanned, like the name below.
      let close = at + 1;
      while (close < last && src[base + close] !== 0x5d /* ] */) close++;
      if (close === last) {
        findings.push({ rule: 'syntax', range: lineRangeOf(current, at, lineLength), message: 'Unclosed `[` prefix: expected `[width]` or `[offset offset width]` before the field name.' });
        continue;
      }
      at = close + 1;
    }
    // The name starts at the first character that is not a space, and the colon is the first one
    // from there on: one scan over the line's spaces and name, which are read anyway, and no
    // search call per line.
    let nameStart = at;
    while (nameStart < last && isSpace(src[base + nameStart]!)) nameStart++;
    let colon = nameStart;
    while (colon < last && src[base + colon] !== 0x3a /* : */) colon++;
    if (colon === last) {
      const line = code ?? text.slice(lineAbs, lineEndAbs);
      findings.push({ rule: 'syntax', range: lineRangeOf(current, lineStart, lineStart + (last - first)), message: `Cannot read "${line.slice(first, last)}": expected \`Field Name : Value\`.` });
      continue;
    }
    let nameEnd = colon;
    while (nameEnd > nameStart && isSpace(src[base + nameEnd - 1]!)) nameEnd--;
    const name = nameIdAt(src, base + nameStart, nameEnd - nameStart);
    let valueStart = colon + 1;
    while (valueStart < len && isSpace(src[base + valueStart]!)) valueStart++;
    let valueEnd = valueStart;
    if (valueStart < last) {
      valueEnd = last;
      // A decoded name in brackets after the value (`0001 [Reserved Memory Region]`) is iasl's comment.
      if (src[base + valueStart] === 0x22 /* " */) {
        let close = valueStart + 1;
        while (close < last && src[base + close] !== 0x22) close++;
        if (close < last) {
          let after = close + 1;
          while (after < last && isSpace(src[base + after]!)) after++;
          if (after === last || (src[base + after] === 0x5b && src[base + last - 1] === 0x5d)) valueEnd = close + 1;
        }
      } else if (src[base + last - 1] === 0x5d /* ] */) {
        // Only a line ending in `]` can carry one: the `[` is looked for then.
        const bracket = code === undefined ? nextOpen.within(base, valueStart, last) : find(src, 0x5b, valueStart, last);
        if (bracket > valueStart) {
          valueEnd = bracket;
          while (valueEnd > valueStart && isSpace(src[base + valueEnd - 1]!)) valueEnd--;
        }
      }
    }
    tokens.push(current, name, nameStart, nameEnd, valueStart, valueEnd, lineStart, last, base, code);
    if (nameEnd === nameStart) {
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

/** Split the text into field tokens, comments removed; collect the Raw Table Data block. */
export function lexSource(text: string): { tokens: FieldToken[]; raw?: RawTableData; findings: Finding[] } {
  const lexed = lexCompact(text);
  const tokens: FieldToken[] = [];
  for (let k = 0; k < lexed.tokens.count; k++) tokens.push(lexed.tokens.token(k));
  return { tokens, raw: lexed.raw, findings: lexed.findings };
}

// ---------------------------------------------------------------------------------------------
// Parser

/** Where each field of each node sits, as numbers; nodes' `loc.fields` are built from it on demand. */
class FieldTable implements FieldLocSource {
  /** Per field: key id, token index (-1 when the field is missing), offset, width. */
  data: Int32Array;
  count = 0;
  /** The end position rangeOf made last, and the token it is the end of. */
  private lastEndToken = -1;
  private lastEnd: Position | undefined;

  constructor(private readonly tokens: Tokens, capacity: number) {
    this.data = new Int32Array(Math.max(capacity, 16) * 4);
  }

  add(key: number, token: number, offset: number, width: number): void {
    if ((this.count + 1) * 4 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const o = this.count * 4;
    this.data[o] = key;
    this.data[o + 1] = token;
    this.data[o + 2] = offset;
    this.data[o + 3] = width;
    this.count++;
  }

  private fieldLoc(i: number): FieldLoc {
    const d = this.data;
    const token = d[i * 4 + 1]!;
    return token < 0 ? { offset: d[i * 4 + 2]!, width: d[i * 4 + 3]! } : this.tokens.fieldLoc(token, d[i * 4 + 2]!, d[i * 4 + 3]!);
  }

  fieldOf(from: number, to: number, key: string): FieldLoc | undefined {
    // The record keeps the last value of a key read twice; so does this.
    const id = KEY_IDS.get(key);
    for (let i = to - 1; i >= from; i--) if (this.data[i * 4] === id) return this.fieldLoc(i);
    return undefined;
  }

  fieldsOf(from: number, to: number): Record<string, FieldLoc> {
    const out: Record<string, FieldLoc> = {};
    for (let i = from; i < to; i++) out[KEYS[this.data[i * 4]!]!] = this.fieldLoc(i);
    return out;
  }

  rangeOf(first: number, last: number): TextRange {
    const t = this.tokens;
    // A structure ends where its last scope ends: the two ranges share that position.
    if (last !== this.lastEndToken) {
      this.lastEndToken = last;
      this.lastEnd = { line: t.line(last), character: t.get(last, T_LINE_END) };
    }
    return { start: { line: t.line(first), character: t.get(first, T_LINE_START) }, end: this.lastEnd! };
  }

  trim(): void {
    if (this.data.length > (this.count + 16) * 4 * 1.25) this.data = this.data.slice(0, Math.max(this.count, 1) * 4);
  }
}

class SourceParser {
  private k = 0;
  private offset = 0;
  readonly findings: Finding[];
  private readonly fields: FieldTable;
  private readonly count: number;

  constructor(private readonly tokens: Tokens, private readonly raw: RawTableData | undefined, findings: Finding[]) {
    this.findings = findings;
    this.count = tokens.count;
    this.fields = new FieldTable(tokens, tokens.count + 16);
  }

  /** The id of the next token's name; -2 at the end. */
  private peekName(): number {
    return this.k < this.count ? this.tokens.nameId(this.k) : -2;
  }

  /** A node starting here: its fields are the ones read from now on. */
  private open(offset: number): NodeLoc {
    return lazyFieldsLoc(offset, this.fields, this.fields.count);
  }

  /** The node's own fields are all read (a structure's scopes follow them, with their own). */
  private close(loc: NodeLoc): void {
    closeLazyFieldsLoc(loc, this.fields.count);
  }

  /** The node's text: from token `first` to the last token read. */
  private end(loc: NodeLoc, first: number): void {
    loc.range = this.fields.rangeOf(first, this.k - 1 >= 0 ? this.k - 1 : first);
  }

  /**
   * Read one structure from the tokens, which start with its `Subtable Type` line, as if it sat at
   * table offset `offset`. Undefined unless it takes all the tokens.
   */
  parseLoneStructure(offset: number): Structure | undefined {
    if (this.count === 0 || this.tokens.nameId(0) !== STRUCTURE_START_ID) return undefined;
    this.offset = offset;
    const s = this.parseStructure();
    return this.k === this.count ? s : undefined;
  }

  /** Finish the field table (the parser's fields are all read). */
  finish(): void {
    this.tokens.trim();
    this.fields.trim();
  }

  private report(rule: string, t: number, message: string, which: 'line' | 'value' | 'name' = 'line'): void {
    let range: TextRange;
    if (t < 0 || t >= this.count) range = this.endRange();
    else {
      const line = this.tokens.line(t);
      const vs = this.tokens.get(t, T_VALUE_START);
      const ve = this.tokens.get(t, T_VALUE_END);
      range = which === 'value' && ve > vs ? lineRangeOf(line, vs, ve)
        : which === 'name' ? lineRangeOf(line, this.tokens.get(t, T_NAME_START), this.tokens.get(t, T_NAME_END))
          : lineRangeOf(line, this.tokens.get(t, T_LINE_START), this.tokens.get(t, T_LINE_END));
    }
    this.findings.push({ rule, range, message });
  }

  private endRange(): TextRange {
    const last = this.count - 1;
    const line = last >= 0 ? this.tokens.line(last) : 0;
    const ch = last >= 0 ? this.tokens.get(last, T_LINE_END) : 0;
    return lineRangeOf(line, ch, ch);
  }

  private nameText(t: number): string {
    return this.tokens.name(t);
  }

  /** Parse a value for a field; reports and returns a fallback when it cannot. */
  private parseValue(spec: FieldSpec, t: number, width = spec.width, label = spec.names[0]!): unknown {
    if (spec.kind === 'uint') {
      // The common case, parsed from the text's characters (what the slow path below returns
      // for any valid value below 2^53 that fits the field, without a report).
      const n = this.tokens.hexNumber(t);
      if (n === n) {
        if (width <= 4) {
          if (n <= UINT_MAX[width]!) return n;
        } else if (width >= 7) return BigInt(n);
      }
    }
    const v = this.tokens.value(t);
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
    if (!/^[0-9A-Fa-f]+$/.test(digits)) {
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
  private readGroup(group: CompiledGroup, node: Record<string, unknown>, stop: Uint8Array): void {
    const specs = group.specs;
    let i = 0;
    while (i < specs.length) {
      const spec = specs[i]!;
      const t = this.k < this.count ? this.k : -1;
      const id = t >= 0 ? this.tokens.nameId(t) : UNKNOWN_NAME;
      if (id >= 0 && group.accepts[i]![id]) {
        const value = this.parseValue(spec, t);
        node[spec.key] = value;
        const width = spec.kind === 'name' ? (value as string).length + 1 : spec.width;
        this.fields.add(group.keys[i]!, t, this.offset, width);
        this.offset += width;
        this.k++;
        i++;
        continue;
      }
      const parts = group.partAccepts[i];
      if (id >= 0 && parts !== undefined && parts[id]) {
        this.readParts(spec, node);
        i++;
        continue;
      }
      let later = -1;
      if (id >= 0) {
        for (let j = i + 1; j < specs.length; j++) {
          if (group.accepts[j]![id] || group.partAccepts[j]?.[id]) { later = j; break; }
        }
      }
      if (t < 0 || (id >= 0 && stop[id]) || later >= 0) {
        const upTo = later >= 0 ? later : specs.length;
        const missing = specs.slice(i, upTo);
        const where = t >= 0 ? `before "${this.nameText(t)}"` : 'at the end of the file';
        this.report('field-order', t, `Missing ${missing.map((m) => `"${m.names[0]}"`).join(', ')} ${where}. iasl compiles fields in the order the structure defines, so it would stop here.`, 'name');
        for (const m of missing) {
          node[m.key] = m.kind === 'bytes' ? new Uint8Array(m.width) : m.kind === 'ascii' || m.kind === 'name' ? '' : m.width > 4 ? 0n : 0;
          this.fields.add(keyId(m.key), -1, this.offset, m.width);
          this.offset += m.kind === 'name' ? 1 : m.width;
        }
        i = upTo;
        continue;
      }
      this.reportStray(t, `"${spec.names[0]}"`);
      this.k++;
    }
  }

  private readParts(spec: FieldSpec, node: Record<string, unknown>): void {
    let value = 0;
    let shift = 0;
    const first = this.k;
    for (const part of spec.parts!) {
      const t = this.k < this.count ? this.k : -1;
      if (t >= 0 && this.tokens.nameId(t) >= 0 && partAccepts(part)[this.tokens.nameId(t)]) {
        value += (this.parseValue(spec, t, part.width, part.names[0]) as number) * 2 ** shift;
        this.k++;
      } else {
        this.report('field-order', t, `Missing "${part.names[0]}" after "${this.nameText(first)}".`, 'name');
      }
      shift += part.width * 8;
    }
    node[spec.key] = value;
    this.fields.add(keyId(spec.key), first, this.offset, spec.width);
    this.offset += spec.width;
  }

  private reportStray(t: number, expected: string): void {
    const id = this.tokens.nameId(t);
    if (id >= 0 && id !== OPAQUE_ID) {
      const name = NAMES[id]!;
      this.report('field-order', t, `"${name}" is out of place: ${expected} comes here. iasl compiles fields in order and would stop.`, 'name');
    } else if (id === OPAQUE_ID || this.tokens.get(t, T_NAME_END) > this.tokens.get(t, T_NAME_START)) {
      this.report('syntax', t, `Unknown field "${this.nameText(t)}" here; expected ${expected}.`, 'name');
    }
  }

  parseTable(): DmarTable {
    const loc = this.open(0);
    const table = { form: 'source', structures: [] as Structure[], trailing: new Uint8Array(0), loc } as unknown as DmarTable;
    const node = table as unknown as Record<string, unknown>;
    this.readGroup(compiled(TABLE_HEADER_FIELDS), node, STOP_TABLE_HEADER);
    this.readGroup(compiled(DMAR_FIELDS), node, STOP_DMAR_HEADER);
    this.close(loc);
    this.recoverAsciiFromRaw(table);
    if (table.signature !== 'DMAR' && table.loc.fields.signature?.line !== undefined) {
      const f = table.loc.fields.signature;
      this.findings.push({ rule: 'syntax', range: lineRangeOf(f.line!, f.valueStart!, f.valueEnd!), message: `Signature "${table.signature}" is not "DMAR": this tool reads DMAR tables only.` });
    }
    while (this.k < this.count) {
      const id = this.tokens.nameId(this.k);
      if (id === STRUCTURE_START_ID) {
        table.structures.push(this.parseStructure());
      } else if (id === OPAQUE_ID) {
        this.k++;
      } else {
        this.reportStray(this.k, `"${STRUCTURE_START}" (the start of a remapping structure)`);
        this.k++;
      }
    }
    // Table Length counts bytes after the last structure that only the Raw Table Data shows.
    if (this.raw && table.length > this.offset && this.rawCovers(this.offset, table.length)) {
      table.trailing = this.raw.bytes.slice(this.offset, table.length);
    }
    if (this.raw) table.rawData = this.raw;
    if (this.count > 0) table.loc.range = { start: { line: this.tokens.line(0), character: 0 }, end: this.endRange().end };
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

  /** The text from the start of token `first` to the end of the last token read. */
  private spanRange(first: number): TextRange {
    const last = this.k - 1 >= 0 ? this.k - 1 : first;
    return {
      start: { line: this.tokens.line(first), character: this.tokens.get(first, T_LINE_START) },
      end: { line: this.tokens.line(last), character: this.tokens.get(last, T_LINE_END) },
    };
  }

  private parseStructure(): Structure {
    const start = this.offset;
    const first = this.k;
    const loc = this.open(start);
    const head: Record<string, unknown> = { tail: NO_BYTES, loc, type: 0, length: 0 };
    this.readGroup(TYPE_GROUP, head, NEVER);
    this.readGroup(AFTER_TYPE_GROUP, head, STOP_STRUCTURE_HEADER);
    const type = head.type as number;
    const spec = STRUCTURE_BY_TYPE.get(type);
    if (this.peekName() === OPAQUE_ID) {
      this.close(loc);
      this.k++;
      return this.finishOpaque(head, start, first);
    }
    let node = head;
    if (!spec) {
      this.close(loc);
      node.kind = 'unknown';
      node.data = NO_BYTES;
      node.dataKnown = false;
      while (this.k < this.count && this.tokens.nameId(this.k) !== STRUCTURE_START_ID) {
        this.report('syntax', this.k, `Structure type 0x${hex(type, 4)} is unknown, so it has no field "${this.nameText(this.k)}"; its bytes can only come from the Raw Table Data block.`, 'name');
        this.k++;
      }
    } else {
      node = newStructureNode(spec, head);
      this.readGroup(compiled(spec.fields), node, STOP_STRUCTURE_HEADER);
      this.close(loc);
      if (spec.scopeTypes) {
        node.scopes = this.parseScopes();
      } else {
        while (this.atScope()) {
          this.report('field-order', this.k, `A ${spec.short} has no device scopes; this scope cannot be compiled here.`, 'name');
          this.parseScope();
        }
      }
      if (spec.kind === 'andd') {
        node.nameTerminated = true;
        node.padding = NO_BYTES;
      }
    }
    // Stray tokens until the next structure.
    while (this.k < this.count && this.tokens.nameId(this.k) !== STRUCTURE_START_ID) {
      if (this.tokens.nameId(this.k) === OPAQUE_ID) { this.k++; continue; }
      this.reportStray(this.k, `"${STRUCTURE_START}" or a device scope`);
      this.k++;
    }
    const s = node as unknown as Structure;
    this.recoverFromRaw(s, start);
    this.offset = start + encodedStructureSize(s);
    this.end(loc, first);
    return s;
  }

  /**
   * A structure iasl -d could not decode (`**** Unknown DMAR subtable type`): its Type and Length
   * lines stand in the source, its body only in the Raw Table Data. Decode it from there.
   */
  private finishOpaque(node: Record<string, unknown>, start: number, first: number): Structure {
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
    s.loc.range = this.spanRange(first);
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

  private atPath(): boolean {
    return this.k < this.count && this.tokens.nameId(this.k) === PATH_ID;
  }

  /** Reads the path element at the current token, the scope's `index`th. */
  private readPathElement(index: number): PathElement {
    const t = this.k;
    const element = this.pathElement(t);
    if (!element) {
      this.report('syntax', t, `"${this.tokens.value(t)}" is not a path element: write device and function in hex as \`DD,FF\` (for example 1F,03).`, 'value');
    }
    this.fields.add(pathKey(index), t, this.offset, 2);
    this.offset += 2;
    this.k++;
    return element ?? { device: 0, function: 0 };
  }

  /** A path element `DD,FF` (one or two hex digits each, spaces around the comma), or undefined. */
  private pathElement(t: number): { device: number; function: number } | undefined {
    const v = this.tokens.value(t);
    const n = v.length;
    let i = 0;
    let device = 0;
    let digits = 0;
    for (; i < n && digits < 2; i++, digits++) {
      const d = hexValue(v.charCodeAt(i));
      if (d < 0) break;
      device = device * 16 + d;
    }
    if (digits === 0) return undefined;
    while (i < n && isSpace(v.charCodeAt(i))) i++;
    if (v.charCodeAt(i) !== 0x2c /* , */) return undefined;
    i++;
    while (i < n && isSpace(v.charCodeAt(i))) i++;
    let fn = 0;
    digits = 0;
    for (; i < n && digits < 2; i++, digits++) {
      const d = hexValue(v.charCodeAt(i));
      if (d < 0) break;
      fn = fn * 16 + d;
    }
    if (digits === 0 || i !== n) return undefined;
    return { device, function: fn };
  }

  private atScope(): boolean {
    return this.k < this.count && SCOPE_START[this.tokens.nameId(this.k)] === 1;
  }

  /**
   * The scopes from here on, in an array of their number when there is one (most RMRRs of a
   * large table have one): an array grown by push keeps room for 17 elements.
   */
  private parseScopes(): DeviceScope[] {
    if (!this.atScope()) return [];
    const first = this.parseScope();
    if (!this.atScope()) return [first];
    const scopes = [first];
    do scopes.push(this.parseScope()); while (this.atScope());
    return scopes;
  }

  private parseScope(): DeviceScope {
    const first = this.k;
    const start = this.offset;
    const loc = this.open(start);
    const node: Record<string, unknown> = { ...SCOPE_NODE };
    node.loc = loc;
    node.tail = NO_BYTES;
    this.readGroup(SCOPE_TYPE_GROUP, node, NEVER);
    this.readGroup(AFTER_SCOPE_TYPE_GROUP, node, STOP_SCOPE_HEADER);
    let path: PathElement[] = [];
    if (this.atPath()) {
      // Sized as for the scopes (parseScopes): one element is the common path.
      path = [this.readPathElement(0)];
      while (this.atPath()) path.push(this.readPathElement(path.length));
    }
    this.close(loc);
    node.path = path;
    const scope = node as unknown as DeviceScope;
    this.recoverScopeTail(scope, start);
    this.offset = start + encodedScopeSize(scope);
    this.end(loc, first);
    return scope;
  }
}

/**
 * A new node of a structure kind with every property it will have, in the order a reader sets
 * them (what structuredClone, a spread and Object.keys show): tail, loc, type and length from
 * `head`, the kind, its fields, then scopes or an ANDD's name details. One object of the final
 * shape instead of one grown a property at a time (a table can hold tens of thousands).
 */
function newStructureNode(spec: StructureSpec, head: Record<string, unknown>): Record<string, unknown> {
  let template = STRUCTURE_NODES.get(spec);
  if (!template) {
    const keys = ['tail', 'loc', 'type', 'length', 'kind', ...spec.fields.map((f) => f.key)];
    if (spec.scopeTypes) keys.push('scopes');
    if (spec.kind === 'andd') keys.push('nameTerminated', 'padding');
    STRUCTURE_NODES.set(spec, template = nodeTemplate(keys));
  }
  const node = { ...template };
  node.tail = head.tail;
  node.loc = head.loc;
  node.type = head.type;
  node.length = head.length;
  node.kind = spec.kind;
  return node;
}

const STRUCTURE_NODES = new Map<StructureSpec, Readonly<Record<string, unknown>>>();

/** A scope node's properties in the order the reader sets them (see newStructureNode); each is set. */
const SCOPE_NODE = nodeTemplate(['loc', 'tail', ...SCOPE_FIELDS.map((f) => f.key), 'path']);

/**
 * An object with these keys, in this order, all null, to be copied with a spread and filled in.
 * Made by JSON.parse because it lays every property out in the object itself, and a spread copy
 * keeps that layout: one allocation per node, where an object grown key by key (or one copied
 * from such an object) carries a separate property array.
 */
function nodeTemplate(keys: readonly string[]): Readonly<Record<string, unknown>> {
  return JSON.parse(`{${keys.map((k) => `${JSON.stringify(k)}:null`).join(',')}}`) as Record<string, unknown>;
}

/**
 * A structure of a source read again on its own: `text` holds exactly the lines of the structure
 * (the first is its `Subtable Type` line, which is line `firstLine` of the source), and the
 * structure starts at table offset `offset` and reads against the table's `raw` block. Returns
 * undefined unless it reads as one structure with no finding at all, which is when reading the
 * whole source gives this same structure (document.ts, rereadSourceLine, checks the rest).
 */
export function readLoneStructure(text: string, firstLine: number, offset: number, raw: RawTableData | undefined): Structure | undefined {
  const lexed = lexCompact(text, undefined, firstLine);
  if (lexed.findings.length > 0 || lexed.raw) return undefined;
  const parser = new SourceParser(lexed.tokens, raw, lexed.findings);
  const s = parser.parseLoneStructure(offset);
  parser.finish();
  return s && parser.findings.length === 0 ? s : undefined;
}

/** `ascii`: the bytes `text` was decoded from, when they are all ASCII (spares converting the text back). */
export function readSource(text: string, ascii?: Uint8Array): ReadResult {
  const lexed = lexCompact(text, ascii);
  const parser = new SourceParser(lexed.tokens, lexed.raw, lexed.findings);
  const table = parser.parseTable();
  parser.finish();
  if (lexed.tokens.count === 0) {
    parser.findings.push({ rule: 'syntax', range: lineRangeOf(0, 0, 0), message: 'No DMAR fields here: a DMAR source starts with `Signature : "DMAR"` (run `iasl -T DMAR` for a template).' });
  }
  return { table, findings: parser.findings };
}
