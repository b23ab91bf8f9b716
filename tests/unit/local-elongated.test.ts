/**
 * Elongated images (policy local.elongated): the working frame keeps a shorter side of at least a
 * quarter of the working size, so ORB has room for its patches on a pen or a sword, and copies of
 * such an image are found by its parts.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { extractLocalFeaturesInThread } from '../../engine/image/local/extract.ts';
import { frameScale } from '../../engine/image/local/frame.ts';
import { verify } from '../../engine/image/local/verify.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const P = UNIQUENESS_POLICY.local;
const PEN = readFileSync('/usr/share/openclipart/png/office/ballpoint_pen_jonathan_d_01.png'); // about 9:1
const BANANA = '/usr/share/openclipart/png/food/fruit/banana.png';
const rule = P.elongated as { minShort: number; maxLong: number };
const saved = { ...rule };
const prep = P.prepare as { trimPadPx: number };
const savedPrep = { ...prep };

afterEach(() => {
  Object.assign(rule, saved);
  Object.assign(prep, savedPrep);
});

describe('frameScale', () => {
  it('scales the longest side to the working size up to 4:1, then keeps the shorter side at a quarter of it, the longer at most twice', () => {
    const size = (w: number, h: number) => [Math.round(w * frameScale(w, h, 480)), Math.round(h * frameScale(w, h, 480))];
    expect(size(1000, 800)).toEqual([480, 384]);
    expect(size(300, 900)).toEqual([160, 480]);
    expect(size(400, 100)).toEqual([480, 120]); // 4:1, as before
    expect(size(1000, 200)).toEqual([600, 120]); // 5:1
    expect(size(1000, 100)).toEqual([960, 96]); // 10:1, the longer side capped
    expect(size(60, 1000)).toEqual([58, 960]);
  });
});

describe('an elongated drawing', () => {
  const flat = (img: sharp.Sharp) => img.flatten({ background: '#ffffff' }).png().toBuffer();

  it('has keypoints, and a rotated copy and a copy pasted into another drawing are found by its parts', async () => {
    const library = await extractLocalFeaturesInThread(await flat(sharp(PEN)), { mirror: false });
    // 1 024 × 136 px decoded, trimmed to about 7.5:1: its shorter side is brought up to 120 px.
    expect(Math.min(library.width, library.height)).toBe(120);
    expect(Math.max(library.width, library.height)).toBeGreaterThan(480);
    expect(library.primary.words.length).toBeGreaterThan(60);
    expect(library.info.score).toBeGreaterThan(P.infoFloor);

    const rotated = await flat(sharp(await flat(sharp(PEN))).rotate(25, { background: '#ffffff' }));
    const r = verify(await extractLocalFeaturesInThread(rotated), library, P);
    expect(r).not.toBeNull();
    expect(Math.abs(Math.abs(r?.region.rotationDeg ?? 0) - 25)).toBeLessThan(4);

    const host = await flat(sharp(BANANA).resize(700, 700, { fit: 'inside' }));
    const pen = await flat(sharp(PEN).resize({ width: 500 }));
    const pasted = await sharp(host)
      .composite([{ input: pen, left: 60, top: 300 }])
      .png()
      .toBuffer();
    expect(verify(await extractLocalFeaturesInThread(pasted), library, P)).not.toBeNull();
  });

  it('had almost no keypoint in the frame cut by the longest side alone (480 × 64 px)', async () => {
    // As the frame was cut before the rule (and before the fallback margin for a trimmed frame this
    // plain, local.prepare.trimPadPx, which gives ORB's patches room in another way).
    Object.assign(rule, { minShort: 0, maxLong: 1 });
    prep.trimPadPx = 0;
    const library = await extractLocalFeaturesInThread(await flat(sharp(PEN)), { mirror: false });
    expect(library.width).toBe(480);
    expect(library.height).toBeLessThan(70);
    expect(library.primary.words.length).toBeLessThan(5);
    expect(library.info.score).toBeLessThan(P.infoFloor);
  });
});
