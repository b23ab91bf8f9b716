/**
 * Affine-simulated views of a query's working frame (policy local.tilt), as ASIFT does (Morel & Yu,
 * "ASIFT: A New Framework for Fully Affine Invariant Image Comparison", 2009): ORB is invariant to
 * turning and scale but not to a strong stretch along one direction, so a sheared or obliquely
 * seen copy shares few descriptors with its source. The frame is also warped by a tilt t along a
 * few directions — stretched t× along one direction, then scaled back to the working size — and
 * each such view is described and verified as a query of its own; a view whose tilt undoes most of
 * the copy's stretch matches its source as an unsheared copy would. Each view carries the map back
 * onto the working frame (`tilt` on the view), so a match is still placed on the query as it is.
 */
import type { GrayFrame } from './frame.ts';
import { type Homography, invertH } from './homography.ts';

/** Policy local.tilt: which tilts are simulated. */
export interface TiltSettings {
  /** Tilt factors (> 1); none turns the views off. */
  factors: readonly number[];
  /** Directions per factor, evenly spread over 180°, half a step from the frame's x axis (2: the diagonals). */
  directions: number;
}

/** A tilted view of the working frame, with the map from its pixels back onto the frame's. */
export interface TiltedFrame {
  /** The view; `flat` warped too when the frame has a whitened twin. */
  frame: GrayFrame;
  /** The same view of the frame's fine octave (its pixels `fine.width / frame.width` × as many), when given one. */
  fine?: GrayFrame | undefined;
  /** The view's pixels → the working frame's pixels. */
  toBase: Homography;
}

/** The affine stretch by t along direction phi (radians), as [a, b, c, d] of x' = a x + b y, y' = c x + d y. */
function stretch(t: number, phi: number): [number, number, number, number] {
  const c = Math.cos(phi);
  const s = Math.sin(phi);
  return [c * c * t + s * s, c * s * (t - 1), c * s * (t - 1), s * s * t + c * c];
}

/** The level a warp fills the outside with: the trimmed border's, else the mean of the frame's edge pixels. */
function fillLevel(f: GrayFrame): number {
  if (f.background !== undefined) return f.background;
  const { gray, width: w, height: h } = f;
  let sum = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    sum += (gray[x] as number) + (gray[(h - 1) * w + x] as number);
    n += 2;
  }
  for (let y = 0; y < h; y++) {
    sum += (gray[y * w] as number) + (gray[y * w + w - 1] as number);
    n += 2;
  }
  return n > 0 ? Math.round(sum / n) : 255;
}

/**
 * `gray` (w × h) seen through `fwd` (an affine map, frame → view pixels) on a W × H canvas:
 * bilinear, each view pixel the mean of k × k samples (a view scaled down across the stretch would
 * otherwise alias thin lines into jagged ones ORB describes differently), the outside `fill`.
 */
function warp(gray: Uint8Array, w: number, h: number, fwd: Homography, W: number, H: number, k: number, fill: number): Uint8Array {
  const back = invertH(fwd) as Homography; // an affine map of positive determinant
  const [b0, b1, b2, b3, b4, b5] = back;
  const out = new Uint8Array(W * H);
  const acc = new Float64Array(W);
  const xMax = w - 1;
  const yMax = h - 1;
  for (let v = 0; v < H; v++) {
    acc.fill(0);
    for (let j = 0; j < k; j++) {
      const vy = v + (j + 0.5) / k;
      for (let i = 0; i < k; i++) {
        // A view point (ux, vy) ↔ the frame point (x + 0.5, y + 0.5) of pixel centres; along a
        // row both move by a constant step.
        const u0 = (i + 0.5) / k;
        let px = b0 * u0 + b1 * vy + b2 - 0.5;
        let py = b3 * u0 + b4 * vy + b5 - 0.5;
        for (let u = 0; u < W; u++, px += b0, py += b3) {
          if (px < -0.5 || py < -0.5 || px > w - 0.5 || py > h - 0.5) {
            acc[u] = (acc[u] as number) + fill;
            continue;
          }
          const x = px < 0 ? 0 : px > xMax ? xMax : px;
          const y = py < 0 ? 0 : py > yMax ? yMax : py;
          let ix = x | 0;
          let iy = y | 0;
          if (ix >= xMax) ix = Math.max(0, xMax - 1);
          if (iy >= yMax) iy = Math.max(0, yMax - 1);
          const fx = w > 1 ? x - ix : 0;
          const fy = h > 1 ? y - iy : 0;
          const o = iy * w + ix;
          const p00 = gray[o] as number;
          const p10 = w > 1 ? (gray[o + 1] as number) : p00;
          const p01 = h > 1 ? (gray[o + w] as number) : p00;
          const p11 = w > 1 && h > 1 ? (gray[o + w + 1] as number) : p00;
          acc[u] = (acc[u] as number) + (p00 + (p10 - p00) * fx) * (1 - fy) + (p01 + (p11 - p01) * fx) * fy;
        }
      }
    }
    const n = k * k;
    for (let u = 0; u < W; u++) out[v * W + u] = Math.round((acc[u] as number) / n);
  }
  return out;
}

