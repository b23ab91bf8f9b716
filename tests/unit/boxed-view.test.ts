/**
 * Pictures inside a picture (engine/image/boxed.ts pastedBoxes, fingerprint.ts boxViews, policy
 * visual.boxes): a rectangle of one flat colour holding content is found — with a corner covered,
 * blurred — while a page's own background and round shapes are not; a clip-art drawing pasted on its
 * own white box into a larger picture is named a copy by the perceptual-hash layer through its box,
 * and only with policy visual.boxes on; a drawing flipped before it was boxed into another library
 * drawing is found in its picture's mirrored window (visual.boxes.mirror), beside that drawing.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { type PixelBox, clearIntrusions, crop, pastedBoxes } from '../../engine/image/boxed.ts';
import { boxViews } from '../../engine/image/fingerprint.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { describeRegion } from '../../renderer/src/components/evidence.tsx';

const PAPERCLIP = readFileSync('/usr/share/openclipart/png/office/paperclip.png');
const PHONE = readFileSync('/usr/share/openclipart/png/office/telephone/sprint_cell_phone_joel_r.png');
const MUFFIN = readFileSync('/usr/share/openclipart/png/food/meats_and_eggs/egg_muffin.png');
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const BOXES = UNIQUENESS_POLICY.visual.boxes;

afterAll(() => terminateLocalFeaturePool());

const W = 300;
const H = 400;
/** The white box every scene below holds, and what is drawn in it. */
const BOX = { x: 90, y: 210, w: 130, h: 110 };

/** A two-tone scene (sky 200, ground 90) with a white box holding a dark drawing, a grey square over the box's lower-left corner. */
function scene(): Uint8Array {
  const g = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) g.fill(y < 180 ? 200 : 90, y * W, (y + 1) * W);
  const fill = (x0: number, y0: number, w: number, h: number, v: number): void => {
    for (let y = y0; y < y0 + h; y++) g.fill(v, y * W + x0, y * W + x0 + w);
  };
  fill(BOX.x, BOX.y, BOX.w, BOX.h, 255);
  // The drawing: two strokes and a ring, inside the box's margins.
  fill(120, 235, 70, 6, 20);
  fill(150, 240, 6, 60, 20);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const r = Math.hypot(x - 175, y - 285);
      if (r > 14 && r < 19) g[y * W + x] = 30;
    }
  fill(70, 300, 40, 40, 150);
  return g;
}

const near = (a: PixelBox | undefined, b: typeof BOX, tol: number): boolean =>
  !!a && Math.abs(a.x - b.x) <= tol && Math.abs(a.y - b.y) <= tol && Math.abs(a.w - b.w) <= 2 * tol && Math.abs(a.h - b.h) <= 2 * tol;

describe('pastedBoxes', () => {
  it('finds a flat box holding a drawing, one corner covered', () => {
    const found = pastedBoxes(scene(), W, H, BOXES);
    expect(found.some((b) => near(b, BOX, 4))).toBe(true);
    expect(found.length).toBeLessThanOrEqual(BOXES.maxBoxes);
  });

  it('still finds it blurred (a blurred edge never seeds a region)', async () => {
    const blurred = await sharp(scene(), { raw: { width: W, height: H, channels: 1 } })
      .blur(2.5)
      .extractChannel(0)
      .raw()
      .toBuffer();
    expect(pastedBoxes(new Uint8Array(blurred), W, H, BOXES).some((b) => near(b, BOX, 8))).toBe(true);
  });

  it('takes no band of the picture itself (a sky, a ground) for a box', () => {
    const g = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) g.fill(y < 180 ? 200 : 90, y * W, (y + 1) * W);
    expect(pastedBoxes(g, W, H, BOXES)).toEqual([]);
  });

  it('finds no box on a page holding only round shapes (the page itself is too large to be one)', () => {
    const g = new Uint8Array(W * H).fill(255);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (Math.hypot(x - 150, y - 200) < 90) g[y * W + x] = 120;
        if (Math.hypot(x - 150, y - 200) < 40) g[y * W + x] = 250;
      }
    expect(pastedBoxes(g, W, H, BOXES)).toEqual([]);
  });
});

