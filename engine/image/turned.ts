/**
 * A picture turned, sheared or put in perspective on a canvas of one fill colour — a copy rotated in
 * an editor that widens the canvas (black, grey or white corners), or warped with a fill — found as a
 * convex quadrilateral and rectified, so that the global hashes see it upright as the library stored
 * it (fingerprint.ts turnedPictureViews, policy visual.boxes.turned). A blurred or re-encoded copy
 * turned this way keeps too few sharp corners for the local-feature layer, and its turn defeats
 * every hash; the rectified picture meets the library's hashes again (its quarter turns and mirror
 * are the hashes' own dihedral alignments).
 *
 * The fill is a grey level most of the frame's border lies within `tolerance` of (or the next most
 * common, for a picture that touches two of the frame's edges); it is flooded from the border, and
 * what it leaves — its largest 4-connected region — is the picture when a quadrilateral fits it: its
 * convex hull cut down to 4 corners, each side refitted by least squares to the region's outline
 * away from the corners (a blurred copy's corners are round), the region filling most of that
 * quadrilateral and the quadrilateral a large part of the frame. A quadrilateral whose sides all lie
 * within `minTurnDeg` of the frame's axes is left to the trimmed view.
 *
 * A picture turned within its canvas (an editor's rotate that keeps the canvas size) loses the
 * corners it turned out of the frame: its hull's sides along the frame's edges are the frame's, and
 * its own sides fix it as the frame's rectangle turned about its centre, or as the quadrilateral its
 * four sides meet in beyond the frame (policy minShown); rectified, the parts it lost are painted its
 * own level along the cut.
 */

import { type Reduced, reduceFrame, reductionFactor } from './boxed.ts';
import { borderPixels, grow } from './local/flood.ts';
import { clipToRect, convexHull, cross, polygonArea, simplify } from './local/geometry.ts';
import { rotationOf } from './local/homography.ts';
import { type Affine, stretchOf } from './local/ransac.ts';

export interface TurnSettings {
  on: boolean;
  /** Longest side, in pixels, of the reduced frame the picture is looked for in (block means quieten noise). */
  side: number;
  /** Grey levels from the fill's level that still count as fill. */
  tolerance: number;
  /** Share of the border's pixels that must be fill (else the frame has no one fill colour); the fill is the level most of them share. */
  minBorder: number;
  /** Share of the frame the fill must cover (a turned picture leaves its corners to it). */
  minFill: number;
  /** Share of the frame the quadrilateral must cover. */
  minArea: number;
  /** Share of the quadrilateral the region must fill. */
  minSolidity: number;
  /** At least one side turned this many degrees from both axes (else the trimmed view sees it upright). */
  minTurnDeg: number;
  /**
   * Share of the quadrilateral that must lie inside the frame when the frame cut it (a picture turned
   * within its canvas: the corners it turned out of the canvas are lost); 1 allows only whole ones.
   */
  minShown: number;
  /** Share of each side cut from the rectified picture (the blurred rim of a blurred copy's edge). */
  inset: number;
  /** Longest side, in pixels, of the rectified picture. */
  maxSide: number;
  /** Share of each side the blurred rim of the picture's edge may take (cropRim). */
  rimShare: number;
  /** Grey levels a line's mean must move further from the fill's for the rim to go on (cropRim). */
  rimStep: number;
}

/** A point [x, y] in pixels of the frame. */
export type Point = [number, number];

export interface TurnedPicture {
  /** Corners clockwise from the top-left one: top-left, top-right, bottom-right, bottom-left (pixels of the frame). */
  corners: [Point, Point, Point, Point];
  /**
   * The turn of the nearest rotation to the map from the upright picture (its sides' mean lengths)
   * onto the quadrilateral, degrees counter-clockwise (polar decomposition, as a verified local match
   * reads its turn: a shear is not named a turn).
   */
  turnDeg: number;
  /** How much more that map stretches one direction than the other (≥ 1: 1 for a turned picture, more for a sheared one). */
  stretch: number;
  /** Share of the frame the quadrilateral covers (the part inside it, when the frame cut it). */
  area: number;
  /** Share of the quadrilateral inside the frame: 1 for a whole one, less where the frame cut its corners off. */
  shown: number;
  /** The fill's grey level (the median of the border pixels in the window of levels that chose it). */
  fill: number;
}

