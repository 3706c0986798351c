// Binary DMAR table -> model. Walks structures by their Length the way an OS does, but never
// loops: a Length below 4 stops the walk and the rest becomes `trailing` (the rules report it).

import { readAscii, readUint, hex } from './bytes';
import {
  DMAR_FIELDS, FieldSpec, SCOPE_FIELDS, SCOPE_HEADER_SIZE, STRUCTURE_BY_TYPE, TABLE_HEADER_FIELDS, fixedSize,
} from './fields';
import type { Finding } from './finding';
import type { DeviceScope, DmarTable, NodeLoc, Structure } from './model';

export interface ReadResult {
  table: DmarTable;
  findings: Finding[];
}

/** True when the bytes look like a binary DMAR table rather than text. */
export function looksLikeBinaryDmar(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x44 && bytes[1] === 0x4d && bytes[2] === 0x41 && bytes[3] === 0x52;
}

function readFields(bytes: Uint8Array, offset: number, end: number, specs: readonly FieldSpec[], target: Record<string, unknown>, loc: NodeLoc): number {
  let o = offset;
  for (const spec of specs) {
    const width = spec.width;
    if (spec.kind === 'ascii') target[spec.key] = readAscii(bytes.subarray(0, end), o, width);
    else if (spec.kind === 'bytes') {
      const b = new Uint8Array(width);
      b.set(bytes.subarray(o, Math.min(o + width, end)));
      target[spec.key] = b;
    } else target[spec.key] = readUint(o + width <= end ? bytes : bytes.subarray(0, end), o, width);
    loc.fields[spec.key] = { offset: o, width };
    o += width;
  }
  return o;
}

export function readBinary(bytes: Uint8Array): ReadResult {
  const findings: Finding[] = [];
  const table = {
    form: 'binary', structures: [], trailing: new Uint8Array(0), loc: { offset: 0, fields: {} },
  } as unknown as DmarTable;
  const headerEnd = readFields(bytes, 0, bytes.length, TABLE_HEADER_FIELDS, table as unknown as Record<string, unknown>, table.loc);
  readFields(bytes, headerEnd, bytes.length, DMAR_FIELDS, table as unknown as Record<string, unknown>, table.loc);

  if (table.signature !== 'DMAR') {
    findings.push({ rule: 'syntax', offset: 0, width: 4, message: `This is not a DMAR table: its signature is "${table.signature}", not "DMAR".` });
  }
  if (bytes.length < 48) {
    findings.push({ rule: 'length-mismatch', offset: 0, width: bytes.length, severity: 'error', message: `The file holds ${bytes.length} bytes, fewer than the 48-byte DMAR header.` });
  }

  const end = Math.min(table.length >= 48 ? table.length : bytes.length, bytes.length);
  let offset = 48;
  while (offset < end) {
    if (end - offset < 4) break;
    const type = readUint(bytes, offset, 2) as number;
    const length = readUint(bytes, offset + 2, 2) as number;
    if (length < 4) break;
    const available = Math.min(length, end - offset);
    table.structures.push(decodeStructure(bytes.subarray(0, offset + available), offset, type, length, findings));
    offset += available;
  }
  table.trailing = bytes.slice(Math.min(offset, end), end);
  return { table, findings };
}

export function decodeStructure(bytes: Uint8Array, offset: number, type: number, length: number, findings: Finding[]): Structure {
  const end = bytes.length;
  const loc: NodeLoc = { offset, fields: { type: { offset, width: 2 }, length: { offset: offset + 2, width: 2 } } };
  const spec = STRUCTURE_BY_TYPE.get(type);
  if (!spec || end - offset < fixedSize(spec)) {
    return { kind: 'unknown', type, length, data: bytes.slice(offset + 4, end), dataKnown: true, tail: new Uint8Array(0), loc };
  }
  const node: Record<string, unknown> = { kind: spec.kind, type, length, loc, tail: new Uint8Array(0) };
  const fixed = spec.fields.filter((f) => f.kind !== 'name');
  let o = readFields(bytes, offset + 4, end, fixed, node, loc);
  if (spec.kind === 'andd') {
    const nameBytes = bytes.subarray(o, end);
    const nul = nameBytes.indexOf(0);
    const nameEnd = nul < 0 ? nameBytes.length : nul;
    node.name = readAscii(nameBytes, 0, nameEnd);
    node.nameTerminated = nul >= 0;
    node.padding = nul < 0 ? new Uint8Array(0) : nameBytes.slice(nul + 1);
    loc.fields.name = { offset: o, width: nameBytes.length };
    return node as unknown as Structure;
  }
  if (spec.scopeTypes) {
    const scopes: DeviceScope[] = [];
    while (end - o >= 2) {
      const scopeLength = bytes[o + 1]!;
      if (scopeLength < SCOPE_HEADER_SIZE || o + scopeLength > end) {
        findings.push({
          rule: 'scope-entry-length', offset: o + 1, width: 1,
          message: scopeLength < SCOPE_HEADER_SIZE
            ? `Device scope Entry Length 0x${hex(scopeLength, 2)} is shorter than the 6-byte scope header; the rest of the structure cannot be read as scopes.`
            : `Device scope Entry Length 0x${hex(scopeLength, 2)} runs past the end of its structure (0x${hex(end - o, 2)} bytes left).`,
        });
        break;
      }
      scopes.push(readScope(bytes, o, scopeLength));
      o += scopeLength;
    }
    node.scopes = scopes;
  }
  node.tail = bytes.slice(o, end);
  return node as unknown as Structure;
}

function readScope(bytes: Uint8Array, offset: number, length: number): DeviceScope {
  const loc: NodeLoc = { offset, fields: {} };
  const scope: Record<string, unknown> = { loc };
  let o = readFields(bytes, offset, offset + length, SCOPE_FIELDS, scope, loc);
  const path = [];
  const end = offset + length;
  while (end - o >= 2) {
    loc.fields[`path${path.length}`] = { offset: o, width: 2 };
    path.push({ device: bytes[o]!, function: bytes[o + 1]! });
    o += 2;
  }
  scope.path = path;
  scope.tail = bytes.slice(o, end);
  return scope as unknown as DeviceScope;
}
