/**
 * The global hashes of a query's backdrop-whitened frame (engine/image/fingerprint.ts backdropView,
 * policy visual.backdrop): clip art flattened on a new colour or texture is hashed as the library
 * stores it (on white), so the perceptual-hash layer meets it; a query on white has no such view,
 * and the view is never stored.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFreeFingerprints } from '../../engine/fingerprints.ts';
import { fromHex, hamming } from '../../engine/hash/bits.ts';
import { backdropView, fingerprintImage } from '../../engine/image/fingerprint.ts';
import { terminateLocalFeaturePool } from '../../engine/image/local/pool.ts';
import { signatureCosine } from '../../engine/image/perceptual.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const ROOT = '/usr/share/openclipart/png/';
const PAPER = readFileSync(ROOT + 'office/paper1.png');
const CARD = { asset_type: 'item' as const, name: 'upload', description: '', tags: [] };

afterAll(() => terminateLocalFeaturePool());

const distance = (a: string, b: string): number => hamming(fromHex(a), fromHex(b));
const sig = (s: string): Int8Array => new Int8Array(Buffer.from(s, 'base64'));

/** The art flattened on a checkerboard of two dark colours (6-px squares), the art's own size. */
async function onCheckers(art: Buffer): Promise<Buffer> {
  const { width, height } = await sharp(art).metadata();
  const w = width as number;
  const h = height as number;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) px.set((Math.floor(x / 6) + Math.floor(y / 6)) % 2 ? [40, 90, 30] : [90, 30, 50], (y * w + x) * 3);
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .composite([{ input: art }])
    .png()
    .toBuffer();
}

describe('backdropView', () => {
  it('hashes art on white exactly as the trimmed view does', async () => {
    const { data, info } = await sharp(PAPER).flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    const view = await backdropView(new Uint8Array(data), info.width, info.height);
    const stored = (await fingerprintImage(PAPER)).views[0];
    expect(view?.phash).toEqual(stored?.phash);
    expect(view?.sig).toEqual(stored?.sig);
  });

  it('is null for a blank frame', async () => {
    expect(await backdropView(new Uint8Array(64 * 48).fill(255), 64, 48)).toBeNull();
  });

  it('gives a query on a textured backdrop the library hashes of its art; none on white; never stored', async () => {
    const library = (await fingerprintImage(PAPER)).views[0];
    const query = await modelFreeFingerprints(CARD, await onCheckers(PAPER));
    const plain = query.image?.views[0];
    const backdrop = query.image?.backdrop;
    expect(backdrop).toBeDefined();
    if (!library || !plain || !backdrop) return;
    const cos = (v: typeof plain) => signatureCosine(sig(v.sig[0] as string), sig(library.sig[0] as string));
    // The checkerboard hides the drawing from the trimmed view; the whitened frame shows it again.
    expect(distance(plain.phash[0]?.[0] as string, library.phash[0]?.[0] as string)).toBeGreaterThan(
      UNIQUENESS_POLICY.visual.candidateRadius,
    );
    expect(cos(plain)).toBeLessThan(UNIQUENESS_POLICY.visual.copyCosine);
    expect(distance(backdrop.phash[0]?.[0] as string, library.phash[0]?.[0] as string)).toBeLessThanOrEqual(
      UNIQUENESS_POLICY.visual.candidateRadius,
    );
    expect(cos(backdrop)).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.visual.copyCosine);
    const onWhite = await modelFreeFingerprints(CARD, PAPER);
    expect(onWhite.image?.backdrop).toBeUndefined();
    // Indexed, the query keeps its two views only.
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    engine.indexFingerprints({ id: 'q', creatorId: 'a', card: CARD }, query);
    const row = engine.db.prepare('SELECT image_json FROM fingerprints').get() as { image_json: string };
    expect(Object.keys(JSON.parse(row.image_json) as object)).not.toContain('backdrop');
    engine.close();
  });

  it('lets the perceptual-hash layer name the copy, and only with policy visual.backdrop on', async () => {
    const query = await onCheckers(PAPER);
    const run = async (backdrop: boolean) => {
      const policy = { ...UNIQUENESS_POLICY, visual: { ...UNIQUENESS_POLICY.visual, backdrop } };
      const engine = UniquenessEngine.open({ dbPath: ':memory:', policy });
      await engine.index({ id: 'paper', creatorId: 'a', card: { ...CARD, name: 'Paper' }, image: PAPER });
      const r = await engine.check({ card: CARD, creatorId: 'b', image: query });
      engine.close();
      return r.matches.find((m) => m.assetId === 'paper');
    };
    const on = await run(true);
    expect(on?.copySignals).toContain('visual copy');
    expect(on?.layers.visual).toBeGreaterThanOrEqual(UNIQUENESS_POLICY.visual.copyCosine);
    expect(on?.differences.transform).toContain('put on another background');
    const off = await run(false);
    expect(off?.copySignals ?? []).not.toContain('visual copy');
  });
});
