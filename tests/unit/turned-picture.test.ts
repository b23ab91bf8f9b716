/**
 * A picture turned, sheared or warped on a canvas of one fill colour (engine/image/turned.ts,
 * fingerprint.ts turnedPictureViews, policy visual.boxes.turned): its quadrilateral is found with its
 * turn and stretch, and not on an upright picture, a round shape or a frame without one fill colour; the
 * rectified picture looks like the one that was turned; a blurred rim is cut while a drawing touching
 * its canvas is kept; and a clip-art drawing turned onto black corners and blurred (which neither its
 * keypoints nor its hashes as they are find) is named a copy through its rectified picture, outlined
 * on its quadrilateral — only with the setting on. A picture turned within its canvas (its corners cut
 * off by the frame) is found from four sides of its own or, with fewer, as the frame turned about its
 * centre; rectified, the parts it lost take its own level along the cut; a key turned so and blurred
 * is named a copy only while minShown allows cut pictures.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { type Point, type TurnSettings, cropRim, rectify, turnedPicture } from '../../engine/image/turned.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';

const TURNED = UNIQUENESS_POLICY.visual.boxes.turned;
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };

afterAll(() => terminateLocalFeaturePool());

/** A 160 × 120 picture: light grey ground, a dark bar, a ring and a black square (no symmetry). */
function picture(): { px: Uint8Array; w: number; h: number } {
  const w = 160;
  const h = 120;
  const px = new Uint8Array(w * h).fill(220);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(x - 100, y - 70);
      if ((x >= 20 && x < 60 && y >= 15 && y < 30) || (r >= 22 && r < 30) || (x >= 25 && x < 45 && y >= 80 && y < 100)) px[y * w + x] = 30;
    }
  }
  return { px, w, h };
}

/** `src` turned `deg` degrees on a canvas widened to hold it, corners filled with `fill`, as grey pixels. */
async function turned(src: { px: Uint8Array; w: number; h: number }, deg: number, fill: number, blur = 0) {
  let img = sharp(src.px, { raw: { width: src.w, height: src.h, channels: 1 } }).rotate(deg, { background: { r: fill, g: fill, b: fill } });
  if (blur > 0) img = sharp(await img.png().toBuffer()).blur(blur);
  const { data, info } = await img.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { px: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), w: info.width, h: info.height };
}

/**
 * `src` turned `deg` degrees within its canvas (as an editor's rotate that keeps the canvas, and the
 * eval's rotate with canvas "crop"): turned on a widened canvas filled with `fill`, then its centre
 * cut back to the picture's size — the corners turned out of it are lost.
 */
async function turnedInCanvas(src: { px: Uint8Array; w: number; h: number }, deg: number, fill: number) {
  const t = await turned(src, deg, fill);
  const left = Math.floor((t.w - src.w) / 2);
  const top = Math.floor((t.h - src.h) / 2);
  const out = new Uint8Array(src.w * src.h);
  for (let y = 0; y < src.h; y++) for (let x = 0; x < src.w; x++) out[y * src.w + x] = t.px[(y + top) * t.w + x + left] as number;
  return { px: out, w: src.w, h: src.h };
}

/** How far a corner list lies from the w × h rectangle turned `deg` (sharp's sense) about its centre: the worst corner's distance. */
function fromTurnedRectangle(corners: readonly Point[], w: number, h: number, deg: number): number {
  const rad = (deg * Math.PI) / 180;
  const expected: Point[] = [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ].map(([x, y]) => [w / 2 + x! * Math.cos(rad) - y! * Math.sin(rad), h / 2 + x! * Math.sin(rad) + y! * Math.cos(rad)]);
  return Math.max(...expected.map((c) => Math.min(...corners.map((k) => Math.hypot(k[0] - c[0], k[1] - c[1])))));
}

