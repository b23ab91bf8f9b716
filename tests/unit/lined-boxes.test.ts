/**
 * Pictures inside a picture found by their outline (engine/image/lined.ts, policy
 * visual.boxes.lines): a white card whose drawing reaches all four of its edges (so its white is
 * four pieces, none lining the card) is found on a two-tone scene, blurred too, and only with the
 * lines on; noise, stripes, a checkerboard and a band between the frame's edges give no box; and a
 * clip-art drawing the eval pasted on its card into a scene (seed 660118's paste-4, a pale
 * lemonade the flat-region search never boxed) is named a copy through that box's zoom window,
 * only with visual.boxes.lines on (maxBoxes above 0).
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { type BoxSettings, pastedBoxes } from '../../engine/image/boxed.ts';
import { linedBoxes } from '../../engine/image/lined.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { evalCopy, libraryPng } from '../helpers/eval-copies.ts';

afterAll(() => terminateLocalFeaturePool());

const BOXES = UNIQUENESS_POLICY.visual.boxes;
const LINES = BOXES.lines;
const W = 240;
const H = 180;
const CARD_AT = { x: 60, y: 40, w: 80, h: 110 };
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };

/** Sky (150) over ground (90), with a white card holding a dark cross that runs into all four of the card's edges. */
function scene(): Uint8Array {
  const g = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const c = CARD_AT;
      const inCard = x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h;
      const cross = Math.abs(x - (c.x + 35)) < 6 || Math.abs(y - (c.y + 60)) < 8;
      g[y * W + x] = inCard ? (cross ? 40 : 255) : y < 100 ? 150 : 90;
    }
  return g;
}

/** Within `d` pixels on every side of the card. */
const onCard = (b: { x: number; y: number; w: number; h: number }, d: number): boolean =>
  Math.abs(b.x - CARD_AT.x) <= d &&
  Math.abs(b.y - CARD_AT.y) <= d &&
  Math.abs(b.x + b.w - CARD_AT.x - CARD_AT.w) <= d &&
  Math.abs(b.y + b.h - CARD_AT.y - CARD_AT.h) <= d;

async function blurred(g: Uint8Array, sigma: number): Promise<Uint8Array> {
  const out = await sharp(Buffer.from(g), { raw: { width: W, height: H, channels: 1 } })
    .blur(sigma)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, W * H);
}

describe('linedBoxes', () => {
  it('finds a card whose drawing cuts its colour into pieces, where the flat-region search does not', async () => {
    expect(LINES).toBeDefined();
    const lines = LINES as NonNullable<BoxSettings['lines']>;
    const g = scene();
    const without: BoxSettings = { ...BOXES, lines: undefined };
    expect(pastedBoxes(g, W, H, without).some((b) => onCard(b, 4))).toBe(false);
    const found = pastedBoxes(g, W, H, BOXES);
    expect(found.some((b) => onCard(b, 2))).toBe(true);
    // Just inside its outline: the card's white is its level.
    expect(linedBoxes(g, W, H, lines, BOXES.minArea, BOXES.maxArea)[0]?.level).toBe(255);
    // Blurred (σ 1.5) it is still found, a pixel or two inside.
    expect(pastedBoxes(await blurred(g, 1.5), W, H, BOXES).some((b) => onCard(b, 3))).toBe(true);
  });

  it('finds none in noise, in stripes, or in a band between two of the frame edges', () => {
    const lines = LINES as NonNullable<BoxSettings['lines']>;
    let s = 7;
    const noise = Uint8Array.from({ length: W * H }, () => ((s = (s * 1103515245 + 12345) >>> 0), s >>> 24));
    expect(linedBoxes(noise, W, H, lines, BOXES.minArea, BOXES.maxArea)).toEqual([]);
    const stripes = Uint8Array.from({ length: W * H }, (_, i) => (Math.floor(i / W / 10) % 2 ? 200 : 100));
    expect(linedBoxes(stripes, W, H, lines, BOXES.minArea, BOXES.maxArea)).toEqual([]);
    const checks = Uint8Array.from({ length: W * H }, (_, i) => ((Math.floor(i / W / 12) + Math.floor((i % W) / 12)) % 2 ? 210 : 60));
    expect(linedBoxes(checks, W, H, lines, BOXES.minArea, BOXES.maxArea)).toEqual([]);
    const band = Uint8Array.from({ length: W * H }, (_, i) => (Math.floor(i / W) >= 60 && Math.floor(i / W) < 120 ? 230 : 120));
    expect(linedBoxes(band, W, H, lines, BOXES.minArea, BOXES.maxArea)).toEqual([]);
  });
});

describe('a drawing pasted on its card into a scene, in a check', () => {
  it('is named a copy through the box found by its outline, placed on it, only with visual.boxes.lines on', async () => {
    const file = 'food/beverages/lemonade_linda_kim_01.png';
    const query = await evalCopy(file, [
      {
        family: 'paste',
        params: { scale: 0.543, x: 0.692, y: 0.485, mode: 'boxed', hostSize: 422, host: 'scene', hostAspect: 1.514, sceneSeed: 415688488 },
      },
    ]);
    const run = async (lines: NonNullable<BoxSettings['lines']>) => {
      const policy = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, boxes: { ...BOXES, lines } } };
      const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
      await engine.index({ id: 'original', creatorId: 'a', card: { ...CARD, name: 'Original' }, image: await libraryPng(file) });
      const r = await engine.check({ card: CARD, creatorId: 'b', image: query });
      engine.close();
      return { status: r.status, match: r.matches.find((m) => m.assetId === 'original') };
    };
    const { status, match: on } = await run(LINES);
    // Named a copy (its zoom window, cut around the box, meets the drawing's keypoints).
    expect(status).toBe('flagged_plagiarism');
    expect(on?.copySignals.length).toBeGreaterThan(0);
    // Placed on the card: right of the middle, most of the way down from the top third.
    const q = on?.region?.query;
    expect(q?.x).toBeGreaterThan(0.5);
    expect((q?.x ?? 0) + (q?.w ?? 0)).toBeLessThan(0.8);
    // maxBoxes 0: no box found by its outline.
    expect((await run({ ...LINES, maxBoxes: 0 })).match).toBeUndefined();
  }, 60_000);
});
