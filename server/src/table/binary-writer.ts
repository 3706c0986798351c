// Model -> binary table. Two modes: `lossless` keeps every Length and the checksum as written
// (binary -> model -> binary gives back the same bytes); the default recomputes them, as iasl
// does when it compiles.

import { concatBytes, tableChecksumByte, writeAscii, writeUint } from './bytes';
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
  const size = 6 + scope.path.length * 2 + scope.tail.length;
  const out = new Uint8Array(size);
  let o = writeFields(out, 0, SCOPE_FIELDS, scope as unknown as Record<string, unknown>);
  if (!options.lossless) writeUint(out, SCOPE_LENGTH.offset, SCOPE_LENGTH.width, size);
  for (const p of scope.path) {
    out[o++] = p.device;
    out[o++] = p.function;
  }
  out.set(scope.tail, o);
  return out;
}

export function encodeStructure(s: Structure, options: EncodeOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  if (s.kind === 'unknown') {
    chunks.push(s.data);
  } else {
    const fixed = FIXED_FIELDS.get(s.kind)!;
    const head = new Uint8Array(fixed.width);
    writeFields(head, 0, fixed.fields, s as unknown as Record<string, unknown>);
    chunks.push(head);
    if (s.kind === 'andd') {
      const name = new Uint8Array(s.name.length + (s.nameTerminated || options.iaslCompatible ? 1 : 0));
      writeAscii(name, 0, s.name.length, s.name);
      chunks.push(name);
      if (!options.iaslCompatible) chunks.push(s.padding);
    }
    if ('scopes' in s) for (const scope of s.scopes) chunks.push(encodeScope(scope, options));
  }
  if (!options.iaslCompatible || s.kind === 'unknown') chunks.push(s.tail);
  const body = concatBytes(chunks);
  const out = new Uint8Array(4 + body.length);
  writeUint(out, 0, 2, s.type);
  writeUint(out, 2, 2, options.lossless ? s.length : out.length);
  out.set(body, 4);
  return out;
}

export function encodeTable(table: DmarTable, options: EncodeOptions = {}): Uint8Array {
  const header = new Uint8Array(48);
  const chunks: Uint8Array[] = [header];
  for (const s of table.structures) chunks.push(encodeStructure(s, options));
  if (!options.iaslCompatible) chunks.push(table.trailing);
  const out = concatBytes(chunks);
  const node: Record<string, unknown> = { ...table, length: options.lossless ? table.length : out.length };
  if (options.iaslCompatible) {
    // iasl's strings are printable ASCII: a byte it cannot print came to it as a space.
    for (const f of TABLE_HEADER_FIELDS) if (f.kind === 'ascii') node[f.key] = String(node[f.key]).replace(/[^\x20-\x7e]/g, ' ');
  }
  if (options.creator) {
    node.creatorId = options.creator.id;
    node.creatorRevision = options.creator.revision;
  }
  const o = writeFields(out, 0, TABLE_HEADER_FIELDS, node);
  writeFields(out, o, DMAR_FIELDS, node);
  out[9] = options.lossless ? table.checksum : tableChecksumByte(out);
  return out;
}

/** The size each structure really occupies, for comparing with the Length it declares. */
export function encodedStructureSize(s: Structure): number {
  if (s.kind === 'unknown') return 4 + s.data.length + s.tail.length;
  let n = 4 + FIXED_FIELDS.get(s.kind)!.width + s.tail.length;
  if (s.kind === 'andd') n += s.name.length + (s.nameTerminated ? 1 : 0) + s.padding.length;
  if ('scopes' in s) for (const scope of s.scopes) n += encodedScopeSize(scope);
  return n;
}

export function encodedScopeSize(scope: DeviceScope): number {
  return 6 + scope.path.length * 2 + scope.tail.length;
}
