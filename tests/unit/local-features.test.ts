/**
 * Local-feature layer: real openclipart images (dev categories) transformed with sharp, extracted,
 * indexed and verified; blank and thin-line images must carry too little information to match.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LocalIndex,
  type LocalFeatureSet,
  deserialize,
  extractLocalFeatures,
  extractLocalFeaturesInThread,
  forLibrary,
  loadVocabulary,
  serialize,
  terminateLocalFeaturePool,
  verify,
} from '../../engine/image/local/index.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { affine, cropFrac, mirror, pasteInto, rotate, thinLines } from '../helpers/image-transforms.ts';

const ROOT = '/usr/share/openclipart/png/';
const A = readFileSync(ROOT + 'animals/mammals/topo_architetto_francesc_01.png');
const B = readFileSync(ROOT + 'food/fruit/apple_wedge.png');
const C = readFileSync(ROOT + 'animals/bugs/spider.png');
const BG = readFileSync(ROOT + 'transportation/autos_01.png');

const lib = (b: Uint8Array): Promise<LocalFeatureSet> => extractLocalFeaturesInThread(b, { mirror: false });
const query = (b: Uint8Array): Promise<LocalFeatureSet> => extractLocalFeaturesInThread(b);
const angleDiff = (a: number, b: number): number => Math.abs(((a - b + 540) % 360) - 180);

let libA: LocalFeatureSet;
beforeAll(async () => {
  libA = await lib(A);
});
afterAll(() => terminateLocalFeaturePool());

describe('local features', () => {
  it('describes a real image with enough information', () => {
    expect(libA.primary.words.length).toBeGreaterThan(150);
    expect(libA.info.score).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.minInfo);
    expect(libA.mirror).toBeUndefined();
  });

  it('verifies an off-centre crop of half the area, with the right region', async () => {
    const box = { x: 0.35, y: 0.05, w: 0.65, h: 0.77 };
    const m = verify(await query(await cropFrac(A, box)), libA);
    expect(m).not.toBeNull();
    const r = m!.region;
    expect(r.mirrored).toBe(false);
    expect(Math.abs(r.match.x - box.x)).toBeLessThan(0.06);
    expect(Math.abs(r.match.y - box.y)).toBeLessThan(0.06);
    expect(Math.abs(r.match.w - box.w)).toBeLessThan(0.08);
    expect(r.matchCoverage).toBeGreaterThan(0.4);
    expect(r.matchCoverage).toBeLessThan(0.6);
    expect(angleDiff(r.rotationDeg, 0)).toBeLessThan(3);
  });

  it.each([17, 135])('finds a rotation by %i° within a few degrees', async (deg) => {
    const m = verify(await query(await rotate(A, deg)), libA);
    expect(m).not.toBeNull();
    // sharp rotates clockwise; rotationDeg is counter-clockwise.
    expect(angleDiff(m!.region.rotationDeg, -deg)).toBeLessThan(4);
  });

  it('matches a mirrored copy and says so', async () => {
    const m = verify(await query(await mirror(A)), libA);
    expect(m?.region.mirrored).toBe(true);
  });

  it('finds a copy pasted at 40 % scale into a larger picture, where it was pasted', async () => {
    const { png, box } = await pasteInto(A, BG, 900, 700, 0.4, 0.8, 0.3);
    const m = verify(await query(png), libA);
    expect(m).not.toBeNull();
    const q = m!.region.query;
    expect(Math.abs(q.x - box.x)).toBeLessThan(0.05);
    expect(Math.abs(q.y - box.y)).toBeLessThan(0.05);
    expect(Math.abs(q.w - box.w)).toBeLessThan(0.06);
    expect(m!.region.scale).toBeGreaterThan(0.3);
    expect(m!.region.scale).toBeLessThan(0.6);
  });

  it('verifies a sheared copy', async () => {
    const m = verify(await query(await affine(A, [1, 0.3, 0, 1])), libA);
    expect(m).not.toBeNull();
  });

  it('does not verify unrelated images', async () => {
    for (const other of [B, C, BG]) {
      const q = await query(other);
      expect(verify(q, libA)).toBeNull();
      expect(verify(await query(A), await lib(other))).toBeNull();
    }
  });

  it('gives blank and thin-line images low information and never verifies them', async () => {
    const blank = await query(await thinLines(400, 300, 0));
    const lines = await query(await thinLines(600, 400, 3));
    for (const s of [blank, lines]) {
      expect(s.info.score).toBeLessThan(UNIQUENESS_POLICY.local.minInfo);
      expect(verify(s, s)).toBeNull();
      expect(verify(s, libA)).toBeNull();
    }
    expect(verify(await query(A), forLibrary(lines))).toBeNull();
  });

  it('round-trips a set through its blob', async () => {
    const q = await query(A);
    const blob = serialize(q);
    const back = deserialize(blob);
    expect(blob.length).toBeLessThan(42 * (q.primary.words.length + (q.mirror?.words.length ?? 0)) + 100);
    expect(back.primary.words).toEqual(q.primary.words);
    expect(back.primary.descriptors).toEqual(q.primary.descriptors);
    expect(back.mirror?.descriptors).toEqual(q.mirror?.descriptors);
    expect(back.primary.keypoints[4]).toBeCloseTo(q.primary.keypoints[4] as number, 1);
    expect(back.frame.w).toBeCloseTo(q.frame.w, 5);
    expect(back.info.score).toBeCloseTo(q.info.score, 5);
    expect(() => deserialize(blob.subarray(0, blob.length - 3))).toThrow();
  });

  it('extracts through the worker pool off the event loop', async () => {
    const viaPool = await extractLocalFeatures(A, { mirror: false });
    expect(viaPool.primary.words).toEqual(libA.primary.words);
  });

  it('indexes, finds crops and pastes, persists and removes', async () => {
    const vocab = loadVocabulary();
    const index = new LocalIndex({
      words: vocab.leaves,
      maxWordShare: UNIQUENESS_POLICY.local.maxWordShare,
      postingBudget: UNIQUENESS_POLICY.local.postingBudget,
    });
    const libs = [libA, await lib(B), await lib(C), await lib(BG)];
    libs.forEach((s, i) => index.add(100 + i, s));
    const crop = await query(await cropFrac(A, { x: 0.1, y: 0.2, w: 0.6, h: 0.7 }));
    expect(index.candidates(crop, 2)[0]?.rowid).toBe(100);
    const pasted = await query((await pasteInto(C, B, 800, 800, 0.5, 0.2, 0.6)).png);
    expect(index.candidates(pasted, 2).map((c) => c.rowid)).toContain(102);
    const copy = LocalIndex.fromBuffer(index.toBuffer(), UNIQUENESS_POLICY.local);
    expect(copy.size).toBe(4);
    expect(copy.candidates(crop, 3)).toEqual(index.candidates(crop, 3));
    expect(copy.remove(100)).toBe(true);
    expect(copy.remove(100)).toBe(false);
    expect(copy.candidates(crop, 3).map((c) => c.rowid)).not.toContain(100);
    expect(LocalIndex.fromBuffer(copy.toBuffer(), UNIQUENESS_POLICY.local).size).toBe(3);
  });
});
