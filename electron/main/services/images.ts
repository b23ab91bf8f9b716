/**
 * Content-addressed image store of the studio: every imported image is checked against the limits,
 * re-encoded as WebP and stored as `<sha256 of the WebP>.webp`, with a 256 px thumbnail beside it.
 * Writes go to a temporary file and are renamed into place, so a crash never leaves half a file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { EngineError } from '../../../engine/errors.ts';
import { DEFAULT_IMAGE_LIMITS, decodeOrThrow, openImage, probeImage } from '../../../engine/image/decode.ts';
import { ApiError, type ImageRef, MEDIA_LIMITS, type MediaRef } from '../../../shared/api.ts';

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
      if (err instanceof EngineError) throw new ApiError(err.code, `${name}: ${err.message}`, 'image');
      throw err;
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
      throw new ApiError((err as EngineError).code ?? 'corrupt_image', `${name}: ${(err as Error).message}`, 'image');
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

const MEDIA_TYPES: Record<string, { kind: MediaRef['kind']; format: string }> = {
  mp4: { kind: 'video', format: 'mp4' },
  webm: { kind: 'video', format: 'webm' },
  mp3: { kind: 'audio', format: 'mp3' },
  ogg: { kind: 'audio', format: 'ogg' },
  wav: { kind: 'audio', format: 'wav' },
  flac: { kind: 'audio', format: 'flac' },
};

/** Sniffs audio/video containers by their magic bytes (the file name alone is not trusted). */
export function sniffMedia(b: Uint8Array): { kind: MediaRef['kind']; format: string } | null {
  const s = (o: number, str: string) => Buffer.from(b.subarray(o, o + str.length)).toString('latin1') === str;
  if (s(4, 'ftyp')) return MEDIA_TYPES.mp4 ?? null;
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return MEDIA_TYPES.webm ?? null;
  if (s(0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return MEDIA_TYPES.mp3 ?? null;
  if (s(0, 'OggS')) return MEDIA_TYPES.ogg ?? null;
  if (s(0, 'RIFF') && s(8, 'WAVE')) return MEDIA_TYPES.wav ?? null;
  if (s(0, 'fLaC')) return MEDIA_TYPES.flac ?? null;
  return null;
}

/** Stores a video or audio file content-addressed after checking its type and size limit. */
export function putMedia(dir: string, bytes: Uint8Array, name: string): MediaRef {
  const t = sniffMedia(bytes);
  if (!t) {
    throw new ApiError(
      'unsupported_media',
      `${name}: not a supported video (${MEDIA_LIMITS.video.formats.join(', ')}) or audio (${MEDIA_LIMITS.audio.formats.join(', ')}) file`,
      'media',
    );
  }
  const max = MEDIA_LIMITS[t.kind].maxBytes;
  if (bytes.byteLength > max)
    throw new ApiError('file_too_large', `${name}: ${t.kind} files are limited to ${max / 1024 / 1024} MB`, 'media');
  const sha = createHash('sha256').update(bytes).digest('hex');
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `${sha}.${t.format}`);
  if (!existsSync(p)) atomicWrite(p, bytes);
  return { sha, kind: t.kind, format: t.format, size: bytes.byteLength };
}
