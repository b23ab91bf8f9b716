/**
 * ECC image alignment (Evangelidis & Psarakis, "Parametric image alignment using enhanced
 * correlation coefficient maximization", PAMI 2008) of a small grey input onto a template of the
 * same grid: Gauss–Newton steps on the 8 parameters of a homography (or the 6 of an affine map) that maximise the correlation
 * of the zero-mean, normalised intensities over a template mask — invariant to the input's gain and
 * offset. It follows the iteration of OpenCV's findTransformECC (MOTION_HOMOGRAPHY), which the tests
 * compare it with; OpenCV itself lives in the feature workers, and verification runs synchronously
 * in the checking thread on a 96-px sketch, where loading its WebAssembly runtime for one small
 * alignment would cost more memory than the alignment itself.
 *
 * Used by appearance.ts to refine a weak consensus's model before its pixels are compared: a model
 * fitted on a few keypoints at five places of a perspective copy can be off by a fifth of the
 * drawing's size, and then even the true copy does not look like its original.
 */
import { type Homography, multiply, solveLinear } from './homography.ts';
import { BINOMIAL5, smoothMasked } from './smooth.ts';

export interface EccOptions {
  /** Gauss–Newton iterations at most. */
  iterations: number;
  /** Stop once the correlation changes by less than this between iterations. */
  eps: number;
  /** Pixels (masked and inside the warped input) needed to go on, at full resolution. */
  minPixels: number;
  /**
   * Pyramid levels (1: full resolution only). Each coarser level halves the grid and starts the
   * next finer one: a line drawing only pulls the warp in from about a line's width away, and at
   * half the resolution that reach doubles. A coarse level that fails is skipped (its finer level
   * starts from the warp it was given).
   */
  levels?: number;
  /**
   * The motion fitted: a homography (8 parameters, the default) or an affine map (6: the
   * perspective terms stay 0, as findTransformECC's MOTION_AFFINE). A drawing whose content lies
   * along one line (a handle, a pencil) leaves the perspective terms unconstrained: its
   * homography can bend the frame's far corners anywhere while the line itself stays in place.
   */
  motion?: 'homography' | 'affine';
}

export interface EccResult {
  /** Template pixel (x, y) → input pixel, as findTransformECC's warp with WARP_INVERSE_MAP. */
  warp: Homography;
  /** Enhanced correlation coefficient at the final warp (−1..1). */
  rho: number;
  iterations: number;
}

/** One pyramid level: template, input and their masks on a w × h grid. */
interface Grid {
  template: Float64Array;
  input: Float64Array;
  valid: Uint8Array;
  mask: Uint8Array;
  w: number;
  h: number;
}

/** Halves a grid: 2 × 2 means of the input and template, data where all four carry it, mask where any is set. */
function halve(template: Float64Array, input: Float64Array, valid: Uint8Array, mask: Uint8Array, w: number, h: number): Grid {
  const hw = Math.floor(w / 2);
  const hh = Math.floor(h / 2);
  const t = new Float64Array(hw * hh);
  const i = new Float64Array(hw * hh);
  const v = new Uint8Array(hw * hh);
  const m = new Uint8Array(hw * hh);
  for (let y = 0; y < hh; y++)
    for (let x = 0; x < hw; x++) {
      const a = 2 * y * w + 2 * x;
      const at = [a, a + 1, a + w, a + w + 1];
      let st = 0;
      let si = 0;
      let ok = 1;
      let any = 0;
      for (const k of at) {
        st += template[k] as number;
        si += input[k] as number;
        ok &= valid[k] as number;
        any |= mask[k] as number;
      }
      t[y * hw + x] = st / 4;
      i[y * hw + x] = si / 4;
      v[y * hw + x] = ok;
      m[y * hw + x] = any;
    }
  return { template: t, input: i, valid: v, mask: m, w: hw, h: hh };
}

/**
 * Aligns `input` to `template` (both w × h) over the template pixels where `mask` is set, starting
 * from the identity; `inputValid` marks the input pixels that carry data (a warped query is empty
 * outside its frame). Null when, at full resolution, the images stop overlapping, the system is
 * singular, or the step would lower the correlation (uncorrelated images: findTransformECC throws
 * there); a coarser level failing so is skipped.
 */
