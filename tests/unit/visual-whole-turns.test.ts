/**
 * The visual layer probes the whole frame's flipped and turned alignments too, not only the
 * trimmed view's: a thin drawing copied from a thumbnail loses trimming's footing (broken outlines,
 * blur halo), so its trimmed hash lies far from the source's in every alignment while the whole
 * frame, turned back, stays close. Seed 660060's combo-11: an airliner mirrored on both axes,
 * upscaled from an 81-px thumbnail (nearest-neighbour) and blurred — 16 bits from its source
 * trimmed, 6 whole (policy visual.turnWhole).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, hamming } from '../../engine/hash/bits.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const AIRLINER = 'transportation/vehicles/aircraft_jarno_vasamaa_.png';
const STEPS: Step[] = [
  { family: 'mirror', params: { axis: 'both' } },
  { family: 'upscale', params: { thumb: 81, down: 'nearest', up: 'lanczos3' } },
  { family: 'blur', params: { sigma: 2.02 } },
];

afterAll(() => terminateLocalFeaturePool());

const distance = (a: string, b: string): number => hamming(fromHex(a), fromHex(b));

describe('whole-frame turned alignments', () => {
  it('find a thin drawing mirrored, upscaled from a thumbnail and blurred, which the trimmed view cannot', async () => {
    const copy = await evalCopy(AIRLINER, STEPS);
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      const library = await libraryPng(AIRLINER);
      await engine.index({ id: 'airliner', creatorId: 'A', card: { ...CARD, name: 'airliner' }, image: library });
      const fp = await engine.fingerprint(CARD, copy);
      const stored = (await engine.fingerprint(CARD, library, { forIndexOnly: true })).image!;
      const views = fp.image!.views;
      // Every alignment of the trimmed view at full scale lies beyond the candidate radius of every stored hash.
      const storedHashes = stored.views.flatMap((v) => v.phash.map((variants) => variants[0]!));
      const nearest = (variants: string[]) => Math.min(...variants.flatMap((h) => storedHashes.map((s) => distance(h, s))));
      expect(nearest(views[0]!.phash[0]!)).toBeGreaterThan(UNIQUENESS_POLICY.visual.candidateRadius);
      // The whole frame, turned back (k > 0), is within it; as-is (k = 0) it is not.
      expect(nearest(views[1]!.phash[0]!.slice(1))).toBeLessThanOrEqual(UNIQUENESS_POLICY.visual.candidateRadius);
      expect(nearest(views[1]!.phash[0]!.slice(0, 1))).toBeGreaterThan(UNIQUENESS_POLICY.visual.identityRadius);

      const r = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp });
      expect(r.status).toBe('flagged_plagiarism');
      const m = r.matches.find((x) => x.assetId === 'airliner');
      expect(m?.copySignals).toContain('visual copy');
      expect(m?.visualScore ?? 0).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.visual.copyCosine);
      // With the whole frame probed as-is only (visual.turnWhole off), no layer finds it.
      const off = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, turnWhole: false } };
      const without = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: off });
      expect(without.status).toBe('approved');
      expect(without.matches.filter((x) => x.copySignals.length > 0)).toEqual([]);
    } finally {
      engine.close();
    }
  }, 60_000);
});
