/**
 * Video frame fingerprints: from grayscale frames decoded at a fixed rate, keep one frame per
 * 1 / sampleFps seconds plus every scene change (a jump in mean absolute difference), trim black
 * borders found over the whole clip (letterbox and pillarbox bars), and pHash each kept frame over
 * several windows: the whole picture, and 85 % and 70 % windows at the centre and the four corners
 * (so a crop of up to 30 % still meets one of them), plus the mirrored whole picture (queries use it
 * to find mirrored copies). Each slot has a 64-bit pHash for retrieval and a 256-bit hash of the
 * 16×16 DCT block for verifying candidates.
 */
import { type Hash64, fromBits } from '../hash/bits.ts';
import { areaResample, dctLowBlock, dihedralBlock } from '../image/perceptual.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import type { DecodedFrames } from './decode.ts';
import type { VideoKeyframes } from './keyframes.ts';

/** Windows hashed per frame as [x, y, w, h] fractions of the trimmed picture; index 0 is the whole. */
export const WINDOWS: readonly (readonly [number, number, number, number])[] = (() => {
  const w: [number, number, number, number][] = [[0, 0, 1, 1]];
  for (const s of [0.85, 0.7]) {
    const c = (1 - s) / 2;
    const e = 1 - s;
    w.push([c, c, s, s], [0, 0, s, s], [e, 0, s, s], [0, e, s, s], [e, e, s, s]);
  }
  return w;
})();
/** Hash slots per frame: every window, then the mirrored whole picture. */
export const SLOTS = WINDOWS.length + 1;
export const MIRROR_SLOT = WINDOWS.length;

export interface VideoFingerprint {
  durationSeconds: number;
  /** Time of each kept frame, seconds. */
  times: Float32Array;
  /** SLOTS hashes per frame as (hi, lo) pairs: frame i, slot s at [(i * SLOTS + s) * 2]. */
  hashes: Uint32Array;
  /**
   * SLOTS 256-bit "fine" hashes per frame (16×16 low DCT block vs its median), 8 words each at
   * [(i * SLOTS + s) * 8]: candidates found with the 64-bit hash are verified with these, which tell
   * apart frames that merely share a layout (an object centred on a plain background).
   */
  fine: Uint32Array;
  /**
   * Local features of the keyframes (keyframes.ts), for the image layer's geometric verification;
   * absent in fingerprints made before format 3 and in the marketplace feed's compact form.
   */
  keyframes?: VideoKeyframes | undefined;
}

export const FINE_WORDS = 8;

/** Bounds [y0, y1) × [x0, x1) of the picture without rows/columns that stay dark in every frame. */
export function contentBox(frames: Uint8Array[], side: number, level: number): { x0: number; y0: number; x1: number; y1: number } {
  const rowMax = new Uint8Array(side);
  const colMax = new Uint8Array(side);
  const step = Math.max(1, Math.floor(frames.length / 200));
  for (let i = 0; i < frames.length; i += step) {
    const f = frames[i] as Uint8Array;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const v = f[y * side + x] as number;
        if (v > (rowMax[y] as number)) rowMax[y] = v;
        if (v > (colMax[x] as number)) colMax[x] = v;
      }
    }
  }
  const span = (m: Uint8Array): [number, number] => {
    let a = 0;
    let b = side;
    while (a < side && (m[a] as number) < level) a++;
    while (b > a && (m[b - 1] as number) < level) b--;
    // Refuse to trim to a sliver: a dark video keeps its whole frame.
    return b - a >= side * 0.4 ? [a, b] : [0, side];
  };
  const [y0, y1] = span(rowMax);
  const [x0, x1] = span(colMax);
  return { x0, y0, x1, y1 };
}

/** Indices of the frames kept: a fixed-rate sample plus the first frame after each scene change. */
export function sampleFrames(frames: Uint8Array[], fps: number, sampleFps: number, sceneDelta: number): number[] {
  const every = Math.max(1, Math.round(fps / sampleFps));
  const kept: number[] = [];
  for (let i = 0; i < frames.length; i++) {
    let keep = i % every === 0;
    if (!keep && i > 0) {
      const a = frames[i] as Uint8Array;
      const b = frames[i - 1] as Uint8Array;
      let d = 0;
      for (let k = 0; k < a.length; k += 4) d += Math.abs((a[k] as number) - (b[k] as number));
      keep = d / Math.ceil(a.length / 4) > sceneDelta;
    }
    if (keep) kept.push(i);
  }
  return kept;
}

/** pHash (8×8 low DCT block vs its median) of a 32×32 matrix, as given and mirrored left–right. */
function phash2(m32: Float32Array): [Hash64, Hash64] {
  const block = dctLowBlock(m32);
  const med = Array.from(block).sort((a, b) => a - b);
  const t = ((med[31] as number) + (med[32] as number)) / 2;
  const bits = (b: Float64Array) => fromBits(Array.from(b, (c) => c > t));
  return [bits(block), bits(dihedralBlock(block, 1))];
}