export function alignEcc(
  template: ArrayLike<number>,
  input: Float64Array,
  inputValid: Uint8Array,
  mask: Uint8Array,
  w: number,
  h: number,
  opts: EccOptions,
): EccResult | null {
  const levels = Math.max(1, Math.floor(opts.levels ?? 1));
  const pyramid: Grid[] = [{ template: Float64Array.from(template), input, valid: inputValid, mask, w, h }];
  while (pyramid.length < levels) {
    const top = pyramid[pyramid.length - 1]!;
    if (top.w < 16 || top.h < 16) break;
    pyramid.push(halve(top.template, top.input, top.valid, top.mask, top.w, top.h));
  }
  let warp: Homography = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  let out: EccResult | null = null;
  for (let l = pyramid.length - 1; l >= 0; l--) {
    const g = pyramid[l]!;
    const scale = 4 ** l;
    out = alignLevel(g.template, g.input, g.valid, g.mask, g.w, g.h, warp, { ...opts, minPixels: opts.minPixels / scale });
    // A coarse level that fails (too few pixels left in a crop's frame at a quarter or a sixteenth
    // of the sketch's size, or a step that would lower the correlation) hands the finer level the
    // warp it was given; only the finest level's failure fails the alignment.
    if (!out) {
      if (l === 0) return null;
      out = { warp, rho: -Infinity, iterations: 0 };
    }
    // Coarse pixel (x, y) is fine pixel (2x + 0.5, 2y + 0.5): W_fine = S W_coarse S⁻¹.
    if (l > 0) {
      const f = multiply([2, 0, 0.5, 0, 2, 0.5, 0, 0, 1], multiply(out.warp, [0.5, 0, -0.25, 0, 0.5, -0.25, 0, 0, 1]));
      warp = f.map((v) => v / f[8]) as Homography;
    }
  }
  return out;
}

/**
 * The bilinear blend of g's four samples at a, a + 1, a + w and a + w + 1 with these weights. A
 * function of its own, not a closure made per pixel: under tsx (the server, bench, tests) each
 * closure made in the loop is also named by a helper call, a large share of the alignment's time.
 */
function bilinear(g: Float64Array, a: number, w: number, w00: number, w10: number, w01: number, w11: number): number {
  return w00 * (g[a] as number) + w10 * (g[a + 1] as number) + w01 * (g[a + w] as number) + w11 * (g[a + w + 1] as number);
}

