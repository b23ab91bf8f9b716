/**
 * A copy bent further than a few parts' models explain (engine/image/local/trace-bend.ts; policy
 * local.appearance.unlike.pieces.trace): the probe's augmentation swirl (scripts/eval/probe-augment.ts)
 * turns the middle of a drawing by up to a few radians, less and less towards its edge, so no handful
 * of models near the consensus holds it. The field is traced outward from the consensus by rounds
 * of guided matching, and the query seen through it looks like the drawing. The copy is the AIGA
 * men's toilet figure swirled from a fixed seed; other drawings swirled alike are not confirmed as
 * it. The field's local regression (bend.ts matchField) and the bent model's Jacobian are checked on
 * fields known in closed form.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { matchField } from '../../engine/image/local/bend.ts';
import type { Homography } from '../../engine/image/local/homography.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { bentWarp, cellsHeld } from '../../engine/image/local/trace-bend.ts';
import { verify } from '../../engine/image/local/verify.ts';
import { AUGMENT_TRANSFORMS } from '../../scripts/eval/probe-augment.ts';
import { encodePng, flatten, toRaw } from '../../scripts/eval/raw.ts';
import { Rng } from '../../scripts/eval/rng.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { checkFeatures } from '../helpers/clipart.ts';
import { SIMPLE_DRAWINGS, libraryPng } from '../helpers/eval-copies.ts';
import { policyWith } from '../helpers/policy.ts';

afterAll(() => terminateLocalFeaturePool());

const TOILET = 'transportation/aiga-symbols/aiga_toilet_men_.png';
const untraced = policyWith({ local: { appearance: { unlike: { pieces: { trace: { rounds: 0 } } } } } });
const identity: Homography = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** `file` swirled by the probe's transform drawn with `seed`, at the probe's 384 px. */
async function swirled(file: string, seed: number): Promise<Buffer> {
  const src = flatten(await toRaw(sharp(await libraryPng(file)).resize(384, 384, { fit: 'inside' })));
  const out = await AUGMENT_TRANSFORMS.swirl!(src, new Rng(seed, 'swirl'), { fillers: [] });
  return encodePng(out.img);
}

describe('a copy bent further than its parts explain (local.appearance.unlike.pieces.trace)', () => {
  it('is confirmed through the field traced from its consensus, and not without the trace', async () => {
    // Swirled by −1.86 rad at its centre, fading to none at 28 % of the frame's longer side.
    const lib = await checkFeatures(await libraryPng(TOILET), true);
    const q = await checkFeatures(await swirled(TOILET, 12));
    const said: string[] = [];
    expect(verify(q, lib, UNIQUENESS_POLICY.local, undefined, (w) => said.push(w))?.region.bent).toBe(true);
    expect(said.some((w) => /bent along \d+ traced matches/.test(w))).toBe(true);
    expect(verify(q, lib, untraced.local)).toBeNull();
  });

  it("finds an elastic copy with the parts' search off", async () => {
    // ganson's teapot under the probe's elastic field (the copy local-bent.test.ts finds through its parts).
    const TEAPOT = 'food/beverages/teapot_ganson.png';
    const src = flatten(await toRaw(sharp(await libraryPng(TEAPOT)).resize(384, 384, { fit: 'inside' })));
    const out = await AUGMENT_TRANSFORMS.elastic!(src, new Rng(3, 'elastic'), { fillers: [] });
    const q = await checkFeatures(await encodePng(out.img));
    const lib = await checkFeatures(await libraryPng(TEAPOT), true);
    const traceOnly = policyWith({ local: { appearance: { unlike: { pieces: { maxParts: 1 } } } } });
    const said: string[] = [];
    expect(verify(q, lib, traceOnly.local, undefined, (w) => said.push(w))).not.toBeNull();
    expect(said.some((w) => /bent along \d+ traced matches/.test(w))).toBe(true);
    const neither = policyWith({ local: { appearance: { unlike: { pieces: { maxParts: 1, trace: { rounds: 0 } } } } } });
    expect(verify(q, lib, neither.local)).toBeNull();
  });

  it('does not confirm other drawings swirled alike as the figure, nor the figure as them', async () => {
    const toilet = await checkFeatures(await libraryPng(TOILET), true);
    const copy = await checkFeatures(await swirled(TOILET, 12));
    for (const [k, file] of SIMPLE_DRAWINGS.entries()) {
      const other = await checkFeatures(await swirled(file, 12 + k));
      expect(verify(other, toilet)).toBeNull();
      expect(verify(copy, await checkFeatures(await libraryPng(file), true))).toBeNull();
    }
  });

  it('fits a residual field that grows across the matches and carries it a little past them', () => {
    // Matches in a 100 px square whose residual from the identity grows linearly (a stretch and a turn).
    const want = (x: number, y: number): [number, number] => [0.1 * x + 3, 0.02 * x - 0.05 * y];
    const src: number[] = [];
    const dst: number[] = [];
    for (let i = 0; i < 11; i++)
      for (let j = 0; j < 11; j++) {
        const [x, y] = [100 + 10 * i, 100 + 10 * j];
        const [dx, dy] = want(x, y);
        src.push(x, y);
        dst.push(x + dx, y + dy);
      }
    const f = matchField(identity, Float64Array.from(src), Float64Array.from(dst), 480, 480, 0.08, 13, 0);
    for (const [x, y] of [
      [150, 150],
      [120, 180],
      [220, 160],
    ] as const) {
      const [dx, dy] = f(x, y);
      expect(Math.abs(dx - want(x, y)[0])).toBeLessThan(0.5);
      expect(Math.abs(dy - want(x, y)[1])).toBeLessThan(0.5);
    }
    // Far from every match the field leaves the model as it is.
    const [fx, fy] = f(470, 470);
    expect(Math.hypot(fx, fy)).toBeLessThan(0.5);
    // The square straddles the 3 × 3 split's first line (160 px) along both axes: four cells.
    expect(cellsHeld(Float64Array.from(src), 480, 480)).toBe(4);
  });

  it("turns a guided match's expected orientation as the bent model turns there", () => {
    // A field that turns the frame by 30° about (200, 200): the bent model's Jacobian is that turn.
    const t = (30 * Math.PI) / 180;
    const field = (x: number, y: number): [number, number] => {
      const [u, v] = [x - 200, y - 200];
      return [200 + Math.cos(t) * u - Math.sin(t) * v - x, 200 + Math.sin(t) * u + Math.cos(t) * v - y];
    };
    const a = bentWarp(identity, field).local(260, 170);
    expect(a).not.toBeNull();
    const [m0, m1, m2, m3] = a as [number, number, number, number, number, number];
    expect(m0).toBeCloseTo(Math.cos(t), 6);
    expect(m1).toBeCloseTo(-Math.sin(t), 6);
    expect(m2).toBeCloseTo(Math.sin(t), 6);
    expect(m3).toBeCloseTo(Math.cos(t), 6);
  });
});
