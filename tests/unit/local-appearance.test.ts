/**
 * Photometric confirmation of the local-feature layer (engine/image/local/appearance.ts): the
 * library image's stored sketch against the query warped back through a model. A copy looks like
 * its original through the right model and an unrelated picture does not; with the keypoint gates
 * set out of reach, a weak consensus is accepted only when its pixels agree; entries stored
 * without a sketch keep working as before; a blurred query is compared with both images smoothed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { appearance, makeSketch } from '../../engine/image/local/appearance.ts';
import { blurOf } from '../../engine/image/local/sharpen.ts';
import { deserialize, forLibrary, serialize, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { A, B, BG, lib, query } from '../helpers/clipart.ts';
import { cropFrac, pasteInto, rotate } from '../helpers/image-transforms.ts';
import { localWith } from '../helpers/policy.ts';

const P = UNIQUENESS_POLICY.local;
const AP = P.appearance;

/** Keypoint gates out of reach: only the appearance confirmation can accept. */
const appearanceOnly = { ...P, minSpots: 10_000 };

afterAll(() => terminateLocalFeaturePool());

describe('sketch', () => {
  it('is an area average of the working frame, longest side sketchSize', () => {
    const w = 480;
    const h = 240;
    const gray = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) gray[y * w + x] = x < w / 2 ? 40 : 200;
    const s = makeSketch(gray, w, h, AP.sketchSize);
    expect([s.width, s.height]).toEqual([AP.sketchSize, AP.sketchSize / 2]);
    expect(s.gray[0]).toBe(40);
    expect(s.gray[s.width - 1]).toBe(200);
  });

  it('is stored with a library entry; a query also carries its grey frame, which a library never stores', async () => {
    const q = await query(A);
    expect(q.sketch?.width === AP.sketchSize || q.sketch?.height === AP.sketchSize).toBe(true);
    expect(q.frameGray?.length).toBe(q.width * q.height);
    const back = deserialize(serialize(q));
    expect(Buffer.from(back.frameGray!).equals(Buffer.from(q.frameGray!))).toBe(true);
    const stored = deserialize(serialize(forLibrary(q)));
    expect(stored.frameGray).toBeUndefined();
    expect(Buffer.from(stored.sketch!.gray).equals(Buffer.from(q.sketch!.gray))).toBe(true);
    expect(() => deserialize(serialize(forLibrary(q)).subarray(0, -5))).toThrow();
  });

  it('is inflated when first read where the check asks for it (lazySketch), with the same bytes; damage is refused then', async () => {
    const q = await query(A);
    const blob = serialize(forLibrary(q));
    const lazy = deserialize(blob, { lazySketch: true });
    expect([lazy.sketch?.width, lazy.sketch?.height]).toEqual([q.sketch?.width, q.sketch?.height]);
    expect(Buffer.from(lazy.sketch!.gray).equals(Buffer.from(q.sketch!.gray))).toBe(true);
    expect(lazy.sketch!.gray).toBe(lazy.sketch!.gray); // inflated once
    // The deflated bytes are the blob's tail: flip them and the sketch, not the read, is refused.
    const bad = Buffer.from(blob);
    for (let i = bad.length - 40; i < bad.length; i++) bad[i] = (bad[i] as number) ^ 0xa5;
    expect(() => deserialize(bad)).toThrow(/bad sketch/);
    const late = deserialize(bad, { lazySketch: true });
    expect(late.primary.words).toEqual(lazy.primary.words);
    expect(() => late.sketch!.gray).toThrow(/bad sketch/);
  });
});