/**
 * The 4-connected region of pixels labelled `from` around `seed` (a w-wide frame), labelled `to` and
 * left in queue[0..size); returns its size.
 */
function regionAt(label: Uint8Array, queue: Int32Array, seed: number, w: number, from: number, to: number): number {
  label[seed] = to;
  queue[0] = seed;
  return grow(label, queue, 1, w, from, from, to);
}

/** The hull cut down to 4 vertices, each time dropping the one whose triangle with its neighbours is smallest. */
function fourCorners(hull: Point[]): Point[] {
  const v = [...hull];
  while (v.length > 4) {
    let best = 0;
    let least = Infinity;
    for (let i = 0; i < v.length; i++) {
      const a = Math.abs(cross(v[(i + v.length - 1) % v.length] as Point, v[i] as Point, v[(i + 1) % v.length] as Point));
      if (a < least) {
        least = a;
        best = i;
      }
    }
    v.splice(best, 1);
  }
  return v;
}

/** A line a·x + b·y = c (a² + b² = 1) fitted to points by total least squares; null when they are too few. */
function fitLine(pts: Point[]): [number, number, number] | null {
  if (pts.length < 3) return null;
  let mx = 0;
  let my = 0;
  for (const [x, y] of pts) {
    mx += x;
    my += y;
  }
  mx /= pts.length;
  my /= pts.length;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
    syy += (y - my) ** 2;
  }
  // The normal is the eigenvector of the scatter matrix with the smaller eigenvalue.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy); // direction of the line
  const a = -Math.sin(theta);
  const b = Math.cos(theta);
  return [a, b, a * mx + b * my];
}

function intersect(l1: [number, number, number], l2: [number, number, number]): Point | null {
  const det = l1[0] * l2[1] - l1[1] * l2[0];
  if (Math.abs(det) < 1e-6) return null;
  return [(l1[2] * l2[1] - l1[1] * l2[2]) / det, (l1[0] * l2[2] - l1[2] * l2[0]) / det];
}

/** Distance from p to the segment a–b and where along it p projects (0 at a, 1 at b). */
function toSegment(p: Point, a: Point, b: Point): { d: number; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy || 1;
  const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  const c = Math.max(0, Math.min(1, t));
  return { d: Math.hypot(p[0] - (a[0] + c * dx), p[1] - (a[1] + c * dy)), t };
}

/**
 * The linear map [a, b, c, d, 0, 0] (local/ransac.ts Affine) taking the upright picture — its sides
 * the quadrilateral's mean side lengths — onto the quadrilateral, from its mean top/bottom and
 * left/right sides.
 */
function uprightMap(q: readonly [Point, Point, Point, Point]): Affine {
  const [tl, tr, br, bl] = q;
  const ux = (tr[0] - tl[0] + br[0] - bl[0]) / 2;
  const uy = (tr[1] - tl[1] + br[1] - bl[1]) / 2;
  const vx = (bl[0] - tl[0] + br[0] - tr[0]) / 2;
  const vy = (bl[1] - tl[1] + br[1] - tr[1]) / 2;
  const w = (Math.hypot(tr[0] - tl[0], tr[1] - tl[1]) + Math.hypot(br[0] - bl[0], br[1] - bl[1])) / 2 || 1;
  const h = (Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) + Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2 || 1;
  return [ux / w, vx / h, uy / w, vy / h, 0, 0];
}

