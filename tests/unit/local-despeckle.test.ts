/**
 * Salt-and-pepper dots before ORB (engine/image/local/despeckle.ts): a clean drawing, thin lines
 * included, comes back untouched; dots are replaced by their neighbours' median; and a rotated copy
 * sprinkled with dots is verified against its original, which it was not while the dots took ORB's
 * keypoints.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { despeckle, impulseShare } from '../../engine/image/local/despeckle.ts';
import { extractLocalFeaturesInThread, terminateLocalFeaturePool, verify } from '../../engine/image/local/index.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { rotate, thinLines } from '../helpers/image-transforms.ts';

const ROOT = '/usr/share/openclipart/png/';
const P = UNIQUENESS_POLICY.local.despeckle;

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
