/**
 * The aligned check turned by quarter turns or mirrored (engine/image/local/verify.ts verifyAligned's
 * dihedral variant, policy local.aligned.dihedral): a drawing mirrored as a whole, then sheared and
 * blurred or blown up from a thumbnail, keeps too few sharp corners for a consensus, and the upright
 * box map cannot be aligned onto a mirror image. The library images nearest the query's trimmed view
 * in its other dihedral variants are aligned from that variant instead. The cases are the
 * dihedral-aligned harness's (scratch e96, seed 1: copies 45 and 4), rendered again from their
 * parameters: the paint roller mirrored, sheared and blurred at σ 4.4, and the AIGA aeroplane
 * flipped upside down, sheared and blown up from a 57 px thumbnail. Each is found through a check,
 * and not with the setting off; unrelated drawings are not confirmed in any variant.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { verify, verifyAligned } from '../../engine/image/local/verify.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { checkFeatures } from '../helpers/clipart.ts';
import { SIMPLE_DRAWINGS, evalCopy, evalLibrary, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

afterAll(() => terminateLocalFeaturePool());

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const LOCAL = 'partial copy (local features, geometrically verified)';
const ROLLER = 'tools/paint_roller_banner_gera_01.png';
const ROLLER_COPY: Step[] = [
  { family: 'mirror', params: { axis: 'horizontal' } },
  { family: 'shear', params: { shx: 0.325, shy: 0, fill: 'white' } },
  { family: 'blur', params: { sigma: 4.41 } },
];
const PLANE = 'transportation/aiga-symbols/aiga_air_transportation_.png';
const PLANE_COPY: Step[] = [
  { family: 'mirror', params: { axis: 'vertical' } },
  { family: 'shear', params: { shx: -0.102, shy: -0.207, fill: 'white' } },
  { family: 'upscale', params: { thumb: 57, down: 'lanczos3', up: 'cubic' } },
];
/** Other simple drawings: the rest of the library, and the unrelated side. */
const OTHERS = SIMPLE_DRAWINGS;
const withDihedral = (dihedral: boolean) => policyWith({ local: { aligned: { dihedral } } });

/** The query checked against a library of `file` and OTHERS under `policy`. */
async function checked(file: string, png: Buffer, policy: UniquenessPolicy) {
  const engine = await evalLibrary([file, ...OTHERS], policy);
  try {
    return await engine.check({ card: CARD, creatorId: 'b', image: png });
  } finally {
    engine.close();
  }
}

describe('aligned by the pixels, turned or mirrored (local.aligned.dihedral)', () => {
  it('aligns a mirrored, sheared, blurred copy from its mirrored variant, not upright', async () => {
    const lib = await checkFeatures(await libraryPng(ROLLER), true);
    const q = await checkFeatures(await evalCopy(ROLLER, ROLLER_COPY));
    expect(verify(q, lib)).toBeNull();
    expect(verifyAligned(q, lib)).toBeNull();
    // k 1 mirrors x (dihedralFrameMap): the horizontal mirror.
    const m = verifyAligned(q, lib, UNIQUENESS_POLICY.local, undefined, 1);
    expect(m).not.toBeNull();
    expect(m?.region.mirrored).toBe(true);
    expect(m?.region.matchCoverage).toBeGreaterThan(0.8);
    // A quarter turn does not line the long roller up (k 5 and 6 transpose and mirror once more:
    // turned a quarter either way). Its half-turned variant (k 3) may: the roller is nearly
    // symmetric top to bottom, so its mirror image is nearly itself turned half way.
    for (const k of [5, 6]) expect(verifyAligned(q, lib, UNIQUENESS_POLICY.local, undefined, k), `k ${k}`).toBeNull();
    // Nor is any other drawing confirmed as the copy, in any variant.
    for (const file of OTHERS) {
      const other = await checkFeatures(await libraryPng(file), true);
      for (let k = 0; k < 8; k++) expect(verifyAligned(q, other, UNIQUENESS_POLICY.local, undefined, k), `${file} k ${k}`).toBeNull();
    }
  }, 180_000);

  for (const [name, file, steps] of [
    ['the mirrored roller', ROLLER, ROLLER_COPY],
    ['the upside-down aeroplane', PLANE, PLANE_COPY],
  ] as const) {
    it(`finds ${name} through a check, and not with the setting off`, async () => {
      const png = await evalCopy(file, steps);
      const on = await checked(file, png, UNIQUENESS_POLICY);
      const match = on.matches.find((m) => m.assetId === file);
      expect(match?.copySignals).toContain(LOCAL);
      expect(on.status).toBe('flagged_plagiarism');
      // Its whole drawing. (Mirrored or half turned: both drawings are nearly symmetric about one
      // axis — the roller top to bottom, the aeroplane left to right — so either variant lines them up.)
      expect(match?.region?.matchCoverage).toBeGreaterThan(0.8);
      for (const m of on.matches.filter((x) => x.assetId !== file)) expect(m.copySignals, m.assetId).not.toContain(LOCAL);
      const off = await checked(file, png, withDihedral(false));
      expect(off.matches.find((m) => m.assetId === file)?.copySignals ?? []).not.toContain(LOCAL);
    }, 180_000);
  }

  it('confirms none of the other drawings given the same treatment', async () => {
    for (const file of OTHERS.slice(0, 4)) {
      const png = await evalCopy(file, ROLLER_COPY);
      const engine = await evalLibrary([ROLLER, PLANE], UNIQUENESS_POLICY);
      const result = await engine.check({ card: CARD, creatorId: 'b', image: png });
      engine.close();
      for (const m of result.matches) expect(m.copySignals, `${file} → ${m.assetId}`).not.toContain(LOCAL);
    }
  }, 180_000);
});
