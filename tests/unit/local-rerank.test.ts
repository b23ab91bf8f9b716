/**
 * Re-ranking the inverted file's shortlist by weak geometric consistency (engine/image/local/rerank.ts,
 * policy local.rerank): a turned and blurred copy's putative matches agree in their orientation
 * (and size) change far more than an unrelated drawing's, the re-ranking puts its source first, and a check
 * whose inverted-file head verifies nothing still finds the copy through the re-ranked tail, when
 * the match also looks like the library image (rerank.minLooks); it also verifies the library
 * images the global hashes found near the query when the inverted file did not list them
 * (rerank.hashes), under the same floor; each other view (a zoom window holding a pasted copy)
 * re-ranks and verifies its own tail (rerank.views); and which floor each kind of local match is
 * held to (looksFloor).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFinds, looksFloor } from '../../engine/check/image-layers.ts';
import { rerankByTurn, turnAgreement } from '../../engine/image/local/rerank.ts';
import type { LocalFeatureSet } from '../../engine/image/local/types.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { emptyEvidence, type Evidence } from '../../engine/scoring.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { A, B, C, lib, query } from '../helpers/clipart.ts';

const P = UNIQUENESS_POLICY.local;
const vocab = loadVocabulary();
/** The mole turned 40° on white and blurred: few exact visual words survive, its turn does. */
const turnedBlurred = async (): Promise<Buffer> =>
  sharp(await sharp(A).flatten({ background: '#fff' }).rotate(40, { background: '#fff' }).png().toBuffer())
    .blur(2)
    .png()
    .toBuffer();

describe('orientation agreement of putative matches', () => {
  let q: LocalFeatureSet;
  const libs = new Map<string, LocalFeatureSet>();
  beforeAll(async () => {
    q = await query(await turnedBlurred());
    for (const [id, img] of [
      ['A', A],
      ['B', B],
      ['C', C],
    ] as const)
      libs.set(id, await lib(img));
  }, 60_000);

  it("counts many more agreeing matches with the copy's source than with unrelated drawings", () => {
    const score = (id: string) => turnAgreement(q, libs.get(id) as LocalFeatureSet, P, vocab, P.rerank.binDeg);
    const src = score('A');
    expect(src).toBeGreaterThanOrEqual(15);
    expect(src).toBeGreaterThan(3 * Math.max(score('B'), score('C')));
  });

  it('with size bins (zoomBin) as well, the copy keeps its agreeing matches and unrelated drawings lose theirs', () => {
    const score = (id: string, zoomBin: number) => turnAgreement(q, libs.get(id) as LocalFeatureSet, P, vocab, P.rerank.binDeg, zoomBin);
    expect(P.rerank.zoomBin).toBeGreaterThan(0);
    for (const id of ['A', 'B', 'C']) expect(score(id, P.rerank.zoomBin)).toBeLessThanOrEqual(score(id, 0)); // a subset of the matches
    const src = score('A', P.rerank.zoomBin);
    const unrelated = Math.max(score('B', P.rerank.zoomBin), score('C', P.rerank.zoomBin));
    // Measured: the source 204 → 196, the best unrelated drawing 15 → 7.
    expect(src).toBeGreaterThanOrEqual(0.9 * score('A', 0));
    expect(unrelated).toBeLessThan(0.75 * Math.max(score('B', 0), score('C', 0)));
    expect(src).toBeGreaterThan(3 * unrelated);
  });

  it('puts the source first, keeps at most `take`, and takes nothing at take 0', () => {
    const rest = [{ rowid: 3 }, { rowid: 2 }, { rowid: 1 }];
    const byRow = new Map([
      [1, libs.get('A') as LocalFeatureSet],
      [2, libs.get('B') as LocalFeatureSet],
      [3, libs.get('C') as LocalFeatureSet],
    ]);
    const stored = (r: number) => byRow.get(r) ?? null;
    expect(rerankByTurn(q, rest, stored, P, vocab, 3, P.rerank.binDeg)[0]?.rowid).toBe(1);
    expect(rerankByTurn(q, rest, stored, P, vocab, 1, P.rerank.binDeg)).toEqual([{ rowid: 1 }]);
    expect(rerankByTurn(q, rest, stored, P, vocab, 0, P.rerank.binDeg)).toEqual([]);
    // An image whose stored features cannot be read is left out, not an error.
    expect(rerankByTurn(q, [{ rowid: 9 }, { rowid: 1 }], stored, P, vocab, 5, P.rerank.binDeg)).toEqual([{ rowid: 1 }]);
  });
});

