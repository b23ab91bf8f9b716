// The probe's transforms (scripts/eval/probe-transforms.ts, and the second set in probe-augment.ts):
// deterministic by seed, each returns a well-formed RGBA image with the size its kind implies, and
// each changes the picture. Art drawn with sharp, so the test needs no openclipart-png.
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUGMENT_NAMES, AUGMENT_TRANSFORMS } from '../../scripts/eval/probe-augment.ts';
import { PROBE_NAMES, PROBE_TRANSFORMS, type ProbeContext } from '../../scripts/eval/probe-transforms.ts';
import { type RawImage, flatten, toRaw } from '../../scripts/eval/raw.ts';
import { Rng } from '../../scripts/eval/rng.ts';

const art = (hue: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="140">
  <rect width="180" height="140" fill="#fff"/>
  <circle cx="70" cy="70" r="50" fill="hsl(${hue},70%,50%)" stroke="#222" stroke-width="4"/>
  <rect x="100" y="30" width="60" height="90" fill="hsl(${hue + 120},60%,40%)"/></svg>`;

let img: RawImage;
let ctx: ProbeContext;
beforeAll(async () => {
  img = flatten(await toRaw(sharp(Buffer.from(art(20)))));
  ctx = { fillers: [{ file: 'b.png', img: flatten(await toRaw(sharp(Buffer.from(art(200))))) }] };
});

const run = (name: string, seed: number) =>
  (PROBE_TRANSFORMS[name] as NonNullable<(typeof PROBE_TRANSFORMS)[string]>)(img, new Rng(seed, name), ctx);
const differs = (a: RawImage, b: RawImage) => a.width !== b.width || a.height !== b.height || !a.data.equals(b.data);

describe('probe transforms', () => {
  it.each(PROBE_NAMES)('%s: same seed, same picture; a well-formed image that differs from the source', async (name) => {
    const a = await run(name, 7);
    const b = await run(name, 7);
    expect(a.img.data.equals(b.img.data)).toBe(true);
    expect(a.params).toEqual(b.params);
    expect(a.img.data.length).toBe(a.img.width * a.img.height * 4);
    expect(differs(a.img, img)).toBe(true);
  });

  it('frames grow the canvas the way they say; tiles repeat it; a small copy fits its size', async () => {
    const box = await run('letterbox', 3);
    const grown = box.params.axis === 'y' ? box.img.height - img.height : box.img.width - img.width;
    expect(grown).toBe(2 * Math.round(((box.params.axis === 'y' ? img.height : img.width) * Number(box.params.share)) / 2));
    const border = await run('border', 3);
    expect(border.img.width).toBe(img.width + 2 * Number(border.params.px));
    const tile = await run('tile', 3);
    expect(tile.img.width).toBe(img.width * Number(tile.params.times));
    const cap = await run('caption', 3);
    expect(cap.img.height).toBe(img.height + Number(cap.params.px));
    const small = await run('small', 3);
    expect(Math.max(small.img.width, small.img.height)).toBe(Number(small.params.px));
    const collage = await run('collage', 3);
    expect(collage.img.width).toBe(2 * Number(collage.params.cell));
    expect(collage.params.fillers).toBe('b.png|b.png|b.png');
  });

  it('colour changes keep the size and stay inside their ranges', async () => {
    for (const name of ['posterize', 'channels', 'sepia', 'gamma', 'threshold', 'pixelate', 'median', 'occlude', 'circle', 'jpeg']) {
      const out = await run(name, 11);
      expect([out.img.width, out.img.height]).toEqual([img.width, img.height]);
    }
    const post = await run('posterize', 11);
    const levels = new Set<number>();
    for (let i = 0; i < post.img.data.length; i += 4) levels.add(post.img.data[i] as number);
    expect(levels.size).toBeLessThanOrEqual(Number(post.params.levels));
    const thr = await run('threshold', 11);
    for (let i = 0; i < thr.img.data.length; i += 4) expect([0, 255]).toContain(thr.img.data[i]);
  });
});

describe('probe transforms, augmentation set', () => {
  const aug = (name: string, seed: number) =>
    (AUGMENT_TRANSFORMS[name] as NonNullable<(typeof AUGMENT_TRANSFORMS)[string]>)(img, new Rng(seed, name), ctx);
  const values = (out: RawImage, c = 0) => {
    const seen = new Set<number>();
    for (let i = c; i < out.data.length; i += 4) seen.add(out.data[i] as number);
    return seen;
  };

  it.each(AUGMENT_NAMES)('%s: same seed, same picture; the source size, opaque, and not the source', async (name) => {
    const a = await aug(name, 5);
    const b = await aug(name, 5);
    expect(a.img.data.equals(b.img.data)).toBe(true);
    expect(a.params).toEqual(b.params);
    expect([a.img.width, a.img.height]).toEqual([img.width, img.height]);
    expect(a.img.data.length).toBe(img.width * img.height * 4);
    expect(values(a.img, 3)).toEqual(new Set([255]));
    expect(differs(a.img, img)).toBe(true);
  });

  it('draws its parameters from the stated ranges', async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const lens = await aug('lens', seed);
      expect(Math.abs(Number(lens.params.k))).toBeGreaterThanOrEqual(0.15);
      expect(Math.abs(Number(lens.params.k))).toBeLessThanOrEqual(0.5);
      const el = await aug('elastic', seed);
      expect(Number(el.params.alpha)).toBeGreaterThanOrEqual(0.03);
      expect(Number(el.params.alpha)).toBeLessThanOrEqual(0.07);
      const ghost = await aug('ghost', seed);
      expect(Number(ghost.params.opacity)).toBeGreaterThanOrEqual(0.35);
      expect(Number(ghost.params.opacity)).toBeLessThanOrEqual(0.65);
      expect(ghost.params.fillers).toBe('b.png');
    }
  });

  it('solarize folds values over its threshold; dithering keeps its levels; a halftone is black and white', async () => {
    const sol = await aug('solarize', 3);
    for (const v of values(sol.img)) expect(v).toBeLessThanOrEqual(Math.max(Number(sol.params.at) - 1, 255 - Number(sol.params.at)));
    const dit = await aug('dither', 3);
    expect(values(dit.img).size).toBeLessThanOrEqual(Number(dit.params.levels));
    const half = await aug('halftone', 3);
    expect(values(half.img)).toEqual(new Set([0, 255]));
  });

  it('warps keep a white page white and move the drawing', async () => {
    const page: RawImage = { data: Buffer.alloc(img.data.length, 255), width: img.width, height: img.height };
    for (const name of ['elastic', 'grid', 'lens', 'swirl']) {
      const t = AUGMENT_TRANSFORMS[name] as NonNullable<(typeof AUGMENT_TRANSFORMS)[string]>;
      expect((await t(page, new Rng(2, name), ctx)).img.data.equals(page.data)).toBe(true);
      expect(differs((await t(img, new Rng(2, name), ctx)).img, img)).toBe(true);
    }
  });
});
