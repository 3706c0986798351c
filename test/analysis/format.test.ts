// How messages name addresses, sizes and devices: the fast paths (doubles below 2^53, one string
// made at once) against the plain BigInt and template arithmetic they stand for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBdf, formatRange, formatSize, hexAddress } from '../../server/src/analysis/format';

function plainHexAddress(value: bigint | number): string {
  const v = BigInt(value);
  return '0x' + v.toString(16).toUpperCase().padStart(v > 0xffffffffn ? 16 : 8, '0');
}

function plainSize(bytes: bigint): string {
  for (const [unit, name] of [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']] as const) {
    if (bytes >= unit) {
      const whole = bytes / unit;
      const tenth = ((bytes % unit) * 10n) / unit;
      return tenth === 0n ? `${whole} ${name}` : `${whole}.${tenth} ${name}`;
    }
  }
  return `${bytes} bytes`;
}

function plainRange(base: bigint, limit: bigint): string {
  if (limit < base) return `${plainHexAddress(base)}-${plainHexAddress(limit)} (ends before it starts)`;
  return `${plainHexAddress(base)}-${plainHexAddress(limit)} (${plainSize(limit - base + 1n)})`;
}

/** A small deterministic generator, so a failure names the same values every run. */
function* values(count: number): Generator<bigint> {
  let seed = 0x2545f491;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < count; i++) {
    const bits = BigInt(next() % 65);
    const v = ((BigInt(next()) << 32n) | BigInt(next())) & ((1n << bits) - 1n);
    yield v;
  }
}

const EDGES = [0n, 1n, 0xfffn, 0x1000n, 0xffffffffn, 0x100000000n, 0xfee00000n, 0x7b800000n, (1n << 53n) - 2n, (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 64n) - 1n, 1n << 64n];

test('hexAddress gives 8 or 16 upper-case digits, for every size of value', () => {
  for (const v of [...EDGES, ...values(20000)]) assert.equal(hexAddress(v), plainHexAddress(v), String(v));
  for (const n of [0, 1, 0xfee00000, 0xffffffff, 2 ** 32, 2 ** 53 - 1]) assert.equal(hexAddress(n), plainHexAddress(n));
  assert.equal(hexAddress(-5n), plainHexAddress(-5n));
});

test('formatSize and formatRange say the same as BigInt arithmetic, below 2^53 and above', () => {
  for (const v of [...EDGES, ...values(20000), -1n, -(1n << 60n)]) assert.equal(formatSize(v), plainSize(v), String(v));
  const all = [...EDGES, ...values(3000)];
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    const b = all[(i * 7 + 3) % all.length]!;
    assert.equal(formatRange(a, b), plainRange(a, b));
    assert.equal(formatRange(a, a), plainRange(a, a));
    assert.equal(formatRange(a, a + 0xfffn), plainRange(a, a + 0xfffn));
  }
});

test('formatBdf: bus:device.function in lower-case hex, with the segment when it is not 0', () => {
  const HEX2 = (n: number) => n.toString(16).padStart(2, '0');
  const plain = (segment: number, bus: number, device: number, fn: number) =>
    `${segment ? segment.toString(16).padStart(4, '0') + ':' : ''}${HEX2(bus)}:${HEX2(device)}.${fn.toString(16)}`;
  for (let bus = 0; bus < 256; bus += 7) {
    for (let device = 0; device < 256; device += 3) {
      for (let fn = 0; fn < 20; fn++) {
        for (const segment of [0, 1, 0xabcd]) assert.equal(formatBdf(segment, bus, device, fn), plain(segment, bus, device, fn));
      }
    }
  }
  // Values no table holds in a byte still read as before.
  assert.equal(formatBdf(0, 256, 0, 0), '100:00.0');
  assert.equal(formatBdf(0, 0, 300, 0), '00:12c.0');
});