/** Degrees a direction lies from the nearest axis (0..45). */
function offAxis(a: Point, b: Point): number {
  const deg = Math.abs((Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI) % 90;
  return Math.min(deg, 90 - deg);
}

/** Corners ordered clockwise on screen (y down) from the one nearest the frame's top-left. */
function ordered(c: Point[]): [Point, Point, Point, Point] {
  const cx = c.reduce((s, p) => s + p[0], 0) / c.length;
  const cy = c.reduce((s, p) => s + p[1], 0) / c.length;
  // Clockwise on screen = increasing atan2(y, x) with y pointing down.
  const byAngle = [...c].sort((p, q) => Math.atan2(p[1] - cy, p[0] - cx) - Math.atan2(q[1] - cy, q[0] - cx));
  let first = 0;
  for (let i = 1; i < byAngle.length; i++) {
    const p = byAngle[i] as Point;
    const f = byAngle[first] as Point;
    if (p[0] + p[1] < f[0] + f[1]) first = i;
  }
  const out = [0, 1, 2, 3].map((k) => byAngle[(first + k) % 4] as Point);
  return out as [Point, Point, Point, Point];
}

/**
 * The turned picture in a grey frame (w × h, one byte per pixel), in pixels of that frame; null when
 * the frame has no one fill colour around a quadrilateral picture, or the picture sits upright.
 * `reduced`: the frame already reduced (boxed.ts reduceFrame), used when reduced as `s.side` asks.
 */
export function turnedPicture(g: Uint8Array, w: number, h: number, s: TurnSettings, reduced?: Reduced): TurnedPicture | null {
  if (!s.on || w < 16 || h < 16 || g.length < w * h) return null;
  const r = reduced?.f === reductionFactor(w, h, s.side) ? reduced : reduceFrame(g, w, h, s.side);
  const { px, w: rw, h: rh, f } = r;
  const border = borderPixels(rw, rh);
  // The fill is a grey level at least minBorder of the border lies within `tolerance` of: the most
  // common such level, and failing that the next (a picture sheared along one axis touches two of
  // the frame's edges, so its own background may hold as much of the border as the fill).
  const hist = new Uint32Array(256);
  for (const i of border) hist[px[i] as number] = (hist[px[i] as number] as number) + 1;
  for (const level of fillLevels(hist, s.tolerance, Math.ceil(s.minBorder * border.length))) {
    const found = pictureOnFill(px, rw, rh, f, border, level, s);
    if (found) return found;
  }
  return null;
}

/**
 * Up to two fill levels a border histogram allows, most common first: the median of each window of
 * 2·tolerance + 1 levels holding at least `min` pixels, the second outside the first's window.
 */
function fillLevels(hist: Uint32Array, tolerance: number, min: number): number[] {
  const span = 2 * tolerance + 1;
  const best = (skip: (lo: number, hi: number) => boolean): { lo: number; count: number } => {
    let out = { lo: -1, count: 0 };
    for (let lo = 0; lo + span <= 256; lo++) {
      if (skip(lo, lo + span - 1)) continue;
      let c = 0;
      for (let v = lo; v < lo + span; v++) c += hist[v] as number;
      if (c > out.count) out = { lo, count: c };
    }
    return out;
  };
  const median = (lo: number, count: number): number => {
    let v = lo;
    for (let seen = hist[v] as number; seen * 2 < count && v < lo + span - 1;) seen += hist[++v] as number;
    return v;
  };
  const first = best(() => false);
  if (first.count < min) return [];
  const a = median(first.lo, first.count);
  const second = best((lo, hi) => hi >= a - tolerance && lo <= a + tolerance);
  return second.count >= min ? [a, median(second.lo, second.count)] : [a];
}

/** The picture left inside the fill `level` (flooded from the border) when a turned quadrilateral fits it (turnedPicture). */
function pictureOnFill(
  px: Uint8Array,
  rw: number,
  rh: number,
  f: number,
  border: number[],
  level: number,
  s: TurnSettings,
): TurnedPicture | null {
  const n = rw * rh;
  const lo = level - s.tolerance;
  const hi = level + s.tolerance;
  // Flood the fill from the border (fill-coloured pixels labelled 1, flooded ones 2), then relabel:
  // flooded 1, the rest 0 (fill-coloured pixels inside the picture are the picture's).
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) if ((px[i] as number) >= lo && (px[i] as number) <= hi) label[i] = 1;
  const queue = new Int32Array(n);
  let tail = 0;
  for (const i of border)
    if (label[i] === 1) {
      label[i] = 2;
      queue[tail++] = i;
    }
  const filled = grow(label, queue, tail, rw, 1, 1, 2);
  for (let i = 0; i < n; i++) label[i] = label[i] === 2 ? 1 : 0;
  // Too little fill for a turned picture's corners, or too little left for the picture itself.
  if (filled < s.minFill * n || n - filled < s.minArea * n) return null;
  let bestSeed = -1;
  let bestSize = 0;
  const region = new Int32Array(n);
  for (let seed = 0; seed < n; seed++) {
    if (label[seed] !== 0) continue;
    const t = regionAt(label, region, seed, rw, 0, 3);
    if (t > bestSize) {
      bestSize = t;
      bestSeed = seed;
    }
  }
  if (bestSeed < 0 || bestSize < s.minArea * n) return null;
  // The largest region again (labels 3 → 2), and its outline: each row's and column's extremes.
  const rowMin = new Int32Array(rh).fill(rw);
  const rowMax = new Int32Array(rh).fill(-1);
  const colMin = new Int32Array(rw).fill(rh);
  const colMax = new Int32Array(rw).fill(-1);
  const size = regionAt(label, region, bestSeed, rw, 3, 2);
  for (let k = 0; k < size; k++) {
    const i = region[k] as number;
    const x = i % rw;
    const y = (i - x) / rw;
    if (x < (rowMin[y] as number)) rowMin[y] = x;
    if (x > (rowMax[y] as number)) rowMax[y] = x;
    if (y < (colMin[x] as number)) colMin[x] = y;
    if (y > (colMax[x] as number)) colMax[x] = y;
  }
  // Pixel centres of the outline (+0.5), so the fitted sides run along the region's edge pixels.
  const outline: Point[] = [];
  for (let y = 0; y < rh; y++)
    if ((rowMax[y] as number) >= 0) outline.push([(rowMin[y] as number) + 0.5, y + 0.5], [(rowMax[y] as number) + 0.5, y + 0.5]);
  for (let x = 0; x < rw; x++)
    if ((colMax[x] as number) >= 0) outline.push([x + 0.5, (colMin[x] as number) + 0.5], [x + 0.5, (colMax[x] as number) + 0.5]);
  const hull = convexHull(outline);
  if (hull.length < 4) return null;
  const shape = { size: bestSize, hullArea: polygonArea(hull), n, rw, rh, f, level };
  // A picture turned within its canvas: the frame cut the quadrilateral, so the hull's sides along the
  // frame's edges are the frame's, the others the picture's. When they all lie on the frame's own
  // rectangle turned about its centre (an editor's rotate that keeps the canvas) that is the surest
  // fit — the only one when the frame cut whole sides away — and it comes first: four corners cut
  // from such a hull can pass for a sheared picture. Otherwise the picture is the quadrilateral the
  // hull's four corners make (a whole one), and failing that, with four sides of its own, the one
  // where they meet (corners outside the frame).
  const sides = s.minShown < 1 ? cutSides(hull, rw, rh) : null;
  const spun = sides && turnedCanvas(sides, outline, rw, rh);
  const fromSpun = spun && accepted(spun, true, shape, s);
  if (fromSpun) return fromSpun;
  const rough = fourCorners(hull);
  const whole = quadOfSides(
    [0, 1, 2, 3].map((k) => [rough[k], rough[(k + 1) % 4]] as Segment),
    outline,
  );
  const found = whole && accepted(whole, false, shape, s);
  if (found) return found;
  const cut = sides?.length === 4 ? quadOfSides(sides, outline) : null;
  return cut && accepted(cut, true, shape, s);
}

