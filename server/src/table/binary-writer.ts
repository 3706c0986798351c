// Model -> binary table. Two modes: `lossless` keeps every Length and the checksum as written
// (binary -> model -> binary gives back the same bytes); the default recomputes them, as iasl
// does when it compiles.

import { tableChecksumByte, writeAscii, writeUint } from './bytes';
import { DMAR_FIELDS, FieldSpec, SCOPE_FIELDS, STRUCTURE_BY_KIND, TABLE_HEADER_FIELDS } from './fields';
import type { DeviceScope, DmarTable, Structure } from './model';

export interface EncodeOptions {
  /** Keep Table Length, structure Lengths, scope Entry Lengths and the checksum as written. */
  lossless?: boolean;
  /** Drop what iasl's source language cannot express (ANDD name padding, trailing bytes), as iasl does. */
  iaslCompatible?: boolean;
  /** Replace the Creator ID and Revision, as iasl stamps its own. */
  creator?: { id: string; revision: number };
}

function writeFields(out: Uint8Array, offset: number, specs: readonly FieldSpec[], node: Record<string, unknown>): number {
  let o = offset;
  for (const spec of specs) {
    const value = node[spec.key];
    if (spec.kind === 'ascii') writeAscii(out, o, spec.width, String(value ?? ''));
    else if (spec.kind === 'bytes') out.set((value as Uint8Array).subarray(0, spec.width), o);
    else writeUint(out, o, spec.width, (value as number | bigint) ?? 0);
    o += spec.width;
  }
  return o;
}

function fieldsWidth(specs: readonly FieldSpec[]): number {
  let n = 0;
  for (const s of specs) n += s.width;
  return n;
}

/** Where a scope's Entry Length sits, to overwrite it with the computed size. */
const SCOPE_LENGTH = (() => {
  const i = SCOPE_FIELDS.findIndex((f) => f.key === 'length');
  return { offset: fieldsWidth(SCOPE_FIELDS.slice(0, i)), width: SCOPE_FIELDS[i]!.width };
})();

/** Per structure kind, its fixed-width fields (all but an ANDD name) and their width. */
const FIXED_FIELDS = new Map([...STRUCTURE_BY_KIND].map(([kind, spec]) => {
  const fields = spec.fields.filter((f) => f.kind !== 'name');
  return [kind, { fields, width: fieldsWidth(fields) }];
}));

export function encodeScope(scope: DeviceScope, options: EncodeOptions = {}): Uint8Array {
  const out = new Uint8Array(encodedScopeSize(scope));
  writeScope(out, 0, scope, !!options.lossless);
  return out;
}

/** Writes the scope at `offset` of `out` (large enough); returns the offset after it. */
function writeScope(out: Uint8Array, offset: number, scope: DeviceScope, lossless: boolean): number {
  const size = encodedScopeSize(scope);
  let o = writeFields(out, offset, SCOPE_FIELDS, scope as unknown as Record<string, unknown>);
  if (!lossless) writeUint(out, offset + SCOPE_LENGTH.offset, SCOPE_LENGTH.width, size);
  for (const p of scope.path) {
    out[o++] = p.device;
    out[o++] = p.function;
  }
  out.set(scope.tail, o);
  return o + scope.tail.length;
}

/** The bytes encodeStructure gives for `s` with these options. */
function structureSize(s: Structure, options: EncodeOptions): number {
  if (s.kind === 'unknown') return 4 + s.data.length + s.tail.length;
  let n = 4 + FIXED_FIELDS.get(s.kind)!.width;
  if (s.kind === 'andd') n += s.name.length + (s.nameTerminated || options.iaslCompatible ? 1 : 0) + (options.iaslCompatible ? 0 : s.padding.length);
  if ('scopes' in s) for (const scope of s.scopes) n += encodedScopeSize(scope);
  if (!options.iaslCompatible) n += s.tail.length;
  return n;
}

export function encodeStructure(s: Structure, options: EncodeOptions = {}): Uint8Array {
  const out = new Uint8Array(structureSize(s, options));
  writeStructure(out, 0, s, options);
  return out;
}

/**
 * Writes the structure at `offset` of `out` (large enough, zero-filled); returns the offset after
 * it. Writing in place lets encodeTable fill one buffer instead of joining one per structure.
 */