/** One level of alignEcc, from `start`. */
function alignLevel(
  template: Float64Array,
  input: Float64Array,
  inputValid: Uint8Array,
  mask: Uint8Array,
  w: number,
  h: number,
  start: Homography,
  opts: EccOptions,
): EccResult | null {
  const all = new Uint8Array(w * h).fill(1);
  const T = smoothMasked(template, all, w, h, BINOMIAL5);
  // Pixels next to the input's edge of data would mix in its emptiness: the data shrinks by one.
  const inside = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      inside[i] = inputValid[i] && inputValid[i - 1] && inputValid[i + 1] && inputValid[i - w] && inputValid[i + w] ? 1 : 0;
    }
  const I = smoothMasked(input, inside, w, h, BINOMIAL5);
  // Central-difference gradients of the smoothed input, where both neighbours carry data.
  const gx = new Float64Array(w * h);
  const gy = new Float64Array(w * h);
  const gok = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!inside[i] || !inside[i - 1] || !inside[i + 1] || !inside[i - w] || !inside[i + w]) continue;
      gx[i] = ((I[i + 1] as number) - (I[i - 1] as number)) / 2;
      gy[i] = ((I[i + w] as number) - (I[i - w] as number)) / 2;
      gok[i] = 1;
    }
  const px: number[] = [];
  for (let i = 0; i < w * h; i++) if (mask[i]) px.push(i);
  const n = px.length;
  const tv = new Float64Array(n);
  const iv = new Float64Array(n);
  const J = new Float64Array(n * 8);
  const use = new Uint8Array(n);
  // Parameters fitted: w0..w5 for an affine map, w0..w7 for a homography (J keeps all eight per pixel).
  const P = opts.motion === 'affine' ? 6 : 8;
  const W: Homography = [...start];
  let rho = -Infinity;
  let it = 0;
  for (; it < opts.iterations; it++) {
    // Warp: bilinear samples of the input and its gradients at W(x, y), where all four neighbours carry data.
    let m = 0;
    for (let k = 0; k < n; k++) {
      use[k] = 0;
      const p = px[k] as number;
      const x = p % w;
      const y = (p - x) / w;
      const d = W[6] * x + W[7] * y + 1;
      if (!(d > 1e-9)) continue;
      const u = (W[0] * x + W[1] * y + W[2]) / d;
      const v = (W[3] * x + W[4] * y + W[5]) / d;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) continue;
      const a = y0 * w + x0;
      if (!gok[a] || !gok[a + 1] || !gok[a + w] || !gok[a + w + 1]) continue;
      const fx = u - x0;
      const fy = v - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const ix = bilinear(gx, a, w, w00, w10, w01, w11);
      const iy = bilinear(gy, a, w, w00, w10, w01, w11);
      iv[k] = bilinear(I, a, w, w00, w10, w01, w11);
      tv[k] = T[p] as number;
      // ∂I(W(x))/∂(w0..w7) for W = [w0 w1 w2; w3 w4 w5; w6 w7 1].
      const o = k * 8;
      J[o] = (ix * x) / d;
      J[o + 1] = (ix * y) / d;
      J[o + 2] = ix / d;
      J[o + 3] = (iy * x) / d;
      J[o + 4] = (iy * y) / d;
      J[o + 5] = iy / d;
      const s = -(ix * u + iy * v) / d;
      J[o + 6] = s * x;
      J[o + 7] = s * y;
      use[k] = 1;
      m++;
    }
    if (m < opts.minPixels) return null;
    // Zero-mean over the pixels used in this iteration.
    let tm = 0;
    let im = 0;
    for (let k = 0; k < n; k++)
      if (use[k]) {
        tm += tv[k] as number;
        im += iv[k] as number;
      }
    tm /= m;
    im /= m;
    const H = new Float64Array(P * P);
    const ip = new Float64Array(P);
    const tp = new Float64Array(P);
    let corr = 0;
    let ii = 0;
    let tt = 0;
    for (let k = 0; k < n; k++) {
      if (!use[k]) continue;
      const t = (tv[k] as number) - tm;
      const v = (iv[k] as number) - im;
      corr += t * v;
      ii += v * v;
      tt += t * t;
      const o = k * 8;
      for (let r = 0; r < P; r++) {
        const jr = J[o + r] as number;
        ip[r] = (ip[r] as number) + jr * v;
        tp[r] = (tp[r] as number) + jr * t;
        for (let c = r; c < P; c++) H[r * P + c] = (H[r * P + c] as number) + jr * (J[o + c] as number);
      }
    }
    if (!(ii > 0) || !(tt > 0)) return null;
    for (let r = 0; r < P; r++) for (let c = 0; c < r; c++) H[r * P + c] = H[c * P + r] as number;
    const last = rho;
    rho = corr / Math.sqrt(ii * tt);
    if (Math.abs(rho - last) < opts.eps) break;
    const a = solveLinear(Float64Array.from(H), Float64Array.from(ip), P);
    const b = solveLinear(Float64Array.from(H), Float64Array.from(tp), P);
    if (!a || !b) return null;
    let ipa = 0;
    let tpa = 0;
    for (let r = 0; r < P; r++) {
      ipa += (ip[r] as number) * (a[r] as number);
      tpa += (tp[r] as number) * (a[r] as number);
    }
    const den = corr - tpa;
    if (!(den > 0)) return null;
    const lambda = (ii - ipa) / den;
    // Δp = H⁻¹ Jᵀ (λ t − i) = λ b − a.
    for (let r = 0; r < P; r++) W[r] = (W[r] as number) + lambda * (b[r] as number) - (a[r] as number);
  }
  return { warp: W, rho, iterations: it };
}