/** A side of the picture's outline: its two ends. */
type Segment = [Point, Point];

/** A line a·x + b·y = c. */
type Line = [number, number, number];

/** The outline points near a segment, away from its ends (round, blurred corners), fitted as a line (fitLine). */
function sideLine([a, b]: Segment, outline: Point[]): Line | null {
  const near = Math.max(1.5, 0.02 * Math.hypot(b[0] - a[0], b[1] - a[1]));
  const pts = outline.filter((p) => {
    const { d, t: along } = toSegment(p, a, b);
    return d <= near && along >= 0.15 && along <= 0.85;
  });
  return fitLine(pts);
}

/** Four sides, in order around the outline, refitted (sideLine) and met at the quadrilateral's corners (ordered). */
function quadOfSides(sides: Segment[], outline: Point[]): [Point, Point, Point, Point] | null {
  const lines: Line[] = [];
  for (const side of sides) {
    const line = sideLine(side, outline);
    if (!line) return null;
    lines.push(line);
  }
  const refined: Point[] = [];
  for (let k = 0; k < 4; k++) {
    const c = intersect(lines[(k + 3) % 4] as Line, lines[k] as Line);
    if (!c) return null;
    refined.push(c);
  }
  return ordered(refined);
}

/**
 * The picture's own sides on a hull the frame cut, in order: the hull simplified, its sides along the
 * frame's edges left out, as are short ones (under 8 % of the frame's shorter side or a quarter of
 * the longest one: a blurred corner's chamfer). Null when the frame cut nothing, or the hull has more
 * than four sides of its own (not a quadrilateral).
 */
