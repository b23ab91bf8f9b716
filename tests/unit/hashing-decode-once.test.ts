/**
 * The cheaper paths of image fingerprinting give exactly what the plain ones gave: pixels flattened
 * (and converted to grey) once for every layer instead of once per pipeline, area resampling with
 * its cell weights computed once per axis, dHash variants read in place instead of from a rotated
 * copy, the content box scanned from both ends of each row, impulses counted with an early exit, and
 * zoom windows handed to the caller as they are cut (fingerprints.ts starts describing them sooner).
 * Each is compared value for value with the straightforward computation, on real clip art (with and
 * without transparency, small and large) and on random matrices.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, flattenedOpener, fromDecoded, greyOpener, greyPixels } from '../../engine/image/fingerprint.ts';
import { DECODE_MAX, type GrayFrame, contentBox, grayFramesOf } from '../../engine/image/local/frame.ts';
import { impulseShare } from '../../engine/image/local/despeckle.ts';
import { areaResample, dhash9x8, dhashVariants, dihedralMatrix } from '../../engine/image/perceptual.ts';
import { rng as mulberry32 } from '../../engine/rng.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const ROOT = '/usr/share/openclipart/png/';
/** A transparent drawing, an opaque one, and a large one (over DECODE_MAX on its longest side). */
const FILES = ['animals/bugs/spider.png', 'food/fruit/apple_wedge.png', 'transportation/autos_01.png'];

const grey128 = (p: sharp.Sharp) =>
  p.flatten({ background: '#ffffff' }).resize(128, 128, { fit: 'fill', kernel: 'cubic' }).greyscale().raw().toBuffer();
const frameDecode = (p: sharp.Sharp) =>
  p
    .flatten({ background: '#ffffff' })
    .resize({ width: DECODE_MAX, height: DECODE_MAX, fit: 'inside', withoutEnlargement: true })
    .toColourspace('b-w')
    .raw()
    .toBuffer();

describe('pixels flattened and converted once', () => {
  it.each(FILES)('give the same matrices and frames as flattening in every pipeline (%s)', async (file) => {
    const d = await decodeImage(readFileSync(ROOT + file));
    const open = await flattenedOpener(d);
    const grey = await greyOpener(d);
    expect(grey).not.toBeNull();
    const plain = () => fromDecoded(d);
    expect((await grey128(open())).equals(await grey128(plain()))).toBe(true);
    expect((await grey128((grey as () => sharp.Sharp)())).equals(await grey128(plain()))).toBe(true);
    const box = {
      left: Math.floor(d.width / 5),
      top: Math.floor(d.height / 7),
      width: Math.floor(d.width / 2),
      height: Math.floor(d.height / 2),
    };
    expect(
      (await grey128((grey as () => sharp.Sharp)().extract(box))).equals(
        await grey128(plain().flatten({ background: '#fff' }).extract(box)),
      ),
    ).toBe(true);
    expect((await frameDecode(open())).equals(await frameDecode(plain()))).toBe(true);
    // The grey pixels stand in for the first decode only where it does not resize (fingerprints.ts).
    // The grey pixels themselves stand in for the first decode only where it does not resize (fingerprints.ts),
    // and the frames cut from them are the frames cut from a decode of their own.
    if (Math.max(d.width, d.height) <= DECODE_MAX) {
      const px = (await greyPixels(d)) as Buffer;
      expect(px.equals(await frameDecode(plain()))).toBe(true);
      const given = await grayFramesOf(open, [480, 960], 24, { grey: { px, width: d.width, height: d.height }, flat: true });
      const own = await grayFramesOf(open, [480, 960], 24, { flat: true });
      expect(given.map((f) => [f.width, f.height, Buffer.from(f.gray).toString('base64'), f.flat && Buffer.from(f.flat).length])).toEqual(
        own.map((f) => [f.width, f.height, Buffer.from(f.gray).toString('base64'), f.flat && Buffer.from(f.flat).length]),
      );
      expect(px.equals(await frameDecode(plain()))).toBe(true); // read, never written
    }
  });
});

describe('zoom windows handed over as they are cut', () => {
  it.each(FILES)('are the windows the frame would hold, in the same order, and the frames are unchanged (%s)', async (file) => {
    const d = await decodeImage(readFileSync(ROOT + file));
    const open = await flattenedOpener(d);
    const zoom = UNIQUENESS_POLICY.local.zoom;
    const key = (f: GrayFrame) => [f.width, f.height, f.frame, f.background, Buffer.from(f.gray).toString('base64'), f.flat?.length];
    const held = await grayFramesOf(open, [480, 960], 24, { flat: true, zoom });
    const handed: GrayFrame[] = [];
    const streamed = await grayFramesOf(open, [480, 960], 24, { flat: true, zoom, onWindow: (w) => handed.push(w) });
    expect(held[0]?.windows?.length).toBeGreaterThan(0);
    expect(handed.map(key)).toEqual((held[0]?.windows ?? []).map(key));
    expect(streamed[0]?.windows).toBeUndefined();
    expect(streamed.map(key)).toEqual(held.map(key));
  });
});

