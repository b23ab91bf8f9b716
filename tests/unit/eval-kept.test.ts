/**
 * The share of the drawing a generated crop or cropped rotation keeps (scripts/eval/kept.ts),
 * checked against the copies the generator really renders: the ink counted in the rendered query
 * is the predicted share of the source's ink.
 */
import { describe, expect, it } from 'vitest';
import { crop, rotate } from '../../scripts/eval/image-geometry.ts';
import { drawingKept } from '../../scripts/eval/kept.ts';
import type { Params } from '../../scripts/eval/params.ts';
import type { RawImage } from '../../scripts/eval/raw.ts';

/** A white w×h frame with black ink wherever `ink(x, y)`. */
function frame(w: number, h: number, ink: (x: number, y: number) => boolean): RawImage {
  const data = Buffer.alloc(w * h * 4, 255);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (ink(x, y)) data.fill(0, (y * w + x) * 4, (y * w + x) * 4 + 3);
  return { data, width: w, height: h };
}

/** Ink pixels of a rendered image (the same rule as kept.ts, on pixels flattened on white). */
function inkOf(img: RawImage): number {
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    const a = (img.data[i + 3] as number) / 255;
    const v = Math.min(img.data[i] as number, img.data[i + 1] as number, img.data[i + 2] as number) * a + 255 * (1 - a);
    if (v < 255 - 24) n++;
  }
  return n;
}

const total = (img: RawImage) => inkOf(img);

describe('the drawing a copy keeps', () => {
  // A drawing in the upper-left quarter of an otherwise empty 200 × 120 canvas.
  const src = frame(200, 120, (x, y) => x >= 10 && x < 70 && y >= 10 && y < 50);

  it('is all of it for a crop over the drawing, none for a crop of the empty corner — as rendered', async () => {
    for (const [params, want] of [
      [{ area: 0.45, aspect: 1, x: 0, y: 0 }, 1],
      [{ area: 0.41, aspect: 1.2, x: 1, y: 1 }, 0],
      [{ area: 0.6, aspect: 1, x: 0.5, y: 0.5 }, undefined],
    ] as [Params, number | undefined][]) {
      const kept = drawingKept(src, [{ family: 'crop', params }]) as number;
      if (want !== undefined) expect(kept).toBe(want);
      const out = (await crop.apply(src, params, undefined as never)).img;
      expect(inkOf(out)).toBe(Math.round(kept * total(src)));
    }
  });

  it('follows a cropped rotation either way round, as sharp renders it', async () => {
    // A bar along the right half of the top edge: turned clockwise (positive angles) it swings down
    // into the frame; anticlockwise its far end leaves the frame.
    const bar = frame(200, 120, (x, y) => x >= 100 && x < 190 && y >= 5 && y < 15);
    for (const angle of [30, -30, 90, 150]) {
      const params: Params = { angle, canvas: 'crop', fill: 'white' };
      const kept = drawingKept(bar, [{ family: 'rotate', params }]) as number;
      const out = (await rotate.apply(bar, params, undefined as never)).img;
      // Resampling blurs the bar's edges by a pixel: within 8 % of the ink.
      expect(Math.abs(inkOf(out) / total(bar) - kept)).toBeLessThan(0.08);
    }
    // The two directions differ here, so a turn the wrong way round would fail above.
    const turned = (angle: number) => drawingKept(bar, [{ family: 'rotate', params: { angle, canvas: 'crop', fill: 'white' } }]) as number;
    expect(turned(30) - turned(-30)).toBeGreaterThan(0.2);
  });

  it('is not measured for other families, expanded rotations, combinations or a blank source', () => {
    expect(drawingKept(src, [{ family: 'blur', params: { sigma: 2 } }])).toBeUndefined();
    expect(drawingKept(src, [{ family: 'rotate', params: { angle: 30, canvas: 'expand', fill: 'white' } }])).toBeUndefined();
    const c: Params = { area: 0.5, aspect: 1, x: 0, y: 0 };
    expect(
      drawingKept(src, [
        { family: 'crop', params: c },
        { family: 'crop', params: c },
      ]),
    ).toBeUndefined();
    expect(
      drawingKept(
        frame(50, 50, () => false),
        [{ family: 'crop', params: c }],
      ),
    ).toBeUndefined();
  });
});
