/**
 * 64-bit hashes are kept as two unsigned 32-bit halves (hi, lo) for fast Hamming distance,
 * and as 16-digit lowercase hex strings when stored or sent over the wire.
 */
export interface Hash64 {
  hi: number;
  lo: number;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hamming(a: Hash64, b: Hash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

export function toHex(h: Hash64): string {
  return (h.hi >>> 0).toString(16).padStart(8, '0') + (h.lo >>> 0).toString(16).padStart(8, '0');
}

export function fromHex(s: string): Hash64 {
  if (!/^[0-9a-f]{16}$/.test(s)) throw new Error(`not a 64-bit hex hash: ${JSON.stringify(s)}`);
  return { hi: Number.parseInt(s.slice(0, 8), 16) >>> 0, lo: Number.parseInt(s.slice(8), 16) >>> 0 };
}

/** Builds a hash from 64 booleans, most significant bit first. */
export function fromBits(bits: ArrayLike<boolean | number>): Hash64 {
  if (bits.length !== 64) throw new Error('need 64 bits');
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 32; i++) hi = ((hi << 1) | (bits[i] ? 1 : 0)) >>> 0;
  for (let i = 32; i < 64; i++) lo = ((lo << 1) | (bits[i] ? 1 : 0)) >>> 0;
  return { hi, lo };
}

/** Signed 64-bit integer form (for SQLite INTEGER columns). */
export function toInt64(h: Hash64): bigint {
  return BigInt.asIntN(64, (BigInt(h.hi >>> 0) << 32n) | BigInt(h.lo >>> 0));
}

export function fromInt64(v: bigint | number): Hash64 {
  const u = BigInt.asUintN(64, BigInt(v));
  return { hi: Number(u >> 32n) >>> 0, lo: Number(u & 0xffffffffn) >>> 0 };
}
