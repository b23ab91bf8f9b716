/**
 * Zoom windows of a query (policy local.zoom): where they are cut, and that a drawing pasted small
 * into a busy picture, which the whole frame's keypoints miss, is found in one of them, its matched
 * region placed in the whole query; and that a window's chance consensus that does not look like
 * the library drawing (policy local.zoom.minLooks) is not a match.
 */
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import { zoomWindows } from '../../engine/image/local/frame.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { ROOT } from '../helpers/clipart.ts';
import { policyWith } from '../helpers/policy.ts';

const ZOOM = { side: 0.5, steps: 3, minPx: 16, minLooks: 0.3 }; // not the policy's: a grid whose corners are easy to state

describe('zoomWindows', () => {
  it('cuts steps × steps windows of side × the content box, edge to edge, each trimmed to its own content', () => {
    // 200 × 100 grey image: mid-grey everywhere (no uniform border to trim inside a window).
    const w = 200;
    const h = 100;
    const g = new Uint8Array(w * h);
    for (let i = 0; i < g.length; i++) g[i] = (i * 37) % 251;
    const box = { x: 0, y: 0, w, h };
    const wins = zoomWindows(g, w, box, 24, ZOOM);
    expect(wins).toHaveLength(9);
    expect(wins[0]).toEqual({ x: 0, y: 0, w: 100, h: 50 });
    expect(wins[4]).toEqual({ x: 50, y: 25, w: 100, h: 50 });
    expect(wins[8]).toEqual({ x: 100, y: 50, w: 100, h: 50 });
  });

  it('cuts an elongated frame into windows at most maxAspect long, more of them along it, at most maxWindows', () => {
    const texture = (w: number, h: number) => Uint8Array.from({ length: w * h }, (_, i) => (i * 37) % 251);
    const wide = { side: 0.6, steps: 2, minPx: 16, maxAspect: 1.5, maxWindows: 8 };
    const g = texture(300, 100);
    const box = { x: 0, y: 0, w: 300, h: 100 };
    // Without maxAspect: 2 × 2 windows of 180 × 60 (3:1). With it: windows of 90 × 60 would need 5
    // along the width at the same stride (2/3 of a window); maxWindows 8 allows 4, each 100 wide.
    expect(zoomWindows(g, 300, box, 24, { ...wide, maxAspect: undefined })).toHaveLength(4);
    const capped = zoomWindows(g, 300, box, 24, wide);
    expect(capped.map((b) => [b.x, b.y, b.w, b.h])).toEqual([
      [0, 0, 100, 60],
      [67, 0, 100, 60],
      [133, 0, 100, 60],
      [200, 0, 100, 60],
      [0, 40, 100, 60],
      [67, 40, 100, 60],
      [133, 40, 100, 60],
      [200, 40, 100, 60],
    ]);
    const free = zoomWindows(g, 300, box, 24, { ...wide, maxWindows: 100 });
    expect(free).toHaveLength(10);
    expect(free.every((b) => b.w === 90 && b.h === 60)).toBe(true);
    // A tall frame is cut the same way along its height; a square one as without maxAspect.
    const tall = zoomWindows(texture(100, 300), 100, { x: 0, y: 0, w: 100, h: 300 }, 24, wide);
    expect(tall.map((b) => [b.w, b.h])).toEqual(Array(8).fill([60, 100]));
    const square = zoomWindows(texture(200, 200), 200, { x: 0, y: 0, w: 200, h: 200 }, 24, wide);
    expect(square.map((b) => [b.x, b.y, b.w, b.h])).toEqual([
      [0, 0, 120, 120],
      [80, 0, 120, 120],
      [0, 80, 120, 120],
      [80, 80, 120, 120],
    ]);
  });

  it('trims a window to its drawing, skips blank windows and repeats, and cuts none from a small frame', () => {
    // White 200 × 200 with one black 30 × 30 square in the top-left quarter.
    const w = 200;
    const g = new Uint8Array(w * w).fill(255);
    for (let y = 20; y < 50; y++) for (let x = 20; x < 50; x++) g[y * w + x] = 0;
    const wins = zoomWindows(g, w, { x: 0, y: 0, w, h: w }, 24, ZOOM);
    // Only the windows holding the square have content, and all trim to the same box: one is kept.
    expect(wins).toHaveLength(1);
    const [b] = wins;
    expect(b?.x).toBeLessThanOrEqual(20);
    expect((b?.x ?? 0) + (b?.w ?? 0)).toBeGreaterThanOrEqual(50);
    expect(b?.w).toBeLessThan(40);
    expect(zoomWindows(g, w, { x: 0, y: 0, w, h: w }, 24, { ...ZOOM, minPx: 120 })).toEqual([]);
    expect(zoomWindows(g, w, { x: 0, y: 0, w, h: w }, 24, { ...ZOOM, steps: 0 })).toEqual([]);
  });
});

