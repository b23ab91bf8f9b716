/**
 * Guided matching's ratio test (engine/image/local/guided.ts, policy local.guided.ratio; tried in
 * session 101 and left off, 1): a library keypoint projected through a model keeps the query
 * keypoint it lands near only when that one's descriptor is clearly closer than the next
 * candidate's. Seed 660163: the speckled black-and-white breakfast sausage on a grainy backdrop is
 * called a partial copy of the speckled garlic toast — a zoom window's 13-inlier chance seed grows,
 * dot beside like dot, to 66 guided inliers that look 0.306 like the toast (guided.minLooks 0.3).
 * At 0.9 the seed grows to 2 and nothing is flagged; the same setting lost two copies and a correct
 * find at fresh probe seeds (README), so it stays off. Since session 105 the whitening keeps the
 * sausage's smooth parts out of the grain's palette (policy local.background.noise.smooth) and the
 * default policy no longer flags it; the ratio is shown with that rule off, as it was found.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { evalCopy, evalLibrary } from '../helpers/eval-copies.ts';

afterAll(() => terminateLocalFeaturePool());

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const TOAST = 'food/breads_and_carbs/garlic_toast_bw.png';
const OTHERS = ['office/paperclip.png', 'tools/cog_01.png', 'animals/bugs/spider.png'];
/** Seed 660163's unrelated query 112: the sausage flattened on a grainy yellow-green backdrop. */
const SAUSAGE_ON_GRAIN = () =>
  evalCopy('food/meats_and_eggs/breakfast_sausage_bw.png', [
    { family: 'background', params: { texture: 'noise', hue: 73.1, hue2: 83.7, lightness: 0.684, period: 28, seed: 709186229 } },
  ]);
const withRatio = (ratio: number): UniquenessPolicy => ({
  ...UNIQUENESS_POLICY,
  local: { ...UNIQUENESS_POLICY.local, guided: { ...UNIQUENESS_POLICY.local.guided, ratio } },
});

describe('guided matching among repeated marks (ratio)', () => {
  it('does not call the speckled sausage a copy of the speckled toast at 0.9; the default (off) does when the whitening keeps no smooth parts', async () => {
    const png = await SAUSAGE_ON_GRAIN();
    const verdict = async (policy: UniquenessPolicy) => {
      const e = await evalLibrary([TOAST, ...OTHERS], policy);
      const r = await e.check({ card: CARD, creatorId: 'b', image: png });
      e.close();
      return r;
    };
    expect(UNIQUENESS_POLICY.local.guided.ratio).toBeGreaterThanOrEqual(1);
    // The default policy: the sausage's smooth parts kept, nothing flagged.
    const now = await verdict(UNIQUENESS_POLICY);
    expect(now.matches.flatMap((m) => m.copySignals)).toEqual([]);
    // The query's whitening reads the shared policy (frame.ts): its smooth rule is turned off here
    // for this check alone, and put back.
    const noise = UNIQUENESS_POLICY.local.background.noise as { smooth: number };
    const smooth = noise.smooth;
    noise.smooth = 0;
    try {
      const off = await verdict(UNIQUENESS_POLICY);
      expect(off.matches.find((m) => m.assetId === TOAST)?.copySignals.join(' ')).toMatch(/partial copy/);
      const on = await verdict(withRatio(0.9));
      expect(on.status).toBe('approved');
      expect(on.matches.flatMap((m) => m.copySignals)).toEqual([]);
    } finally {
      noise.smooth = smooth;
    }
  }, 240_000);
});
