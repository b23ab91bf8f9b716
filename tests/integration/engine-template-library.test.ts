/**
 * A library of many similar short cards (a bulk import of one template): the text layers score only
 * the candidates sharing the most LSH bands (policy text.lshCandidates), so a check no longer grows
 * with the library, and the closest card is still the one reported first.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LshIndex } from '../../engine/index/lsh.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { AssetRows } from '../../engine/store/asset-rows.ts';
import { charShingles, minhash } from '../../engine/text/shingles.ts';
import type { AssetCard } from '../../shared/asset.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const template = (i: number): AssetCard => ({
  asset_type: 'item',
  name: `Bulk item ${i}`,
  description: `Generated item number ${i}`,
  tags: [],
});
const sig = (s: string) => minhash(charShingles(s));

afterEach(() => vi.restoreAllMocks());

describe('LSH candidates with a limit', () => {
  it('keeps the owners sharing the most bands, and all of them under the limit', () => {
    const lsh = new LshIndex();
    const base = 'a brass lantern whose flame burns blue when the dead walk near the keeper of the northern lighthouse';
    lsh.add(1, sig(base));
    lsh.add(2, sig(`${base} at night`)); // a near-copy: shares most bands
    for (let i = 0; i < 40; i++) lsh.add(10 + i, sig(`a brass lantern whose flame burns ${i} colours in the southern harbour market`));
    const all = lsh.candidates(sig(base));
    expect(all.size).toBeGreaterThan(3);
    const two = lsh.candidates(sig(base), 2);
    expect([...two].sort()).toEqual([1, 2]);
    expect(lsh.candidates(sig(base), 1000)).toEqual(all);
    // The same ranking from a snapshot (frozen bands) with one owner removed after loading.
    const loaded = LshIndex.fromBuffer(lsh.toBuffer());
    loaded.remove(1);
    expect([...loaded.candidates(sig(base), 1)]).toEqual([2]);
  });
});

describe('a library of one template', () => {
  it('scores a bounded number of text candidates per check and still reports the closest card first', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      for (let i = 0; i < 400; i++) await engine.index({ id: `t${i}`, creatorId: 'c', card: template(i) });
      // A card made from the template, and a near-copy of it by someone else.
      const query: AssetCard = {
        ...template(4242),
        description: 'Generated item number 4242: a brass lantern whose flame burns blue when the dead walk near',
      };
      const near: AssetCard = {
        ...query,
        description: 'Generated item number 4242: a brass lantern whose flame turns blue when the dead walk close',
      };
      await engine.index({ id: 'near', creatorId: 'other', card: near });
      const policy = { ...UNIQUENESS_POLICY, text: { ...UNIQUENESS_POLICY.text, lshCandidates: 50 } };
      const fp = await engine.fingerprint(query, undefined);
      const reads = vi.spyOn(AssetRows.prototype, 'lexical');
      const capped = engine.checkFingerprints({ card: query, creatorId: 'me', fp, policy });
      expect(reads.mock.calls.length).toBeLessThanOrEqual(50);
      // Without the limit every template card is a candidate (and each check grows with the library).
      reads.mockClear();
      const whole = engine.checkFingerprints({
        card: query,
        creatorId: 'me',
        fp,
        policy: { ...policy, text: { ...policy.text, lshCandidates: Number.POSITIVE_INFINITY } },
      });
      expect(reads.mock.calls.length).toBeGreaterThan(300);
      // The same closest cards, in the same order, with the same text scores.
      expect(capped.matches[0]?.assetId).toBe('near');
      expect(capped.matches[0]?.layers.text).toBeGreaterThan(0.7);
      const top = (r: typeof capped) => r.matches.map((m) => [m.assetId, m.combined, m.layers.text]);
      expect(top(capped)).toEqual(top(whole));
      expect(capped.status).toBe(whole.status);
    } finally {
      engine.close();
    }
  });
});
