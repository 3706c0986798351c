// Generated DMAR sources of any size, for the benchmark and the scaling tests: N RMRRs with one
// endpoint scope each, behind two DRHDs, in the iasl -d dialect.

import { writeSource } from '../server/src/table/source-writer';
import { encodeTable, encodedStructureSize } from '../server/src/table/binary-writer';
import { tableChecksumByte } from '../server/src/table/bytes';
import type { DeviceScope, DmarTable, Drhd, Rmrr, Structure } from '../server/src/table/model';

function scope(type: number, bus: number, device: number, fn: number, enumerationId = 0): DeviceScope {
  return { type, length: 8, reserved: 0, enumerationId, startBus: bus, path: [{ device, function: fn }], tail: new Uint8Array(0), loc: { offset: 0, fields: {} } };
}

export function generateTable(rmrrCount: number): DmarTable {
  const structures: Structure[] = [];
  const drhd = (flags: number, base: bigint, scopes: DeviceScope[]): Drhd => ({
    kind: 'drhd', type: 0, length: 0, flags, size: 0, segment: 0, registerBase: base, scopes, tail: new Uint8Array(0), loc: { offset: 0, fields: {} },
  });
  structures.push(drhd(0, 0xfed90000n, [scope(1, 0, 2, 0)]));
  structures.push(drhd(1, 0xfed91000n, [scope(3, 0xf0, 0x1f, 0, 2), scope(4, 0, 0x1f, 0)]));
  for (let i = 0; i < rmrrCount; i++) {
    const base = 0x1_0000_0000n + BigInt(i) * 0x10000n;
    const rmrr: Rmrr = {
      kind: 'rmrr', type: 1, length: 0, reserved: 0, segment: 0, base, limit: base + 0xfffn,
      scopes: [scope(1, 1 + (i >> 8) % 200, (i >> 3) & 0x1f, i & 7)], tail: new Uint8Array(0), loc: { offset: 0, fields: {} },
    };
    structures.push(rmrr);
  }
  let length = 48;
  for (const s of structures) {
    if ('scopes' in s) for (const sc of s.scopes) sc.length = 6 + 2 * sc.path.length;
    s.length = encodedStructureSize(s);
    length += s.length;
  }
  const table: DmarTable = {
    form: 'source', signature: 'DMAR', length, revision: 1, checksum: 0, oemId: 'BENCH ', oemTableId: 'GENERATD', oemRevision: 1,
    creatorId: 'INTL', creatorRevision: 0x20200925, hostAddressWidth: 0x2e, flags: 1, reserved: new Uint8Array(10), structures,
    trailing: new Uint8Array(0), loc: { offset: 0, fields: {} },
  };
  table.checksum = tableChecksumByte(encodeTable(table));
  return table;
}

/** The source text of a table with `rmrrCount` RMRRs (no Raw Table Data block, like a hand-written source). */
export function generateTableSource(rmrrCount: number): string {
  return writeSource(generateTable(rmrrCount), { noRawData: true });
}
