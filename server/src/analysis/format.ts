// How messages name things, so every rule says them the same way: devices as `00:1f.0`, ranges
// as `0x7B800000-0x7FFFFFFF (72 MiB)`.

import { hex } from '../table/bytes';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const HEX_DIGIT_CODES = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));
const LOWER_HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const SIZE_UNITS: readonly [bigint, string][] = [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
const SIZE_UNITS_NUMBER: readonly [number, string][] = SIZE_UNITS.map(([unit, name]) => [Number(unit), name]);

export function hexAddress(value: bigint | number): string {
  // Below 2^53 without a BigInt comparison (see formatRange); a fraction goes on to BigInt(), which refuses it.
  const n = Number(value);
  if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && (typeof value === 'bigint' || Number.isInteger(n))) return safeHexAddress(n);
  const v = BigInt(value);
  return '0x' + hex(v, v > 0xffffffffn ? 16 : 8);
}

/**
 * hexAddress of a value below 2^53, as one string made at once: an address per RMRR of a large
 * table is formatted several times, and toString(16), toUpperCase and padStart make three.
 */
function safeHexAddress(n: number): string {
  const d = HEX_DIGIT_CODES;
  const lo = n % 0x100000000;
  const hi = (n - lo) / 0x100000000;
  if (hi === 0) {
    return String.fromCharCode(0x30, 0x78,
      d[lo >>> 28]!, d[(lo >>> 24) & 15]!, d[(lo >>> 20) & 15]!, d[(lo >>> 16) & 15]!, d[(lo >>> 12) & 15]!, d[(lo >>> 8) & 15]!, d[(lo >>> 4) & 15]!, d[lo & 15]!);
  }
  return String.fromCharCode(0x30, 0x78,
    d[hi >>> 28]!, d[(hi >>> 24) & 15]!, d[(hi >>> 20) & 15]!, d[(hi >>> 16) & 15]!, d[(hi >>> 12) & 15]!, d[(hi >>> 8) & 15]!, d[(hi >>> 4) & 15]!, d[hi & 15]!,
    d[lo >>> 28]!, d[(lo >>> 24) & 15]!, d[(lo >>> 20) & 15]!, d[(lo >>> 16) & 15]!, d[(lo >>> 12) & 15]!, d[(lo >>> 8) & 15]!, d[(lo >>> 4) & 15]!, d[lo & 15]!);
}

/** How Linux prints an address in its RMRR and e820 messages (`%#018Lx`): `0x000000007b800000`. */
export function linuxHex(value: bigint): string {
  return '0x' + value.toString(16).padStart(16, '0');
}

export function formatSize(bytes: bigint): string {
  // Below 2^53 in doubles: every step below is exact there (units are powers of two, and
  // (bytes % unit) * 10 stays below 2^44), and no BigInt is made.
  if (bytes <= MAX_SAFE && bytes >= 0n) return formatSafeSize(Number(bytes));
  for (const [unit, name] of SIZE_UNITS) {
    if (bytes >= unit) {
      const whole = bytes / unit;
      const tenth = ((bytes % unit) * 10n) / unit;
      return tenth === 0n ? `${whole} ${name}` : `${whole}.${tenth} ${name}`;
    }
  }
  return `${bytes} bytes`;
}

function formatSafeSize(bytes: number): string {
  for (let i = 0; i < SIZE_UNITS_NUMBER.length; i++) {
    const [unit, name] = SIZE_UNITS_NUMBER[i]!;
    if (bytes >= unit) {
      const whole = Math.floor(bytes / unit);
      const tenth = Math.floor(((bytes % unit) * 10) / unit);
      return tenth === 0 ? `${whole} ${name}` : `${whole}.${tenth} ${name}`;
    }
  }
  return `${bytes} bytes`;
}

/** `0x7B800000-0x7FFFFFFF (72 MiB)`; an inverted range says so instead of a size. */
export function formatRange(base: bigint, limit: bigint): string {
  // Both below 2^53 (nearly always): compared, formatted and measured in doubles, which are exact
  // there, without a BigInt comparison (Number() of a BigInt of 2^53 or more is at least 2^53).
  const b = Number(base);
  const l = Number(limit);
  if (b >= 0 && l >= 0 && b <= Number.MAX_SAFE_INTEGER && l < Number.MAX_SAFE_INTEGER) {
    return safeHexAddress(b) + '-' + safeHexAddress(l) + (l < b ? ' (ends before it starts)' : ' (' + formatSafeSize(l - b + 1) + ')');
  }
  if (limit < base) return `${hexAddress(base)}-${hexAddress(limit)} (ends before it starts)`;
  return `${hexAddress(base)}-${hexAddress(limit)} (${formatSize(limit - base + 1n)})`;
}

const HEX2 = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
const h2 = (n: number) => HEX2[n] ?? n.toString(16).padStart(2, '0');

// Called several times per scope entry: a lookup table instead of toString + padStart keeps a
// table with thousands of RMRRs cheap.
export function formatBdf(segment: number, bus: number, device: number, fn: number): string {
  const seg = segment ? segment.toString(16).padStart(4, '0') + ':' : '';
  if ((bus & 0xff) === bus && (device & 0xff) === device && (fn & 0xf) === fn) {
    // One string made at once (the usual bytes and a one-digit function).
    const d = LOWER_HEX_CODES;
    const bdf = String.fromCharCode(d[bus >> 4]!, d[bus & 15]!, 0x3a, d[device >> 4]!, d[device & 15]!, 0x2e, d[fn]!);
    return seg ? seg + bdf : bdf;
  }
  return `${seg}${h2(bus)}:${h2(device)}.${fn.toString(16)}`;
}

/** `0000`: a PCI segment as Linux and Xen print it. */
export function formatSegment(segment: number): string {
  return segment.toString(16).padStart(4, '0');
}

/** `0000:00:1f.0`, the segment written even when it is 0: how Linux (pci_name) and Xen (%pp) name a device. */
export function formatFullBdf(segment: number, bus: number, device: number, fn: number): string {
  return `${formatSegment(segment)}:${formatBdf(0, bus, device, fn)}`;
}

/** A device-scope path as written: `00:1c.0` for one element, `00:1c.0/00.0` below a bridge. */
export function formatScopePath(segment: number, startBus: number, path: readonly { device: number; function: number }[]): string {
  if (path.length === 0) return `${formatBdf(segment, startBus, 0, 0).slice(0, -4)}(no path)`;
  const [first, ...rest] = path;
  return [formatBdf(segment, startBus, first!.device, first!.function), ...rest.map((p) => `${h2(p.device)}.${p.function.toString(16)}`)].join('/');
}

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}
