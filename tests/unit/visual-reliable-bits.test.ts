/**
 * Global hashes of symmetric drawings (policy visual.reliable): a pHash bit whose coefficient sits at
 * the block's median is set by rounding noise, and on a symmetric pictogram most are — seed 660057
 * missed a noised copy of the AIGA exit disc (16 of 64 bits flipped, none of its 12 reliable ones).
 * Probing on the reliable bits alone finds it; what only that probe finds must reach a higher
 * signature cosine and look like the library drawing pixel for pixel (its dihedral alignment), so
 * two plain outlines by different artists (blank sheets of paper) are not taken for each other.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { maskedRadius } from '../../engine/check/image-layers.ts';
import { project } from '../../engine/image/local/homography.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { dihedralFrameMap, looksLike } from '../../engine/image/local/verify.ts';
import { dihedralMatrix } from '../../engine/image/perceptual.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { policyWith } from '../helpers/policy.ts';

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const EXIT = 'transportation/aiga-symbols/aiga_exit_.png';
// Two blank sheets of paper by different artists, one re-encoded (signature cosine 0.925).
const PAPER = 'office/paper3.png';
const PANEL = 'tools/panel_fudriot_omic.ch_01.png';
const WEBP: Step[] = [{ family: 'reencode', params: { format: 'webp', quality: 10 } }];
// Seed 660057's missed query (noise-10), and a copy upscaled from a thumbnail.
const NOISE: Step[] = [{ family: 'noise', params: { kind: 'gaussian', sigma: 20.2, seed: 123410651 } }];
const THUMB: Step[] = [{ family: 'upscale', params: { thumb: 60, down: 'lanczos3', up: 'cubic' } }];

afterAll(() => terminateLocalFeaturePool());

/** The probe off, and the local layer's aligned check too (it finds this copy by its pixels on its own). */
const off = policyWith({ visual: { reliable: { on: false } }, local: { aligned: { candidates: 0 } } });

describe('the dihedral map between working frames', () => {
  it('sends each library pixel to the query pixel that dihedral variant k puts there', () => {
    const n = 8;
    const query = new Float32Array(n * n).map((_, i) => i);
    for (let k = 0; k < 8; k++) {
      const library = dihedralMatrix(query, n, k);
      const h = dihedralFrameMap(k, n, n, n, n);
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++) {
          const q = project(h, x + 0.5, y + 0.5);
          if (!q) throw new Error('no projection');
          expect(query[Math.floor(q[1]) * n + Math.floor(q[0])]).toBe(library[y * n + x]);
        }
    }
  });

  it('scales between frames of different sizes, the transpose swapping the axes', () => {
    const q = project(dihedralFrameMap(4, 200, 100, 60, 300), 200, 50);
    expect(q?.[0]).toBeCloseTo(30);
    expect(q?.[1]).toBeCloseTo(300);
  });
});

describe('the masked radius for a library of this size', () => {
  it('is the widest that chance agreement on the reliable bits keeps under maxChance, −1 when none does', () => {
    expect(maskedRadius(40, 600_000, 2, 64)).toBe(2);
    // 16 bits among 600k hashes: 9 exact agreements by chance, 155 within one bit.
    expect(maskedRadius(16, 600_000, 2, 64)).toBe(0);
    expect(maskedRadius(12, 600_000, 2, 64)).toBe(-1);
    expect(maskedRadius(12, 6_000, 2, 64)).toBe(1);
    expect(maskedRadius(12, 600, 2, 64)).toBe(2);
  });
});

describe('a symmetric pictogram checked by its reliable bits', () => {
  it('is in the policy, asking more of what only it finds than the ordinary probe', () => {
    const r = UNIQUENESS_POLICY.visual.reliable;
    expect(r.on).toBe(true);
    expect(r.minCosine).toBeGreaterThan(UNIQUENESS_POLICY.visual.copyCosine);
  });

  it('finds a noised copy of the exit disc, not without the probe, and a thumbnail copy', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({
        id: 'exit',
        creatorId: 'A',
        card: { ...CARD, name: 'exit' },
        image: await libraryPng(EXIT),
      });
      for (const steps of [NOISE, THUMB]) {
        const fp = await engine.fingerprint(CARD, await evalCopy(EXIT, steps));
        const on = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp });
        expect(on.status).toBe('flagged_plagiarism');
        expect(on.matches[0]?.assetId).toBe('exit');
        expect(on.matches[0]?.copySignals.join(' ')).toContain('visual copy');
        if (steps !== NOISE) continue;
        const without = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: off });
        expect(without.matches.find((m) => m.assetId === 'exit')?.copySignals ?? []).toEqual([]);
      }
    } finally {
      engine.close();
    }
  }, 60_000);

  it('asks the pixels too: two blank sheets of paper are not a copy even at a lower cosine', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({
        id: 'panel',
        creatorId: 'A',
        card: { ...CARD, name: 'panel' },
        image: await libraryPng(PANEL),
      });
      const fp = await engine.fingerprint(CARD, await evalCopy(PAPER, WEBP));
      const lower: UniquenessPolicy = {
        ...UNIQUENESS_POLICY,
        visual: { ...UNIQUENESS_POLICY.visual, reliable: { ...UNIQUENESS_POLICY.visual.reliable, minCosine: 0.9 } },
      };
      const r = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: lower });
      expect(r.matches.filter((m) => m.copySignals.length > 0)).toEqual([]);
      // The comparison that refuses it, beside the exit disc's noised copy that it confirms.
      const sheet = (await engine.fingerprint(CARD, await libraryPng(PANEL), { forIndexOnly: true })).local;
      const disc = (await engine.fingerprint(CARD, await libraryPng(EXIT), { forIndexOnly: true })).local;
      const noised = (await engine.fingerprint(CARD, await evalCopy(EXIT, NOISE))).local;
      if (!fp.local || !sheet || !disc || !noised) throw new Error('no local features');
      const map = (q: typeof sheet, l: typeof sheet) => dihedralFrameMap(0, l.width, l.height, q.width, q.height);
      expect(looksLike(fp.local, sheet, map(fp.local, sheet), UNIQUENESS_POLICY.local)).toBeNull();
      expect(looksLike(noised, disc, map(noised, disc), UNIQUENESS_POLICY.local)?.score).toBeGreaterThan(0.9);
    } finally {
      engine.close();
    }
  }, 60_000);
});
