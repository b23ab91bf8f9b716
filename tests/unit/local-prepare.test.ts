/**
 * What ORB sees (engine/image/local/prepare.ts): the contrast stretch, the margin around a
 * trimmed frame and the margins around a frame too plain to verify (a drawing cut by its canvas, a
 * trimmed drawing whose detail runs to its edges), each against the problem it answers on real
 * dev-category clip art (a blurred copy, a drawing's outline, an eagle's bust, a lollipop, a blank sheet).
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { extractLocalFeaturesInThread, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { loadCv } from '../../engine/image/local/cv.ts';
import { describeView } from '../../engine/image/local/extract.ts';
import { grayFrame } from '../../engine/image/local/frame.ts';
import { describeOrb } from '../../engine/image/local/orb.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import { interiorInfo, measureInfo } from '../../engine/image/local/info.ts';
import { dominantEdge, prepareFrame, stretchGray } from '../../engine/image/local/prepare.ts';
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

describe('margin around a drawing cut by its canvas', () => {
  it("finds the edge's dominant grey level, and none on an edge of many levels", () => {
    // 40 × 30, white, with a dark block in the top-left corner (a seventh of the edge; the corners disagree).
    const g = new Uint8Array(40 * 30).fill(250);
    for (let y = 0; y < 12; y++) for (let x = 0; x < 8; x++) g[y * 40 + x] = 20;
    expect(dominantEdge(g, 40, 30, 24, 0.6)).toBeGreaterThanOrEqual(240);
    // Every edge pixel a different level: no level holds 60 % of them.
    const ramp = Uint8Array.from({ length: 40 * 30 }, (_, i) => (i * 7) % 256);
    expect(dominantEdge(ramp, 40, 30, 24, 0.6)).toBeUndefined();
  });

  it('pads an untrimmed frame with that level only when asked to, and a trimmed frame by padPx alone', () => {
    const g = new Uint8Array(20 * 10).fill(250);
    for (let y = 0; y < 10; y++) g[y * 20] = 10; // a line along the left edge: the corners disagree
    const p = { padPx: 0, tailShare: 0, maxGain: 1, edgeShare: 0.6, edgeTolerance: 24 };
    expect(prepareFrame(g, 20, 10, undefined, p).offset).toBe(0);
    const padded = prepareFrame(g, 20, 10, undefined, { ...p, edgePadPx: 6 });
    expect([padded.width, padded.height, padded.offset]).toEqual([32, 22, 6]);
    expect(padded.gray[0]).toBe(250);
    expect(padded.gray[6 * 32 + 6]).toBe(10);
    // A trimmed frame keeps its own rule (padPx 0: no margin).
    expect(prepareFrame(g, 20, 10, 250, { ...p, edgePadPx: 6 }).offset).toBe(0);
  });

  it("describes an eagle's bust whose head lies in ORB's border, and finds a crop of it", async () => {
    // The drawing touches all four sides of its 145 × 385 canvas, so nothing is trimmed; its head,
    // where nearly every corner is, lies within ORB's 31-px patch border of the top and right edges.
    const file = readFileSync(ROOT + 'animals/birds/acquila_architetto_franc_04.png');
    const f = await grayFrame(file, P.workSize, P.trimTolerance);
    expect(f.background).toBeUndefined();
    const { cv } = await loadCv();
    const bare = describeView(cv, loadVocabulary(), f.gray, f.width, f.height);
    // Without the margin the frame carries too little to verify anything on (below infoFloor)...
    expect(measureInfo(bare, f.width, f.height, P.infoFull).score).toBeLessThan(P.infoFloor);
    const lib = await extractLocalFeaturesInThread(file, { mirror: false });
    // ...with it, it carries enough, and a crop of the head and upper body (the top 70 %, enlarged) is found.
    expect(lib.info.score).toBeGreaterThanOrEqual(P.infoFloor);
    expect(lib.primary.words.length).toBeGreaterThan(3 * bare.words.length);
    const crop = await sharp(file)
      .extract({ left: 0, top: 0, width: 145, height: 270 })
      .resize({ width: 190 })
      .flatten({ background: '#ffffff' })
      .png()
      .toBuffer();
    const q = await extractLocalFeaturesInThread(crop);
    expect(verify(q, lib)).not.toBeNull();
  });
});

describe('margin around a trimmed frame too plain to verify', () => {
  /** A dev file whose frame is trimmed and, described bare, carries less than infoFloor. */
  const trimmedBelowFloor = async (path: string) => {
    const file = readFileSync(ROOT + path);
    const f = await grayFrame(file, P.workSize, P.trimTolerance);
    expect(f.background).toBeDefined();
    const { cv } = await loadCv();
    const bare = describeView(cv, loadVocabulary(), f.gray, f.width, f.height, undefined, f.background);
    expect(measureInfo(bare, f.width, f.height, P.infoFull).score).toBeLessThan(P.infoFloor);
    return { file, f, cv, bare };
  };

  it('counts only the keypoints inside the frame as its information', () => {
    // Keypoints at the four corners of a 100 × 100 frame (within the band) and nowhere else: no inside.
    const corners = [5, 5, 95, 5, 5, 95, 95, 95];
    const view = {
      keypoints: Float32Array.from(corners.flatMap((v, i) => (i % 2 ? [v, 31, 0] : [v]))),
      descriptors: new Uint8Array(4 * 32).map((_, i) => (i * 37) % 256),
      words: Uint32Array.from([1, 2, 3, 4]),
    };
    expect(view.keypoints.length).toBe(16);
    expect(interiorInfo(view, 100, 100, 0.1, P.infoFull).keypoints).toBe(0);
    expect(interiorInfo(view, 100, 100, 0.04, P.infoFull).keypoints).toBe(4);
  });

  it("describes a lollipop whose spiral runs to its trimmed edges with its background's margin, and finds a paste of it", async () => {
    // Without the margin the frame carries too little to verify anything on (below infoFloor)...
    const { file, bare } = await trimmedBelowFloor('food/desserts/lollipop_dave_pena_01.png');
    const lib = await extractLocalFeaturesInThread(file, { mirror: false });
    // ...with it, its inside alone carries enough, and the library keeps the margin's description.
    expect(interiorInfo(lib.primary, lib.width, lib.height, P.frameBand, P.infoFull).score).toBeGreaterThanOrEqual(P.infoFloor);
    expect(lib.info.score).toBeGreaterThanOrEqual(P.infoFloor);
    expect(lib.primary.words.length).toBeGreaterThan(2 * bare.words.length);
    // Pasted at 60 % into the lower right of a larger picture with other shapes.
    const meta = await sharp(file).metadata();
    const small = await sharp(file)
      .resize({ width: Math.round((meta.width as number) * 0.6) })
      .png()
      .toBuffer();
    const sm = await sharp(small).metadata();
    const W = 2 * (sm.width as number) + 40;
    const H = 2 * (sm.height as number) + 40;
    const block = (w: number, h: number, c: string) =>
      sharp({ create: { width: w, height: h, channels: 3, background: c } })
        .png()
        .toBuffer();
    const host = await sharp({ create: { width: W, height: H, channels: 3, background: '#f4efe6' } })
      .composite([
        { input: await block(Math.round(W / 3), Math.round(H / 5), '#3a5f8a'), left: 10, top: 10 },
        { input: await block(Math.round(W / 6), Math.round(H / 3), '#8a3a3a'), left: 20, top: Math.round(H / 2) },
        { input: small, left: W - (sm.width as number) - 20, top: H - (sm.height as number) - 20 },
      ])
      .png()
      .toBuffer();
    const q = await extractLocalFeaturesInThread(host);
    expect(verify(q, lib)).not.toBeNull();
  });

  it('keeps a blank sheet of paper below the floor: its margin adds an outline, nothing inside', async () => {
    const { file, f, cv, bare } = await trimmedBelowFloor('office/paper_01.png');
    // With the margin the whole frame would pass the floor on its outline's corners alone...
    const padded = describeView(cv, loadVocabulary(), f.gray, f.width, f.height, undefined, f.background, 'trimmed');
    expect(measureInfo(padded, f.width, f.height, P.infoFull).score).toBeGreaterThanOrEqual(P.infoFloor);
    expect(interiorInfo(padded, f.width, f.height, P.frameBand, P.infoFull).score).toBeLessThan(P.infoFloor);
    // ...so the library keeps the bare description, which nothing is verified on.
    const lib = await extractLocalFeaturesInThread(file, { mirror: false });
    expect(lib.primary.words.length).toBe(bare.words.length);
    expect(lib.info.score).toBeLessThan(P.infoFloor);
  });
});
