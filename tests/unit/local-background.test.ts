/**
 * Backdrop whitening for queries (engine/image/local/background.ts): transparent clip art flattened
 * on a dark, dotted or noisy backdrop is described as the library saw it (on white) as well, so the
 * local-feature layer finds it; white and photographic borders are left alone.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { whitenBackground, whitenBackgrounds } from '../../engine/image/local/background.ts';
import { grayFrames } from '../../engine/image/local/frame.ts';
import { corners } from '../../engine/image/local/geometry.ts';
import { extractLocalFeaturesInThread, forLibrary, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { rgbAndGray } from '../helpers/backdrop-pixels.ts';
import { expectLocalMatchAlone } from '../helpers/local-match.ts';

const ROOT = '/usr/share/openclipart/png/';
const CHERRY = readFileSync(ROOT + 'food/fruit/cherry_jonathan_dietrich_01.png');
const SLEDGE = readFileSync(ROOT + 'transportation/vehicles/sledge_01.png');
const P = UNIQUENESS_POLICY.local.background;

afterAll(() => terminateLocalFeaturePool());

/** A backdrop as an SVG: a solid colour, dots or two-colour noise. */
function backdrop(kind: 'solid' | 'dots' | 'noise', w: number, h: number): Buffer {
  if (kind === 'noise') {
    const px = Buffer.alloc(w * h * 3);
    let s = 12345;
    for (let i = 0; i < w * h; i++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const t = (s >> 8) % 100 < 50;
      px.set(t ? [30, 60, 140] : [40, 80, 170], i * 3);
    }
    return px;
  }
  const fill =
    kind === 'solid'
      ? '<rect width="100%" height="100%" fill="#2a3340"/>'
      : '<rect width="100%" height="100%" fill="#4a1f40"/><rect width="100%" height="100%" fill="url(#d)"/>';
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><pattern id="d" width="14" height="14" patternUnits="userSpaceOnUse"><circle cx="7" cy="7" r="3" fill="#d8c040"/></pattern></defs>${fill}</svg>`,
  );
}

/** The clip art flattened on a backdrop of that kind (the whole canvas, as the art's own size). */
async function onBackdrop(art: Buffer, kind: 'solid' | 'dots' | 'noise'): Promise<Buffer> {
  const { width, height } = await sharp(art).metadata();
  const w = width as number;
  const h = height as number;
  const bg = kind === 'noise' ? sharp(backdrop(kind, w, h), { raw: { width: w, height: h, channels: 3 } }) : sharp(backdrop(kind, w, h));
  return bg
    .resize(w, h)
    .composite([{ input: art }])
    .png()
    .toBuffer();
}

/** The image turned by `angle` degrees on a canvas of `fill` (an editor's rotate with its fill colour). */
async function turned(png: Buffer, angle: number, fill: string): Promise<Buffer> {
  return sharp(png).rotate(angle, { background: fill }).png().toBuffer();
}

/** Seeded standard normal draws (Box–Muller over a linear congruential generator), one per call. */
function normals(seed: number): () => number {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff), ((s >> 8) + 0.5) / 8388608);
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Seeded Gaussian grain of σ `sigma` on every channel of raw RGB pixels, clipped to 0..255. */
function addGrain(px: Uint8Array, sigma: number, seed: number): Uint8Array {
  const next = normals(seed);
  return px.map((v) => Math.max(0, Math.min(255, Math.round(v + sigma * next()))));
}

/**
 * Shares painted white in a whitened frame `out`: of the backdrop (alpha 0) and of the drawing
 * (alpha 255, not white already in the query's grey).
 */
function paintedShares(out: Uint8Array, alpha: Uint8Array, gray: Uint8Array): { backdrop: number; drawing: number } {
  const n = { bg: 0, bgW: 0, art: 0, artW: 0 };
  for (let i = 0; i < out.length; i++) {
    if (alpha[i] === 0) {
      n.bg++;
      if (out[i] === 255) n.bgW++;
    } else if (alpha[i] === 255 && gray[i] !== 255) {
      n.art++;
      if (out[i] === 255) n.artW++;
    }
  }
  return { backdrop: n.bgW / n.bg, drawing: n.artW / n.art };
}

/**
 * The art (PNG) on a solid colour `base` under grain of σ 40 drawn once per pixel for all three
 * channels (the eval's noise texture), clipped to 0..255, as a PNG of the art's size.
 */
async function onGrain(art: Buffer, base: [number, number, number], seed: number): Promise<Buffer> {
  const { width: w, height: h } = (await sharp(art).metadata()) as { width: number; height: number };
  const px = Buffer.alloc(w * h * 3);
  const next = normals(seed);
  for (let i = 0; i < w * h; i++) {
    const d = 40 * next();
    px.set(
      base.map((c) => Math.max(0, Math.min(255, Math.round(c + d)))),
      i * 3,
    );
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .composite([{ input: art }])
    .png()
    .toBuffer();
}

/**
 * The cherry, at half size, on a coarse dot pattern (dots of about 254 px where a speck, 0.3 % of
 * the frame, is about 200), grain of σ `grain` added to every channel when given; with the drawing's
 * alpha and a count of the dot centres away from the drawing that a whitened frame paints white.
 */
async function cherryOnDots(grain?: number) {
  const { width: w, height: h } = (await sharp(CHERRY).metadata()) as { width: number; height: number };
  const small = await sharp(CHERRY)
    .resize(Math.round(w / 2), Math.round(h / 2))
    .png()
    .toBuffer();
  const [sw, sh] = [Math.round(w / 2), Math.round(h / 2)];
  // Dot centres at 18 + 36k, none touching the frame's edge (its border shows the backdrop colour alone).
  const circles: string[] = [];
  for (let y = 18; y + 12 < sh; y += 36)
    for (let x = 18; x + 12 < sw; x += 36) circles.push(`<circle cx="${x}" cy="${y}" r="9" fill="#3050c0"/>`);
  const dots = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${sw}" height="${sh}"><rect width="100%" height="100%" fill="#6a1f50"/>${circles.join('')}</svg>`,
  );
  const flat = await sharp(dots)
    .resize(sw, sh)
    .composite([{ input: small }])
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer();
  const px = grain === undefined ? new Uint8Array(flat) : addGrain(new Uint8Array(flat), grain, 11);
  const q = await rgbAndGray(
    await sharp(px, { raw: { width: sw, height: sh, channels: 3 } })
      .png()
      .toBuffer(),
  );
  const alpha = await sharp(small).ensureAlpha().extractChannel(3).raw().toBuffer();
  /** Dot centres (18 + 36k) at least 12 px from any of the drawing's pixels: how many are painted white. */
  const centres = (out: Uint8Array) => {
    let all = 0;
    let white = 0;
    for (let y = 18; y + 12 < sh; y += 36)
      for (let x = 18; x + 12 < sw; x += 36) {
        let near = false;
        for (let dy = -12; dy <= 12 && !near; dy++)
          for (let dx = -12; dx <= 12 && !near; dx++) {
            const [xx, yy] = [x + dx, y + dy];
            near = xx >= 0 && yy >= 0 && xx < sw && yy < sh && alpha[yy * sw + xx]! > 0;
          }
        if (near) continue;
        all++;
        if (out[y * sw + x] === 255) white++;
      }
    return { all, white };
  };
  return { q, sw, sh, alpha, centres };
}

