/**
 * Pictures inside a picture: axis-aligned rectangles of one flat colour that hold content — clip art
 * pasted on its own background into a collage, a product mock-up, a page or a screenshot. Each box
 * found is a place where a whole library image may sit at a fraction of the query's size, so the
 * query is also hashed there (fingerprint.ts boxViews), as if the box were the whole picture.
 *
 * A box is a 4-connected region of pixels within `tolerance` grey levels of a flat seed pixel
 * (its 3 × 3 neighbourhood spans at most `flat` levels, so a blurred edge never seeds one) whose
 * bounding rectangle is lined by the region itself: at least `minRing` of the rectangle's outline
 * pixels belong to it. The page's own background (a rectangle over `maxArea` of the frame) and
 * small patches (under `minArea`) are no boxes, nor is a band of the picture itself (a region
 * reaching three of the frame's edges: a scene's sky). The largest `maxBoxes` are kept. A box whose
 * picture reaches its edges (its colour cut into pieces) is found by its outline instead (lined.ts,
 * policy visual.boxes.lines).
 */
import { borderPixels } from './local/flood.ts';
import { rectIoU } from './local/geometry.ts';
import { type LineSettings, linedBoxes } from './lined.ts';
import type { TurnSettings } from './turned.ts';

export interface BoxSettings {
  /** Grey levels from the seed's that still belong to its region. */
  tolerance: number;
  /** A seed's 3 × 3 neighbourhood spans at most this many grey levels. */
  flat: number;
  /** Smallest box, as a share of the frame's area. */
  minArea: number;
  /** Largest box, as a share of the frame's area (larger: the page's own background). */
  maxArea: number;
  /** Share of the box's outline pixels that must belong to its region. */
  minRing: number;
  /** Boxes kept at most. */
  maxBoxes: number;
  /** Longest side, in pixels, of the reduced frame boxes are looked for in. */
  side: number;
  /** Also describe each picture's zoom window mirrored (the grid's windows follow local.zoom.mirror). */
  mirror?: boolean | undefined;
  /** Boxes found by their outline too (lined.ts); absent: not looked for. */
  lines?: LineSettings | undefined;
  /** A picture turned, sheared or warped on a fill, rectified and hashed too (turned.ts); absent: not looked for. */
  turned?: TurnSettings | undefined;
}

export interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
  /** The grey level of the box's own colour (its region's seed): its region is level ± tolerance. */
  level: number;
  /** How far inside its region's edge the box was cut, in pixels (0: on it). */
  inset: number;
}

/** The pixels of `b` (a rectangle of the w-wide grey image `g`) as an image of their own. */
export function crop(g: Uint8Array, w: number, b: { x: number; y: number; w: number; h: number }): Uint8Array {
  const out = new Uint8Array(b.w * b.h);
  for (let y = 0; y < b.h; y++) out.set(g.subarray((b.y + y) * w + b.x, (b.y + y) * w + b.x + b.w), y * b.w);
  return out;
}

/** Whether the 3 × 3 neighbourhood of pixel (x, y) (clipped at the frame) spans at most `flat` grey levels. */
function isFlat(g: Uint8Array, w: number, h: number, x: number, y: number, flat: number): boolean {
  let lo = 255;
  let hi = 0;
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= w) continue;
      const v = g[yy * w + xx] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return hi - lo <= flat;
}

/** A frame reduced by `f` (the mean of each f × f block; partial blocks at the edges dropped): `px`, w × h. */
export interface Reduced {
  px: Uint8Array;
  w: number;
  h: number;
  f: number;
}

/** The block size reduceFrame uses to bring a w × h frame to at most `side` pixels on its longer side. */
export function reductionFactor(w: number, h: number, side: number): number {
  return Math.max(1, Math.ceil(Math.max(w, h) / side));
}

/**
 * The frame g (w × h) reduced to at most `side` pixels on its longer side by block means (itself
 * when already that small), as pastedBoxes and turned.ts turnedPicture look at it; computed once
 * for both.
 */