/** Pearson correlation of two equal-length grey images. */
function correlation(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** A rectified picture resized back to `src`'s size, correlated with it. */
async function correlationBack(r: { px: Uint8Array; width: number; height: number }, src: { px: Uint8Array; w: number; h: number }) {
  const back = await sharp(r.px, { raw: { width: r.width, height: r.height, channels: 1 } })
    .resize(src.w, src.h, { fit: 'fill' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  expect(back.length).toBe(src.px.length);
  return correlation(new Uint8Array(back), src.px);
}

describe('turnedPicture', () => {
  it('finds a picture turned 23° on black corners: its four corners, its turn and its share of the frame', async () => {
    const src = picture();
    const q = await turned(src, 23, 0);
    const t = turnedPicture(q.px, q.w, q.h, TURNED);
    expect(t).not.toBeNull();
    // sharp turns clockwise on screen: counter-clockwise −23° (or a quarter turn from it).
    expect(Math.abs(t!.turnDeg + 23)).toBeLessThan(1.5);
    // Each corner of the 160 × 120 picture, turned about the canvas centre.
    const rad = (23 * Math.PI) / 180;
    const expected: Point[] = [
      [-80, -60],
      [80, -60],
      [80, 60],
      [-80, 60],
    ].map(([x, y]) => [q.w / 2 + x! * Math.cos(rad) - y! * Math.sin(rad), q.h / 2 + x! * Math.sin(rad) + y! * Math.cos(rad)]);
    for (const c of expected) expect(Math.min(...t!.corners.map((k) => Math.hypot(k[0] - c[0], k[1] - c[1])))).toBeLessThan(2.5);
    expect(t!.area).toBeCloseTo((160 * 120) / (q.w * q.h), 1);
    expect(t!.fill).toBeLessThan(TURNED.tolerance);
    // A turn stretches nothing.
    expect(t!.stretch).toBeLessThan(1.05);
  });

  it('finds a sheared picture and names its stretch, not a turn of its top side alone', async () => {
    const src = picture();
    const sheared = await sharp(src.px, { raw: { width: src.w, height: src.h, channels: 1 } })
      .affine(
        [
          [1, 0.35],
          [0, 1],
        ],
        { background: { r: 0, g: 0, b: 0 } },
      )
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const t = turnedPicture(new Uint8Array(sheared.data), sheared.info.width, sheared.info.height, TURNED);
    expect(t).not.toBeNull();
    // x' = x + 0.35·y: singular values' ratio 1.42, its nearest rotation 10° (the top side is not turned at all).
    expect(t!.stretch).toBeGreaterThan(1.3);
    expect(t!.stretch).toBeLessThan(1.55);
    expect(Math.abs(Math.abs(t!.turnDeg) - 10)).toBeLessThan(3);
  });

  it('rectifies it back: the upright picture correlates with the one that was turned', async () => {
    const src = picture();
    const q = await turned(src, 23, 0);
    const t = turnedPicture(q.px, q.w, q.h, TURNED)!;
    const r = rectify(q.px, q.w, q.h, t.corners, 0, 400);
    expect(Math.abs(r.width - 160)).toBeLessThanOrEqual(3);
    expect(Math.abs(r.height - 120)).toBeLessThanOrEqual(3);
    expect(await correlationBack(r, src)).toBeGreaterThan(0.9);
  });

  it('finds nothing on an upright picture, a round shape, or a frame with no one fill colour', async () => {
    // Upright on a black border: the trimmed view sees it as it is.
    const src = picture();
    const upright = await turned(src, 0, 0);
    const framed = await sharp(upright.px, { raw: { width: upright.w, height: upright.h, channels: 1 } })
      .extend({ top: 30, bottom: 30, left: 30, right: 30, background: { r: 0, g: 0, b: 0 } })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(turnedPicture(new Uint8Array(framed.data), framed.info.width, framed.info.height, TURNED)).toBeNull();
    // A disc on black: no quadrilateral fits it.
    const d = 200;
    const disc = new Uint8Array(d * d).map((_, i) => (Math.hypot((i % d) - 100, Math.floor(i / d) - 100) < 80 ? 230 : 0));
    expect(turnedPicture(disc, d, d, TURNED)).toBeNull();
    // A gradient border: no one fill colour around it.
    const q = await turned(src, 23, 0);
    const ramp = Uint8Array.from(q.px);
    for (let y = 0; y < q.h; y++)
      for (let x = 0; x < q.w; x++) if (ramp[y * q.w + x]! < 10) ramp[y * q.w + x] = Math.round((x / q.w) * 255);
    expect(turnedPicture(ramp, q.w, q.h, TURNED)).toBeNull();
    // Off, nothing is looked for.
    expect(turnedPicture(q.px, q.w, q.h, { ...TURNED, on: false })).toBeNull();
  });
});

describe('a picture turned within its canvas (the frame cut its corners off)', () => {
  it('is found with all four sides of its own: its corners beyond the frame, its turn, the share shown', async () => {
    const src = picture();
    const q = await turnedInCanvas(src, 35, 0);
    expect([q.w, q.h]).toEqual([160, 120]);
    const t = turnedPicture(q.px, q.w, q.h, TURNED);
    expect(t).not.toBeNull();
    expect(Math.abs(t!.turnDeg + 35)).toBeLessThan(1.5);
    expect(t!.stretch).toBeLessThan(1.05);
    // The whole 160 × 120 rectangle turned about the centre, its corners outside the frame.
    expect(fromTurnedRectangle(t!.corners, 160, 120, 35)).toBeLessThan(3);
    expect(t!.corners.some(([x, y]) => x < 0 || y < 0 || x > 160 || y > 120)).toBe(true);
    expect(t!.shown).toBeGreaterThan(TURNED.minShown);
    expect(t!.shown).toBeLessThan(0.95);
    // With minShown 1 only whole pictures count.
    expect(turnedPicture(q.px, q.w, q.h, { ...TURNED, minShown: 1 })).toBeNull();
  });

  it('is found from two sides alone as the frame turned about its centre (a wide picture turned 70°)', async () => {
    const wide = picture();
    const src = await sharp(wide.px, { raw: { width: wide.w, height: wide.h, channels: 1 } })
      .resize(240, 160, { fit: 'fill' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const q = await turnedInCanvas({ px: new Uint8Array(src.data), w: 240, h: 160 }, 70, 128);
    const t = turnedPicture(q.px, q.w, q.h, TURNED);
    expect(t).not.toBeNull();
    // Only the long sides show (on grey); the short ones lie beyond the frame.
    expect(fromTurnedRectangle(t!.corners, 240, 160, 70)).toBeLessThan(4);
    expect(t!.shown).toBeLessThan(0.8);
    expect(t!.stretch).toBeLessThan(1.05);
  });

  it('is rectified with the parts beyond the frame painted its own level along the cut, not the fill', async () => {
    const src = picture();
    const q = await turnedInCanvas(src, 35, 0);
    const t = turnedPicture(q.px, q.w, q.h, TURNED)!;
    const painted = rectify(q.px, q.w, q.h, t.corners, 0, 400, true);
    const stretched = rectify(q.px, q.w, q.h, t.corners, 0, 400);
    // The top-left corner of the upright picture lay beyond the frame: the picture's ground (220) there.
    const at = (r: { px: Uint8Array; width: number }, x: number, y: number) => r.px[y * r.width + x] as number;
    expect(Math.abs(at(painted, 2, 2) - 220)).toBeLessThan(12);
    // Where it lay inside, both agree.
    expect(at(painted, 80, 60)).toBe(at(stretched, 80, 60));
    expect(await correlationBack(painted, src)).toBeGreaterThan(0.85);
  });
});

describe('cropRim', () => {
  it("cuts a blurred fill's rim and keeps a drawing that touches the picture's edge", () => {
    const w = 100;
    const h = 80;
    const px = new Uint8Array(w * h).fill(240);
    // Left: the black fill blurred in over 6 columns. Right: a dark line of the drawing 3 columns in.
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < 6; x++) px[y * w + x] = Math.round((240 * (x + 1)) / 7);
      px[y * w + w - 4] = 60;
    }
    const r = cropRim(px, w, h, 0, 0.12, 0.5);
    expect(w - r.width).toBeGreaterThanOrEqual(5);
    expect(w - r.width).toBeLessThanOrEqual(7);
    expect(r.height).toBe(h);
    // The line is still there, three columns from the right edge.
    expect(r.px[40 * r.width + r.width - 4]).toBe(60);
  });
});

/** The clip art `file` turned by the eval's rotate family (`rotate` its parameters), then blurred σ `sigma`. */
function turnedAndBlurred(
  file: string,
  rotate: { angle: number; canvas: 'expand' | 'crop'; fill: string },
  sigma: number,
): Promise<Buffer> {
  return evalCopy(file, [
    { family: 'rotate', params: rotate },
    { family: 'blur', params: { sigma } },
  ]);
}

/** `query` checked against a library holding only the clip art `file`, with `turned` as policy visual.boxes.turned: its match. */
async function checkedAgainst(file: string, query: Buffer, turned: TurnSettings) {
  const boxes = { ...UNIQUENESS_POLICY.visual.boxes, turned };
  const policy = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, boxes } };
  const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
  await engine.index({ id: 'original', creatorId: 'a', card: { ...CARD, name: 'Original' }, image: await libraryPng(file) });
  const r = await engine.check({ card: CARD, creatorId: 'b', image: query });
  engine.close();
  return r.matches.find((m) => m.assetId === 'original');
}

describe('a turned, blurred copy in a check', () => {
  it('is named a copy through its rectified picture, outlined on its quadrilateral, only with visual.boxes.turned on', async () => {
    // Seed 660119's combo-5: pliers turned −68.76° onto black corners, then blurred (σ 4.32).
    const file = 'tools/tool.png';
    const query = await turnedAndBlurred(file, { angle: -68.76, canvas: 'expand', fill: 'black' }, 4.32);
    const run = (on: boolean) => checkedAgainst(file, query, { ...TURNED, on });
    const on = await run(true);
    expect(on?.copySignals).toContain('visual copy');
    // Named once, without the quarter turn or the crop its rectified view met the library at (the region says how it turned).
    expect(on?.differences.transform).toEqual(['turned, sheared or warped on a new canvas']);
    // Outlined on the quadrilateral (four corners, not the frame's box) and turned by about 69° or a quarter turn from it.
    const outline = on?.region?.outline ?? [];
    expect(outline).toHaveLength(4);
    expect(outline.some(([x, y]) => (x > 0.1 && x < 0.9 && (y < 0.05 || y > 0.95)) || (y > 0.1 && y < 0.9 && (x < 0.05 || x > 0.95)))).toBe(
      true,
    );
    const rot = Math.abs(on?.region?.rotationDeg ?? 0) % 90;
    expect(Math.min(Math.abs(rot - 69), Math.abs(rot - 21))).toBeLessThan(3);
    expect(on?.summary).toMatch(/rotated \d+°/);
    const off = await run(false);
    expect(off?.copySignals ?? []).not.toContain('visual copy');
  });

  it('is named a copy turned within its canvas, only with such pictures allowed (minShown below 1)', async () => {
    // A key turned −66.9° within its canvas on grey, then blurred (σ 4.5): a third of it cut away.
    const file = 'tools/key_jordan_wiens_01.png';
    const query = await turnedAndBlurred(file, { angle: -66.9, canvas: 'crop', fill: 'grey' }, 4.5);
    const run = (minShown: number) => checkedAgainst(file, query, { ...TURNED, minShown });
    const on = await run(TURNED.minShown);
    expect(on?.copySignals).toContain('visual copy');
    expect(on?.differences.transform).toEqual(['turned within its canvas (the corners it turned out of it lost)']);
    const rot = Math.abs(on?.region?.rotationDeg ?? 0) % 90;
    expect(Math.min(Math.abs(rot - 67), Math.abs(rot - 23))).toBeLessThan(4);
    const off = await run(1);
    expect(off?.copySignals ?? []).not.toContain('visual copy');
  });
});
