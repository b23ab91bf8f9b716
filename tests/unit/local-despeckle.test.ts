/**
 * Salt-and-pepper dots before ORB (engine/image/local/despeckle.ts): a clean drawing, thin lines
 * included, comes back untouched; dots are replaced by their neighbours' median, on the outer ring
 * too and in a second pass where they touch; the colour pixels are cleaned in the same places; a
 * rotated copy sprinkled with dots is verified against its original, which it was not while the
 * dots took ORB's keypoints; and a sprayed copy on stripes has its backdrop whitened and is found.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { despeckle, despeckleColour, impulseShare } from '../../engine/image/local/despeckle.ts';
import { extractLocalFeaturesInThread, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import type { Step } from '../../scripts/eval/params.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { evalCopy, evalLibrary } from '../helpers/eval-copies.ts';
import { rotate, thinLines } from '../helpers/image-transforms.ts';

const ROOT = '/usr/share/openclipart/png/';
const P = UNIQUENESS_POLICY.local.despeckle;
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
const OTHERS = ['office/paperclip.png', 'tools/cog_01.png', 'animals/bugs/spider.png', 'transportation/boating/knot_two_half_hitch.png'];

/** Every pixel, with probability `density`, set to black or white (a seeded generator). */
async function sprinkle(png: Uint8Array, density: number): Promise<Buffer> {
  const { data, info } = await sharp(png).flatten({ background: '#fff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let s = 20261123;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < data.length; i += 3) if (rnd() < density) data[i] = data[i + 1] = data[i + 2] = rnd() < 0.5 ? 0 : 255;
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

async function gray(png: Uint8Array): Promise<{ g: Uint8Array; w: number; h: number }> {
  const { data, info } = await sharp(png).flatten({ background: '#fff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { g: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), w: info.width, h: info.height };
}

afterAll(() => terminateLocalFeaturePool());

describe('despeckle', () => {
  it('leaves clean drawings alone, thin lines included', async () => {
    for (const png of [readFileSync(ROOT + 'animals/bugs/spider.png'), await thinLines(400, 300, 12)]) {
      const { g, w, h } = await gray(png);
      expect(impulseShare(g, w, h, P)).toBeLessThan(P.minShare);
      expect(despeckle(g, w, h, P)).toBeNull();
    }
  });

  it('replaces isolated black and white dots by their neighbours', () => {
    const w = 40;
    const h = 30;
    const g = new Uint8Array(w * h).fill(128);
    const dots = [5 * w + 5, 10 * w + 20, 20 * w + 30, 15 * w + 8, 25 * w + 12];
    for (const [k, i] of dots.entries()) g[i] = k % 2 ? 255 : 0;
    const out = despeckle(g, w, h, { ...P, minShare: 0 });
    expect(out).not.toBeNull();
    for (const i of dots) expect(out![i]).toBe(128);
    expect(Array.from(out!).every((v) => v === 128)).toBe(true);
  });

  it('lets a dotted, rotated copy be verified against its original', async () => {
    const src = readFileSync(ROOT + 'animals/mammals/topo_architetto_francesc_01.png');
    const small = await sharp(src).flatten({ background: '#fff' }).resize(420, 420, { fit: 'inside' }).png().toBuffer();
    const copy = await sprinkle(await rotate(small, 57), 0.08);
    const { g, w, h } = await gray(copy);
    expect(impulseShare(g, w, h, P)).toBeGreaterThan(P.minShare);
    const lib = await extractLocalFeaturesInThread(src, { mirror: false });
    const q = await extractLocalFeaturesInThread(copy);
    const m = verify(q, lib);
    expect(m).not.toBeNull();
    // Without despeckling (minShare out of reach; in-thread extraction reads the policy object), the
    // dots take the keypoints and the copy is not verified.
    const policy = UNIQUENESS_POLICY.local.despeckle as { minShare: number };
    const was = policy.minShare;
    policy.minShare = 2;
    try {
      const noisy = await extractLocalFeaturesInThread(copy);
      expect(verify(noisy, lib)?.region.inliers ?? 0).toBeLessThan(m!.region.inliers / 2);
    } finally {
      policy.minShare = was;
    }
  });
});

describe('despeckle: the outer ring, touching dots and the colours', () => {
  it('replaces dots on the outer ring and dots touching two others (second pass)', () => {
    const w = 30;
    const h = 20;
    const g = new Uint8Array(w * h).fill(128);
    // Corner, top edge, left edge: reflected neighbours make them impulses like any other.
    const ring = [0, 7, 9 * w];
    // Three black dots in a row: the middle one touches two, so only the ends go in the first pass.
    const row3 = [10 * w + 14, 10 * w + 15, 10 * w + 16];
    for (const i of [...ring, ...row3]) g[i] = 0;
    const once = despeckle(g, w, h, { ...P, minShare: 0, passes: 1 });
    for (const i of ring) expect(once![i]).toBe(128);
    expect(once![10 * w + 15]).toBe(0);
    const twice = despeckle(g, w, h, { ...P, minShare: 0, passes: 2 });
    expect(Array.from(twice!).every((v) => v === 128)).toBe(true);
  });

  it('cleans the colour pixels where the grey ones were replaced, from the neighbours left', () => {
    const w = 12;
    const h = 10;
    const grey = new Uint8Array(w * h).fill(100);
    const rgb = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) rgb.set([40, 160, 90], i * 3);
    const dots = [0, 5 * w + 5, 5 * w + 6];
    for (const i of dots) {
      grey[i] = 255;
      rgb.set([255, 255, 255], i * 3);
    }
    const cleaned = despeckle(grey, w, h, { ...P, minShare: 0 })!;
    const out = despeckleColour(rgb, 3, grey, cleaned, w, h);
    for (const i of dots) expect(Array.from(out.subarray(i * 3, i * 3 + 3))).toEqual([40, 160, 90]);
    expect(Array.from(out.subarray(3, 6))).toEqual([40, 160, 90]);
  });

  it('lets a striped, sprayed copy be whitened and found (seed 660133, combo-14)', async () => {
    // The eval's combination: the sailing diagram on grey stripes, turned grey, salt and pepper at 7.8 %.
    const file = 'transportation/boating/sailing_jibe.png';
    const steps: Step[] = [
      { family: 'background', params: { texture: 'stripes', hue: 105.9, hue2: 139.9, lightness: 0.279, period: 20, seed: 1564880139 } },
      { family: 'colour', params: { kind: 'grayscale' } },
      { family: 'noise', params: { kind: 'salt_pepper', density: 0.078, seed: 539284815 } },
    ];
    const engine = await evalLibrary([file, ...OTHERS]);
    try {
      const copy = await evalCopy(file, steps);
      const fp = await engine.fingerprint(CARD, copy);
      // The backdrop was whitened (before, the spray on the border put black and white in its palette).
      expect(fp.local?.primary.flat).toBeDefined();
      const r = await engine.check({ card: CARD, image: copy, creatorId: 'b' });
      expect(r.status).not.toBe('approved');
      expect(r.matches[0]?.assetId).toBe(file);
    } finally {
      engine.close();
    }
  });
});