export function reduceFrame(g: Uint8Array, w: number, h: number, side: number): Reduced {
  const f = reductionFactor(w, h, side);
  if (f === 1) return { px: g, w, h, f };
  const rw = Math.floor(w / f);
  const rh = Math.floor(h / f);
  const sums = new Uint32Array(rw * rh);
  // Each row of blocks summed f pixels at a time (no division per pixel).
  for (let y = 0; y < rh * f; y++) {
    const row = ((y / f) | 0) * rw;
    let o = y * w;
    for (let bx = 0; bx < rw; bx++) {
      let acc = 0;
      for (let k = 0; k < f; k++) acc += g[o++] as number;
      sums[row + bx] = (sums[row + bx] as number) + acc;
    }
  }
  const px = new Uint8Array(rw * rh);
  const area = f * f;
  for (let i = 0; i < px.length; i++) px[i] = Math.round((sums[i] as number) / area);
  return { px, w: rw, h: rh, f };
}

/**
 * Boxes in a grey frame (w × h, one byte per pixel), in pixels of that frame. They are found on the
 * frame reduced to at most `side` pixels on its longer side (a box is at least minArea of the
 * frame, and the block means also quieten noise), and each is returned one block inside its edges,
 * so that its crop holds only its own colour at its rim (a frame already that small is searched as
 * it is, and its boxes are returned on their edges: inset 0). The flat boxes come first, then those
 * found by their outline (`s.lines`) that are not one of them.
 */
export function pastedBoxes(g: Uint8Array, w: number, h: number, s: BoxSettings, reduced?: Reduced): PixelBox[] {
  const r = reduced ?? reduceFrame(g, w, h, s.side);
  const f = r.f;
  const flat = boxesAt(r.px, r.w, r.h, s);
  // Boxes found by their outline (lined.ts) that are not flat boxes already found (a box holding flat ones is another).
  const lined = s.lines
    ? linedBoxes(r.px, r.w, r.h, s.lines, s.minArea, s.maxArea).filter((b) => flat.every((a) => rectIoU(a, b) <= 0.5))
    : [];
  const all = [...flat, ...lined];
  if (f === 1) return all;
  return all
    .map((b) => ({ x: (b.x + 1) * f, y: (b.y + 1) * f, w: (b.w - 2) * f, h: (b.h - 2) * f, level: b.level, inset: f }))
    .filter((b) => b.w >= 8 && b.h >= 8);
}

function boxesAt(g: Uint8Array, w: number, h: number, s: BoxSettings): PixelBox[] {
  const n = w * h;
  if (w < 8 || h < 8 || g.length < n || s.maxBoxes < 1) return [];
  const label = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const found: { box: PixelBox; area: number }[] = [];
  let next = 0;
  for (let seed = 0; seed < n; seed++) {
    if (label[seed] !== -1) continue;
    const sx = seed % w;
    const sy = (seed - sx) / w;
    if (!isFlat(g, w, h, sx, sy, s.flat)) continue;
    const id = next++;
    const lo = (g[seed] as number) - s.tolerance;
    const hi = (g[seed] as number) + s.tolerance;
    let top = 0;
    stack[top++] = seed;
    label[seed] = id;
    let x0 = sx;
    let x1 = sx;
    let y0 = sy;
    let y1 = sy;
    while (top > 0) {
      const p = stack[--top] as number;
      const px = p % w;
      const py = (p - px) / w;
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
      // The four neighbours, inline (this loop visits every pixel of every region).
      let q = p - 1;
      if (px > 0 && label[q] === -1 && (g[q] as number) >= lo && (g[q] as number) <= hi) {
        label[q] = id;
        stack[top++] = q;
      }
      q = p + 1;
      if (px < w - 1 && label[q] === -1 && (g[q] as number) >= lo && (g[q] as number) <= hi) {
        label[q] = id;
        stack[top++] = q;
      }
      q = p - w;
      if (py > 0 && label[q] === -1 && (g[q] as number) >= lo && (g[q] as number) <= hi) {
        label[q] = id;
        stack[top++] = q;
      }
      q = p + w;
      if (py < h - 1 && label[q] === -1 && (g[q] as number) >= lo && (g[q] as number) <= hi) {
        label[q] = id;
        stack[top++] = q;
      }
    }
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (bw < 3 || bh < 3 || bw * bh < s.minArea * n || bw * bh > s.maxArea * n) continue;
    // A band of the picture itself (the sky or the ground of a scene) spans it from edge to edge.
    const edges = (x0 === 0 ? 1 : 0) + (y0 === 0 ? 1 : 0) + (x1 === w - 1 ? 1 : 0) + (y1 === h - 1 ? 1 : 0);
    if (edges >= 3) continue;
    let on = 0;
    for (let x = x0; x <= x1; x++) on += (label[y0 * w + x] === id ? 1 : 0) + (label[y1 * w + x] === id ? 1 : 0);
    for (let y = y0 + 1; y < y1; y++) on += (label[y * w + x0] === id ? 1 : 0) + (label[y * w + x1] === id ? 1 : 0);
    const ring = on / (2 * bw + 2 * (bh - 2));
    if (ring >= s.minRing) found.push({ box: { x: x0, y: y0, w: bw, h: bh, level: lo + s.tolerance, inset: 0 }, area: bw * bh });
  }
  found.sort((a, b) => b.area - a.area);
  return found.slice(0, s.maxBoxes).map((f) => f.box);
}