const engines: UniquenessEngine[] = [];
afterAll(() => engines.forEach((e) => e.close()));

/**
 * The mole's match when `copy` is checked against the mole, the apple and the spider with no
 * inverted-file head (candidates 0), no zoom windows and no other view's re-ranked tail: only the
 * ways into verification that `rerank` leaves open (its tail: take; the hashes' finds: hashes)
 * can verify it.
 */
async function moleMatch(rerank: { take?: number; minLooks?: number; hashes?: number }, copy: Buffer) {
  // The inverted file, the zoom windows and the aligned check off: only the layer under test verifies.
  const local = {
    ...P,
    candidates: 0,
    zoom: { ...P.zoom, steps: 0 },
    // The tilted views' and inverted frame's re-ranked tails off too (rerank.views).
    rerank: { ...P.rerank, views: { ...P.rerank.views, take: 0 }, ...rerank },
    aligned: { ...P.aligned, candidates: 0 },
  };
  return moleUnder(local, copy);
}

/** The mole's match when `image` is checked against the mole, the apple and the spider under the local policy `local`. */
async function moleUnder(local: UniquenessPolicy['local'], image: Buffer) {
  const e = UniquenessEngine.open({ dbPath: ':memory:', policy: { ...UNIQUENESS_POLICY, local } });
  engines.push(e);
  const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
  for (const [id, img] of [
    ['mole', A],
    ['apple', B],
    ['spider', C],
  ] as const)
    await e.index({ id, creatorId: 'ada', card: card(id), image: img });
  const r = await e.check({ card: card('My picture'), creatorId: 'me', image });
  return r.matches.find((m) => m.assetId === 'mole');
}

describe('a check verifies the re-ranked tail of the shortlist', () => {
  // The hashes' finds off: only the re-ranked tail can verify the copy.
  const regionWith = async (take: number, minLooks: number = P.rerank.minLooks) =>
    (await moleMatch({ take, minLooks, hashes: 0 }, await turnedBlurred()))?.region;

  it('finds the turned, blurred copy only when the tail is re-ranked and verified', async () => {
    expect(await regionWith(0)).toBeUndefined();
    const region = await regionWith(P.rerank.take);
    expect(region).toBeDefined();
    // The turn is recovered (40° either way round, depending on the sign convention of the model).
    expect(Math.abs(Math.abs(region?.rotationDeg ?? 0) - 40)).toBeLessThan(8);
  }, 90_000);

  it('holds a match from the tail to the appearance floor (rerank.minLooks)', async () => {
    // No warp of a copy correlates above 1: a floor there turns every tail match down.
    expect(await regionWith(P.rerank.take, 1.01)).toBeUndefined();
  }, 90_000);
});

describe("a check verifies each view's re-ranked tail (rerank.views)", () => {
  /** The apple top-left and the mole pasted small bottom-right on one white canvas: a window holds the mole. */
  const pasted = async (): Promise<Buffer> => {
    const part = async (img: Buffer, side: number) =>
      sharp(img).flatten({ background: '#fff' }).resize(side, side, { fit: 'inside', background: '#fff' }).png().toBuffer();
    return sharp({ create: { width: 900, height: 640, channels: 3, background: '#fff' } })
      .composite([
        { input: await part(B, 300), left: 20, top: 20 },
        { input: await part(A, 280), left: 600, top: 340 },
      ])
      .png()
      .toBuffer();
  };
  /** The mole's match with no head anywhere and no whole-frame tail: only the other views' re-ranked tails verify. */
  const moleIn = async (views: { shortlist: number; take: number }) => {
    const local = {
      ...P,
      candidates: 0,
      rerank: { ...P.rerank, take: 0, hashes: 0, views },
      aligned: { ...P.aligned, candidates: 0 },
    };
    return (await moleUnder(local, await pasted()))?.region;
  };

  it('finds the pasted mole in a window only when the views re-rank and verify their tails', async () => {
    expect(await moleIn({ ...P.rerank.views, take: 0 })).toBeUndefined();
    const region = await moleIn(P.rerank.views);
    expect(region).toBeDefined();
    // The mole sits in the lower right of the query, upright.
    expect(region?.query.x).toBeGreaterThan(0.45);
    expect(region?.query.y).toBeGreaterThan(0.3);
    expect(Math.abs(region?.rotationDeg ?? 99)).toBeLessThan(5);
  }, 90_000);
});

