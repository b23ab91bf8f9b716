/**
 * FROZEN: engine/image/perceptual.ts as it was when issue #12 was filed (commit a7899f5^), used only by
 * v1-fingerprint.ts (see there). Kept byte for byte apart from this comment and its imports. Its
 * original comment follows.
 *
 * Perceptual hashes over a normalised grayscale matrix (row-major, values 0..255).
 *
 * - pHash: 32×32 area-averaged image, 2-D DCT-II, the 8×8 lowest frequencies, each bit = coefficient
 *   above the block's median. The 8 dihedral variants (flips, 90° rotations) are derived exactly in
 *   the DCT domain: mirroring x negates odd horizontal frequencies, transposing swaps u and v.
 * - dHash: 9×8 area-averaged image, each bit = left pixel brighter than its right neighbour.
 *
 * Hashes stay 64-bit integers (never re-hashed), so Hamming distance keeps its meaning.
 */
import { type Hash64, fromBits } from '../../engine/hash/bits.ts';

const N = 32;
const K = 8;
/** Side of the larger DCT block kept as the "shape signature" used to verify candidates. */
export const SIG = 12;
const COS: Float64Array = (() => {
  const t = new Float64Array(SIG * N);
  for (let u = 0; u < SIG; u++) {
    for (let x = 0; x < N; x++) t[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  }
  return t;
})();

/** Area-averages the rectangle (x0,y0,w,h) of an n×n matrix down to an ow×oh matrix. */
export function areaResample(
  src: Float32Array | Uint8Array,
  n: number,
  x0: number,
  y0: number,
  w: number,
  h: number,
  ow: number,
  oh: number,
): Float32Array {
  const out = new Float32Array(ow * oh);
  const sx = w / ow;
  const sy = h / oh;
  for (let oy = 0; oy < oh; oy++) {
    const ya = y0 + oy * sy;
    const yb = ya + sy;
    for (let ox = 0; ox < ow; ox++) {
      const xa = x0 + ox * sx;
      const xb = xa + sx;
      let sum = 0;
      let area = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb) && y < n; y++) {
        const wy = Math.min(yb, y + 1) - Math.max(ya, y);
        if (wy <= 0) continue;
        for (let x = Math.floor(xa); x < Math.ceil(xb) && x < n; x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          if (wx <= 0) continue;
          sum += (src[y * n + x] as number) * wx * wy;
          area += wx * wy;
        }
      }
      out[oy * ow + ox] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/** The k×k low-frequency DCT-II block of a 32×32 matrix, row-major as [v][u] (v vertical). */
export function dctLowBlock(m32: Float32Array, k: number = K): Float64Array {
  const rows = new Float64Array(N * k); // rows[y][u]
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < k; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += (COS[u * N + x] as number) * (m32[y * N + x] as number);
      rows[y * k + u] = s;
    }
  }
  const block = new Float64Array(k * k);
  for (let v = 0; v < k; v++) {
    for (let u = 0; u < k; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += (COS[v * N + y] as number) * (rows[y * k + u] as number);
      block[v * k + u] = s;
    }
  }
  return block;
}

function median(values: Float64Array): number {
  const s = Array.from(values).sort((a, b) => a - b);
  return ((s[31] as number) + (s[32] as number)) / 2;
}

function blockHash(block: Float64Array): Hash64 {
  const m = median(block);
  const bits = new Array<boolean>(64);
  for (let i = 0; i < 64; i++) bits[i] = (block[i] as number) > m;
  return fromBits(bits);
}

/**
 * Dihedral variant k (0..7) of a DCT block: bit 0 = mirror horizontally, bit 1 = mirror vertically,
 * bit 2 = transpose (applied last). Together they give the identity, flips, and 90°/180°/270° turns.
 */
export function dihedralBlock(block: Float64Array, k: number, side: number = K): Float64Array {
  const out = new Float64Array(side * side);
  for (let v = 0; v < side; v++) {
    for (let u = 0; u < side; u++) {
      let c = block[v * side + u] as number;
      if (k & 1 && u & 1) c = -c;
      if (k & 2 && v & 1) c = -c;
      if (k & 4) out[u * side + v] = c;
      else out[v * side + u] = c;
    }
  }
  return out;
}

/**
 * Shape signature: the SIG×SIG low-frequency DCT block without its DC term, L2-normalised and
 * quantised to int8. Cosine similarity of two signatures is invariant to brightness offsets and
 * contrast scaling, and far more discriminating than the 64 sign bits of a pHash.
 */
export function shapeSignature(m32: Float32Array): Int8Array {
  const b = dctLowBlock(m32, SIG);
  b[0] = 0;
  // Flatten the spectrum: natural images fall off roughly as 1/frequency, so without this the
  // first few coefficients (shared by every centred blob on a white page) would dominate.
  for (let v = 0; v < SIG; v++) for (let u = 0; u < SIG; u++) b[v * SIG + u] = (b[v * SIG + u] as number) * (1 + u + v);
  let n = 0;
  for (const c of b) n += c * c;
  n = Math.sqrt(n) || 1;
  const out = new Int8Array(SIG * SIG);
  for (let i = 0; i < b.length; i++) out[i] = Math.max(-127, Math.min(127, Math.round(((b[i] as number) / n) * 127 * 2)));
  return out;
}

/** Dihedral variant k of a signature (same convention as dihedralBlock). */
export function dihedralSignature(sig: Int8Array, k: number): Int8Array {
  const out = new Int8Array(SIG * SIG);
  for (let v = 0; v < SIG; v++) {
    for (let u = 0; u < SIG; u++) {
      let c = sig[v * SIG + u] as number;
      if (k & 1 && u & 1) c = -c;
      if (k & 2 && v & 1) c = -c;
      if (k & 4) out[u * SIG + v] = c;
      else out[v * SIG + u] = c;
    }
  }
  return out;
}

export function signatureCosine(a: Int8Array, b: Int8Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** pHash of a 32×32 matrix, with all 8 dihedral variants (index 0 = as given). */
export function phashVariants(m32: Float32Array): Hash64[] {
  const block = dctLowBlock(m32);
  const out: Hash64[] = [];
  for (let k = 0; k < 8; k++) out.push(blockHash(dihedralBlock(block, k)));
  return out;
}

/** Applies dihedral variant k (same convention as dihedralBlock) to an n×n matrix. */
export function dihedralMatrix(m: Float32Array, n: number, k: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const sx = k & 1 ? n - 1 - x : x;
      const sy = k & 2 ? n - 1 - y : y;
      const v = m[sy * n + sx] as number;
      if (k & 4) out[x * n + y] = v;
      else out[y * n + x] = v;
    }
  }
  return out;
}

/** dHash of a 9×8 matrix (9 columns, 8 rows). */
export function dhash9x8(m: Float32Array): Hash64 {
  const bits = new Array<boolean>(64);
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) bits[y * 8 + x] = (m[y * 9 + x] as number) > (m[y * 9 + x + 1] as number);
  }
  return fromBits(bits);
}
