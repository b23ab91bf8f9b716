/**
 * Perceptual hashes over a normalised grayscale matrix (row-major, values 0..255).
 *
 * - pHash: 32×32 area-averaged image, 2-D DCT-II, the 8×8 lowest frequencies, each bit = coefficient
 *   above the block's median. The 8 dihedral variants (flips, 90° rotations) are derived exactly in
 *   the DCT domain: mirroring x negates odd horizontal frequencies, transposing swaps u and v.
 * - dHash: 9×8 area-averaged image, each bit = left pixel brighter than its right neighbour.
 *
 * Hashes stay 64-bit integers (never re-hashed), so Hamming distance keeps its meaning.
 */
import { type Hash64, fromBits } from '../hash/bits.ts';

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

/** Per output cell along one axis: the source pixels it covers and each one's overlap (weight). */
interface AxisCells {
  first: Int32Array;
  count: Int32Array;
  weight: Float64Array;
  start: Int32Array;
}

/** Cells of `o` outputs over [a0, a0 + len) of an axis `n` pixels long (the loops of areaResample, hoisted). */
function axisCells(a0: number, len: number, o: number, n: number): AxisCells {
  const s = len / o;
  const first = new Int32Array(o);
  const count = new Int32Array(o);
  const start = new Int32Array(o);
  const weights: number[] = [];
  for (let k = 0; k < o; k++) {
    const lo = a0 + k * s;
    const hi = lo + s;
    first[k] = Math.floor(lo);
    start[k] = weights.length;
    let c = 0;
    for (let p = Math.floor(lo); p < Math.ceil(hi) && p < n; p++) {
      weights.push(Math.min(hi, p + 1) - Math.max(lo, p));
      c++;
    }
    count[k] = c;
  }
  return { first, count, weight: Float64Array.from(weights), start };
}

