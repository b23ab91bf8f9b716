/**
 * Hollow pictures (policy visual.boxes.skipHollow, engine/check/image-layers.ts hollowPicture): a
 * rectangle found inside the query whose centre carries no information — a window drawn in clip art,
 * a blank card — hashes as its outline, close to any other empty frame. Seed 660131: a house's
 * window, a yellow rectangle in a black outline, was called a visual copy of a blank sheet of paper
 * turned a quarter. It is no longer searched, while a drawing pasted on its own background still is.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hollowPicture } from '../../engine/check/image-layers.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { BOXED_ON_SCENE, TROWEL, evalCopy, evalLibrary, libraryPng } from '../helpers/eval-copies.ts';

afterAll(() => terminateLocalFeaturePool());

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const HOUSE = 'buildings/homes/my_house_01.png';
const SHEET = 'office/paper_01.png';
const OTHERS = ['office/paperclip.png', 'tools/cog_01.png', 'animals/bugs/spider.png'];
const keepHollow: UniquenessPolicy = {
  ...UNIQUENESS_POLICY,
  visual: { ...UNIQUENESS_POLICY.visual, boxes: { ...UNIQUENESS_POLICY.visual.boxes, skipHollow: false } },
};

describe('hollow pictures inside a query', () => {
  it('finds the house window hollow and a pasted drawing not', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    const house = await engine.fingerprint(CARD, await libraryPng(HOUSE));
    const pasted = await engine.fingerprint(CARD, await evalCopy(TROWEL, BOXED_ON_SCENE));
    engine.close();
    const windows = (house.image?.boxes ?? []).filter((b) => hollowPicture(b, UNIQUENESS_POLICY));
    expect(windows.length).toBeGreaterThan(0);
    for (const b of windows) {
      // Informative as a whole (its outline), blank at its centre.
      expect(b.quality).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.visual.minQuality);
      expect(b.scaleQuality?.[1]).toBeLessThan(UNIQUENESS_POLICY.visual.minQuality);
      expect(hollowPicture(b, keepHollow)).toBe(false);
    }
    const boxes = pasted.image?.boxes ?? [];
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes.some((b) => !hollowPicture(b, UNIQUENESS_POLICY))).toBe(true);
  }, 60_000);

  it('does not call the house a copy of a blank sheet, which it was with the setting off', async () => {
    const png = await libraryPng(HOUSE);
    const verdict = async (policy: UniquenessPolicy) => {
      const e = await evalLibrary([SHEET, ...OTHERS], policy);
      const r = await e.check({ card: CARD, creatorId: 'b', image: png });
      e.close();
      return r;
    };
    const off = await verdict(keepHollow);
    expect(off.matches.find((m) => m.assetId === SHEET)?.copySignals).toContain('visual copy');
    const on = await verdict(UNIQUENESS_POLICY);
    expect(on.status).toBe('approved');
    expect(on.matches.flatMap((m) => m.copySignals)).toEqual([]);
  }, 120_000);
});