function cutSides(hull: Point[], rw: number, rh: number): Segment[] | null {
  const poly = simplify(hull, Math.max(2, 0.012 * Math.max(rw, rh)));
  // Outline points are pixel centres: the frame's edges lie at 0.5 and rw − 0.5 (rh − 0.5); a cut
  // edge is not quite straight (a blurred picture's pixels near it fall within the fill's levels).
  const edge = 4;
  const along = (p: Point, q: Point): boolean =>
    (p[0] <= edge && q[0] <= edge) ||
    (p[0] >= rw - edge && q[0] >= rw - edge) ||
    (p[1] <= edge && q[1] <= edge) ||
    (p[1] >= rh - edge && q[1] >= rh - edge);
  const own: Segment[] = [];
  let framed = 0;
  for (let k = 0; k < poly.length; k++) {
    const p = poly[k] as Point;
    const q = poly[(k + 1) % poly.length] as Point;
    if (along(p, q)) framed++;
    else own.push([p, q]);
  }
  const length = ([p, q]: Segment): number => Math.hypot(q[0] - p[0], q[1] - p[1]);
  const minLength = Math.max(0.08 * Math.min(rw, rh), 0.25 * Math.max(0, ...own.map(length)));
  const sides = own.filter((side) => length(side) >= minLength);
  return framed > 0 && sides.length >= 1 && sides.length <= 4 ? sides : null;
}

/**
 * The frame's own rectangle turned about its centre to lie along the picture's visible sides (an
 * editor's rotate that keeps the canvas), when every side lies on it; null otherwise. The turn starts
 * from the sides' mean direction modulo 90° and is refined (±6°, 0.2° steps) to bring points a
 * quarter, half and three quarters along each side closest to the rectangle's sides, the rectangle
 * shrunk by up to 3 % of the frame's shorter side while fitting (a blurred edge's fill-coloured rim
 * moves the outline in; the picture returned is the whole rectangle); of the two rectangles a turn
 * allows (by it, or by it and a quarter, which differ unless the frame is square), the closer. Every
 * such point must lie within 1.5 % of the frame's longer side of the rectangle.
 */