describe('whitenBackground', () => {
  it('paints a solid dark backdrop white and keeps the drawing', async () => {
    const { rgb, channels, gray, w, h } = await rgbAndGray(await onBackdrop(CHERRY, 'solid'));
    const out = whitenBackground(rgb, channels, gray, w, h, P);
    expect(out).not.toBeNull();
    const onWhite = await sharp(CHERRY).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer();
    // Against the art flattened on white: nearly every pixel agrees (the antialiased outline differs).
    let close = 0;
    for (let i = 0; i < w * h; i++) if (Math.abs((out as Uint8Array)[i]! - onWhite[i]!) <= 24) close++;
    expect(close / (w * h)).toBeGreaterThan(0.97);
    // The drawing itself is not painted over: the cherry's dark red stays dark.
    let dark = 0;
    for (let i = 0; i < w * h; i++) if (onWhite[i]! < 120 && (out as Uint8Array)[i]! < 120) dark++;
    expect(dark).toBeGreaterThan(0.05 * w * h);
  });

  it('removes dotted and noisy backdrops', async () => {
    for (const kind of ['dots', 'noise'] as const) {
      const { rgb, channels, gray, w, h } = await rgbAndGray(await onBackdrop(CHERRY, kind));
      const out = whitenBackground(rgb, channels, gray, w, h, P) as Uint8Array;
      expect(out, kind).not.toBeNull();
      // The four corners' neighbourhoods are white now.
      for (const [x, y] of [
        [5, 5],
        [w - 6, 5],
        [5, h - 6],
        [w - 6, h - 6],
      ] as const)
        expect(out[y * w + x], `${kind} ${x},${y}`).toBe(255);
    }
  });

  it('removes a solid backdrop under heavy grain (noise over the whole copy) and keeps the drawing', async () => {
    // The cherry on a mid green, then Gaussian noise of σ 40 grey levels on every channel (seeded).
    const { width: w, height: h } = (await sharp(CHERRY).metadata()) as { width: number; height: number };
    const px = await sharp({ create: { width: w, height: h, channels: 3, background: '#3f9a4a' } })
      .composite([{ input: CHERRY }])
      .removeAlpha()
      .raw()
      .toBuffer();
    const q = await rgbAndGray(
      await sharp(addGrain(px, 40, 99), { raw: { width: w, height: h, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const alpha = await sharp(CHERRY).ensureAlpha().extractChannel(3).raw().toBuffer();
    const whitened = (out: Uint8Array) => paintedShares(out, alpha, q.gray);
    const out = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P);
    expect(out).not.toBeNull();
    const got = whitened(out as Uint8Array);
    expect(got.backdrop).toBeGreaterThan(0.99);
    expect(got.drawing).toBeLessThan(0.01);
    // Binned from the grainy pixels themselves, the border's colours are too many for a backdrop.
    expect(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, noise: undefined })).toBeNull();
    // A clean border is binned as it is: the same whitened frame with the grain setting or without it.
    const clean = await rgbAndGray(await onBackdrop(CHERRY, 'solid'));
    const a = whitenBackground(clean.rgb, clean.channels, clean.gray, clean.w, clean.h, P);
    const b = whitenBackground(clean.rgb, clean.channels, clean.gray, clean.w, clean.h, { ...P, noise: undefined });
    expect(a).not.toBeNull();
    expect(Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array))).toBe(0);
  });

  it('keeps a black outline on a dark grainy backdrop whose near-black grain the widened palette takes in (widenFactor)', async () => {
    // Seed 660150's missed mug: the drawing on a dark green textured with grain of σ 40 on every
    // channel (the eval's noise texture), which clips to near-black here and there along the border.
    const mug = readFileSync(ROOT + 'food/beverages/mug.png');
    const { width: w, height: h } = (await sharp(mug).metadata()) as { width: number; height: number };
    const q = await rgbAndGray(await onGrain(mug, [30, 100, 30], 7));
    const alpha = await sharp(mug).ensureAlpha().extractChannel(3).raw().toBuffer();
    const onWhite = await sharp(mug).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer();
    /** Shares painted white of the backdrop (alpha 0) and of the drawing's black outline (opaque, darker than 40). */
    const whitened = (out: Uint8Array) => {
      const n = { bg: 0, bgW: 0, line: 0, lineW: 0 };
      for (let i = 0; i < w * h; i++) {
        if (alpha[i] === 0) {
          n.bg++;
          if (out[i] === 255) n.bgW++;
        } else if (alpha[i] === 255 && onWhite[i]! < 40) {
          n.line++;
          if (out[i] === 255) n.lineW++;
        }
      }
      return { backdrop: n.bgW / n.bg, outline: n.lineW / n.line };
    };
    const got = whitened(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array);
    expect(got.backdrop).toBeGreaterThan(0.95);
    // The stroke stays; only pixels along its rims, where it meets the grain, may go (6 % here).
    expect(got.outline).toBeLessThan(0.1);
    // Without the setting the widening reaches black, and the outline goes with the backdrop (the
    // smooth rule off too: it would keep the stroke's length by itself).
    const before = whitened(
      whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, {
        ...P,
        widenFactor: undefined,
        noise: { ...P.noise!, smooth: 0 },
      }) as Uint8Array,
    );
    expect(before.outline).toBeGreaterThan(0.5);
    // A clean solid backdrop is no grainy border: its frame is whitened as without the setting.
    const clean = await rgbAndGray(await onBackdrop(CHERRY, 'solid'));
    const a = whitenBackground(clean.rgb, clean.channels, clean.gray, clean.w, clean.h, P);
    const b = whitenBackground(clean.rgb, clean.channels, clean.gray, clean.w, clean.h, { ...P, widenFactor: undefined });
    expect(Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array))).toBe(0);
  });

  it("keeps a drawing's smooth regions whose colours the grain's palette holds (noise.smooth), and the check finds the copy", async () => {
    // Seed 660160's missed ironing board: the drawing (at the eval's library size) on a dark red
    // textured with grain of σ 40 (the eval's noise texture, one draw for all three channels): the
    // grain's palette spans the board's dark reds and greys, and the fill ran through them.
    const board = await sharp(readFileSync(ROOT + 'tools/ironing_board_gerald_g._02.png'))
      .resize(384, 384, { fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer();
    const png = await onGrain(board, [104, 26, 29], 660160);
    const q = await rgbAndGray(png);
    const alpha = await sharp(board).ensureAlpha().extractChannel(3).raw().toBuffer();
    const whitened = (out: Uint8Array) => paintedShares(out, alpha, q.gray);
    const got = whitened(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array);
    const off = whitened(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, noise: { ...P.noise!, smooth: 0 } }) as Uint8Array);
    expect(got.backdrop).toBeGreaterThan(0.98);
    expect(off.backdrop).toBeGreaterThan(0.98);
    // Without the setting the fill takes a fifth of the drawing (0.20 here); with it, a few of its
    // rims (0.014 here).
    expect(off.drawing).toBeGreaterThan(0.1);
    expect(got.drawing).toBeLessThan(0.05);
    expect(off.drawing).toBeGreaterThan(5 * got.drawing);
    // Noise of two colours at random leaves half its neighbours equal: no grain to tell a drawing
    // by (smoothMaxNear), and the frame is whitened as without the setting.
    const two = await rgbAndGray(await onBackdrop(CHERRY, 'noise'));
    const a = whitenBackground(two.rgb, two.channels, two.gray, two.w, two.h, P);
    const b = whitenBackground(two.rgb, two.channels, two.gray, two.w, two.h, { ...P, noise: { ...P.noise!, smooth: 0 } });
    expect(a).not.toBeNull();
    expect(Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array))).toBe(0);
    // And the copy is found: a library of the board and other drawings, checked with that copy.
    const e = UniquenessEngine.open({ dbPath: ':memory:' });
    const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
    const onWhite = await sharp(board).flatten({ background: '#ffffff' }).png().toBuffer();
    await e.index({ id: 'board', creatorId: 'a', card: card('Board'), image: onWhite });
    await e.index({ id: 'cherry', creatorId: 'a', card: card('Cherry'), image: CHERRY });
    await e.index({ id: 'sledge', creatorId: 'a', card: card('Sledge'), image: SLEDGE });
    const r = await e.check({ creatorId: 'b', card: card('Mine'), image: png });
    e.close();
    expect(r.status).not.toBe('approved');
    expect(r.matches[0]?.assetId).toBe('board');
  });

  it('whitens dots larger than a speck when many alike repeat (dots), and keeps the drawing', async () => {
    const { q, sw, sh, alpha, centres } = await cherryOnDots();
    expect(Math.PI * 9 * 9).toBeGreaterThan(P.maxSpeck * sw * sh);
    const out = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array;
    const got = centres(out);
    expect(got.all).toBeGreaterThan(10);
    expect(got.white).toBe(got.all);
    // Without the setting each dot is too large for a speck and stays.
    expect(centres(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, dots: undefined }) as Uint8Array).white).toBe(0);
    // The drawing is kept: its opaque pixels are not painted white.
    let art = 0;
    let painted = 0;
    for (let i = 0; i < sw * sh; i++) {
      if (alpha[i] !== 255 || q.gray[i] === 255) continue;
      art++;
      if (out[i] === 255) painted++;
    }
    expect(painted / art).toBeLessThan(0.01);
    // A diagram's eleven boats are alike in size but many-coloured: kept, the frame as without the setting.
    const sailing = await rgbAndGray(
      await sharp(readFileSync(ROOT + 'transportation/boating/sailing_points.png'))
        .flatten({ background: '#2a6040' })
        .png()
        .toBuffer(),
    );
    const [a, b] = [P, { ...P, dots: undefined }].map((opt) =>
      whitenBackground(sailing.rgb, sailing.channels, sailing.gray, sailing.w, sailing.h, opt),
    );
    expect(a).not.toBeNull();
    expect(Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array))).toBe(0);
  });

  it('whitens such dots under heavy grain too, judging their colour by its spread (dots.grainSpread)', async () => {
    // The backdrop-and-grain harness's seed 4, copy 48 (scratch e95): grain of σ 38.5 scattered each
    // dot's pixels over so many colour bins that no bin held 60 % of them, and every dot stayed.
    const { q, sw, sh, alpha, centres } = await cherryOnDots(38);
    const out = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array;
    const got = centres(out);
    expect(got.all).toBeGreaterThan(10);
    expect(got.white).toBeGreaterThanOrEqual(0.9 * got.all);
    const binsAlone = { ...P, dots: { ...P.dots, grainSpread: undefined } };
    expect(centres(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, binsAlone) as Uint8Array).white).toBeLessThan(0.2 * got.all);
    // The drawing is kept: at most a few of its opaque pixels (along its rim, in the grain) go white.
    let art = 0;
    let painted = 0;
    for (let i = 0; i < sw * sh; i++) {
      if (alpha[i] !== 255) continue;
      art++;
      if (out[i] === 255) painted++;
    }
    expect(painted / art).toBeLessThan(0.05);
    // The sailing diagram's many-coloured boats under the same grain: as without the setting.
    const flat = await sharp(readFileSync(ROOT + 'transportation/boating/sailing_points.png'))
      .flatten({ background: '#2a6040' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const sailing = await rgbAndGray(
      await sharp(addGrain(new Uint8Array(flat.data), 38, 5), { raw: { width: flat.info.width, height: flat.info.height, channels: 3 } })
        .png()
        .toBuffer(),
    );
    const [a, b] = [P, binsAlone].map((opt) => whitenBackground(sailing.rgb, sailing.channels, sailing.gray, sailing.w, sailing.h, opt));
    expect(a).not.toBeNull();
    expect(Buffer.compare(Buffer.from(a as Uint8Array), Buffer.from(b as Uint8Array))).toBe(0);
  });

  it('whitens the backdrop where the art encloses it (a ring, a pretzel), and not a speck of its colour', async () => {
    // A transparent ring with a small dot of the backdrop's own colour on its band, on noise.
    const ring = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><circle cx="100" cy="100" r="60" fill="none" stroke="#7a4a20" stroke-width="24"/><circle cx="100" cy="40" r="2" fill="#28509a"/></svg>',
    );
    const { rgb, channels, gray, w, h } = await rgbAndGray(await onBackdrop(await sharp(ring).png().toBuffer(), 'noise'));
    const out = whitenBackground(rgb, channels, gray, w, h, P) as Uint8Array;
    expect(out).not.toBeNull();
    // Inside the ring: every pixel of a 40 × 40 square at its centre is white.
    for (let y = 80; y < 120; y++) for (let x = 80; x < 120; x++) expect(out[y * w + x], `${x},${y}`).toBe(255);
    // The band is kept, the dot on it too (a region of the backdrop's colours smaller than a speck).
    expect(out[100 * w + 40]).toBeLessThan(160);
    expect(out[40 * w + 100]).toBeLessThan(235);
    // Seed 660062's missed pretzel on a noise backdrop: its three loops show the backdrop.
    const pretzel = readFileSync(ROOT + 'food/breads_and_carbs/pretzel_01.png');
    const q = await rgbAndGray(await onBackdrop(pretzel, 'noise'));
    const whitened = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array;
    const onWhite = await sharp(pretzel).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer();
    let close = 0;
    for (let i = 0; i < q.w * q.h; i++) if (Math.abs(whitened[i]! - onWhite[i]!) <= 24) close++;
    expect(close / (q.w * q.h)).toBeGreaterThan(0.97);
  });

  it('whitens the backdrop around a small drawing on a large dotted canvas (a sticker), and the check finds it', async () => {
    const sticker = await sharp(CHERRY).resize(120, 120, { fit: 'inside' }).png().toBuffer();
    const canvas = await sharp(backdrop('dots', 600, 600))
      .resize(600, 600)
      .composite([{ input: sticker, left: 380, top: 120 }])
      .png()
      .toBuffer();
    const q = await rgbAndGray(canvas);
    const n = q.w * q.h;
    const out = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array;
    expect(out).not.toBeNull();
    // What is left is the cherry, under a hundredth of the frame: above the floor, below the 3 %
    // the floor was before (which refused this frame), and inside the sticker's box.
    let left = 0;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      if (out[i]! === 255) continue;
      left++;
      const x = i % q.w;
      const y = Math.floor(i / q.w);
      if (x >= 378 && x < 502 && y >= 118 && y < 242) inside++;
    }
    expect(left / n).toBeGreaterThanOrEqual(P.minContent);
    expect(left / n).toBeLessThan(0.03);
    expect(inside / left).toBeGreaterThan(0.99);
    expect(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, minContent: 0.03 })).toBeNull();
    const card = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
    const e = UniquenessEngine.open({ dbPath: ':memory:' });
    await e.index({ id: 'cherry', creatorId: 'a', card: { ...card, name: 'Cherry' }, image: CHERRY });
    await e.index({ id: 'sledge', creatorId: 'a', card: { ...card, name: 'Sledge' }, image: SLEDGE });
    expectLocalMatchAlone(await e.check({ card, creatorId: 'b', image: canvas }), 'cherry');
    e.close();
  }, 60_000);

  it('leaves a white border and a photograph-like border alone', async () => {
    const white = await rgbAndGray(await sharp(CHERRY).flatten({ background: '#ffffff' }).png().toBuffer());
    expect(whitenBackground(white.rgb, white.channels, white.gray, white.w, white.h, P)).toBeNull();
    // Every pixel a random colour: no palette of a few bins covers the border.
    const w = 64;
    const h = 64;
    const rgb = new Uint8Array(w * h * 3);
    let s = 7;
    for (let i = 0; i < rgb.length; i++) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      rgb[i] = (s >> 8) & 255;
    }
    const gray = new Uint8Array(w * h).fill(128);
    expect(whitenBackground(rgb, 3, gray, w, h, P)).toBeNull();
  });

  it('peels a picture turned on a white canvas: its own dotted backdrop is whitened, the art kept', async () => {
    const q = await rgbAndGray(await turned(await onBackdrop(CHERRY, 'dots'), 28, '#ffffff'));
    // Without the setting a white border is left alone.
    expect(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, picture: undefined })).toBeNull();
    const out = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P) as Uint8Array;
    expect(out).not.toBeNull();
    // Against the art turned alike on white: nearly every pixel agrees (antialiased edges differ).
    const ref = await rgbAndGray(await turned(await sharp(CHERRY).flatten({ background: '#ffffff' }).png().toBuffer(), 28, '#ffffff'));
    expect([ref.w, ref.h]).toEqual([q.w, q.h]);
    let close = 0;
    for (let i = 0; i < q.w * q.h; i++) if (Math.abs(out[i]! - ref.gray[i]!) <= 24) close++;
    expect(close / (q.w * q.h)).toBeGreaterThan(0.95);
  });

  it('inside a dark or grey canvas keeps the outer view as before and peels the picture as a second frame', async () => {
    const ref = await rgbAndGray(await turned(await sharp(CHERRY).flatten({ background: '#ffffff' }).png().toBuffer(), 28, '#ffffff'));
    for (const fill of ['#000000', '#808080']) {
      const q = await rgbAndGray(await turned(await onBackdrop(CHERRY, 'dots'), 28, fill));
      const out = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P);
      expect(out, fill).not.toBeNull();
      const outerOnly = whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, picture: undefined }) as Uint8Array;
      expect(Buffer.from(out as Uint8Array).equals(Buffer.from(outerOnly)), fill).toBe(true);
      // The second frame: the fill and the picture's dots whitened, the cherry kept — as the cherry
      // turned alike on white, nearly every pixel (antialiased edges differ).
      const both = whitenBackgrounds(q.rgb, q.channels, q.gray, q.w, q.h, P);
      expect(Buffer.from(both.flat as Uint8Array).equals(Buffer.from(outerOnly)), fill).toBe(true);
      const picture = both.picture as Uint8Array;
      expect(picture, fill).not.toBeNull();
      let close = 0;
      for (let i = 0; i < q.w * q.h; i++) if (Math.abs(picture[i]! - ref.gray[i]!) <= 24) close++;
      expect(close / (q.w * q.h), fill).toBeGreaterThan(0.95);
      // Without the setting there is no second frame.
      expect(whitenBackgrounds(q.rgb, q.channels, q.gray, q.w, q.h, { ...P, picture: undefined }).picture, fill).toBeNull();
    }
    // On a white canvas the peeled picture is the view itself, never a second one.
    const w = await rgbAndGray(await turned(await onBackdrop(CHERRY, 'dots'), 28, '#ffffff'));
    const onWhite = whitenBackgrounds(w.rgb, w.channels, w.gray, w.w, w.h, P);
    expect(onWhite.flat).not.toBeNull();
    expect(onWhite.picture).toBeNull();
    // Round art on a plain dark backdrop, no picture inside it: no second frame either.
    const plain = await rgbAndGray(await onBackdrop(CHERRY, 'solid'));
    expect(whitenBackgrounds(plain.rgb, plain.channels, plain.gray, plain.w, plain.h, P).picture).toBeNull();
  });

  it('leaves round or irregular art on white alone: an apple is convex, not a picture', async () => {
    for (const file of ['food/fruit/another_apple_01.png', 'food/fruit/green_pear_01.png', 'food/fruit/lemon_half_ganson.png']) {
      const q = await rgbAndGray(
        await sharp(readFileSync(ROOT + file))
          .flatten({ background: '#ffffff' })
          .png()
          .toBuffer(),
      );
      expect(whitenBackground(q.rgb, q.channels, q.gray, q.w, q.h, P), file).toBeNull();
    }
  });

  it('counts the corners of a hull simplified to a tolerance', () => {
    const square: [number, number][] = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ];
    expect(corners(square, 2)).toBe(4);
    // A turned square with points along its edges, and one with two corners cut off by a frame.
    const turnedSquare: [number, number][] = [];
    const c = [
      [50, 0],
      [100, 50],
      [50, 100],
      [0, 50],
    ] as const;
    for (let k = 0; k < 4; k++)
      for (let t = 0; t < 5; t++) {
        const [a, b] = [c[k]!, c[(k + 1) % 4]!];
        turnedSquare.push([a[0] + ((b[0] - a[0]) * t) / 5, a[1] + ((b[1] - a[1]) * t) / 5]);
      }
    expect(corners(turnedSquare, 2)).toBe(4);
    expect(
      corners(
        [
          [10, 0],
          [90, 0],
          [100, 10],
          [100, 100],
          [0, 100],
          [0, 10],
        ],
        2,
      ),
    ).toBe(6);
    const circle: [number, number][] = Array.from({ length: 72 }, (_, k) => [
      100 + 100 * Math.cos((k * Math.PI) / 36),
      100 + 100 * Math.sin((k * Math.PI) / 36),
    ]);
    expect(corners(circle, 0.02 * 283)).toBeGreaterThan(P.picture!.maxCorners);
  });

  it('refuses mismatched buffers', () => {
    expect(whitenBackground(new Uint8Array(10), 3, new Uint8Array(9), 3, 3, P)).toBeNull();
  });
});

