import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../engine/errors.ts';
import { fingerprintImage } from '../../engine/image/fingerprint.ts';
import { artwork, pngHeader } from '../helpers/images.ts';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    return (err as EngineError).code;
  }
}

describe('image fingerprints and bad input', () => {
  it('a lossless re-save keeps the pixel digest while the file digest changes', async () => {
    const a = await artwork(1);
    const b = await sharp(a).png({ compressionLevel: 0 }).toBuffer();
    const fa = await fingerprintImage(a);
    const fb = await fingerprintImage(b);
    expect(fb.bytesSha256).not.toBe(fa.bytesSha256);
    expect(fb.pixelsSha256).toBe(fa.pixelsSha256);
    expect(fb.views[0]?.phash[0]?.[0]).toBe(fa.views[0]?.phash[0]?.[0]);
  });

  it('flattens transparency on white before hashing', async () => {
    const opaque = await artwork(2);
    // The same picture with its white turned transparent.
    const { data, info } = await sharp(opaque).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < data.length; i += 4) if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255) data[i + 3] = 0;
    const transparent = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .png()
      .toBuffer();
    const a = await fingerprintImage(opaque);
    const b = await fingerprintImage(transparent);
    expect(b.views[1]?.phash[0]?.[0]).toBe(a.views[1]?.phash[0]?.[0]);
  });

  it('refuses empty, non-image, corrupt, truncated and oversized input with stable codes', async () => {
    const good = await artwork(3);
    expect(await code(fingerprintImage(Buffer.alloc(0)))).toBe('empty_file');
    expect(await code(fingerprintImage(Buffer.from('{"asset_type":"item"}')))).toBe('not_an_image');
    const corrupt = Buffer.from(good);
    corrupt.fill(0x41, 100, 600);
    expect(await code(fingerprintImage(corrupt))).toBe('corrupt_image');
    expect(await code(fingerprintImage(good.subarray(0, Math.floor(good.length / 2))))).toBe('corrupt_image');
    // A 30000×30000 header is refused from the header alone, before any pixel is decoded.
    const t0 = performance.now();
    expect(await code(fingerprintImage(pngHeader(30000, 30000)))).toBe('too_many_pixels');
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('says how big the refused image is', async () => {
    await expect(fingerprintImage(pngHeader(30000, 30000))).rejects.toThrow(
      /30000×30000 \(900\.0 megapixels\), above the 40-megapixel limit/,
    );
  });
});