/** Area-averages the rectangle (x0,y0,w,h) of an n×n matrix (row-major) down to an ow×oh matrix. */
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
  const cx = axisCells(x0, w, ow, n);
  const cy = axisCells(y0, h, oh, n);
  if (oneOrTwo(cx) && oneOrTwo(cy)) return upsampled(src, cx, cy, n, out, ow, oh);
  for (let oy = 0; oy < oh; oy++) {
    const fy = cy.first[oy] as number;
    const ny = cy.count[oy] as number;
    const sy = cy.start[oy] as number;
    for (let ox = 0; ox < ow; ox++) {
      const fx = cx.first[ox] as number;
      const nx = cx.count[ox] as number;
      const sx = cx.start[ox] as number;
      let sum = 0;
      let area = 0;
      for (let j = 0; j < ny; j++) {
        const wy = cy.weight[sy + j] as number;
        if (wy <= 0) continue;
        for (let i = 0; i < nx; i++) {
          const wx = cx.weight[sx + i] as number;
          if (wx <= 0) continue;
          sum += (src[fx + i + (fy + j) * n] as number) * wx * wy;
          area += wx * wy;
        }
      }
      out[oy * ow + ox] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/** Whether every cell of an axis covers one or two source pixels (an output cell no larger than a pixel, inside the matrix). */
function oneOrTwo(c: AxisCells): boolean {
  for (let k = 0; k < c.count.length; k++) {
    const n = c.count[k] as number;
    if (n < 1 || n > 2) return false;
  }
  return true;
}

/**
 * areaResample where each cell covers 1 or 2 source pixels a side (the smaller centre crops brought
 * up to the working size): the same sums, term by term in the same order, unrolled. A pixel a cell
 * does not cover enters with weight 0 (read at a pixel it does cover, so the product is an exact 0
 * and leaves the sums as they were).
 */
function upsampled(
  src: Float32Array | Uint8Array,
  cx: AxisCells,
  cy: AxisCells,
  n: number,
  out: Float32Array,
  ow: number,
  oh: number,
): Float32Array {
  const x0 = new Int32Array(ow);
  const x1 = new Int32Array(ow);
  const wx0 = new Float64Array(ow);
  const wx1 = new Float64Array(ow);
  for (let ox = 0; ox < ow; ox++) {
    const f = cx.first[ox] as number;
    const s = cx.start[ox] as number;
    const two = (cx.count[ox] as number) === 2;
    x0[ox] = f;
    x1[ox] = two ? f + 1 : f;
    wx0[ox] = Math.max(0, cx.weight[s] as number);
    wx1[ox] = two ? Math.max(0, cx.weight[s + 1] as number) : 0;
  }
  for (let oy = 0; oy < oh; oy++) {
    const f = cy.first[oy] as number;
    const s = cy.start[oy] as number;
    const two = (cy.count[oy] as number) === 2;
    const r0 = f * n;
    const r1 = (two ? f + 1 : f) * n;
    const wy0 = Math.max(0, cy.weight[s] as number);
    const wy1 = two ? Math.max(0, cy.weight[s + 1] as number) : 0;
    for (let ox = 0; ox < ow; ox++) {
      const a = wx0[ox] as number;
      const b = wx1[ox] as number;
      const i0 = x0[ox] as number;
      const i1 = x1[ox] as number;
      const sum =
        (src[r0 + i0] as number) * a * wy0 +
        (src[r0 + i1] as number) * b * wy0 +
        (src[r1 + i0] as number) * a * wy1 +
        (src[r1 + i1] as number) * b * wy1;
      const area = a * wy0 + b * wy0 + a * wy1 + b * wy1;
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
  // A typed copy sorts numerically without a comparator call per comparison (−0 before +0, which
  // changes no comparison against the median).
  const s = Float64Array.from(values).sort();
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

/** A shape signature as a fingerprint stores it (base64 of its int8 values), back as int8. */
export const signatureFromBase64 = (s: string): Int8Array => new Int8Array(Buffer.from(s, 'base64'));

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

/**
 * Which of a pHash's 64 bits are reliable, estimated from the image's shape signature (the same
 * DCT, a 12 × 12 block scaled by 1 + u + v: its top-left 8 × 8 is the pHash block up to that scale
 * and int8 rounding). A bit is the sign of its coefficient minus the block's median; on a
 * symmetric drawing every odd-frequency coefficient along the axis of symmetry is zero, the
 * median falls among those zeros, and their bits are set by rounding noise — a copy redraws them
 * at random (a circle with a bar through it, noised: 16 of 64 bits flipped, none of its 12
 * reliable ones). Reliable: |coefficient − median| ≥ margin × the largest |coefficient| (DC, the
 * page's mean, always). Bit i is [v][u] = i, most significant first, as in the hash; `sig` may
 * be a dihedral variant (dihedralSignature) to go with that variant's hash.
 */
export function reliableBits(sig: Int8Array, margin: number): { mask: Hash64; reliable: number } {
  const c = new Float64Array(K * K);
  for (let v = 0; v < K; v++) for (let u = 0; u < K; u++) c[v * K + u] = u + v === 0 ? 0 : (sig[v * SIG + u] as number) / (1 + u + v);
  let top = 0;
  for (let i = 1; i < c.length; i++) top = Math.max(top, Math.abs(c[i] as number));
  c[0] = Number.POSITIVE_INFINITY; // DC: the page's mean brightness, far above every other coefficient
  const m = median(c);
  const bits = Array.from(c, (x) => top > 0 && Math.abs(x - m) >= margin * top);
  return { mask: fromBits(bits), reliable: bits.filter(Boolean).length };
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

/**
 * The dHashes of the 8 dihedral variants of an n×n matrix (dihedralMatrix's order), each the hash of
 * the variant area-averaged to 9×8. Two grids of the matrix itself serve all 8: a flip reads the same
 * cells in reverse order (n split into 9 or 8 equal cells mirrors onto itself), and a transpose reads
 * the 8 × 9 grid instead of the 9 × 8 one.
 */
export function dhashVariants(m: Float32Array, n: number): Hash64[] {
  const across = areaResample(m, n, 0, 0, n, n, 9, 8); // 9 columns, 8 rows
  const down = areaResample(m, n, 0, 0, n, n, 8, 9); // 8 columns, 9 rows
  const out: Hash64[] = [];
  const v = new Float32Array(72);
  for (let k = 0; k < 8; k++) {
    const fx = (k & 1) !== 0;
    const fy = (k & 2) !== 0;
    for (let oy = 0; oy < 8; oy++) {
      for (let ox = 0; ox < 9; ox++) {
        // As dihedralMatrix builds the variants: unturned, column ox and row oy of the variant are the
        // matrix's (mirrored when flipped); turned, the variant's column is the matrix's row and its row the column.
        v[oy * 9 + ox] = (
          k & 4 ? down[(fy ? 8 - ox : ox) * 8 + (fx ? 7 - oy : oy)] : across[(fy ? 7 - oy : oy) * 9 + (fx ? 8 - ox : ox)]
        ) as number;
      }
    }
    out.push(dhash9x8(v));
  }
  return out;
}