function writeStructure(out: Uint8Array, offset: number, s: Structure, options: EncodeOptions): number {
  let o = offset + 4;
  if (s.kind === 'unknown') {
    out.set(s.data, o);
    o += s.data.length;
  } else {
    o = writeFields(out, o, FIXED_FIELDS.get(s.kind)!.fields, s as unknown as Record<string, unknown>);
    if (s.kind === 'andd') {
      writeAscii(out, o, s.name.length, s.name);
      o += s.name.length;
      if (s.nameTerminated || options.iaslCompatible) out[o++] = 0;
      if (!options.iaslCompatible) {
        out.set(s.padding, o);
        o += s.padding.length;
      }
    }
    if ('scopes' in s) for (const scope of s.scopes) o = writeScope(out, o, scope, !!options.lossless);
  }
  if (!options.iaslCompatible || s.kind === 'unknown') {
    out.set(s.tail, o);
    o += s.tail.length;
  }
  writeUint(out, offset, 2, s.type);
  writeUint(out, offset + 2, 2, options.lossless ? s.length : o - offset);
  return o;
}

export function encodeTable(table: DmarTable, options: EncodeOptions = {}): Uint8Array {
  let size = 48 + (options.iaslCompatible ? 0 : table.trailing.length);
  for (const s of table.structures) size += structureSize(s, options);
  const out = new Uint8Array(size);
  let o = 48;
  for (const s of table.structures) o = writeStructure(out, o, s, options);
  if (!options.iaslCompatible) out.set(table.trailing, o);
  const node: Record<string, unknown> = { ...table, length: options.lossless ? table.length : out.length };
  if (options.iaslCompatible) {
    // iasl's strings are printable ASCII: a byte it cannot print came to it as a space.
    for (const f of TABLE_HEADER_FIELDS) if (f.kind === 'ascii') node[f.key] = String(node[f.key]).replace(/[^\x20-\x7e]/g, ' ');
  }
  if (options.creator) {
    node.creatorId = options.creator.id;
    node.creatorRevision = options.creator.revision;
  }
  const h = writeFields(out, 0, TABLE_HEADER_FIELDS, node);
  writeFields(out, h, DMAR_FIELDS, node);
  out[9] = options.lossless ? table.checksum : tableChecksumByte(out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The byte sum of the lossless encoding, without building it: what the checksum rule needs for a
// table of any size. Each function mirrors the writer above it byte for byte (writeUint's
// truncation to the field's width, writeAscii's `& 0xff`, a Uint8Array's modulo-256 stores).

function uintSum(width: number, value: number | bigint): number {
  if (typeof value === 'number') {
    // writeUint's fast path writes the low `width` (at most 4) bytes, which ToUint32 keeps.
    if (width <= 4 && Number.isInteger(value) && value >= 0) return lowBytesSum(value >>> 0, width);
  } else if (width === 8) {
    // A BigInt below 2^53 (an address, nearly always) has the bytes of its double: no BigInt
    // arithmetic, not even a comparison (Number() rounds any BigInt of 2^53 or more to at least
    // 2^53 and keeps the sign, so the test is the BigInt one).
    const n = Number(value);
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER) {
      const lo = n % 0x100000000;
      return lowBytesSum(lo, 4) + lowBytesSum((n - lo) / 0x100000000, 4);
    }
  }
  let v = BigInt(value);
  if (width === 8) {
    let lo = Number(v & 0xffffffffn);
    let hi = Number((v >> 32n) & 0xffffffffn);
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      sum += (lo & 0xff) + (hi & 0xff);
      lo >>>= 8;
      hi >>>= 8;
    }
    return sum;
  }
  let sum = 0;
  for (let i = 0; i < width; i++) {
    sum += Number(v & 0xffn);
    v >>= 8n;
  }
  return sum;
}

/** The sum of the low `width` (0 to 4) bytes of `n`, a whole number below 2^32. */
function lowBytesSum(n: number, width: number): number {
  switch (width) {
    case 0: return 0;
    case 1: return n & 0xff;
    case 2: return (n & 0xff) + ((n >>> 8) & 0xff);
    case 3: return (n & 0xff) + ((n >>> 8) & 0xff) + ((n >>> 16) & 0xff);
    default: return (n & 0xff) + ((n >>> 8) & 0xff) + ((n >>> 16) & 0xff) + (n >>> 24);
  }
}

