/**
 * Safe image decoding with sharp: size and pixel limits are checked from the header before any
 * pixel is decoded (so a decompression bomb is refused cheaply), and every failure becomes an
 * EngineError with a stable code.
 */
import sharp from 'sharp';
import { MEDIA_LIMITS } from '../../shared/api.ts';
import { EngineError } from '../errors.ts';

export interface ImageLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted width × height. */
  maxPixels: number;
}

/** The limits shown to creators (shared/api.ts MEDIA_LIMITS) are the limits enforced here. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxBytes: MEDIA_LIMITS.image.maxBytes, maxPixels: MEDIA_LIMITS.image.maxPixels };

export const SUPPORTED_FORMATS: readonly string[] = MEDIA_LIMITS.image.formats;

const FORMAT_NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF', avif: 'AVIF', tiff: 'TIFF' };
/** "PNG, JPEG, WebP, GIF, AVIF or TIFF": the formats an image may come in, for people. */
export const READABLE_FORMATS = SUPPORTED_FORMATS.map((f) => FORMAT_NAMES[f] ?? f.toUpperCase())
  .join(', ')
  .replace(/, ([^,]+)$/, ' or $1');

export interface ImageInfo {
  format: string;
  width: number;
  height: number;
  hasAlpha: boolean;
}

/** Reads the header only. Throws EngineError for empty, unknown, corrupt or oversized input. */
export async function probeImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<ImageInfo> {
  if (bytes.byteLength === 0) throw new EngineError('empty_file', 'the file is empty (0 bytes)');
  if (bytes.byteLength > limits.maxBytes) {
    throw new EngineError('file_too_large', `the file is ${bytes.byteLength} bytes, above the ${limits.maxBytes}-byte limit`);
  }
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    // The decoder's own words ("Input buffer contains unsupported image format") say nothing to people.
    throw new EngineError('not_an_image', `not an image this studio can read (${READABLE_FORMATS})`);
  }
  const format = meta.format ?? 'unknown';
  if (!SUPPORTED_FORMATS.includes(format)) {
    throw new EngineError(
      'unsupported_format',
      `an image in a format this studio cannot read (${format.toUpperCase()}); it reads ${READABLE_FORMATS}`,
    );
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width <= 0 || height <= 0) throw new EngineError('corrupt_image', 'the image header has no size');
  if (width * height > limits.maxPixels) {
    throw new EngineError(
      'too_many_pixels',
      `the image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels), above the ${(limits.maxPixels / 1e6).toFixed(
        0,
      )}-megapixel limit`,
    );
  }
  return { format, width, height, hasAlpha: meta.hasAlpha ?? false };
}

/** A sharp pipeline for already-probed bytes: strict about truncation, pixel limit enforced again. */
export function openImage(bytes: Uint8Array, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): sharp.Sharp {
  return sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'truncated' }).rotate();
}

/** Runs a decode step and turns sharp's failures into EngineError('corrupt_image'). */
export async function decodeOrThrow<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError('corrupt_image', 'the image could not be decoded: it is damaged or cut short');
  }
}
