/**
 * Negatives in the visual layer (engine/check/image-layers.ts negativeProbes, policy
 * visual.negative): an editor's "invert colours" negates every DCT coefficient but the mean, so
 * the copy's pHash is its source's with every bit but DC flipped and its shape signature is
 * negated. A near-featureless silhouette (AIGA's airliner: a dozen corners), whose negative the
 * local layer's inverted view did not verify (seed 660111's colour-6), is found that way and named
 * "colours inverted"; a negative of another drawing is not taken for it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, hamming } from '../../engine/hash/bits.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { signatureCosine } from '../../engine/image/perceptual.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const AIRLINER = 'transportation/aiga-symbols/aiga_air_transportation_.png';
const MOLE = 'animals/mammals/topo_architetto_francesc_01.png';
const NEGATIVE: Step = { family: 'colour', params: { kind: 'invert', layer: false } };
// The folded views (visual.fold) find a negative too (fold(255 − v) = fold(v)): off with the negative probes.
const OFF = {
  ...UNIQUENESS_POLICY,
  visual: { ...UNIQUENESS_POLICY.visual, negative: false, fold: { ...UNIQUENESS_POLICY.visual.fold, on: false } },
};

afterAll(() => terminateLocalFeaturePool());

const sig = (s: string) => new Int8Array(Buffer.from(s, 'base64'));

describe('negatives in the visual layer', () => {
  it('a negative hashes as its source with every bit but DC flipped, and its signature is negated', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      const source = (await engine.fingerprint(CARD, await libraryPng(AIRLINER), { forIndexOnly: true })).image!;
      const negative = (await engine.fingerprint(CARD, await evalCopy(AIRLINER, [NEGATIVE]))).image!;
      const h = fromHex(negative.views[0]!.phash[0]![0]!);
      const complemented = { hi: (h.hi ^ 0x7fffffff) >>> 0, lo: (h.lo ^ 0xffffffff) >>> 0 };
      const s = fromHex(source.views[0]!.phash[0]![0]!);
      expect(hamming(h, s)).toBeGreaterThan(40);
      expect(hamming(complemented, s)).toBeLessThanOrEqual(UNIQUENESS_POLICY.visual.candidateRadius);
      const cos = signatureCosine(sig(negative.views[0]!.sig[0]!), sig(source.views[0]!.sig[0]!));
      expect(cos).toBeLessThan(-UNIQUENESS_POLICY.visual.copyCosine);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('finds the negative of a near-featureless silhouette and names it; off, no layer does; another negative is not it', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({ id: 'airliner', creatorId: 'A', card: { ...CARD, name: 'Airliner' }, image: await libraryPng(AIRLINER) });
      const fp = await engine.fingerprint(CARD, await evalCopy(AIRLINER, [NEGATIVE]));
      const r = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp });
      expect(r.status).toBe('flagged_plagiarism');
      const m = r.matches.find((x) => x.assetId === 'airliner');
      expect(m?.copySignals).toContain('visual copy');
      expect(m?.visualScore ?? 0).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.visual.copyCosine);
      expect(m?.summary).toContain('colours inverted');
      const without = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: OFF });
      expect(without.status).toBe('approved');
      expect(without.matches.filter((x) => x.copySignals.length > 0)).toEqual([]);
      const other = await engine.check({ card: CARD, creatorId: 'B', image: await evalCopy(MOLE, [NEGATIVE]) });
      expect(other.matches.filter((x) => x.copySignals.length > 0)).toEqual([]);
    } finally {
      engine.close();
    }
  }, 60_000);
});
