/**
 * Solarized copies in the visual layer (engine/image/fingerprint.ts foldView, engine/check/
 * image-layers.ts foldProbes, policy visual.fold). Solarizing inverts every channel value from a
 * threshold up: white paper turns black and erases the black outlines drawn on it, so the copy's
 * own hashes share nothing with its source's. Read as min(v, 255 − v), the copy and its source are
 * the same picture whatever the threshold, and the fold finds it; an unrelated drawing solarized is
 * not taken for it, and with the fold off no layer finds the copy.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { foldView, pictureView } from '../../engine/image/fingerprint.ts';
import { fromHex, hamming } from '../../engine/hash/bits.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { foldedChanges } from '../../engine/scoring.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { libraryPng } from '../helpers/eval-copies.ts';

const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };
// Dev-category drawings the probe's solarized copies missed before the fold (seeds 780001, 780003).
const BEACH = 'transportation/beach_trip_ganson.png';
const PEAR = 'food/fruit/green_pear_01.png';
const BUS = 'transportation/aiga-symbols/aiga_bus_.png';
const MOLE = 'animals/mammals/topo_architetto_francesc_01.png';
const OFF = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, fold: { ...UNIQUENESS_POLICY.visual.fold, on: false } } };

afterAll(() => terminateLocalFeaturePool());

/** The PNG with every channel value at or above `at` inverted (an editor's solarize). */
async function solarized(png: Buffer, at: number): Promise<Buffer> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = data.map((v) => (v >= at ? 255 - v : v));
  return sharp(out, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

async function rgbOf(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe('solarized copies (visual.fold)', () => {
  it('a solarized copy folds to its source at any threshold, while its own hash is far from it', async () => {
    const png = await libraryPng(BEACH);
    const src = await rgbOf(png);
    const f0 = (await foldView(src.data, src.width, src.height))!;
    expect(f0.quality).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.visual.fold.minQuality);
    for (const at of [100, 140, 185]) {
      const q = await rgbOf(await solarized(png, at));
      const f = (await foldView(q.data, q.width, q.height))!;
      expect(hamming(fromHex(f.phash[0]!), fromHex(f0.phash[0]!))).toBe(0);
      expect(f.sig).toBe(f0.sig);
    }
    // An inverted copy too: fold(255 − v) = fold(v).
    const inv = await rgbOf(await solarized(png, 0));
    expect((await foldView(inv.data, inv.width, inv.height))!.phash[0]).toBe(f0.phash[0]);
    // A plain grey page folds to nothing.
    expect(await foldView(Buffer.alloc(64 * 64 * 3, 200), 64, 64)).toBeNull();
  }, 60_000);

  it("keeps the picture view's full-scale hashes of the folded grey, value for value", async () => {
    const src = await rgbOf(await libraryPng(PEAR));
    const n = src.width * src.height;
    const grey = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      const [r, g, b] = [0, 1, 2].map((c) => src.data[3 * i + c] as number) as [number, number, number];
      grey[i] = Math.round(0.299 * Math.min(r, 255 - r) + 0.587 * Math.min(g, 255 - g) + 0.114 * Math.min(b, 255 - b));
    }
    const view = (await pictureView(grey, src.width, src.height))!;
    expect(await foldView(src.data, src.width, src.height)).toEqual({ phash: view.phash[0], sig: view.sig[0], quality: view.quality });
  }, 60_000);

  it('names what the fold tells of the tones only where the colours show it', () => {
    const paper = { r: 235, g: 230, b: 225, saturation: 0.2, luminance: 231, tones: [5, 100] as [number, number] };
    // Solarized: nothing as light as the paper is left.
    expect(foldedChanges({ ...paper, luminance: 40, tones: [0, 62] }, paper)).toEqual(['solarized — light tones turned dark']);
    // Inverted: dark paper, light lines, the mean turned over.
    expect(foldedChanges({ ...paper, luminance: 255 - 231, tones: [0, 100] }, paper)).toEqual(['colours inverted']);
    // Turned on a black fill: darker on average, the paper still there — nothing named.
    expect(foldedChanges({ ...paper, luminance: 180, tones: [0, 100] }, paper)).toEqual([]);
    expect(foldedChanges(undefined, paper)).toEqual([]);
  });

  it('finds solarized copies and names them; off, no layer does; an unrelated solarized drawing is not them', async () => {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      for (const [id, file] of [
        ['beach', BEACH],
        ['pear', PEAR],
        ['bus', BUS],
      ] as const)
        await engine.index({ id, creatorId: 'A', card: { ...CARD, name: id }, image: await libraryPng(file) });
      for (const [id, file, at] of [
        ['beach', BEACH, 109],
        ['pear', PEAR, 110],
      ] as const) {
        const fp = await engine.fingerprint(CARD, await solarized(await libraryPng(file), at));
        const r = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp });
        expect(r.status, id).toBe('flagged_plagiarism');
        const m = r.matches.find((x) => x.assetId === id);
        expect(m?.copySignals).toContain('visual copy');
        expect(m?.summary).toContain('solarized — light tones turned dark');
        const without = await engine.checkFingerprints({ card: CARD, creatorId: 'B', fp, policy: OFF });
        expect(without.matches.filter((x) => x.copySignals.length > 0)).toEqual([]);
      }
      const other = await engine.check({ card: CARD, creatorId: 'B', image: await solarized(await libraryPng(MOLE), 128) });
      expect(other.matches.filter((x) => x.copySignals.length > 0)).toEqual([]);
    } finally {
      engine.close();
    }
  }, 120_000);
});