describe('clearIntrusions', () => {
  // The scene's white box, one pixel inside its edges.
  const box: PixelBox = { x: BOX.x + 1, y: BOX.y + 1, w: BOX.w - 2, h: BOX.h - 2, level: 255, inset: 1 };

  it('paints over a shape lying across the box edge, and keeps the drawing', () => {
    const g = scene();
    const px = crop(g, W, box);
    expect(clearIntrusions(px, box, g, W, H, 12, 3)).toBe(true);
    // The grey square's corner (lower left) is gone; the strokes and the ring are not.
    expect(px[(box.h - 5) * box.w + 5]).toBe(255);
    expect(px[(240 - box.y) * box.w + (152 - box.x)]).toBe(20);
    expect(px[(285 - box.y) * box.w + (175 + 16 - box.x)]).toBe(30);
  });

  it('keeps a drawing that touches its own canvas edge (the picture beyond the box is another colour)', () => {
    const g = scene();
    // A dark bar from the box's top edge down into it.
    for (let y = BOX.y; y < BOX.y + 40; y++) g.fill(20, y * W + 200, y * W + 206);
    const px = crop(g, W, box);
    const before = Uint8Array.from(px);
    clearIntrusions(px, box, g, W, H, 12, 3);
    expect(px[0 * box.w + (202 - box.x)]).toBe(20);
    expect(px[10 * box.w + (202 - box.x)]).toBe(before[10 * box.w + (202 - box.x)]);
  });
});

describe('boxViews', () => {
  const box: PixelBox = { x: BOX.x + 1, y: BOX.y + 1, w: BOX.w - 2, h: BOX.h - 2, level: 255, inset: 1 };

  it('hashes a box holding a drawing', async () => {
    expect((await boxViews(scene(), W, H, box, 12)).length).toBeGreaterThan(0);
  });

  it('hashes nothing for a box holding only shapes that reach in from outside it (a gap between two wheels)', async () => {
    const g = new Uint8Array(W * H).fill(90);
    for (let y = BOX.y; y < BOX.y + BOX.h; y++) g.fill(255, y * W + BOX.x, y * W + BOX.x + BOX.w);
    // Two dark bars crossing the box's left and right edges from the ground around it.
    for (let y = BOX.y + 20; y < BOX.y + 60; y++) {
      g.fill(20, y * W + BOX.x - 15, y * W + BOX.x + 12);
      g.fill(20, y * W + BOX.x + BOX.w - 12, y * W + BOX.x + BOX.w + 15);
    }
    expect(await boxViews(g, W, H, box, 12)).toEqual([]);
  });
});

/** The paperclip flattened on white at `side` px, boxed into a two-tone scene, a square over the box's corner. */
async function boxedPaste(side: number): Promise<Buffer> {
  const art = await sharp(PAPERCLIP)
    .resize(side, side, { fit: 'contain', background: '#ffffff' })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
  const sky = await sharp({ create: { width: 380, height: 260, channels: 3, background: '#b9d8e6' } })
    .png()
    .toBuffer();
  const ground = await sharp({ create: { width: 380, height: 340, channels: 3, background: '#6b6432' } })
    .png()
    .toBuffer();
  const square = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#9a96e6' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 380, height: 600, channels: 3, background: '#ffffff' } })
    .composite([
      { input: sky, left: 0, top: 0 },
      { input: ground, left: 0, top: 260 },
      { input: art, left: 150, top: 330 },
      { input: square, left: 135, top: 330 + side - 25 },
    ])
    .png()
    .toBuffer();
}

