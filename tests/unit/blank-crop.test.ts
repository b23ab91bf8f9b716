/**
 * A centre crop that falls inside a drawing's outline (engine/image/fingerprint.ts scaleQuality,
 * engine/check/image-layers.ts): two different frames whose middles are empty paper hash alike at
 * 70 %, so a crop that carries too little information (visual.minQuality) is no evidence, though
 * the whole view is. A copy of the frame itself is still found, and the library does not store it.
 */
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssetCard } from '../../shared/asset.ts';
import { SCALES, WORK, hashesOfMatrix } from '../../engine/image/fingerprint.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const card = (name: string): AssetCard => ({ asset_type: 'item', name, description: '', tags: [] });
const SIDE = 400;

/** A decorated border in the outer 12 % of the frame, nothing inside it. */
function frame(kind: 'rings' | 'zigzag'): Promise<Buffer> {
  const band = SIDE * 0.12;
  const marks: string[] = [];
  if (kind === 'rings') {
    for (let i = 0; i < 8; i++) {
      const c = band / 2 + (i * (SIDE - band)) / 7;
      for (const [x, y] of [
        [c, band / 2],
        [c, SIDE - band / 2],
        [band / 2, c],
        [SIDE - band / 2, c],
      ])
        marks.push(`<circle cx="${x}" cy="${y}" r="${band / 2.6}" fill="none" stroke="#222" stroke-width="5"/>`);
    }
  } else {
    const pts = (y0: number, y1: number) => Array.from({ length: 13 }, (_, i) => `${(i * SIDE) / 12},${i % 2 ? y1 : y0}`).join(' ');
    marks.push(`<polyline points="${pts(4, band - 4)}" fill="none" stroke="#a03" stroke-width="7"/>`);
    marks.push(`<polyline points="${pts(SIDE - 4, SIDE - band + 4)}" fill="none" stroke="#a03" stroke-width="7"/>`);
    marks.push(`<rect x="6" y="6" width="${band - 12}" height="${SIDE - 12}" fill="#e9c"/>`);
    marks.push(`<rect x="${SIDE - band + 6}" y="6" width="${band - 12}" height="${SIDE - 12}" fill="#39c"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIDE}" height="${SIDE}"><rect width="100%" height="100%" fill="#fff"/>${marks.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function grey(png: Buffer): Promise<Float32Array> {
  const raw = await sharp(png).greyscale().resize(WORK, WORK, { fit: 'fill' }).raw().toBuffer();
  return Float32Array.from(raw);
}

describe('a blank centre crop', () => {
  const open: UniquenessEngine[] = [];
  afterEach(() => {
    for (const e of open.splice(0)) e.close();
  });

  it('is measured per scale: the whole frame carries information, its empty middle does not', async () => {
    const h = hashesOfMatrix(await grey(await frame('rings')));
    const min = UNIQUENESS_POLICY.visual.minQuality;
    expect(h.scaleQuality).toHaveLength(SCALES.length);
    expect(h.scaleQuality![0]).toBe(h.quality);
    expect(h.quality!).toBeGreaterThanOrEqual(min);
    expect(h.scaleQuality![SCALES.length - 1]!).toBeLessThan(min);
    // The empty middles of two different frames hash alike: that is why they are no evidence.
    const other = hashesOfMatrix(await grey(await frame('zigzag')));
    expect(other.phash[SCALES.length - 1]![0]).toBe(h.phash[SCALES.length - 1]![0]);
    expect(other.phash[0]![0]).not.toBe(h.phash[0]![0]);
  });

  it('matches no other frame, while a copy of the frame is still found', async () => {
    const e = UniquenessEngine.open({ dbPath: ':memory:' });
    open.push(e);
    await e.index({ id: 'rings', creatorId: 'alice', card: card('Ring border'), image: await frame('rings') });
    const other = await e.check({ card: card('Zigzag border'), image: await frame('zigzag'), creatorId: 'bob' });
    expect(other.status).toBe('approved');
    expect(other.matches.filter((m) => m.copySignals.length > 0)).toEqual([]);
    const copy = await sharp(await frame('rings'))
      .resize(300, 300)
      .jpeg({ quality: 80 })
      .toBuffer();
    const found = await e.check({ card: card('My border'), image: copy, creatorId: 'bob' });
    expect(found.matches[0]?.assetId).toBe('rings');
    // The crops' quality judges a query only: the library does not store it.
    const stored = e.db.prepare('SELECT image_json FROM fingerprints').get() as { image_json: string };
    expect(stored.image_json).toContain('"quality"');
    expect(stored.image_json).not.toContain('scaleQuality');
  });
});