describe('local features of art on a backdrop', () => {
  it('gives a query frame its whitened twin, and a library frame none', async () => {
    const png = await onBackdrop(CHERRY, 'dots');
    const [q] = await grayFrames(png, [480], UNIQUENESS_POLICY.local.trimTolerance, { flat: true });
    expect(q?.flat?.length).toBe(q!.width * q!.height);
    const [l] = await grayFrames(png, [480], UNIQUENESS_POLICY.local.trimTolerance);
    expect(l?.flat).toBeUndefined();
  });

  it('keeps the whitened keypoints out of what a library stores from a query (a save stores what indexing stores)', async () => {
    const png = await onBackdrop(CHERRY, 'dots');
    const q = await extractLocalFeaturesInThread(png);
    const lib = await extractLocalFeaturesInThread(png, { mirror: false });
    expect(q.primary.words.length).toBeGreaterThan(lib.primary.words.length);
    const stored = forLibrary(q);
    expect(stored.primary.words).toEqual(lib.primary.words);
    expect(stored.primary.descriptors).toEqual(lib.primary.descriptors);
  });

  it('matches clip art on a dotted or noisy backdrop to its library original, and not to other art', async () => {
    const lib = await extractLocalFeaturesInThread(CHERRY, { mirror: false });
    const other = await extractLocalFeaturesInThread(SLEDGE, { mirror: false });
    for (const kind of ['dots', 'noise'] as const) {
      const q = await extractLocalFeaturesInThread(await onBackdrop(CHERRY, kind));
      const m = verify(q, lib);
      expect(m, kind).not.toBeNull();
      expect(m!.spots, kind).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.local.minSpots);
      expect(m!.region.mirrored, kind).toBe(false);
      expect(verify(q, other), kind).toBeNull();
    }
  });
});
