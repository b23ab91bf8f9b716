/** Polygon helpers for matched regions: convex clipping to a rectangle, area, bounding box. */

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
