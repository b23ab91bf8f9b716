/**
 * Synthetic library items built from REAL fingerprints, so index buckets and posting lists spread as
 * they do on real images (real pHash bit biases, real visual-word frequencies) rather than uniformly:
 *  - pHashes (and dHashes, edge hashes): a per-bit crossover of two real images' hashes, plus a few
 *    flipped bits: each bit keeps a real image's value, the result is ~15 bits from either parent;
 *  - shape signatures: the mean of the parents' plus noise;
 *  - local features: keypoints drawn from two real images, descriptors with a few bits flipped (words
 *    kept), positions permuted among them and jittered, so words are real but geometry is not a copy.
 */
import { fromHex, toHex } from '../engine/hash/bits.ts';
import type { ImageFingerprint, ViewHashes } from '../engine/image/fingerprint.ts';
import type { LocalFeatureSet } from '../engine/image/local/types.ts';
import { randomHash, rnd32 as cryptoRnd32 } from './synthetic.ts';

// xorshift32 seeded from the crypto pool: the synthetic library needs ~10k draws per image.
let state = cryptoRnd32() | 1;
function rnd32(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return state >>> 0;
}

/** Each bit from a or b at random, then `flips` random bits flipped. */
export function crossHash(a: string, b: string, flips: number): string {
  const x = fromHex(a);
  const y = fromHex(b);
  const mh = rnd32();
  const ml = rnd32();
  let hi = ((x.hi & mh) | (y.hi & ~mh)) >>> 0;
  let lo = ((x.lo & ml) | (y.lo & ~ml)) >>> 0;
  for (let i = 0; i < flips; i++) {
    const bit = rnd32() % 64;
    if (bit < 32) hi = (hi ^ (1 << bit)) >>> 0;
    else lo = (lo ^ (1 << (bit - 32))) >>> 0;
  }
  return toHex({ hi, lo });
}

function crossSig(a: string, b: string): string {
  const x = new Int8Array(Buffer.from(a, 'base64'));
  const y = new Int8Array(Buffer.from(b, 'base64'));
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = Math.round(((x[i] as number) + (y[i] ?? 0)) / 2 + ((rnd32() & 0xff) / 256 - 0.5) * 40);
    out[i] = Math.max(-127, Math.min(127, v));
  }
  return Buffer.from(out.buffer).toString('base64');
}

function crossView(a: ViewHashes, b: ViewHashes): ViewHashes {
  const hashes = (xs: string[], ys: string[]) => xs.map((h, i) => crossHash(h, ys[i] ?? h, 3));
  return {
    phash: a.phash.map((vs, s) => hashes(vs, b.phash[s] ?? vs)),
    dhash: hashes(a.dhash, b.dhash),
    ehash: hashes(a.ehash, b.ehash),
    sig: a.sig.map((s, i) => crossSig(s, b.sig[i] ?? s)),
    ...(a.quality === undefined ? {} : { quality: a.quality }),
  };
}

/** An image fingerprint that is neither parent but hashes like a real image. */
export function syntheticImage(a: ImageFingerprint, b: ImageFingerprint): ImageFingerprint {
  const digest = () => randomHash() + randomHash() + randomHash() + randomHash();
  return {
    ...a,
    bytesSha256: digest(),
    pixelsSha256: digest(),
    views: a.views.map((v, i) => crossView(v, b.views[i] ?? v)),
  };
}

/** A library feature set with real words and descriptor statistics but no parent's geometry. */
export function syntheticLocal(a: LocalFeatureSet, b: LocalFeatureSet): LocalFeatureSet {
  const n = a.primary.words.length;
  const keypoints = new Float32Array(n * 4);
  const descriptors = new Uint8Array(n * 32);
  const words = new Uint32Array(n);
  // Half the keypoints (orientation, size, descriptor, word) from each parent, drawn at random.
  for (let i = 0; i < n; i++) {
    const v = i % 2 === 0 || b.primary.words.length === 0 ? a.primary : b.primary;
    const k = rnd32() % v.words.length;
    keypoints[i * 4 + 2] = v.keypoints[k * 4 + 2] as number;
    keypoints[i * 4 + 3] = v.keypoints[k * 4 + 3] as number;
    for (let d = 0; d < 32; d++) descriptors[i * 32 + d] = v.descriptors[k * 32 + d] as number;
    words[i] = v.words[k] as number;
  }
  // Positions: a's keypoint positions in a random order, jittered by up to ±6 px.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rnd32() % (i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const jit = () => ((rnd32() & 0xffff) / 65536 - 0.5) * 12;
  for (let i = 0; i < n; i++) {
    const src = order[i] as number;
    keypoints[i * 4] = Math.max(0, Math.min(a.width - 1, (a.primary.keypoints[src * 4] as number) + jit()));
    keypoints[i * 4 + 1] = Math.max(0, Math.min(a.height - 1, (a.primary.keypoints[src * 4 + 1] as number) + jit()));
  }
  // About 8 of each descriptor's 256 bits flipped.
  for (let i = 0; i < n * 8; i++) {
    const bit = rnd32() % (n * 256);
    descriptors[bit >> 3] = (descriptors[bit >> 3] as number) ^ (1 << (bit & 7));
  }
  return { ...a, mirror: undefined, primary: { keypoints, descriptors, words } };
}
