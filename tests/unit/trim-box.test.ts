/**
 * findTrim / findTrimRgba (engine/image/trim.ts) find the boxes sharp's trim finds, box for box:
 * on real clip art with transparency (as decoded), made half-transparent, flattened on a colour,
 * with noise and re-encoded; on synthetic cases the rule turns on (a lone speck the 3 × 3 median
 * removes, a line 2 pixels wide it keeps, a uniform image, an image under 3 × 3). And the global
 * hashes come out the same with the box found here as with sharp's trim (HashOptions.libvipsTrim).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, fingerprintDecoded } from '../../engine/image/fingerprint.ts';
import { findTrim, findTrimRgba } from '../../engine/image/trim.ts';

const ROOT = '/usr/share/openclipart/png/';
const FILES = [
  'animals/bugs/spider.png',
  'food/fruit/apple_wedge.png',
  'transportation/autos_01.png',
  'food/menu_example1.png',
  'tools/trowel_benji_park_01.png',
  'buildings/homes/my_house_01.png',
];

type Box = { left: number; top: number; width: number; height: number } | null;

/** The box sharp's trim keeps (threshold 28, as the engine trims), or null where it refuses. */
async function sharpBox(p: sharp.Sharp): Promise<Box> {
  const t = await p
    .trim({ threshold: 28 })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch(() => null);
  return t && { left: 0 - (t.info.trimOffsetLeft ?? 0), top: 0 - (t.info.trimOffsetTop ?? 0), width: t.info.width, height: t.info.height };
}

/** sharp keeps the whole image when it finds nothing to trim away; findTrim says null. */
const sameBox = (ours: Box, theirs: Box, w: number, h: number) =>
  expect(ours ?? { left: 0, top: 0, width: w, height: h }).toEqual(theirs ?? { left: 0, top: 0, width: w, height: h });

async function variants(file: string): Promise<Buffer[]> {
  const orig = readFileSync(ROOT + file);
  const { data, info } = await sharp(orig).resize(400, 400, { fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const half = Buffer.from(data);
  for (let k = 3; k < half.length; k += 4) half[k] = Math.floor((half[k] as number) * 0.6);
  const raw = { width: info.width, height: info.height, channels: 4 as const };
  const noisy = Buffer.from(data);
  let s = 7;
  for (let k = 0; k < noisy.length; k++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    if (k % 4 !== 3 && s % 9 === 0) noisy[k] = s >>> 24;
  }
  return [
    await sharp(data, { raw }).png().toBuffer(),
    await sharp(half, { raw }).png().toBuffer(),
    await sharp(data, { raw }).flatten({ background: '#c83' }).png().toBuffer(),
    await sharp(noisy, { raw }).png().toBuffer(),
    await sharp(data, { raw }).flatten({ background: '#fff' }).jpeg({ quality: 15 }).toBuffer(),
  ];
}

describe('the trimmed box', () => {
  it.each(FILES)('is the box sharp finds, on RGBA pixels and on flattened RGB (%s, five variants)', async (file) => {
    for (const png of await variants(file)) {
      const d = await decodeImage(png);
      // As the engine trims a small image: the decoded RGBA pixels (sharp's trim sees the transparency).
      const viaSharp = await sharpBox(sharp(d.rgba, { raw: { width: d.width, height: d.height, channels: 4 } }));
      sameBox(findTrimRgba(d.rgba, d.width, d.height, 28), viaSharp, d.width, d.height);
      // As the engine trims a large image's 512-px copy: flattened RGB.
      const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
      const rgb = { width: info.width, height: info.height, channels: 3 as const };
      sameBox(findTrim(data, info.width, info.height, 3, 28), await sharpBox(sharp(data, { raw: rgb })), info.width, info.height);
    }
  });

  it('ignores a lone speck (the 3 × 3 median), keeps a line 2 pixels wide, and finds nothing on a uniform image', async () => {
    const w = 60;
    const h = 40;
    const img = (paint: (x: number, y: number) => boolean) => {
      const px = new Uint8Array(w * h * 3).fill(255);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (paint(x, y)) px.fill(0, (y * w + x) * 3, (y * w + x) * 3 + 3);
      return px;
    };
    const cases = [
      img((x, y) => x === 7 && y === 9), // a speck: nothing
      img((x, y) => (x === 7 && y === 9) || (x >= 20 && x < 30 && y >= 10 && y < 12)), // a speck and a bar 2 px tall
      img((x, y) => x >= 50 && y >= 30), // a block in the corner, up to the edges
      img(() => false),
      // At the corners and edges the repeated edge pixels count twice (or four times) in a window.
      img((x, y) => x === w - 1 && y === 0), // one corner pixel: 4 of 9, nothing
      img((x, y) => x >= w - 2 && y === 0), // two at the corner: 6 of 9 for the corner's window
      img((x, y) => x === w - 1 && (y === 20 || y === 21)), // two on the right edge: 4 of 9, nothing
      img((x, y) => x === w - 1 && y >= 20 && y <= 22), // three on the right edge: 6 of 9
      img((x, y) => x === w - 1 && y === h - 1), // the opposite corner alone
    ];
    for (const px of cases)
      sameBox(findTrim(px, w, h, 3, 28), await sharpBox(sharp(px, { raw: { width: w, height: h, channels: 3 } })), w, h);
    expect(findTrim(cases[0] as Uint8Array, w, h, 3, 28)).toBeNull();
    // The bar's ends lose a pixel each to the median (their 3 × 3 windows hold 4 of its pixels).
    expect(findTrim(cases[1] as Uint8Array, w, h, 3, 28)).toEqual({ left: 21, top: 10, width: 8, height: 2 });
    expect(findTrim(cases[3] as Uint8Array, w, h, 3, 28)).toBeNull();
    expect(findTrim(cases[4] as Uint8Array, w, h, 3, 28)).toBeNull();
    expect(findTrim(cases[5] as Uint8Array, w, h, 3, 28)).toEqual({ left: w - 1, top: 0, width: 1, height: 1 });
    expect(findTrim(cases[6] as Uint8Array, w, h, 3, 28)).toBeNull();
    expect(findTrim(cases[7] as Uint8Array, w, h, 3, 28)).toEqual({ left: w - 1, top: 21, width: 1, height: 1 });
    expect(() => findTrim(new Uint8Array(5), 3, 3, 1, 28)).toThrow(/5 bytes for 3×3×1/);
  });

  it.each(FILES.slice(0, 4))('gives the same global hashes as sharp’s trim (%s)', async (file) => {
    for (const png of await variants(file)) {
      const d = await decodeImage(png);
      const ours = await fingerprintDecoded(d);
      const theirs = await fingerprintDecoded(await decodeImage(png), { libvipsTrim: true });
      expect(ours.views).toEqual(theirs.views);
    }
    // A large image's box, found on its 512-px copy.
    const big = await sharp(readFileSync(ROOT + file))
      .resize(1500, 1500, { fit: 'contain', background: '#ffffff' })
      .png()
      .toBuffer();
    expect((await fingerprintDecoded(await decodeImage(big))).views).toEqual(
      (await fingerprintDecoded(await decodeImage(big), { libvipsTrim: true })).views,
    );
  });
});