describe('box views in a check', () => {
  it('names a drawing pasted on its own box into a larger picture a copy, only with policy visual.boxes on', async () => {
    const query = await boxedPaste(170);
    const run = async (on: boolean) => {
      const policy = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, boxes: { ...BOXES, on } } };
      const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
      await engine.index({ id: 'clip', creatorId: 'a', card: { ...CARD, name: 'Paperclip' }, image: PAPERCLIP });
      // The perceptual-hash layer alone: the query's local features left out (they find this copy too).
      const fp = await engine.fingerprint(CARD, query);
      const r = engine.checkFingerprints({ card: CARD, creatorId: 'b', fp: { ...fp, local: null } });
      engine.close();
      return r.matches.find((m) => m.assetId === 'clip');
    };
    const on = await run(true);
    expect(on?.copySignals).toContain('visual copy');
    expect(on?.differences.transform).toContain('pasted into a larger picture');
    // The box is where the copy sits: outlined in the query (the box at 150–320 × 330–500 of 380 × 600 px).
    const q = on?.region?.query;
    expect(q?.x).toBeCloseTo(150 / 380, 1);
    expect(q?.y).toBeCloseTo(330 / 600, 1);
    expect(q?.w).toBeCloseTo(170 / 380, 1);
    expect(q?.h).toBeCloseTo(170 / 600, 1);
    expect(on?.region?.match).toEqual({ x: 0, y: 0, w: 1, h: 1 });
    expect(on?.region?.inliers).toBe(0);
    // The studio's caption says how it matched, not "0 matching keypoints".
    if (on?.region) expect(describeRegion(on.region)).toMatch(/^100% of its image, fills 1\d% of this image, matched as a whole picture$/);
    expect(on?.summary).toMatch(/^“Paperclip” pasted into a larger image \(it fills 1\d % of this one\)/);
    const off = await run(false);
    expect(off?.copySignals ?? []).not.toContain('visual copy');
    // Off, nothing is looked for: no box views, no windows cut around pictures.
    const policy = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, boxes: { ...BOXES, on: false } } };
    const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
    const fp = await engine.fingerprint(CARD, query);
    engine.close();
    expect(fp.image?.boxes).toBeUndefined();
    expect((fp.local?.windows ?? []).filter((w) => w.picture)).toEqual([]);
    const on2 = UniquenessEngine.open({ dbPath: ':memory:' });
    const fpOn = await on2.fingerprint(CARD, query);
    on2.close();
    expect(fpOn.image?.boxes?.length).toBeGreaterThan(0);
    expect((fpOn.local?.windows ?? []).filter((w) => w.picture).length).toBeGreaterThan(0);
  });

  it('finds a drawing flipped upside down and boxed into another drawing in its picture window mirrored, only with visual.boxes.mirror', async () => {
    // Eval seed 660089's combination 56: the phone turned over, on its own white box at 0.38 of a
    // 431 px egg muffin, near its top.
    const host = await sharp(MUFFIN)
      .flatten({ background: '#ffffff' })
      .resize(431, 431, { fit: 'inside' })
      .png()
      .toBuffer({ resolveWithObject: true });
    const { width: hw, height: hh } = host.info;
    const flipped = await sharp(PHONE).flip().flatten({ background: '#ffffff' }).png().toBuffer();
    const copy = await sharp(flipped)
      .resize(Math.round(hw * 0.379), Math.round(hh * 0.379), { fit: 'inside' })
      .png()
      .toBuffer({ resolveWithObject: true });
    const left = Math.round((hw - copy.info.width) * 0.509);
    const top = Math.round((hh - copy.info.height) * 0.075);
    const query = await sharp(host.data)
      .composite([{ input: copy.data, left, top }])
      .png()
      .toBuffer();
    const run = async (mirror: boolean) => {
      const policy = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, boxes: { ...BOXES, mirror } } };
      const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
      await engine.index({ id: 'phone', creatorId: 'a', card: { ...CARD, name: 'Phone' }, image: PHONE });
      await engine.index({ id: 'muffin', creatorId: 'a', card: { ...CARD, name: 'Muffin' }, image: MUFFIN });
      const fp = await engine.fingerprint(CARD, query);
      const r = engine.checkFingerprints({ card: CARD, creatorId: 'b', fp });
      engine.close();
      return { fp, r };
    };
    const on = await run(true);
    const pictures = (on.fp.local?.windows ?? []).filter((w) => w.picture);
    expect(pictures.length).toBeGreaterThan(0);
    for (const w of pictures) expect(w.mirror?.words.length).toBeGreaterThan(0);
    // The grid's windows stay unmirrored (local.zoom.mirror).
    for (const w of (on.fp.local?.windows ?? []).filter((w) => !w.picture)) expect(w.mirror).toBeUndefined();
    const phone = on.r.matches.find((m) => m.assetId === 'phone');
    expect(phone?.copySignals).toContain('partial copy (local features, geometrically verified)');
    expect(phone?.region?.mirrored).toBe(true);
    // Upside down is a mirror turned by 180°.
    expect(Math.abs(Math.abs(phone?.region?.rotationDeg ?? 0) - 180)).toBeLessThan(10);
    // Where the box was pasted, in the query's fractions.
    expect(phone?.region?.query.x).toBeCloseTo(left / hw, 1);
    expect(phone?.region?.query.y).toBeCloseTo(top / hh, 1);
    // The collage's other source is named too.
    expect(on.r.matches.find((m) => m.assetId === 'muffin')?.copySignals.length).toBeGreaterThan(0);
    const off = await run(false);
    expect((off.fp.local?.windows ?? []).filter((w) => w.picture && w.mirror)).toEqual([]);
    expect(off.r.matches.find((m) => m.assetId === 'phone')?.copySignals ?? []).toEqual([]);
  }, 60_000);
});