describe('a check verifies what the global hashes found', () => {
  /** The mole shrunk to 80 % and blurred: its whole picture still hashes close to the original's. */
  const softened = async (): Promise<Buffer> => {
    const { width = 400 } = await sharp(A).metadata();
    const smaller = await sharp(A)
      .flatten({ background: '#fff' })
      .resize(Math.round(width * 0.8))
      .png()
      .toBuffer();
    return sharp(smaller).blur(1.2).png().toBuffer();
  };
  // No re-ranked tail (take 0): only the hashes' finds can be verified.
  const checkWith = async (hashes: number, minLooks: number = P.rerank.minLooks) =>
    moleMatch({ take: 0, hashes, minLooks }, await softened());

  it('verifies the source the global hashes found, and places it', async () => {
    const off = await checkWith(0);
    // Found by its hashes either way; without rerank.hashes nothing verified it locally.
    expect(off?.visualScore ?? 0).toBeGreaterThan(0);
    expect(off?.region).toBeUndefined();
    const on = await checkWith(P.rerank.hashes);
    expect(on?.region).toBeDefined();
    // The whole mole in the whole query (working frames are trimmed and sized alike: scale 1), not turned.
    expect(on?.region?.matchCoverage).toBeGreaterThan(0.9);
    expect(on?.region?.queryCoverage).toBeGreaterThan(0.9);
    expect(Math.abs(on?.region?.rotationDeg ?? 99)).toBeLessThan(3);
  }, 90_000);

  it('holds what it verifies to the appearance floor (rerank.minLooks)', async () => {
    expect((await checkWith(P.rerank.hashes, 1.01))?.region).toBeUndefined();
  }, 90_000);
});

describe("which of the global hashes' finds are verified (hashFinds)", () => {
  /** Evidence for a library image the visual layer found at cosine `cos` (or did not: null). */
  const found = (cos: number | null): Evidence => ({
    ...emptyEvidence(),
    visual: cos === null ? null : { cos, qView: 0, qScale: 0, k: 0, tView: 0, tScale: 0 },
  });
  const evidence = new Map<number, Evidence>([
    [1, found(0.2)],
    [2, found(0.95)],
    [3, found(null)], // evidence from another layer only
    [4, found(0.6)],
    [5, found(-0.1)],
    [6, found(0.8)],
    [7, found(0.4)],
    [8, found(0.7)],
  ]);

  it('takes the closest first, at most the cap, and only images with visual evidence', () => {
    expect(hashFinds(evidence, new Set(), 5)).toEqual([2, 6, 8, 4, 7]);
    expect(hashFinds(evidence, new Set(), 100)).toEqual([2, 6, 8, 4, 7, 1, 5]);
    expect(hashFinds(evidence, new Set(), 0)).toEqual([]);
  });

  it('skips what the inverted file or the re-ranked tail already listed', () => {
    expect(hashFinds(evidence, new Set([2, 8]), 3)).toEqual([6, 4, 7]);
  });
});

describe('how much each kind of local match must look like the library image (looksFloor)', () => {
  const P = UNIQUENESS_POLICY;
  const plain = {} as LocalFeatureSet;
  const tilted = { tilt: { toBase: [1, 0, 0, 0, 1, 0, 0, 0, 1], width: 10, height: 10 } } as unknown as LocalFeatureSet;

  it('holds the whole query’s own candidates to nothing and its re-ranked tail to rerank.minLooks', () => {
    expect(looksFloor(plain, true, false, P)).toBe(0);
    expect(looksFloor(plain, true, true, P)).toBe(P.local.rerank.minLooks);
  });

  it('holds a zoom window or the inverted frame to zoom.minLooks and a tilted view to tilt.minLooks', () => {
    expect(looksFloor(plain, false, false, P)).toBe(P.local.zoom.minLooks);
    expect(looksFloor(tilted, false, false, P)).toBe(P.local.tilt.minLooks);
    expect(P.local.tilt.minLooks).toBeGreaterThan(0);
  });

  it('holds any view’s re-ranked tail to the higher of its own floor and rerank.minLooks', () => {
    const tail = P.local.rerank.minLooks;
    expect(looksFloor(plain, false, true, P)).toBe(Math.max(P.local.zoom.minLooks, tail));
    expect(looksFloor(tilted, false, true, P)).toBe(Math.max(P.local.tilt.minLooks, tail));
    const lowTail = { ...P, local: { ...P.local, rerank: { ...P.local.rerank, minLooks: 0.1 } } };
    expect(looksFloor(plain, false, true, lowTail)).toBe(P.local.zoom.minLooks);
  });
});
