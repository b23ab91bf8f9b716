/**
 * What ORB sees (engine/image/local/prepare.ts): the contrast stretch and the margin around a
 * trimmed frame, each against the problem it answers on real dev-category clip art (a blurred
 * copy, a drawing's outline).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { extractLocalFeaturesInThread, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { loadCv } from '../../engine/image/local/cv.ts';
import { grayFrame } from '../../engine/image/local/frame.ts';
import { describeOrb } from '../../engine/image/local/orb.ts';
import { prepareFrame, stretchGray } from '../../engine/image/local/prepare.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const P = UNIQUENESS_POLICY.local;
const ROOT = '/usr/share/openclipart/png/';
afterAll(() => terminateLocalFeaturePool());

describe('contrast stretch', () => {
  it('leaves a frame that already spans the grey range untouched', () => {
    const g = Uint8Array.from({ length: 1000 }, (_, i) => Math.round((i / 999) * 255));
    expect(stretchGray(g, 0.005, 4).gray).toBe(g);
  });

  it('maps a faded frame onto the full range, keeping the order of grey levels, with the gain capped', () => {
    // Levels 200..255: a pale drawing (or a thin line after a heavy blur).
    const g = Uint8Array.from({ length: 5600 }, (_, i) => 200 + (i % 56));
    const { gray, map } = stretchGray(g, 0.005, 8);
    expect(gray.reduce((a, v) => Math.min(a, v), 255)).toBeLessThanOrEqual(5);
    expect(gray.reduce((a, v) => Math.max(a, v), 0)).toBeGreaterThanOrEqual(250);
    for (let v = 200; v < 255; v++) expect(map(v + 1)).toBeGreaterThanOrEqual(map(v));
    // A nearly blank frame (three levels) is amplified at most maxGain times, not into noise.
    const flat = Uint8Array.from({ length: 3000 }, (_, i) => 250 + (i % 3));
    const capped = stretchGray(flat, 0.005, 4);
    expect(capped.gray.reduce((a, v) => Math.max(a, v), 0) - capped.gray.reduce((a, v) => Math.min(a, v), 255)).toBeLessThanOrEqual(
      2 * 4 + 1,
    );
  });

  it('gives a blurred, faded copy back the keypoints a library copy shares', async () => {
    const file = readFileSync(ROOT + 'animals/mammals/topo_architetto_francesc_01.png');
    const flat = await sharp(file).flatten({ background: '#ffffff' }).resize(400, 400, { fit: 'inside' }).png().toBuffer();
    // Blurred and faded (contrast cut to a fifth, as a washed-out re-upload).
    const blurred = await sharp(flat).blur(2).linear(0.2, 204).png().toBuffer();
    const f = await grayFrame(blurred, P.workSize, P.trimTolerance);
    const stretched = stretchGray(f.gray, P.prepare.tailShare, P.prepare.maxGain).gray;
    const range = (g: Uint8Array) => g.reduce((a, v) => Math.max(a, v), 0) - g.reduce((a, v) => Math.min(a, v), 255);
    expect(range(stretched)).toBeGreaterThanOrEqual(range(f.gray));
    // FAST's fixed threshold finds far more corners on the stretched frame.
    const { cv } = await loadCv();
    const orb = { features: P.features, scaleFactor: P.scaleFactor, levels: P.levels };
    const raw = describeOrb(cv, { gray: f.gray, width: f.width, height: f.height, offset: 0 }, orb);
    const prepared = describeOrb(cv, prepareFrame(f.gray, f.width, f.height, f.background, P.prepare), orb);
    expect(prepared.keypoints.length).toBeGreaterThan(1.5 * raw.keypoints.length);
    const lib = await extractLocalFeaturesInThread(flat, { mirror: false });
    const q = await extractLocalFeaturesInThread(blurred);
    expect(verify(q, lib)).not.toBeNull();
  });
});

describe('margin around a trimmed frame', () => {
  it('adds the background around a trimmed frame only, and says where the frame sits', () => {
    const g = new Uint8Array(20 * 10).fill(30);
    const none = prepareFrame(g, 20, 10, undefined, { padPx: 8, tailShare: 0, maxGain: 1 });
    expect([none.width, none.height, none.offset]).toEqual([20, 10, 0]);
    const padded = prepareFrame(g, 20, 10, 255, { padPx: 8, tailShare: 0, maxGain: 1 });
    expect([padded.width, padded.height, padded.offset]).toEqual([36, 26, 8]);
    expect(padded.gray[0]).toBe(255);
    expect(padded.gray[8 * 36 + 8]).toBe(30);
    expect(padded.gray[(8 + 9) * 36 + 8 + 19]).toBe(30);
    expect(padded.gray[(8 + 10) * 36 + 8]).toBe(255);
  });
});
