/**
 * Polygon helpers: convex clipping to a rectangle, area, bounding box (matched regions); convex hull
 * and its corners once simplified (a picture inside a query's backdrop: background.ts; a turned
 * picture the frame cut: ../turned.ts).
 */

export type Pt = [number, number];

/** Sutherland–Hodgman clip of a polygon to the rectangle [0,w]×[0,h]. */
export function clipToRect(poly: Pt[], w: number, h: number): Pt[] {
  const edges: [(p: Pt) => number, number, number][] = [
    [(p) => p[0], 0, 1],
    [(p) => p[0], w, -1],
    [(p) => p[1], 0, 1],
    [(p) => p[1], h, -1],
  ];
  let out = poly;
  for (const [coord, bound, sign] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const a = input[i] as Pt;
      const b = input[(i + 1) % input.length] as Pt;
      const da = sign * (coord(a) - bound);
      const db = sign * (coord(b) - bound);
      if (da >= 0) out.push(a);
      if (da >= 0 !== db >= 0) {
        const t = da / (da - db);
        out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
      }
    }
    if (!out.length) return out;
  }
  return out;
}

export function polygonArea(poly: Pt[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i] as Pt;
    const b = poly[(i + 1) % poly.length] as Pt;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return Math.abs(s) / 2;
}

export function bbox(poly: Pt[]): { x: number; y: number; w: number; h: number } {
  if (!poly.length) return { x: 0, y: 0, w: 0, h: 0 };
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

type Rect = { x: number; y: number; w: number; h: number };

/** Area shared by two axis-aligned rectangles. */
function rectIntersection(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return ix * iy;
}

/** Intersection over union of two axis-aligned rectangles. */
export function rectIoU(a: Rect, b: Rect): number {
  const i = rectIntersection(a, b);
  const union = a.w * a.h + b.w * b.h - i;
  return union > 0 ? i / union : 0;
}

/** Share of rectangle `inner`'s area lying inside `outer` (0 for an empty `inner`). */
export function rectCovered(inner: Rect, outer: Rect): number {
  const area = inner.w * inner.h;
  return area > 0 ? rectIntersection(inner, outer) / area : 0;
}

/** Convex hull of `pts`, counter-clockwise (Andrew's monotone chain). */
export function convexHull(pts: Pt[]): Pt[] {
  if (pts.length < 3) return pts;
  const s = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: Pt[]): Pt[] => {
    const out: Pt[] = [];
    for (const pt of list) {
      while (out.length >= 2 && cross(out[out.length - 2] as Pt, out[out.length - 1] as Pt, pt) <= 0) out.pop();
      out.push(pt);
    }
    out.pop();
    return out;
  };
  return [...half(s), ...half(s.reverse())];
}

/** z of (a − o) × (b − o): positive when o → a → b turns counter-clockwise (x right, y up). */
export function cross(o: Pt, a: Pt, b: Pt): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/**
 * A closed polygon simplified (Douglas–Peucker) to within `eps` pixels: the vertices kept, in order
 * — four for a turned or sheared rectangle, a few more where the frame cut its corners off, many
 * for a round or irregular outline.
 */
export function simplify(poly: Pt[], eps: number): Pt[] {
  if (poly.length <= 3) return poly;
  const dist2 = (a: Pt, b: Pt): number => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
  let far = 0;
  for (let k = 1; k < poly.length; k++) if (dist2(poly[0] as Pt, poly[k] as Pt) > dist2(poly[0] as Pt, poly[far] as Pt)) far = k;
  const at = (k: number): Pt => poly[k % poly.length] as Pt;
  // Kept vertices strictly between i and j (indices along the closed polygon, j > i, wrapping), in order.
  const kept = (i: number, j: number): Pt[] => {
    if (j - i < 2) return [];
    const a = at(i);
    const b = at(j);
    const len = Math.sqrt(dist2(a, b)) || 1;
    let best = -1;
    let bestD = eps;
    for (let k = i + 1; k < j; k++) {
      const d = Math.abs(cross(a, b, at(k))) / len;
      if (d > bestD) [best, bestD] = [k, d];
    }
    return best < 0 ? [] : [...kept(i, best), at(best), ...kept(best, j)];
  };
  return [at(0), ...kept(0, far), at(far), ...kept(far, poly.length)];
}

/** How many corners a closed polygon keeps when simplified to within `eps` pixels (simplify). */
export function corners(poly: Pt[], eps: number): number {
  return simplify(poly, eps).length;
}