function turnedCanvas(sides: Segment[], outline: Point[], rw: number, rh: number): [Point, Point, Point, Point] | null {
  const probes: { pts: Point[]; weight: number }[] = [];
  let cx = 0;
  let cy = 0;
  for (const side of sides) {
    const line = sideLine(side, outline);
    if (!line) return null;
    const [a, b] = side;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    // Points along the fitted line, level with a quarter, half and three quarters of the side.
    const pts = [0.25, 0.5, 0.75].map((t) => {
      const x = a[0] + t * (b[0] - a[0]);
      const y = a[1] + t * (b[1] - a[1]);
      const off = line[0] * x + line[1] * y - line[2];
      return [x - off * line[0], y - off * line[1]] as Point;
    });
    probes.push({ pts, weight: length });
    // Mean direction modulo 90°: the normals' angles times 4, averaged as unit vectors.
    const phi = Math.atan2(line[1], line[0]);
    cx += length * Math.cos(4 * phi);
    cy += length * Math.sin(4 * phi);
  }
  // The frame's own rectangle turned `turn` about its centre and shrunk by `shrink` on every side:
  // its axes' cosine and sine, and its half sides.
  const axes = (turn: number, shrink: number) => ({ c: Math.cos(turn), sn: Math.sin(turn), hw: rw / 2 - shrink, hh: rh / 2 - shrink });
  // Its corners, unshrunk.
  const rectangle = (turn: number): Point[] => {
    const { c, sn, hw, hh } = axes(turn, 0);
    return [
      [-hw, -hh],
      [hw, -hh],
      [hw, hh],
      [-hw, hh],
    ].map(([x, y]) => [rw / 2 + c * (x as number) - sn * (y as number), rh / 2 + sn * (x as number) + c * (y as number)] as Point);
  };
  // How far the probe points lie from the rectangle turned `turn` and shrunk by `shrink` (each point
  // taken into the rectangle's own axes, its distance to the rectangle's edge): weighted sum of
  // squares, and the worst.
  const fit = (turn: number, shrink: number): { cost: number; worst: number } => {
    const { c, sn, hw, hh } = axes(turn, shrink);
    let cost = 0;
    let worst = 0;
    for (const { pts, weight } of probes)
      for (const [x, y] of pts) {
        const u = Math.abs(c * (x - rw / 2) + sn * (y - rh / 2)) - hw;
        const v = Math.abs(-sn * (x - rw / 2) + c * (y - rh / 2)) - hh;
        const d = u > 0 || v > 0 ? Math.hypot(Math.max(u, 0), Math.max(v, 0)) : Math.min(-u, -v);
        cost += weight * d * d;
        worst = Math.max(worst, d);
      }
    return { cost, worst };
  };
  const theta = Math.atan2(cy, cx) / 4;
  let best: { turn: number; cost: number; worst: number } | null = null;
  const most = Math.floor(0.03 * Math.min(rw, rh));
  for (const quarter of [0, Math.PI / 2])
    for (let step = -30; step <= 30; step++)
      for (let shrink = 0; shrink <= most; shrink++) {
        const turn = theta + quarter + (step * 0.2 * Math.PI) / 180;
        const { cost, worst } = fit(turn, shrink);
        if (!best || cost < best.cost) best = { turn, cost, worst };
      }
  if (!best || best.worst > Math.max(2, 0.015 * Math.max(rw, rh))) return null;
  return ordered(rectangle(best.turn));
}

/**
 * The quadrilateral as a turned picture when it passes policy's tests: convex with no corner sharper
 * than 30° or flatter than 150°, its part inside the frame at least minArea of the frame (and, when
 * the frame cut it, minShown of it), the region filling minSolidity of that part and the hull no more
 * than it allows, one side turned minTurnDeg off the axes. `cut`: the frame cut it (its corners may
 * lie outside the frame).
 */
function accepted(
  quad: [Point, Point, Point, Point],
  cut: boolean,
  r: { size: number; hullArea: number; n: number; rw: number; rh: number; f: number; level: number },
  s: TurnSettings,
): TurnedPicture | null {
  for (let k = 0; k < 4; k++) {
    const p = quad[(k + 3) % 4] as Point;
    const q = quad[k] as Point;
    const r2 = quad[(k + 1) % 4] as Point;
    const a1 = Math.atan2(p[1] - q[1], p[0] - q[0]);
    const a2 = Math.atan2(r2[1] - q[1], r2[0] - q[0]);
    let ang = Math.abs(((a1 - a2) * 180) / Math.PI) % 360;
    if (ang > 180) ang = 360 - ang;
    if (ang < 30 || ang > 150) return null;
  }
  const full = polygonArea(quad);
  const area = cut ? polygonArea(clipToRect(quad, r.rw, r.rh)) : full;
  if (cut && area < s.minShown * full) return null;
  if (area < s.minArea * r.n || r.size < s.minSolidity * area || r.hullArea > area / s.minSolidity) return null;
  const turned = [0, 1, 2, 3].some((k) => offAxis(quad[k] as Point, quad[(k + 1) % 4] as Point) >= s.minTurnDeg);
  if (!turned) return null;
  const corners = quad.map(([x, y]) => [x * r.f, y * r.f] as Point) as [Point, Point, Point, Point];
  const m = uprightMap(quad);
  const turnDeg = rotationOf(m);
  return {
    corners,
    turnDeg: Math.round(turnDeg * 10) / 10,
    stretch: stretchOf(m),
    area: area / r.n,
    shown: full > 0 ? Math.min(1, area / full) : 1,
    fill: r.level,
  };
}

