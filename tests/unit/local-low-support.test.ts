/**
 * Appearance confirmation of a crop that holds a small share of the library drawing's strokes
 * (policy local.appearance.lowSupport): seed 660049's missed crop of an orange (49 % of the frame,
 * off-centre; its weak consensus, aligned by its pixels, correlates 0.997 over 24 % of the drawing's
 * gradient energy) is a copy with the rule and was not without it; the rule asks the closer likeness
 * of every such comparison (a weaker correlation over as little of the drawing is refused).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { verify } from '../../engine/image/local/verify.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const ORANGE = 'food/fruit/orange_simple.png';
const CROP: Step[] = [{ family: 'crop', params: { area: 0.488, aspect: 0.79, x: 0.473, y: 0.59 } }];

afterAll(() => terminateLocalFeaturePool());

const withLow = (lowSupport: { minSupport: number; minScore: number }) => policyWith({ local: { appearance: { lowSupport } } });

describe('a crop holding little of the drawing, confirmed by a close likeness', () => {
  it('is asked a closer likeness than the ordinary gate, on less of the drawing', () => {
    const a = UNIQUENESS_POLICY.local.appearance;
    expect(a.lowSupport.minSupport).toBeLessThan(a.minSupport);
    expect(a.lowSupport.minScore).toBeGreaterThan(a.minScore);
  });

  it('finds a 49 % off-centre crop of an orange, and not with the rule off or asking more', async () => {
    const query = await evalCopy(ORANGE, CROP);
    const library = await libraryPng(ORANGE);
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({ id: 'orange', creatorId: 'A', card: { ...CARD, name: 'orange' }, image: library });
      const fp = await engine.fingerprint(CARD, query);
      const on = engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: UNIQUENESS_POLICY });
      expect(on.status).toBe('flagged_plagiarism');
      const m = on.matches.find((x) => x.assetId === 'orange');
      expect(m?.copySignals.join(' ')).toContain('local features');
      expect(m?.region?.queryCoverage).toBeGreaterThan(0);
      // The whole frame's weak consensus, with the trace of why it stood.
      const said: string[] = [];
      const l = (await engine.fingerprint(CARD, library, { forIndexOnly: true })).local;
      if (!fp.local || !l) throw new Error('no local features');
      expect(verify(fp.local, l, UNIQUENESS_POLICY.local, undefined, (w) => said.push(w))).not.toBeNull();
      expect(said.join(' ')).toContain('confirmed by appearance');
      const support = Number(/refined plain [\d.]+ support ([\d.]+)/.exec(said.join(' '))?.[1]);
      expect(support).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.appearance.lowSupport.minSupport);
      expect(support).toBeLessThan(UNIQUENESS_POLICY.local.appearance.minSupport);
      // The rule off (its floor at the ordinary gate's), or asking a likeness no comparison reaches.
      for (const off of [withLow({ minSupport: 0.3, minScore: 0.9 }), withLow({ minSupport: 0.15, minScore: 1.01 })]) {
        const r = engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: off });
        expect(r.matches.find((x) => x.assetId === 'orange')?.copySignals ?? []).toEqual([]);
      }
    } finally {
      engine.close();
    }
  }, 60_000);
});
