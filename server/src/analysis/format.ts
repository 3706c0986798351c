// How messages name things, so every rule says them the same way: devices as `00:1f.0`, ranges
// as `0x7B800000-0x7FFFFFFF (72 MiB)`.

export function hexAddress(value: bigint | number): string {
  const v = BigInt(value);
  return '0x' + v.toString(16).toUpperCase().padStart(v > 0xffffffffn ? 16 : 8, '0');
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

export function formatBdf(segment: number, bus: number, device: number, fn: number): string {
  const h2 = (n: number) => n.toString(16).padStart(2, '0');
  const seg = segment ? segment.toString(16).padStart(4, '0') + ':' : '';
  return `${seg}${h2(bus)}:${h2(device)}.${fn.toString(16)}`;
}

/** A device-scope path as written: `00:1c.0` for one element, `00:1c.0/00.0` below a bridge. */
export function formatScopePath(segment: number, startBus: number, path: readonly { device: number; function: number }[]): string {
  if (path.length === 0) return `${formatBdf(segment, startBus, 0, 0).slice(0, -4)}(no path)`;
  const [first, ...rest] = path;
  return [formatBdf(segment, startBus, first!.device, first!.function), ...rest.map((p) => `${p.device.toString(16).padStart(2, '0')}.${p.function.toString(16)}`)].join('/');
}

export function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}