/**
 * The picture inside `corners` (a turnedPicture's, in pixels of the w × h grey frame `g`) warped onto
 * an upright rectangle by the homography taking the unit square to it (Heckbert's square-to-quad
 * map), `inset` of each side left out, bilinear; its size is the quadrilateral's mean side lengths,
 * at most `maxSide` on the longer. `paintOutside`: the parts of a quadrilateral the frame cut are
 * painted the picture's level along the cut (paintMissing) rather than the frame's edge stretched.
 */
export function rectify(
  g: Uint8Array,
  w: number,
  h: number,
  corners: readonly [Point, Point, Point, Point],
  inset: number,
  maxSide: number,
  paintOutside = false,
): { px: Uint8Array; width: number; height: number } {
  const [p0, p1, p2, p3] = corners;
  const top = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]);
  const bottom = Math.hypot(p2[0] - p3[0], p2[1] - p3[1]);
  const left = Math.hypot(p3[0] - p0[0], p3[1] - p0[1]);
  const right = Math.hypot(p2[0] - p1[0], p2[1] - p1[1]);
  const span = 1 - 2 * inset;
  let ow = ((top + bottom) / 2) * span;
  let oh = ((left + right) / 2) * span;
  const k = Math.min(1, maxSide / Math.max(ow, oh));
  ow = Math.max(8, Math.round(ow * k));
  oh = Math.max(8, Math.round(oh * k));
  // Square-to-quad: (u, v) in the unit square → (x, y), with (0,0)→p0, (1,0)→p1, (1,1)→p2, (0,1)→p3.
  const sx = p0[0] - p1[0] + p2[0] - p3[0];
  const sy = p0[1] - p1[1] + p2[1] - p3[1];
  const dx1 = p1[0] - p2[0];
  const dx2 = p3[0] - p2[0];
  const dy1 = p1[1] - p2[1];
  const dy2 = p3[1] - p2[1];
  const den = dx1 * dy2 - dx2 * dy1 || 1e-9;
  const g7 = (sx * dy2 - dx2 * sy) / den;
  const h8 = (dx1 * sy - sx * dy1) / den;
  const a = p1[0] - p0[0] + g7 * p1[0];
  const b = p3[0] - p0[0] + h8 * p3[0];
  const c = p0[0];
  const d = p1[1] - p0[1] + g7 * p1[1];
  const e = p3[1] - p0[1] + h8 * p3[1];
  const ff = p0[1];
  const px = new Uint8Array(ow * oh);
  const outside = paintOutside ? new Uint8Array(ow * oh) : null;
  for (let oy = 0; oy < oh; oy++) {
    const v = inset + ((oy + 0.5) / oh) * span;
    for (let ox = 0; ox < ow; ox++) {
      const u = inset + ((ox + 0.5) / ow) * span;
      const z = g7 * u + h8 * v + 1;
      // Sample positions in pixel-index terms (pixel i covers [i, i + 1)).
      const x = (a * u + b * v + c) / z - 0.5;
      const y = (d * u + e * v + ff) / z - 0.5;
      if (outside && (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5)) {
        outside[oy * ow + ox] = 1;
        continue;
      }
      const x0 = Math.max(0, Math.min(w - 1, Math.floor(x)));
      const y0 = Math.max(0, Math.min(h - 1, Math.floor(y)));
      const x1 = Math.min(w - 1, x0 + 1);
      const y1 = Math.min(h - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, x - x0));
      const fy = Math.max(0, Math.min(1, y - y0));
      const top0 = (g[y0 * w + x0] as number) * (1 - fx) + (g[y0 * w + x1] as number) * fx;
      const bot0 = (g[y1 * w + x0] as number) * (1 - fx) + (g[y1 * w + x1] as number) * fx;
      px[oy * ow + ox] = Math.round(top0 * (1 - fy) + bot0 * fy);
    }
  }
  if (outside) paintMissing(px, outside, ow, oh);
  return { px, width: ow, height: oh };
}