/**
 * Paints over what reaches into a box from outside it — a shape lying across the box's edge, not
 * drawn in it — with the box's own colour. `px` is the box's crop of the frame `g` (gw × gh), changed
 * in place. A shape is each 4-connected group of pixels outside `level ± tolerance` that touches the
 * crop's rim; it came from outside when, for most of its rim pixels, the frame `reach` pixels further
 * out (beyond the box's edge) is of its grey level within 2 × tolerance. A drawing that touches its
 * own canvas's edge meets the picture around the box there, not more of itself, and is kept.
 * Returns whether anything was painted.
 */
export function clearIntrusions(
  px: Uint8Array,
  box: PixelBox,
  g: Uint8Array,
  gw: number,
  gh: number,
  tolerance: number,
  reach: number,
): boolean {
  const { w, h } = box;
  const lo = box.level - tolerance;
  const hi = box.level + tolerance;
  const other = (i: number): boolean => (px[i] as number) < lo || (px[i] as number) > hi;
  const group = new Int32Array(w * h).fill(-1);
  const stack = new Int32Array(w * h);
  const members = new Int32Array(w * h);
  const rim = borderPixels(w, h);
  // Whether the frame `reach` pixels beyond the box's edge next to rim pixel i is of its grey level.
  const continues = (i: number): boolean => {
    const cx = i % w;
    const cy = (i - cx) / w;
    const near = (x: number, y: number): boolean =>
      x >= 0 && y >= 0 && x < gw && y < gh && Math.abs((g[y * gw + x] as number) - (px[i] as number)) <= 2 * tolerance;
    return (
      (cy === 0 && near(box.x + cx, box.y - reach)) ||
      (cy === h - 1 && near(box.x + cx, box.y + h - 1 + reach)) ||
      (cx === 0 && near(box.x - reach, box.y + cy)) ||
      (cx === w - 1 && near(box.x + w - 1 + reach, box.y + cy))
    );
  };
  let painted = false;
  let id = 0;
  for (const start of rim) {
    if (group[start] !== -1 || !other(start)) continue;
    let top = 0;
    let count = 0;
    group[start] = id;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top] as number;
      members[count++] = p;
      const x = p % w;
      // The four neighbours, inline.
      let q = p - 1;
      if (x > 0 && group[q] === -1 && other(q)) {
        group[q] = id;
        stack[top++] = q;
      }
      q = p + 1;
      if (x < w - 1 && group[q] === -1 && other(q)) {
        group[q] = id;
        stack[top++] = q;
      }
      q = p - w;
      if (q >= 0 && group[q] === -1 && other(q)) {
        group[q] = id;
        stack[top++] = q;
      }
      q = p + w;
      if (q < w * h && group[q] === -1 && other(q)) {
        group[q] = id;
        stack[top++] = q;
      }
    }
    let edge = 0;
    let beyond = 0;
    for (let k = 0; k < count; k++) {
      const p = members[k] as number;
      const cx = p % w;
      const cy = (p - cx) / w;
      if (cx !== 0 && cy !== 0 && cx !== w - 1 && cy !== h - 1) continue;
      edge++;
      if (continues(p)) beyond++;
    }
    if (beyond * 2 > edge) {
      for (let k = 0; k < count; k++) px[members[k] as number] = box.level;
      painted = true;
    }
    id++;
  }
  return painted;
}
