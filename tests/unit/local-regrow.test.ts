/**
 * Growing a weak model before its appearance is judged (verify.ts confirmByAppearance, policy
 * local.appearance.regrow): a consensus of a few keypoints on one part of a copy fits a model that
 * is off elsewhere, so the copy seen through it does not line up with the drawing; grown by guided
 * matching and refitted, it does. Real copies from the eval's generators that only this finds (one
 * whose consensus the small-span gate refused), one that needed it until its dots were removed
 * better (session 82), and a chance consensus between two different drawings that it grows but
 * still refuses.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { checkFeatures as features } from '../helpers/clipart.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { asChecked, expectLocalMatchAlone } from '../helpers/local-match.ts';

const P = UNIQUENESS_POLICY.local;
const OFF = { ...P, appearance: { ...P.appearance, regrow: 0 } };
const FISH = 'animals/fish/brown_fish_01.png';
/** Seed 660097 combination 53: the fish cut out onto a car, then salt-and-pepper noise at 11.6 %. */
const FISH_ON_CAR: Step[] = [
  {
    family: 'paste',
    params: { scale: 0.444, x: 0.601, y: 0.881, mode: 'cutout', hostSize: 421, host: 'clipart', hostFile: 'transportation/autos_01.png' },
  },
  { family: 'noise', params: { kind: 'salt_pepper', density: 0.116, seed: 507363477 } },
];
/** Copies the eval made at seed 660093, with their generators' parameters. */
const COPIES: [string, string, Step[]][] = [
  [
    'seed 660093 combination 8: a negative under Gaussian noise',
    'animals/birds/eagle_01.png',
    [
      { family: 'colour', params: { kind: 'invert', layer: false } },
      { family: 'noise', params: { kind: 'gaussian', sigma: 26.3, seed: 1518966951 } },
    ],
  ],
  [
    'seed 660093 combination 26: boxed on a bowl of soup, blurred',
    'tools/brush_roller_costea_bogd_01.png',
    [
      {
        family: 'paste',
        params: {
          scale: 0.629,
          x: 0.315,
          y: 0.911,
          mode: 'boxed',
          hostSize: 480,
          host: 'clipart',
          hostFile: 'food/bowl_of_steaming_soup_01.png',
        },
      },
      { family: 'blur', params: { sigma: 2.8 } },
    ],
  ],
];

afterAll(() => terminateLocalFeaturePool());

describe('a weak model grown before its appearance is judged', () => {
  it('verifies copies whose first weak model does not line up, and only with the regrowth', async () => {
    for (const [what, art, steps] of COPIES) {
      const library = await features(await libraryPng(art), true);
      const views = asChecked(await features(await evalCopy(art, steps)));
      const traces: string[] = [];
      const on = views.map((s) => verify(s, library, P, undefined, (w) => traces.push(w)));
      const found = on.find((m) => m !== null);
      // Confirmed by its pixels (a weak consensus), after a regrowth.
      expect(found?.looks?.score, what).toBeGreaterThanOrEqual(P.appearance.minScore);
      expect(
        traces.some((t) => t.startsWith('regrown')),
        what,
      ).toBe(true);
      expect(
        views.map((s) => verify(s, library, OFF)).filter((m) => m !== null),
        `${what}: regrow off`,
      ).toEqual([]);
    }
  });

  it('verifies the sprayed fish on a car on its count since the dots are removed in two passes', async () => {
    // It needed the regrowth while dots touching two others stayed (one pass, the outer ring
    // untouched); since session 82's despeckling (local.despeckle.passes 2) its consensus stands on
    // its count.
    const library = await features(await libraryPng(FISH), true);
    const views = asChecked(await features(await evalCopy(FISH, FISH_ON_CAR)));
    const found = views.map((s) => verify(s, library, OFF)).filter((m) => m !== null);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((m) => m.looks === undefined && m.region.inliers >= P.minInliers)).toBe(true);
  });

  it('grows a consensus the small-span gate refused, and verifies the copy only with the regrowth', async () => {
    // Seed 660099 combination 20: a flan stretched 1.5× and cut out onto a generated scene, under
    // Gaussian noise. In one zoom window 24 inliers on one part of it (3 % and 9 % of the frames)
    // did not look like the flan (0.40, local.smallSpan refuses them); grown by guided matching to
    // over a hundred inliers, they do.
    const art = 'food/desserts/flan_jean-victor_balin_01.png';
    const steps: Step[] = [
      { family: 'stretch', params: { factor: 1.535, axis: 'x' } },
      {
        family: 'paste',
        params: { scale: 0.64, x: 0.594, y: 0.261, mode: 'cutout', hostSize: 383, host: 'scene', hostAspect: 0.953, sceneSeed: 965093474 },
      },
      { family: 'noise', params: { kind: 'gaussian', sigma: 19.1, seed: 1519641590 } },
    ];
    const library = await features(await libraryPng(art), true);
    const views = asChecked(await features(await evalCopy(art, steps)));
    const found = views.flatMap((s) => {
      const traces: string[] = [];
      const m = verify(s, library, P, undefined, (w) => traces.push(w));
      return m ? [{ m, traces }] : [];
    });
    expect(found.length).toBeGreaterThan(0);
    for (const { m, traces } of found) {
      expect(m.looks?.score).toBeGreaterThanOrEqual(P.appearance.minScore);
      expect(traces.some((t) => t.startsWith('small span') && t.endsWith('refused'))).toBe(true);
      expect(traces.some((t) => t.startsWith('regrown'))).toBe(true);
    }
    expect(views.map((s) => verify(s, library, OFF)).filter((m) => m !== null)).toEqual([]);
  });

  it('grows a chance consensus between two different drawings and still refuses it', async () => {
    // A certificate and an envelope with a stamp: a few mirrored keypoints agree by chance; guided
    // matching grows them to dozens (46 when this was written), but seen through the grown model
    // the certificate still does not look like the envelope.
    const library = await features(await libraryPng('office/addressed_envelope_with_stamp_01.png'), true);
    const views = asChecked(await features(await libraryPng('office/certificate.png')));
    const traces: string[] = [];
    const matches = views.map((s) => verify(s, library, P, undefined, (w) => traces.push(w)));
    const grown = traces.filter((t) => t.startsWith('regrown')).map((t) => Number(/→ (\d+) inliers/.exec(t)?.[1]));
    expect(Math.max(...grown)).toBeGreaterThanOrEqual(3 * P.appearance.minInliers);
    expect(matches.filter((m) => m !== null)).toEqual([]);
  });

  it('flags the fish pasted onto a car under noise as a partial copy of it, and nothing else', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
      for (const file of [FISH, 'animals/birds/eagle_01.png', 'tools/cog_01.png', 'office/paperclip.png'])
        await engine.index({ id: file, creatorId: 'A', card: card(file), image: await libraryPng(file) });
      const r = await engine.check({ card: card('Fish on a car'), image: await evalCopy(FISH, FISH_ON_CAR), creatorId: 'B' });
      expectLocalMatchAlone(r, FISH);
    } finally {
      engine.close();
    }
  });
});
