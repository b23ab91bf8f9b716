/**
 * Content-addressed image store of the studio: every imported image is checked against the limits,
 * re-encoded as WebP and stored as `<sha256 of the WebP>.webp`, with a 256 px thumbnail beside it.
 * Writes go to a temporary file and are renamed into place, so a crash never leaves half a file.
 * (Audio and video files have their own streamed store: media-store.ts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DEFAULT_IMAGE_LIMITS, decodeOrThrow, openImage, probeImage } from '../../../engine/image/decode.ts';
import type { ImageRef } from '../../../shared/contracts/studio/media.ts';
import { ApiError, EngineError, fromEngineError } from '../../../shared/errors.ts';

export function atomicWrite(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

const SHA = /^[0-9a-f]{64}$/;

export class ImageStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  path(sha: string, thumb = false): string {
    if (!SHA.test(sha)) throw new ApiError('bad_image_ref', 'not an image reference', 'imageSha');
    return join(this.dir, `${sha}${thumb ? '.thumb' : ''}.webp`);
  }

  has(sha: string): boolean {
    return existsSync(this.path(sha));
  }

  read(sha: string, thumb = false): Buffer {
    const p = this.path(sha, thumb);
    if (!existsSync(p)) throw new ApiError('image_not_found', `no stored image ${sha.slice(0, 12)}…`, 'imageSha', 404);
    return readFileSync(p);
  }

  /** Validates, converts to WebP and stores an image. Errors name the problem in the user's terms. */
  async put(bytes: Uint8Array, name = 'image'): Promise<ImageRef> {
    let info;
    try {
      info = await probeImage(bytes, DEFAULT_IMAGE_LIMITS);
    } catch (err) {
      // "fake.png is not an image this studio can read (PNG, …)": the file named once, in a sentence.
      if (err instanceof EngineError && err.code === 'not_an_image')
        throw new ApiError(err.code, `${name} is ${err.message}`, 'image', 400);
      throw fromEngineError(err, { field: 'image', prefix: name });
    }
    // WebP is kept byte for byte (no generation loss, stable hashes on export → import); other
    // formats are decoded fully (which also proves they are not truncated) and re-encoded.
    const encode = async () => {
      if (info.format === 'webp') {
        await openImage(bytes).raw().toBuffer();
        return Buffer.from(bytes);
      }
      return openImage(bytes).webp({ quality: 90, alphaQuality: 100, effort: 4 }).toBuffer();
    };
    const webp = await decodeOrThrow(encode).catch((err: unknown) => {
      throw fromEngineError(err, { field: 'image', prefix: name });
    });
    const sha = createHash('sha256').update(webp).digest('hex');
    const meta = await sharp(webp).metadata();
    if (!this.has(sha)) {
      const thumb = await sharp(webp).resize(256, 256, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
      atomicWrite(this.path(sha, true), thumb);
      atomicWrite(this.path(sha), webp);
    }
    return {
      sha,
      width: meta.width ?? info.width,
      height: meta.height ?? info.height,
      format: 'webp',
      bytes: webp.length,
      sourceFormat: info.format,
    };
  }
}