/** A 2W × 2H image's W × H means of 2 × 2 pixels. */
function halve(g: Uint8Array, W: number, H: number): Uint8Array {
  const out = new Uint8Array(W * H);
  const w2 = 2 * W;
  for (let v = 0; v < H; v++) {
    const r0 = 2 * v * w2;
    const r1 = r0 + w2;
    for (let u = 0; u < W; u++) {
      const x = 2 * u;
      out[v * W + u] = ((g[r0 + x] as number) + (g[r0 + x + 1] as number) + (g[r1 + x] as number) + (g[r1 + x + 1] as number) + 2) >> 2;
    }
  }
  return out;
}

/**
 * The working frame warped by one tilt: stretched t× along phi, the drawing's own extent (pixels
 * farther than `tolerance` from the backdrop's level; the whole frame when none is) scaled so its
 * longest side is the frame's — as a library frame is trimmed to its drawing — the outside filled
 * with the backdrop's level. With `fine` (the frame's fine octave), the same view of it.
 */
export function tiltFrame(f: GrayFrame, t: number, phi: number, tolerance: number, fine?: GrayFrame): TiltedFrame {
  const [a, b, c, d] = stretch(t, phi);
  const { width: w, height: h, gray } = f;
  const fill = fillLevel(f);
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const reach = (x: number, y: number): void => {
    const X = a * x + b * y;
    const Y = c * x + d * y;
    if (X < x0) x0 = X;
    if (X > x1) x1 = X;
    if (Y < y0) y0 = Y;
    if (Y > y1) y1 = Y;
  };
  // The drawing's tilted extent, from the corners of each row's first and last drawing pixels
  // (a linear map's extremes over a row segment lie at its ends).
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++)
      if (Math.abs((gray[row + x] as number) - fill) > tolerance) {
        first = x;
        break;
      }
    if (first < 0) continue;
    for (let x = w - 1; x >= first; x--)
      if (Math.abs((gray[row + x] as number) - fill) > tolerance) {
        last = x;
        break;
      }
    reach(first, y);
    reach(first, y + 1);
    reach(last + 1, y);
    reach(last + 1, y + 1);
  }
  if (!(x1 > x0 && y1 > y0))
    for (const [x, y] of [
      [0, 0],
      [w, 0],
      [0, h],
      [w, h],
    ] as const)
      reach(x, y);
  const s = Math.max(w, h) / Math.max(x1 - x0, y1 - y0);
  const W = Math.max(1, Math.round((x1 - x0) * s));
  const H = Math.max(1, Math.round((y1 - y0) * s));
  // frame → view: p' = s (A p) − s (x0, y0).
  const fwd: Homography = [s * a, s * b, -s * x0, s * c, s * d, -s * y0, 0, 0, 1];
  const k = Math.max(1, Math.ceil(1 / s - 1e-9));
  let fineView: GrayFrame | undefined;
  if (fine) {
    // The fine octave's view (its pixels rx × ry the view's) is warped from the working frame:
    // scaled up by the octave's ratio, the view shrinks little or nothing across the stretch, so
    // few samples per pixel suffice — warping the fine octave itself would need k × k of them
    // over 4× the pixels.
    const rx = fine.width / w;
    const ry = fine.height / h;
    const Wf = Math.max(1, Math.round(W * rx));
    const Hf = Math.max(1, Math.round(H * ry));
    const ffwd: Homography = [fwd[0] * rx, fwd[1] * rx, fwd[2] * rx, fwd[3] * ry, fwd[4] * ry, fwd[5] * ry, 0, 0, 1];
    const kf = Math.max(1, Math.ceil(1 / (s * Math.min(rx, ry)) - 1e-9));
    fineView = { gray: warp(gray, w, h, ffwd, Wf, Hf, kf, fill), width: Wf, height: Hf, frame: f.frame, background: fill };
  }
  // The view itself: the fine view halved (2 × 2 means) when it is exactly twice its size, else warped.
  const half = fineView && fineView.width === 2 * W && fineView.height === 2 * H ? halve(fineView.gray, W, H) : null;
  const view: GrayFrame = { gray: half ?? warp(gray, w, h, fwd, W, H, k, fill), width: W, height: H, frame: f.frame, background: fill };
  if (f.flat) view.flat = warp(f.flat, w, h, fwd, W, H, k, 255);
  return { frame: view, ...(fineView ? { fine: fineView } : {}), toBase: invertH(fwd) as Homography };
}

/** One tilted view the settings ask for: its factor and its direction (radians from the frame's x axis). */
export interface TiltAngle {
  t: number;
  phi: number;
}

/** Every tilted view the settings ask for, factor by factor, direction by direction. */
export function tiltAngles(s: TiltSettings): TiltAngle[] {
  const out: TiltAngle[] = [];
  const n = Math.max(0, Math.floor(s.directions));
  for (const t of s.factors) {
    if (!(t > 1)) continue;
    for (let k = 0; k < n; k++) out.push({ t, phi: ((k + 0.5) * Math.PI) / n });
  }
  return out;
}