function bytesSum(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += bytes[i]!;
  return sum;
}

function asciiSum(width: number, value: string): number {
  let sum = 0;
  for (let i = 0; i < width && i < value.length; i++) sum += value.charCodeAt(i) & 0xff;
  return sum;
}

const UINT = 0;
const ASCII = 1;
const BYTES = 2;

/** A field list as parallel arrays of numbers and keys: the sum below reads no spec object per field. */
interface SumPlan {
  keys: string[];
  widths: number[];
  kinds: number[];
}

function sumPlan(specs: readonly FieldSpec[]): SumPlan {
  return {
    keys: specs.map((s) => s.key), widths: specs.map((s) => s.width),
    kinds: specs.map((s) => (s.kind === 'ascii' ? ASCII : s.kind === 'bytes' ? BYTES : UINT)),
  };
}

function fieldsSum(plan: SumPlan, node: Record<string, unknown>): number {
  const { keys, widths, kinds } = plan;
  let sum = 0;
  for (let i = 0; i < keys.length; i++) {
    const value = node[keys[i]!];
    const kind = kinds[i]!;
    if (kind === UINT) sum += uintSum(widths[i]!, (value as number | bigint) ?? 0);
    else if (kind === ASCII) sum += asciiSum(widths[i]!, String(value ?? ''));
    else sum += bytesSum(value as Uint8Array, 0, Math.min((value as Uint8Array).length, widths[i]!));
  }
  return sum;
}

const TABLE_HEADER_PLAN = sumPlan(TABLE_HEADER_FIELDS);
const DMAR_PLAN = sumPlan(DMAR_FIELDS);
const SCOPE_PLAN = sumPlan(SCOPE_FIELDS);
const FIXED_PLANS = new Map([...FIXED_FIELDS].map(([kind, { fields }]) => [kind, sumPlan(fields)]));

/** The sum (mod 256) of the bytes of encodeTable(table, { lossless: true }), without allocating them. */
export function tableByteSum(table: DmarTable): number {
  let sum = fieldsSum(TABLE_HEADER_PLAN, table as unknown as Record<string, unknown>) - uintSum(1, table.checksum) + (table.checksum & 0xff);
  sum += fieldsSum(DMAR_PLAN, table as unknown as Record<string, unknown>);
  const structures = table.structures;
  for (let i = 0; i < structures.length; i++) {
    const s = structures[i]!;
    sum += uintSum(2, s.type) + uintSum(2, s.length) + bytesSum(s.tail);
    if (s.kind === 'unknown') {
      sum += bytesSum(s.data);
    } else {
      sum += fieldsSum(FIXED_PLANS.get(s.kind)!, s as unknown as Record<string, unknown>);
      if (s.kind === 'andd') sum += asciiSum(s.name.length, s.name) + bytesSum(s.padding);
      if ('scopes' in s) {
        const scopes = s.scopes;
        for (let j = 0; j < scopes.length; j++) {
          const scope = scopes[j]!;
          sum += fieldsSum(SCOPE_PLAN, scope as unknown as Record<string, unknown>) + bytesSum(scope.tail);
          const path = scope.path;
          for (let k = 0; k < path.length; k++) sum += (path[k]!.device & 0xff) + (path[k]!.function & 0xff);
        }
      }
    }
    sum &= 0xffffff;
  }
  return (sum + bytesSum(table.trailing)) & 0xff;
}

/** The size each structure really occupies, for comparing with the Length it declares. */
export function encodedStructureSize(s: Structure): number {
  if (s.kind === 'unknown') return 4 + s.data.length + s.tail.length;
  let n = 4 + FIXED_FIELDS.get(s.kind)!.width + s.tail.length;
  if (s.kind === 'andd') n += s.name.length + (s.nameTerminated ? 1 : 0) + s.padding.length;
  if ('scopes' in s) for (let j = 0; j < s.scopes.length; j++) n += encodedScopeSize(s.scopes[j]!);
  return n;
}

export function encodedScopeSize(scope: DeviceScope): number {
  return 6 + scope.path.length * 2 + scope.tail.length;
}
