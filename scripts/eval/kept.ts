/**
 * How much of the drawing a geometric copy still shows: the share of the source's ink pixels (those
 * visibly away from white once flattened) that stay inside the frame of a single crop, or of a single
 * rotation cropped back to the original frame. A 41 % crop taken from the empty corner of a wide
 * canvas can keep 2 % of the drawing; the report bins recall by this share so such copies are seen
 * for what they are. Measured, never used to drop a query.
 */
import type { Step } from './params.ts';
import type { RawImage } from './raw.ts';

/** A pixel is ink when one channel of the flattened image is this far below white. */
const INK = 24;

/** Whether pixel (x, y) of the flattened RGBA image is ink. */
function isInk(flat: RawImage, x: number, y: number): boolean {
  const i = (y * flat.width + x) * 4;
  const d = flat.data;
  return Math.min(d[i] as number, d[i + 1] as number, d[i + 2] as number) < 255 - INK;
}

/** The crop family's rectangle (as scripts/eval/image-geometry.ts cuts it). */
export function cropRect(w: number, h: number, area: number, aspect: number, fx: number, fy: number) {
  const cw = Math.max(8, Math.min(w, Math.round(w * Math.sqrt(area * aspect))));
  const ch = Math.max(8, Math.min(h, Math.round(h * Math.sqrt(area / aspect))));
  return { left: Math.round((w - cw) * fx), top: Math.round((h - ch) * fy), width: cw, height: ch };
}

/**
 * Share 0..1 of the drawing's ink the copy keeps, for a query made by one crop or one rotation with
 * canvas "crop"; undefined for any other query (other families keep the whole drawing, or move it in
 * ways this does not follow) or a source with no ink.
 */
export function drawingKept(flat: RawImage, steps: readonly Step[]): number | undefined {
  if (steps.length !== 1) return undefined;
  const [s] = steps as [Step];
  const p = s.params;
  const num = (k: string) => p[k] as number;
  let inside: (x: number, y: number) => boolean;
  if (s.family === 'crop') {
    const r = cropRect(flat.width, flat.height, num('area'), num('aspect'), num('x'), num('y'));
    inside = (x, y) => x >= r.left && x < r.left + r.width && y >= r.top && y < r.top + r.height;
  } else if (s.family === 'rotate' && p.canvas === 'crop') {
    // Turned about the centre (clockwise for a positive angle, y pointing down) and cut back to the
    // original frame, centred: a pixel stays when its turned centre does.
    const a = (num('angle') * Math.PI) / 180;
    const [cos, sin] = [Math.cos(a), Math.sin(a)];
    const [cx, cy] = [flat.width / 2, flat.height / 2];
    inside = (x, y) => {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const rx = cx + dx * cos - dy * sin;
      const ry = cy + dx * sin + dy * cos;
      return rx >= 0 && rx < flat.width && ry >= 0 && ry < flat.height;
    };
  } else return undefined;
  let ink = 0;
  let kept = 0;
  for (let y = 0; y < flat.height; y++) {
    for (let x = 0; x < flat.width; x++) {
      if (!isInk(flat, x, y)) continue;
      ink++;
      if (inside(x, y)) kept++;
    }
  }
  return ink === 0 ? undefined : kept / ink;
}
