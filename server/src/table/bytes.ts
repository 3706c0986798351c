// Little-endian integer and ASCII helpers shared by the binary reader and writer.

export function readUint(bytes: Uint8Array, offset: number, width: number): number | bigint {
  if (width > 4) {
    let v = 0n;
    for (let i = width - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i] ?? 0);
    return v;
  }
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + (bytes[offset + i] ?? 0);
  return v;
}

export function writeUint(out: Uint8Array, offset: number, width: number, value: number | bigint): void {
  if (typeof value === 'number' && width <= 4 && Number.isInteger(value) && value >= 0) {
    // The common case without BigInt arithmetic (most of the time of encoding a large table).
    let n = value;
    for (let i = 0; i < width; i++) {
      out[offset + i] = n & 0xff;
      n = Math.floor(n / 256);
    }
    return;
  }
  let v = BigInt(value);
  for (let i = 0; i < width; i++) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Fixed-width ASCII field: trailing NULs are padding. */
export function readAscii(bytes: Uint8Array, offset: number, width: number): string {
  let end = offset + width;
  while (end > offset && (bytes[end - 1] ?? 0) === 0) end--;
  let s = '';
  for (let i = offset; i < end; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

export function writeAscii(out: Uint8Array, offset: number, width: number, value: string): void {
  for (let i = 0; i < width; i++) out[offset + i] = i < value.length ? value.charCodeAt(i) & 0xff : 0;
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function tableChecksumByte(bytes: Uint8Array, checksumOffset = 9): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) if (i !== checksumOffset) sum = (sum + bytes[i]!) & 0xff;
  return (0x100 - sum) & 0xff;
}

export function byteSum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]!) & 0xff;
  return sum;
}

export function hex(value: number | bigint, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
