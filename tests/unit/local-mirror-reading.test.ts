/**
 * A drawing symmetric where it matched holds both readings, plain and mirrored (verify.ts
 * bothReadings): where the mirror's consensus holds more inliers but the plain view's also makes
 * the query look like the drawing, the plain reading is reported, so that an unmirrored copy of a
 * symmetric house is not named mirrored. A mirrored copy of a drawing that is not symmetric is still
 * named mirrored. The house is the probe's haze transform (scripts/eval/probe-augment.ts) from a fixed seed.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { verify } from '../../engine/image/local/verify.ts';
import { AUGMENT_TRANSFORMS } from '../../scripts/eval/probe-augment.ts';
import { encodePng, flatten, toRaw } from '../../scripts/eval/raw.ts';
import { Rng } from '../../scripts/eval/rng.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { checkFeatures } from '../helpers/clipart.ts';
import { libraryPng } from '../helpers/eval-copies.ts';

afterAll(() => terminateLocalFeaturePool());

describe('a copy of a symmetric drawing (plain and mirrored readings)', () => {
  it('is reported unmirrored when the plain view looks like the drawing too', async () => {
    // A symmetric house under haze: its mirror's consensus holds 40 inliers, the plain view's 39.
    const HOUSE = 'buildings/homes/big_house_01.png';
    const src = flatten(await toRaw(sharp(await libraryPng(HOUSE)).resize(384, 384, { fit: 'inside' })));
    const out = await AUGMENT_TRANSFORMS.haze!(src, new Rng(2, 'haze'), { fillers: [] });
    const said: string[] = [];
    const m = verify(
      await checkFeatures(await encodePng(out.img)),
      await checkFeatures(await libraryPng(HOUSE), true),
      UNIQUENESS_POLICY.local,
      undefined,
      (w) => said.push(w),
    );
    expect(m).not.toBeNull();
    expect(m?.region.mirrored).toBe(false);
    expect(said.some((w) => w.startsWith('plain beside the mirror'))).toBe(true);
  });

  it('still names a mirrored copy of a drawing that is not symmetric mirrored', async () => {
    const TEAPOT = 'food/beverages/teapot_ganson.png';
    const flopped = await sharp(await libraryPng(TEAPOT))
      .flop()
      .png()
      .toBuffer();
    const m = verify(await checkFeatures(flopped), await checkFeatures(await libraryPng(TEAPOT), true), UNIQUENESS_POLICY.local);
    expect(m?.region.mirrored).toBe(true);
  });
});
