/**
 * FROZEN: engine/image/fingerprint.ts as it was when issue #12 was filed (commit a7899f5^), the image
 * hashing of the indexer that the "bulk indexing ≥ 2× today's images per second" target is
 * set against (bench/engine-bulk.ts `frozenIndexer`). Kept byte for byte apart from this comment and
 * its imports, so that speeding up the engine's shared code does not speed this baseline up too; never
 * optimise or reuse it. Its original comment follows.
 *
 * Image fingerprints for the exact and visual-copy layers.
 *
 * Normalisation (one sharp pipeline): EXIF orientation applied, transparency flattened on white,
 * uniform borders trimmed (padding and letterboxing vanish), resized to a 128×128 grayscale
 * working matrix. From that matrix:
 *  - pHash at three centred scales (100 %, 85 %, 70 %), each with its 8 dihedral variants;
 *  - dHash of the whole matrix, with its 8 dihedral variants;
 *  - a 16×16 gradient-orientation-free "edge" pHash (pHash of the gradient magnitude), robust to
 *    recolouring and brightness changes because it ignores absolute intensities.
 */
import { createHash } from 'node:crypto';
import type sharp from 'sharp';
import { type Hash64, toHex } from '../../engine/hash/bits.ts';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits, decodeOrThrow, openImage, probeImage } from '../../engine/image/decode.ts';
import { areaResample, dhash9x8, dihedralMatrix, phashVariants, shapeSignature } from './v1-perceptual.ts';

export const WORK = 128;
/** Centre-crop scales hashed for every image; index 0 is the whole (trimmed) image. */
export const SCALES = [1, 0.85, 0.7] as const;

export interface ImageFingerprint {
  format: string;
  width: number;
  height: number;
  /** SHA-256 of the file's bytes. */
  bytesSha256: string;
  /** SHA-256 of the decoded RGBA pixels and the dimensions: equal for a lossless re-save. */
  pixelsSha256: string;
  /**
   * Perceptual hashes of two views: [0] with uniform borders trimmed (padding and letterboxing
   * vanish), [1] the whole frame (robust where trimming is unstable: faint backgrounds washed out by
   * brightening, JPEG noise in the margins).
   */
  views: ViewHashes[];
  /** Mean colour of the flattened image: 0..255 channels, saturation 0..1, luminance 0..255. */
  color: { r: number; g: number; b: number; saturation: number; luminance: number };
}

export interface ViewHashes {
  /** pHash per scale (SCALES order), each with 8 dihedral variants (index 0 = as stored). Hex. */
  phash: string[][];
  /** dHash with 8 dihedral variants. Hex. */
  dhash: string[];
  /** pHash of the gradient magnitude with 8 dihedral variants. Hex. */
  ehash: string[];
  /** Shape signature per scale (SCALES order), as stored (identity orientation). Base64 of int8. */
  sig: string[];
}

async function workMatrices(img: () => sharp.Sharp): Promise<Float32Array[]> {
  const run = async (trim: boolean) => {
    let p = img().flatten({ background: '#ffffff' });
    if (trim) p = p.trim({ threshold: 28 });
    const buf = await p.resize(WORK, WORK, { fit: 'fill', kernel: 'cubic' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    if (buf.info.channels !== 1) throw new Error(`expected 1 channel, got ${buf.info.channels}`);
    return Float32Array.from(buf.data);
  };
  const full = await run(false);
  let trimmed: Float32Array;
  try {
    trimmed = await run(true);
  } catch {
    // A uniform image has nothing to trim; sharp refuses to trim it away entirely.
    trimmed = full;
  }
  return [trimmed, full];
}

function gradientMagnitude(m: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const l = m[y * n + Math.max(0, x - 1)] as number;
      const r = m[y * n + Math.min(n - 1, x + 1)] as number;
      const u = m[Math.max(0, y - 1) * n + x] as number;
      const d = m[Math.min(n - 1, y + 1) * n + x] as number;
      out[y * n + x] = Math.hypot(r - l, d - u);
    }
  }
  return out;
}

async function meanColor(img: sharp.Sharp): Promise<ImageFingerprint['color']> {
  const { data } = await img
    .flatten({ background: '#ffffff' })
    .resize(16, 16, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  let r = 0;
  let g = 0;
  let b = 0;
  let sat = 0;
  const n = data.length / 3;
  for (let i = 0; i < data.length; i += 3) {
    const R = data[i] as number;
    const G = data[i + 1] as number;
    const B = data[i + 2] as number;
    r += R;
    g += G;
    b += B;
    const mx = Math.max(R, G, B);
    const mn = Math.min(R, G, B);
    sat += mx === 0 ? 0 : (mx - mn) / mx;
  }
  r /= n;
  g /= n;
  b /= n;
  return { r, g, b, saturation: sat / n, luminance: 0.299 * r + 0.587 * g + 0.114 * b };
}

/** Perceptual hashes of a WORK×WORK grayscale matrix (exposed for tests and benchmarks). */
export function hashesOfMatrix(m: Float32Array): ViewHashes {
  const grids = SCALES.map((s) => {
    const side = WORK * s;
    const off = (WORK - side) / 2;
    return areaResample(m, WORK, off, off, side, side, 32, 32);
  });
  const phash = grids.map((g) => phashVariants(g).map(toHex));
  const sig = grids.map((g) => Buffer.from(shapeSignature(g).buffer).toString('base64'));
  const dhash: string[] = [];
  for (let k = 0; k < 8; k++) {
    dhash.push(toHex(dhash9x8(areaResample(dihedralMatrix(m, WORK, k), WORK, 0, 0, WORK, WORK, 9, 8))));
  }
  const g = gradientMagnitude(m, WORK);
  const ehash = phashVariants(areaResample(g, WORK, 0, 0, WORK, WORK, 32, 32)).map(toHex);
  return { phash, dhash, ehash, sig };
}

export async function fingerprintImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ImageFingerprint> {
  const info = await probeImage(bytes, limits);
  const bytesSha256 = createHash('sha256').update(bytes).digest('hex');
  return decodeOrThrow(async () => {
    const rgba = await openImage(bytes, limits).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixelsSha256 = createHash('sha256')
      .update(`${rgba.info.width}x${rgba.info.height}x${rgba.info.channels}\n`)
      .update(rgba.data)
      .digest('hex');
    const views = (await workMatrices(() => openImage(bytes, limits))).map(hashesOfMatrix);
    const color = await meanColor(openImage(bytes, limits));
    return { format: info.format, width: info.width, height: info.height, bytesSha256, pixelsSha256, views, color };
  });
}

export type { Hash64 };
