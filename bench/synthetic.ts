/** Uniformly random synthetic data for the benchmarks (a worst case for bucket spread: real pHashes cluster). */
import { randomBytes } from 'node:crypto';
import { toHex } from '../engine/hash/bits.ts';
import { SCALES, type ImageFingerprint } from '../engine/image/fingerprint.ts';
import { SIG } from '../engine/image/perceptual.ts';

let pool = new Uint32Array(0);
let at = 0;

export function rnd32(): number {
  if (at >= pool.length) {
    const b = randomBytes(1 << 22);
    pool = new Uint32Array(b.buffer, b.byteOffset, b.length >> 2);
    at = 0;
  }
  return pool[at++] as number;
}

export const randomHash = () => toHex({ hi: rnd32(), lo: rnd32() });

/** A random shape signature, base64 of int8 as stored in fingerprints. */
export const randomSignature = () =>
  Buffer.from(Int8Array.from({ length: SIG * SIG }, () => (rnd32() % 255) - 127).buffer).toString('base64');

/** A random image fingerprint with the engine's real structure (2 views × 3 scales × 8 variants). */
export function randomImageFingerprint(): ImageFingerprint {
  const view = () => ({
    phash: SCALES.map(() => Array.from({ length: 8 }, randomHash)),
    dhash: Array.from({ length: 8 }, randomHash),
    ehash: Array.from({ length: 8 }, randomHash),
    sig: SCALES.map(randomSignature),
  });
  const digest = () => randomHash() + randomHash() + randomHash() + randomHash();
  return {
    format: 'png',
    width: 256,
    height: 256,
    bytesSha256: digest(),
    pixelsSha256: digest(),
    views: [view(), view()],
    color: { r: 128, g: 128, b: 128, saturation: 0.3, luminance: 128 },
  };
}
