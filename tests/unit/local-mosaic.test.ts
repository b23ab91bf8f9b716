/**
 * A pixelated copy (engine/image/local/mosaic.ts, policy local.appearance.mosaic): its frame is
 * found to be a mosaic of the block size it was cut into (at the factors the strict detector reads),
 * where drawings, a blurred copy and a re-encoded one are not; and the aligned check, comparing it with both images smoothed at that
 * block size, confirms it as its source (a colander and pot pixelated at 8.6 px, as the probe's
 * pixelate draws it: nearest-neighbour down and up), which it cannot with the setting off — and
 * confirms no unrelated drawing.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { mosaicBlock } from '../../engine/image/local/mosaic.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { verifyAligned } from '../../engine/image/local/verify.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { checkFeatures } from '../helpers/clipart.ts';
import { evalLibrary, libraryPng } from '../helpers/eval-copies.ts';
import { localWith } from '../helpers/policy.ts';

afterAll(() => terminateLocalFeaturePool());

const COLANDER = 'tools/scolapasta_e_pentola_arc_01.png';
const OTHERS = [
  'transportation/aiga-symbols/aiga_information_.png',
  'office/paperclip.png',
  'tools/cog_01.png',
  'food/fruit/cherry_jonathan_dietrich_01.png',
  'animals/bugs/spider.png',
  'office/calculator.png',
];
const M = UNIQUENESS_POLICY.local.appearance.mosaic;
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };

/** The picture cut into blocks of `factor` pixels: shrunk by nearest neighbour and blown up again. */
async function pixelated(png: Buffer, factor: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(png).metadata();
  const small = await sharp(png)
    .resize(Math.round(width / factor), Math.round(height / factor), { kernel: 'nearest', fit: 'fill' })
    .png()
    .toBuffer();
  return sharp(small).resize(width, height, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
}

const blockOf = async (png: Buffer): Promise<{ block: number; scale: number }> => {
  const q = await checkFeatures(png);
  const { width = 1 } = await sharp(png).metadata();
  if (!q.frameGray) throw new Error('a query keeps its frame');
  return { block: mosaicBlock(q.frameGray, q.width, q.height, M), scale: q.width / (width * q.frame.w) };
};

describe('pixelated copies (mosaic)', () => {
  it('finds the block size of a mosaic, and no mosaic in drawings, a blurred or a re-encoded copy', async () => {
    const png = await libraryPng(COLANDER);
    // The detector is strict (mosaic.ts): the colander's 264 px frame is found a mosaic cut at 8–9 px,
    // not at 5–7 or 10–11, where the resampled grid lines ring too wide or too unevenly.
    for (const factor of [8, 8.6, 9]) {
      const { block, scale } = await blockOf(await pixelated(png, factor));
      // In working-frame pixels: the factor times the frame's scale, within a pixel or so.
      expect(block, String(factor)).toBeGreaterThan(factor * scale * 0.85);
      expect(block, String(factor)).toBeLessThan(factor * scale * 1.15);
    }
    for (const file of [COLANDER, ...OTHERS]) expect((await blockOf(await libraryPng(file))).block, file).toBe(0);
    expect((await blockOf(await sharp(png).blur(4).png().toBuffer())).block).toBe(0);
    expect((await blockOf(await sharp(png).jpeg({ quality: 20 }).toBuffer())).block).toBe(0);
  }, 120_000);

  it('confirms a pixelated copy by its pixels smoothed at its block size, and nothing unrelated', async () => {
    const lib = await checkFeatures(await libraryPng(COLANDER), true);
    const q = await checkFeatures(await pixelated(await libraryPng(COLANDER), 8.6));
    expect(verifyAligned(q, lib, localWith({ appearance: { mosaic: { sigmaPerBlock: 0 } } }))).toBeNull();
    const m = verifyAligned(q, lib);
    expect(m).not.toBeNull();
    expect(m?.region.queryCoverage).toBeGreaterThan(0.9);
    expect(m?.region.matchCoverage).toBeGreaterThan(0.9);
    for (const file of OTHERS) expect(verifyAligned(q, await checkFeatures(await libraryPng(file), true)), file).toBeNull();
    // Through the check: the colander, among the others, is named as copied.
    const engine = await evalLibrary([COLANDER, ...OTHERS]);
    const r = await engine.check({ card: CARD, image: await pixelated(await libraryPng(COLANDER), 8.6), creatorId: 'me' });
    engine.close();
    expect(r.status).toBe('flagged_plagiarism');
    expect(r.matches[0]?.assetId).toBe(COLANDER);
    expect(r.matches[0]?.copySignals.length).toBeGreaterThan(0);
    expect(r.matches[0]?.region).toBeDefined();
  }, 120_000);
});