describe('a drawing pasted small into a scene', () => {
  const rifle = readFileSync(ROOT + 'tools/weapons/m16_01.png');
  const others = ['animals/bugs/spider.png', 'food/fruit/apple_wedge.png', 'transportation/autos_01.png'].map((f) =>
    readFileSync(ROOT + f),
  );
  // A 320 × 520 scene (sky, grass, a few shapes) with the rifle 150 px wide near its top right.
  const W = 320;
  const H = 520;
  const at = { left: 150, top: 14, width: 150 };
  const scene = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
      <rect width="${W}" height="${H / 2}" fill="#bcd4e8"/><rect y="${H / 2}" width="${W}" height="${H / 2}" fill="#5f8f3a"/>
      <rect x="180" y="120" width="40" height="60" fill="#3d5a2a" transform="rotate(20 200 150)"/>
      <circle cx="230" cy="200" r="22" fill="#4a3526"/><circle cx="60" cy="450" r="24" fill="#a8d88c"/>
      <rect x="200" y="380" width="45" height="40" fill="#2e2a44" transform="rotate(-25 222 400)"/>
    </svg>`,
  );
  const engines: UniquenessEngine[] = [];
  afterAll(() => engines.forEach((e) => e.close()));

  async function checkWith(steps: number) {
    const e = UniquenessEngine.open({
      dbPath: ':memory:',
      policy: policyWith({ local: { zoom: { steps } } }),
    });
    engines.push(e);
    const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
    await e.index({ id: 'rifle', creatorId: 'ada', card: card('Rifle'), image: rifle });
    for (const [k, img] of others.entries()) await e.index({ id: `other-${k}`, creatorId: 'ada', card: card(`Other ${k}`), image: img });
    const pasted = await sharp(rifle).resize({ width: at.width }).png().toBuffer();
    const query = await sharp(scene)
      .composite([{ input: pasted, left: at.left, top: at.top }])
      .png()
      .toBuffer();
    const r = await e.check({ card: card('My meadow'), creatorId: 'me', image: query });
    return r.matches.find((m) => m.assetId === 'rifle');
  }

  it('describes each window as a query (its grey frame kept, no sketch: never stored), mirrored only when local.zoom.mirror', async () => {
    const query = await sharp(scene)
      .composite([{ input: await sharp(rifle).resize({ width: at.width }).png().toBuffer(), left: at.left, top: at.top }])
      .png()
      .toBuffer();
    const card = { asset_type: 'item' as const, name: 'My meadow', description: '', tags: [] };
    const windowsWith = async (mirror: boolean) => {
      const e = UniquenessEngine.open({
        dbPath: ':memory:',
        policy: policyWith({ local: { zoom: { mirror } } }),
      });
      engines.push(e);
      const local = (await e.fingerprint(card, query)).local;
      // The whole frame keeps its sketch (a checked query may be saved); its windows need none.
      expect(local?.sketch?.gray.length).toBeGreaterThan(0);
      return local?.windows ?? [];
    };
    const plain = await windowsWith(false);
    const mirrored = await windowsWith(true);
    expect(plain.length).toBeGreaterThan(1);
    expect(mirrored).toHaveLength(plain.length);
    for (const w of [...plain, ...mirrored]) expect(w.sketch).toBeUndefined();
    for (const w of plain) {
      expect(w.mirror).toBeUndefined();
      expect(w.frameGray?.length).toBe(w.width * w.height);
      expect(w.primary.words.length).toBeGreaterThan(0);
    }
    for (const w of mirrored) {
      expect(w.mirror?.words.length).toBeGreaterThan(0);
      expect(w.frameGray?.length).toBe(w.width * w.height);
    }
  }, 60_000);

  it('is missed by the whole frame and found in a zoom window, its region where it was pasted', async () => {
    const whole = await checkWith(0);
    expect(whole?.region).toBeUndefined();
    const zoomed = await checkWith(UNIQUENESS_POLICY.local.zoom.steps);
    const q = zoomed?.region?.query;
    expect(q).toBeDefined();
    // The region is given in the whole query's fractions: around the pasted rifle, not the window.
    const cx = ((q?.x ?? 0) + (q?.w ?? 0) / 2) * W;
    const cy = ((q?.y ?? 0) + (q?.h ?? 0) / 2) * H;
    expect(Math.abs(cx - (at.left + at.width / 2))).toBeLessThan(25);
    expect(cy).toBeLessThan(at.top + 60);
    expect(q?.w ?? 1).toBeLessThan(0.6);
    expect(zoomed?.copySignals.length).toBeGreaterThan(0);
  }, 60_000);
});

// Found by the copy-dev regression (tests/integration/dataset.test.ts): in one zoom window of this
// lorry-limit road sign (the dataset's re-encoded copy; the original file does not do it), the
// lorry's wheels and the '7.5T' lined up with the AIGA beauty salon pictogram's scissor rings and
// comb, 13 orientation-consistent inliers grown by guided matching to 46 — rotated 114°. Warped
// back, the window does not look like the pictogram (appearance score about 0.15).
const COPY_DEV = new URL('../../../shared/datasets/copy-dev/', import.meta.url).pathname;
const haveCopyDev = existsSync(COPY_DEV + 'queries/q00978.png');
describe.skipIf(!haveCopyDev)('a chance consensus in a zoom window', () => {
  it('is turned down by the appearance floor, and is a match without it', async () => {
    const engines: UniquenessEngine[] = [];
    // The small-span gate (local.smallSpan), the floor on what guided matching grows
    // (local.guided.minLooks) and the likeness asked of a counted consensus (local.appearance.unlike)
    // refuse this consensus too; off here, to see the window's floor alone.
    const L = UNIQUENESS_POLICY.local;
    const flagged = async (minLooks: number, smallSpan = 0, guidedLooks = 0, unlikeScore = 0) => {
      const e = UniquenessEngine.open({
        dbPath: ':memory:',
        policy: {
          ...UNIQUENESS_POLICY,
          local: {
            ...L,
            smallSpan,
            zoom: { ...L.zoom, minLooks },
            guided: { ...L.guided, minLooks: guidedLooks },
            appearance: { ...L.appearance, unlike: { ...L.appearance.unlike, minScore: unlikeScore } },
          },
        },
      });
      engines.push(e);
      const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
      await e.index({ id: 'salon', creatorId: 'ada', card: card('Salon'), image: readFileSync(COPY_DEV + 'library/lib0054.png') });
      const r = await e.check({ card: card('Lorry limit'), creatorId: 'me', image: readFileSync(COPY_DEV + 'queries/q00978.png') });
      return r.matches.some((m) => m.assetId === 'salon' && m.copySignals.length > 0);
    };
    try {
      expect(await flagged(0)).toBe(true);
      expect(await flagged(UNIQUENESS_POLICY.local.zoom.minLooks)).toBe(false);
      expect(await flagged(0, UNIQUENESS_POLICY.local.smallSpan)).toBe(false);
      expect(await flagged(0, 0, UNIQUENESS_POLICY.local.guided.minLooks)).toBe(false);
      expect(await flagged(0, 0, 0, UNIQUENESS_POLICY.local.appearance.unlike.minScore)).toBe(false);
    } finally {
      engines.forEach((e) => e.close());
    }
  }, 60_000);
});
