/** Hamming distances between 256-bit ORB descriptors viewed as 8 little 32-bit words each. */

/** Bits set in a 32-bit integer. */
export function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Hamming distance between descriptor i of `a` and descriptor j of `b` (8 words each). */
export function hamming(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  const p = i * 8;
  const q = j * 8;
  let d = 0;
  for (let k = 0; k < 8; k++) d += popcount32(((a[p + k] as number) ^ (b[q + k] as number)) >>> 0);
  return d;
}

/** The descriptors' bytes as 32-bit words (copied when the bytes are not 4-byte aligned). */
export function asWords(desc: Uint8Array): Uint32Array {
  if (desc.byteOffset % 4 === 0) return new Uint32Array(desc.buffer, desc.byteOffset, desc.byteLength >>> 2);
  return new Uint32Array(desc.slice().buffer);
}