/** areaResample as it was written before its cell weights were hoisted (the reference). */
function referenceResample(
  src: Float32Array,
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

describe('area resampling', () => {
  const rnd = mulberry32(12);
  const m = Float32Array.from({ length: 128 * 128 }, () => Math.floor(rnd() * 256));

  it('is value for value the reference, at the crops and sizes the hashes use', () => {
    for (const s of [1, 0.85, 0.7]) {
      const side = 128 * s;
      const off = (128 - side) / 2;
      expect(areaResample(m, 128, off, off, side, side, 32, 32)).toEqual(referenceResample(m, 128, off, off, side, side, 32, 32));
    }
    expect(areaResample(m, 128, 0, 0, 128, 128, 9, 8)).toEqual(referenceResample(m, 128, 0, 0, 128, 128, 9, 8));
    expect(areaResample(m, 128, 3.5, 7.25, 100.5, 60, 17, 11)).toEqual(referenceResample(m, 128, 3.5, 7.25, 100.5, 60, 17, 11));
  });

  it('is value for value the reference where each cell is at most a pixel (the smaller scales brought up to 128)', () => {
    for (const s of [0.85, 0.7]) {
      const side = 128 * s;
      const off = (128 - side) / 2;
      expect(areaResample(m, 128, off, off, side, side, 128, 128)).toEqual(referenceResample(m, 128, off, off, side, side, 128, 128));
    }
    expect(areaResample(m, 128, 3.5, 7.25, 60.5, 40, 97, 83)).toEqual(referenceResample(m, 128, 3.5, 7.25, 60.5, 40, 97, 83));
    // Reaching past the matrix's edge: the cells that cover no pixel are 0, as the reference has them.
    expect(areaResample(m, 128, 120, 120, 16, 16, 32, 32)).toEqual(referenceResample(m, 128, 120, 120, 16, 16, 32, 32));
    // Whole pixels to whole pixels: the matrix itself.
    expect(areaResample(m, 128, 0, 0, 128, 128, 128, 128)).toEqual(m);
  });

  it("derives the 8 variants' dHashes from two grids exactly as from each rotated copy", () => {
    const flat = new Float32Array(128 * 128).fill(255);
    const halves = Float32Array.from({ length: 128 * 128 }, (_, i) => (i % 128 < 64 ? 0 : 255));
    for (const matrix of [m, flat, halves, Float32Array.from({ length: 128 * 128 }, () => Math.floor(rnd() * 256))]) {
      const viaCopies = [...Array(8).keys()].map((k) => dhash9x8(areaResample(dihedralMatrix(matrix, 128, k), 128, 0, 0, 128, 128, 9, 8)));
      expect(dhashVariants(matrix, 128)).toEqual(viaCopies);
    }
    // The variants differ where the picture does: mirrored halves flip every horizontal comparison.
    expect(dhashVariants(halves, 128)[1]).not.toEqual(dhashVariants(halves, 128)[0]);
  });
});

describe('content box and impulses', () => {
  /** The content box by visiting every pixel (the reference), before its margin. */
  function referenceBox(g: Uint8Array, w: number, h: number, bg: number, tol: number) {
    let [x0, y0, x1, y1] = [w, h, -1, -1];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        if (Math.abs((g[y * w + x] as number) - bg) > tol) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), y];
    if (x1 < 0) return null;
    const m = Math.round(0.03 * Math.max(x1 - x0, y1 - y0));
    return {
      x: Math.max(0, x0 - m),
      y: Math.max(0, y0 - m),
      w: Math.min(w - 1, x1 + m) - Math.max(0, x0 - m) + 1,
      h: Math.min(h - 1, y1 + m) - Math.max(0, y0 - m) + 1,
    };
  }

  it('finds the box every pixel gives, for scattered marks on a uniform border', () => {
    const rnd = mulberry32(5);
    for (let t = 0; t < 200; t++) {
      const w = 5 + Math.floor(rnd() * 60);
      const h = 5 + Math.floor(rnd() * 60);
      const g = new Uint8Array(w * h).fill(240);
      const marks = Math.floor(rnd() * 6);
      for (let k = 0; k < marks; k++) {
        const x = 1 + Math.floor(rnd() * (w - 2));
        const y = 1 + Math.floor(rnd() * (h - 2));
        g[y * w + x] = Math.floor(rnd() * 256);
      }
      expect(contentBox(g, w, h, 12)).toEqual(referenceBox(g, w, h, 240, 12));
    }
  });

  it('counts the impulses that counting all eight neighbours counts', () => {
    const pol = { dark: 40, step: 80, minShare: 0.003 };
    const rnd = mulberry32(9);
    for (let t = 0; t < 50; t++) {
      const w = 20 + Math.floor(rnd() * 30);
      const h = 20 + Math.floor(rnd() * 30);
      const g = Uint8Array.from({ length: w * h }, () => (rnd() < 0.5 ? 255 : rnd() < 0.5 ? 0 : Math.floor(rnd() * 256)));
      let n = 0;
      let hits = 0;
      const ring = [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];
      for (let y = 1; y < h - 1; y += 3)
        for (let x = 1; x < w - 1; x++) {
          n++;
          const v = g[y * w + x] as number;
          if (v > pol.dark && v < 255 - pol.dark) continue;
          if (ring.filter((d) => Math.abs((g[y * w + x + d] as number) - v) > pol.step).length >= 7) hits++;
        }
      expect(impulseShare(g, w, h, pol)).toBe(hits / n);
    }
  });
});