describe('appearance', () => {
  it('scores a copy high through its verified model and an unrelated picture low through the same model', async () => {
    const libA = await lib(A);
    const copy = await query(await rotate(await cropFrac(A, { x: 0.2, y: 0.1, w: 0.7, h: 0.8 }), 21));
    const m = verify(copy, libA);
    expect(m).not.toBeNull();
    const same = appearance(copy, libA, m!.homography, AP)!;
    expect(same.score).toBeGreaterThan(AP.minScore);
    expect(same.agree).toBeGreaterThanOrEqual(AP.minAgree);
    expect(same.pixels).toBeGreaterThan(AP.minPixels);
    const other = appearance(await query(B), libA, m!.homography, AP)!;
    expect(other.score).toBeLessThan(0.3);
  });

  it('says nothing without pixels: a library entry stored before sketches, or a query without its frame', async () => {
    const libA = await lib(A);
    const q = await query(A);
    const id: Parameters<typeof appearance>[2] = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(appearance(q, { ...libA, sketch: undefined }, id, AP)).toBeNull();
    expect(appearance({ ...q, frameGray: undefined }, libA, id, AP)).toBeNull();
    // An old blob (no sketch flag) still reads, and verifies as before.
    const old = deserialize(serialize({ ...libA, sketch: undefined }));
    expect(old.sketch).toBeUndefined();
    expect(verify(q, old)).not.toBeNull();
  });

  it('accepts a consensus too weak for the keypoint gates only when the warped pixels agree', async () => {
    const libA = await lib(A);
    const { png } = await pasteInto(A, BG, 900, 700, 0.45, 0.3, 0.4);
    const pasted = await query(png);
    const why: string[] = [];
    const m = verify(pasted, libA, appearanceOnly, undefined, (w) => why.push(w));
    expect(m).not.toBeNull();
    expect(why).toContain('confirmed by appearance');
    expect(m!.confidence).toBeGreaterThan(0);
    expect(m!.confidence).toBeLessThanOrEqual(0.9);
    expect(m!.region.queryCoverage).toBeLessThan(0.4);
    // Off, the same consensus is turned down.
    expect(verify(pasted, libA, { ...appearanceOnly, appearance: { ...AP, minScore: 2 } })).toBeNull();
    // Unrelated pictures are not confirmed, whatever weak consensus they reach.
    for (const other of [B, BG]) expect(verify(await query(other), libA, appearanceOnly)).toBeNull();
    expect(verify(await query(A), await lib(B), appearanceOnly)).toBeNull();
  });

  it('compares a blurred query, such as a blocky thumbnail blown up again, with both images smoothed (appearance.blurred)', async () => {
    const libA = await lib(A);
    const { width, height } = await sharp(A).metadata();
    // Shrunk to 48 px by dropping pixels, then blown back up: dashed outlines, stair-step edges.
    const small = await sharp(A).flatten({ background: '#ffffff' }).resize(48, 48, { fit: 'inside', kernel: 'nearest' }).png().toBuffer();
    const blocky = await query(await sharp(small).resize(width, height, { fit: 'fill', kernel: 'cubic' }).png().toBuffer());
    // Found blurred (local.sharpen): described unsharp-masked too.
    expect(blurOf(blocky.frameGray!, blocky.width, blocky.height)).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.sharpen.minBlur);
    expect(blocky.primary.sharp).toBeDefined();
    const m = verify(blocky, libA, localWith({ appearance: { unlike: { minScore: 0 } } }));
    expect(m).not.toBeNull();
    const unsmoothed = appearance(blocky, libA, m!.homography, { ...AP, blurred: { sigma: 0 } })!;
    const smoothed = appearance(blocky, libA, m!.homography, AP)!;
    // Compared pixel for pixel the jaggies scatter its edge orientations; smoothed, it looks like its source.
    expect(unsmoothed.score).toBeLessThan(AP.minScore);
    expect(smoothed.score).toBeGreaterThanOrEqual(AP.minScore);
    expect(smoothed.agree).toBeGreaterThanOrEqual(AP.minAgree);
    // An unrelated picture blurred the same way still does not, through the same model.
    const smallB = await sharp(B).flatten({ background: '#ffffff' }).resize(48, 48, { fit: 'inside', kernel: 'nearest' }).png().toBuffer();
    const meta = await sharp(B).metadata();
    const other = await query(await sharp(smallB).resize(meta.width, meta.height, { fit: 'fill', kernel: 'cubic' }).png().toBuffer());
    expect(appearance(other, libA, m!.homography, AP)!.score).toBeLessThan(0.3);
    // A sharp query is compared as it is: the setting changes nothing for it.
    const sharpQ = await query(A);
    expect(sharpQ.primary.sharp).toBeUndefined();
    const id = verify(sharpQ, libA)!.homography;
    expect(appearance(sharpQ, libA, id, AP)).toEqual(appearance(sharpQ, libA, id, { ...AP, blurred: { sigma: 0 } }));
  });
});