/**
 * Pixels `missing` marks (the parts of a cut picture beyond the frame) painted the median level of
 * the pixels next to them: the picture's own level along the cut (its background, for a drawing).
 */
function paintMissing(px: Uint8Array, missing: Uint8Array, w: number, h: number): void {
  const hist = new Uint32Array(256);
  let count = 0;
  for (let i = 0; i < w * h; i++) {
    if (missing[i]) continue;
    const x = i % w;
    const next =
      (x > 0 && missing[i - 1]) || (x < w - 1 && missing[i + 1]) || (i >= w && missing[i - w]) || (i < w * h - w && missing[i + w]);
    if (!next) continue;
    hist[px[i] as number] = (hist[px[i] as number] as number) + 1;
    count++;
  }
  if (!count) return;
  let level = 0;
  for (let seen = hist[0] as number; seen * 2 < count;) seen += hist[++level] as number;
  for (let i = 0; i < w * h; i++) if (missing[i]) px[i] = level;
}

/**
 * The rectified picture without the rim its edge left (the fill blurred into it: a blurred copy's
 * edge is a soft band, not a line), its corners painted its border's level. Along each side the mean
 * of the middle 60 % of each row or column is followed inward while it keeps moving away from the
 * fill's level `fill` (by more than `step` grey levels a line; up to `maxShare` of the picture): a
 * blurred edge rises steadily from the fill to the picture, while a picture's own content near its
 * edge (a drawing touching its canvas) turns back, and a side with no fill beyond it (a picture
 * touching the frame there) does not rise at all.
 */
export function cropRim(
  px: Uint8Array,
  w: number,
  h: number,
  fill: number,
  maxShare: number,
  step: number,
): { px: Uint8Array; width: number; height: number } {
  const lineMean = (horizontal: boolean, at: number): number => {
    let s = 0;
    let c = 0;
    if (horizontal) {
      for (let x = Math.floor(w * 0.2); x < Math.ceil(w * 0.8); x++, c++) s += px[at * w + x] as number;
    } else {
      for (let y = Math.floor(h * 0.2); y < Math.ceil(h * 0.8); y++, c++) s += px[y * w + at] as number;
    }
    return c ? s / c : 0;
  };
  const rim = (horizontal: boolean, fromEnd: boolean): number => {
    const size = horizontal ? h : w;
    const reach = Math.max(1, Math.floor(size * maxShare));
    const away = (i: number): number => Math.abs(lineMean(horizontal, fromEnd ? size - 1 - i : i) - fill);
    let i = 0;
    let last = away(0);
    while (i < reach) {
      const next = away(i + 1);
      if (next <= last + step) break;
      last = next;
      i++;
    }
    return i;
  };
  const top = rim(true, false);
  const bottom = rim(true, true);
  const left = rim(false, false);
  const right = rim(false, true);
  const cw = w - left - right;
  const ch = h - top - bottom;
  if (cw < 8 || ch < 8) return { px, width: w, height: h };
  const out = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) out.set(px.subarray((y + top) * w + left, (y + top) * w + left + cw), y * cw);
  // The corners keep the fill longest (two blurred edges meet there, rounded): each is painted the
  // border's median level over a square twice the widest rim, so that trimming, which takes its
  // colour from a corner, sees the picture's own background there.
  const border: number[] = [];
  for (let x = 0; x < cw; x++) border.push(out[x] as number, out[(ch - 1) * cw + x] as number);
  for (let y = 1; y < ch - 1; y++) border.push(out[y * cw] as number, out[y * cw + cw - 1] as number);
  border.sort((a, b) => a - b);
  const level = border[border.length >> 1] as number;
  const side = Math.min(Math.floor(Math.min(cw, ch) * maxShare), 2 * Math.max(top, bottom, left, right) + 2);
  for (let y = 0; y < side; y++) {
    out.fill(level, y * cw, y * cw + side);
    out.fill(level, y * cw + cw - side, (y + 1) * cw);
    out.fill(level, (ch - 1 - y) * cw, (ch - 1 - y) * cw + side);
    out.fill(level, (ch - 1 - y) * cw + cw - side, (ch - y) * cw);
  }
  return { px: out, width: cw, height: ch };
}
