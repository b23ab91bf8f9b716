/**
 * A consensus strong enough to stand on its count is still refused when the query, seen through
 * its model, does not look like the library drawing at all (policy local.appearance.unlike): two of
 * peterm's cartoon animals over their names in one bold typeface (SKOYNK, SHAEZY) agree on 20-odd
 * keypoints of the lettering, which flagged one as a copy of the other (seeds 660081 and 660083).
 * A real copy of the same drawing — its name and all, mirrored and turned — is still found.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { appearance } from '../../engine/image/local/appearance.ts';
import { appearanceOf, verify } from '../../engine/image/local/verify.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const SKOYNK = 'animals/mammals/skoynk_peterm_.png';
const SHAEZY = 'animals/mammals/shaezy_peterm_.png';
const COPY: Step[] = [
  { family: 'mirror', params: { axis: 'horizontal' } },
  { family: 'rotate', params: { angle: 17, canvas: 'expand', fill: 'white' } },
];

afterAll(() => terminateLocalFeaturePool());

const withUnlike = (minScore: number) => policyWith({ local: { appearance: { unlike: { minScore } } } });

describe('a strong consensus on something two pictures share that is not the drawing', () => {
  it('does not call one cartoon animal a copy of another over the same lettering; it did with the rule off', async () => {
    const [skoynk, library] = await Promise.all([libraryPng(SKOYNK), libraryPng(SHAEZY)]);
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({ id: 'shaezy', creatorId: 'A', card: { ...CARD, name: 'shaezy' }, image: library });
      const fp = await engine.fingerprint(CARD, skoynk);
      const on = engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: UNIQUENESS_POLICY });
      expect(on.matches.find((x) => x.assetId === 'shaezy')?.copySignals ?? []).toEqual([]);
      const off = engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: withUnlike(0) });
      expect(off.matches.find((x) => x.assetId === 'shaezy')?.copySignals.join(' ')).toContain('local features');
      // Why: many agreeing keypoints, and a likeness far below any copy's.
      const lib = (await engine.fingerprint(CARD, library, { forIndexOnly: true })).local;
      if (!fp.local || !lib) throw new Error('no local features');
      const said: string[] = [];
      expect(verify(fp.local, lib, UNIQUENESS_POLICY.local, undefined, (w) => said.push(w))).toBeNull();
      const trace = said.join(' | ');
      expect(trace).toContain('unlike the drawing: refused');
      const inliers = Number(/(\d+) inliers, but unlike/.exec(trace)?.[1]);
      expect(inliers).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.minInliers);
      const score = Number(/counted \w+ (-?[\d.]+)/.exec(trace)?.[1]);
      expect(score).toBeLessThan(UNIQUENESS_POLICY.local.appearance.unlike.minScore);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('still finds a mirrored, turned copy of the same drawing, lettering and all', async () => {
    const query = await evalCopy(SHAEZY, COPY);
    const library = await libraryPng(SHAEZY);
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({ id: 'shaezy', creatorId: 'A', card: { ...CARD, name: 'shaezy' }, image: library });
      const r = await engine.check({ card: CARD, image: query, creatorId: 'B' });
      expect(r.status).toBe('flagged_plagiarism');
      expect(r.matches.find((x) => x.assetId === 'shaezy')?.copySignals.join(' ')).toContain('local features');
      // The likeness the gate measured is the one appearanceOf reports for the match (kept, not measured again).
      const q = (await engine.fingerprint(CARD, query)).local;
      const lib = (await engine.fingerprint(CARD, library, { forIndexOnly: true })).local;
      if (!q || !lib) throw new Error('no local features');
      const m = verify(q, lib, UNIQUENESS_POLICY.local);
      if (!m) throw new Error('the copy was not verified');
      expect(m.looks).toBeUndefined(); // accepted on its count
      const fresh = appearance(q, lib, m.homography, UNIQUENESS_POLICY.local.appearance)?.score;
      expect(fresh).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.appearance.unlike.minScore);
      expect(appearanceOf(q, lib, m)).toBe(fresh);
    } finally {
      engine.close();
    }
  }, 60_000);
});
