/**
 * The trimmed view of a large image (engine/image/fingerprint.ts TRIM_PROBE): its box is found on a
 * 512-px copy and cut from the full-resolution pixels. It must keep what the full-resolution trim
 * keeps (same hashes within a few bits, on real clip art padded onto a large canvas), follow the
 * drawing wherever it sits on the canvas, and fall back to the whole frame for a uniform image.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fromHex, hamming } from '../../engine/hash/bits.ts';
import { TRIM_PROBE, fingerprintImage, hashesOfMatrix } from '../../engine/image/fingerprint.ts';

const ROOT = '/usr/share/openclipart/png/';
const DRAWING = readFileSync(ROOT + 'animals/bugs/spider.png');

/** The drawing at `side` px, placed at (left, top) on a white canvas of `w` × `h`. */
async function onCanvas(w: number, h: number, side: number, left: number, top: number): Promise<Buffer> {
  const art = await sharp(DRAWING).resize(side, side, { fit: 'inside' }).png().toBuffer();
  return sharp({ create: { width: w, height: h, channels: 4, background: '#ffffff' } })
    .composite([{ input: art, left, top }])
    .png()
    .toBuffer();
}

/** The trimmed view as the full-resolution find_trim gives it (the behaviour before TRIM_PROBE). */
async function fullResTrimmed(png: Buffer): Promise<string> {
  const buf = await sharp(png)
    .flatten({ background: '#ffffff' })
    .trim({ threshold: 28 })
    .resize(128, 128, { fit: 'fill', kernel: 'cubic' })
    .greyscale()
    .raw()
    .toBuffer();
  return hashesOfMatrix(Float32Array.from(buf)).phash[0]![0]!;
}

describe('trimmed view of a large image', () => {
  it('keeps what the full-resolution trim keeps, wherever the drawing sits', async () => {
    expect(TRIM_PROBE).toBe(512);
    for (const [left, top] of [
      [40, 60],
      [900, 700],
      [500, 20],
    ] as const) {
      const png = await onCanvas(1600, 1200, 500, left, top);
      const fp = await fingerprintImage(png);
      const got = fp.views[0]!.phash[0]![0]!;
      const reference = fromHex(await fullResTrimmed(png));
      expect(hamming(fromHex(got), reference)).toBeLessThanOrEqual(4);
      // Not trimming at all would be far off: the bound above tells a right box from a wrong one.
      expect(hamming(fromHex(fp.views[1]!.phash[0]![0]!), reference)).toBeGreaterThan(12);
      // The same drawing alone (small, trimmed at its own size) hashes alike too.
      const alone = await fingerprintImage(await onCanvas(520, 520, 500, 10, 10));
      expect(hamming(fromHex(got), fromHex(alone.views[0]!.phash[0]![0]!))).toBeLessThanOrEqual(6);
    }
  });

  it('falls back to the whole frame for a uniform large image', async () => {
    const blank = await sharp({ create: { width: 1400, height: 900, channels: 3, background: '#7a7a7a' } })
      .png()
      .toBuffer();
    const fp = await fingerprintImage(blank);
    expect(fp.views[0]!.phash).toEqual(fp.views[1]!.phash);
  });
});