const F = 16;
const COS16: Float64Array = (() => {
  const t = new Float64Array(F * 32);
  for (let u = 0; u < F; u++) for (let x = 0; x < 32; x++) t[u * 32 + x] = Math.cos(((2 * x + 1) * u * Math.PI) / 64);
  return t;
})();

/** The 16×16 low-frequency DCT-II block of a 32×32 matrix, row-major [v][u]. */
function dct16(m: Float32Array): Float64Array {
  const rows = new Float64Array(32 * F);
  for (let y = 0; y < 32; y++) {
    for (let u = 0; u < F; u++) {
      let acc = 0;
      for (let x = 0; x < 32; x++) acc += (COS16[u * 32 + x] as number) * (m[y * 32 + x] as number);
      rows[y * F + u] = acc;
    }
  }
  const out = new Float64Array(F * F);
  for (let v = 0; v < F; v++) {
    for (let u = 0; u < F; u++) {
      let acc = 0;
      for (let y = 0; y < 32; y++) acc += (COS16[v * 32 + y] as number) * (rows[y * F + u] as number);
      out[v * F + u] = acc;
    }
  }
  return out;
}

/** 256-bit hash of a 32×32 matrix (16×16 low DCT block vs its median), as given and mirrored. */
function fine2(m32: Float32Array): [Uint32Array, Uint32Array] {
  const block = dct16(m32);
  const med = Array.from(block).sort((a, b) => a - b);
  const t = ((med[127] as number) + (med[128] as number)) / 2;
  const pack = (b: Float64Array) => {
    const w = new Uint32Array(FINE_WORDS);
    for (let i = 0; i < 256; i++) if ((b[i] as number) > t) w[i >>> 5] = ((w[i >>> 5] as number) | (1 << (i & 31))) >>> 0;
    return w;
  };
  return [pack(block), pack(dihedralBlock(block, 1, 16))];
}

/** Whether a small grey matrix is flat (black, a fade, a solid colour): standard deviation under 4 grey levels. */
export function flat(m: Float32Array): boolean {
  let s = 0;
  let s2 = 0;
  for (const v of m) {
    s += v;
    s2 += v * v;
  }
  const mean = s / m.length;
  return s2 / m.length - mean * mean < 16; // standard deviation under 4 grey levels
}

/** Frame hashes of decoded frames. Flat frames (black, fades, solid colour) are left out. */
export function videoFingerprintFromFrames(d: DecodedFrames, policy: MediaPolicy = MEDIA_POLICY): VideoFingerprint {
  const p = policy.video;
  const box = contentBox(d.frames, d.side, p.borderLevel);
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const times: number[] = [];
  const hashes: number[] = [];
  const fine: number[] = [];
  for (const i of sampleFrames(d.frames, d.fps, p.sampleFps, p.sceneDelta)) {
    const f = d.frames[i] as Uint8Array;
    const whole = areaResample(f, d.side, box.x0, box.y0, bw, bh, 32, 32);
    if (flat(whole)) continue;
    const slot: Hash64[] = [];
    const [asIs, mirrored] = phash2(whole);
    const [fineAsIs, fineMirrored] = fine2(whole);
    slot.push(asIs);
    fine.push(...fineAsIs);
    for (let w = 1; w < WINDOWS.length; w++) {
      const [x, y, ww, hh] = WINDOWS[w] as readonly [number, number, number, number];
      const m = areaResample(f, d.side, box.x0 + x * bw, box.y0 + y * bh, ww * bw, hh * bh, 32, 32);
      slot.push(phash2(m)[0]);
      fine.push(...fine2(m)[0]);
    }
    slot.push(mirrored); // mirrored left–right
    fine.push(...fineMirrored);
    times.push(i / d.fps);
    for (const h of slot) hashes.push(h.hi >>> 0, h.lo >>> 0);
  }
  return {
    durationSeconds: d.frames.length / d.fps,
    times: Float32Array.from(times),
    hashes: Uint32Array.from(hashes),
    fine: Uint32Array.from(fine),
  };
}

/** Hamming distance between fine hash (frame a, slot sa) of x and (frame b, slot sb) of y. */
export function fineDistance(x: Uint32Array, a: number, y: Uint32Array, b: number): number {
  let d = 0;
  for (let k = 0; k < FINE_WORDS; k++) {
    let v = ((x[a * FINE_WORDS + k] as number) ^ (y[b * FINE_WORDS + k] as number)) >>> 0;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    d += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  return d;
}

export function slotHash(fp: VideoFingerprint, frame: number, slot: number): Hash64 {
  const k = (frame * SLOTS + slot) * 2;
  return { hi: fp.hashes[k] as number, lo: fp.hashes[k + 1] as number };
}
