// How messages name things, so every rule says them the same way: devices as `00:1f.0`, ranges
// as `0x7B800000-0x7FFFFFFF (72 MiB)`.

import { hex } from '../table/bytes';

export function hexAddress(value: bigint | number): string {
  const v = BigInt(value);
  return '0x' + hex(v, v > 0xffffffffn ? 16 : 8);
}

/** How Linux prints an address in its RMRR and e820 messages (`%#018Lx`): `0x000000007b800000`. */
export function linuxHex(value: bigint): string {
  return '0x' + value.toString(16).padStart(16, '0');
}

export function formatSize(bytes: bigint): string {
  const units: [bigint, string][] = [[1n << 40n, 'TiB'], [1n << 30n, 'GiB'], [1n << 20n, 'MiB'], [1n << 10n, 'KiB']];
  for (const [unit, name] of units) {
    if (bytes >= unit) {
      const whole = bytes / unit;
      const tenth = ((bytes % unit) * 10n) / unit;
      return tenth === 0n ? `${whole} ${name}` : `${whole}.${tenth} ${name}`;
    }
  }
  return `${bytes} bytes`;
}

/** `0x7B800000-0x7FFFFFFF (72 MiB)`; an inverted range says so instead of a size. */
export function formatRange(base: bigint, limit: bigint): string {
  if (limit < base) return `${hexAddress(base)}-${hexAddress(limit)} (ends before it starts)`;
  return `${hexAddress(base)}-${hexAddress(limit)} (${formatSize(limit - base + 1n)})`;
}

const HEX2 = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));
const h2 = (n: number) => HEX2[n] ?? n.toString(16).padStart(2, '0');

// Called several times per scope entry: a lookup table instead of toString + padStart keeps a
// table with thousands of RMRRs cheap.
export function formatBdf(segment: number, bus: number, device: number, fn: number): string {
  const seg = segment ? segment.toString(16).padStart(4, '0') + ':' : '';
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
