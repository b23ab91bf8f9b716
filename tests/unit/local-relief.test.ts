/**
 * Embossed queries (engine/image/local/relief.ts, policy local.relief): a frame that is a drawing's
 * derivative along one direction on mid grey is also seen with the derivative summed back, and that
 * frame is verified as a query of its own, its matches named embossed. A drawing on a flat colour is
 * no relief; with the policy off, the reliefs below are not found.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { terminateLocalFeaturePool } from '../../engine/image/local/index.ts';
import { reliefFrame, reliefResidual } from '../../engine/image/local/relief.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import { SIMPLE_DRAWINGS, evalLibrary, libraryPng } from '../helpers/eval-copies.ts';

const P = UNIQUENESS_POLICY.local;
const S = P.relief;
const OFF: UniquenessPolicy = { ...UNIQUENESS_POLICY, local: { ...P, relief: { ...S, minBalance: 2 } } };
const SALON = 'transportation/aiga-symbols/aiga_beauty_salon_.png';
const SOUP = 'food/bowl_of_steaming_soup_01.png';

afterAll(() => terminateLocalFeaturePool());

/** Grey levels of an RGB(A) image (the probe's and the editors' emboss work on luminance). */
const luma = (d: Uint8Array, i: number, ch: number) =>
  0.299 * (d[i * ch] as number) + 0.587 * (d[i * ch + 1] as number) + 0.114 * (d[i * ch + 2] as number);

/** 128 + strength × (g(p + ahead) − g(p − behind)) along (dx, dy), clipped: an editor's emboss, grey. */
async function emboss(png: Buffer, dx: number, dy: number, strength: number, central: boolean): Promise<Buffer> {
  const { data, info } = await sharp(png).flatten({ background: '#fff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = info;
  const at = (x: number, y: number) => luma(data, Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x)), 3);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const d = central ? at(x + dx, y + dy) - at(x - dx, y - dy) : at(x, y) - at(x - dx, y - dy);
      out[y * w + x] = Math.max(0, Math.min(255, Math.round(128 + strength * d)));
    }
  return sharp(out, { raw: { width: w, height: h, channels: 1 } })
    .png()
    .toBuffer();
}

describe('what counts as a relief', () => {
  const w = 120;
  const h = 90;
  /** A dark disc and a dark bar on white (grey levels). */
  const drawing = (paper = 255) => {
    const g = new Uint8Array(w * h).fill(paper);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if ((x - 40) ** 2 + (y - 45) ** 2 < 20 ** 2) g[y * w + x] = 30;
        if (x >= 75 && x < 100 && y >= 20 && y < 70) g[y * w + x] = 60;
      }
    return g;
  };
  const embossed = (g: Uint8Array, dx: number, dy: number) => {
    const at = (x: number, y: number) => g[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))] as number;
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        out[y * w + x] = Math.max(0, Math.min(255, Math.round(128 + 0.8 * (at(x + dx, y + dy) - at(x - dx, y - dy)))));
    return out;
  };

  it('an emboss sums to nothing along its own direction, and is undone into the drawing, dark on white', () => {
    const g = drawing();
    for (const [dx, dy] of [
      [1, 0],
      [0, 1],
      [1, 1],
      [1, -1],
    ] as const) {
      const e = embossed(g, dx, dy);
      const own = reliefResidual(e, w, h, 128, dx, dy);
      expect(own, `${dx},${dy}`).toBeLessThan(0.05);
      const undone = reliefFrame(e, w, h, 128, S);
      expect(undone, `${dx},${dy}`).not.toBeNull();
      // Inside the disc and the bar darker than the paper around them, by far.
      let ink = 0;
      let inkN = 0;
      let paper = 0;
      let paperN = 0;
      for (let i = 0; i < w * h; i++) {
        if ((g[i] as number) < 128) [ink, inkN] = [ink + (undone?.[i] as number), inkN + 1];
        else [paper, paperN] = [paper + (undone?.[i] as number), paperN + 1];
      }
      expect(paper / paperN - ink / inkN, `${dx},${dy}`).toBeGreaterThan(100);
    }
  });

  it('a drawing on white, on a flat mid grey, or a blank grey frame is no relief; nor is any frame with the policy off', () => {
    expect(reliefFrame(drawing(), w, h, 255, S)).toBeNull();
    // On mid grey: every deviation below the backdrop, none summing to nothing.
    expect(reliefFrame(drawing(140), w, h, 140, S)).toBeNull();
    expect(reliefResidual(drawing(140), w, h, 140, 1, 0)).toBeGreaterThan(0.9);
    expect(reliefFrame(new Uint8Array(w * h).fill(128), w, h, 128, S)).toBeNull();
    expect(reliefFrame(embossed(drawing(), 1, 1), w, h, undefined, S)).toBeNull();
    expect(reliefFrame(embossed(drawing(), 1, 1), w, h, 128, OFF.local.relief)).toBeNull();
  });
});

describe('an embossed copy is found with its relief undone', () => {
  it('finds two drawings embossed by two kernels, named embossed, which the policy off does not; an embossed drawing not in the library is not flagged', async () => {
    const files = [SALON, SOUP, ...SIMPLE_DRAWINGS];
    const [on, off] = [await evalLibrary(files), await evalLibrary(files, OFF)];
    const card = { asset_type: 'item' as const, name: 'query', description: '', tags: [] };
    try {
      for (const [file, dx, dy, central] of [
        [SALON, 1, 1, false],
        [SOUP, 1, 1, false],
        [SALON, 1, 0, true],
        [SOUP, 1, 0, true],
      ] as const) {
        const image = await emboss(await libraryPng(file), dx, dy, 1.5, central);
        const found = await on.check({ card, image, creatorId: 'B' });
        const label = `${file} ${dx},${dy} ${central ? 'central' : 'forward'}`;
        expect(found.status, label).toBe('flagged_plagiarism');
        expect(found.matches[0]?.assetId, label).toBe(file);
        expect(found.matches[0]?.region?.embossed, label).toBe(true);
        const missed = await off.check({ card, image, creatorId: 'B' });
        expect(
          missed.matches.some((m) => m.assetId === file && m.copySignals.length > 0),
          label,
        ).toBe(false);
      }
      const stranger = await emboss(await libraryPng('animals/mammals/porcinet_01.png'), 1, 1, 1.5, false);
      expect((await on.check({ card, image: stranger, creatorId: 'B' })).status).not.toBe('flagged_plagiarism');
    } finally {
      on.close();
      off.close();
    }
  }, 120_000);
});
