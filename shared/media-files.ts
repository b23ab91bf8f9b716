/**
 * How the studio's audio/video files travel outside the JSON API: the streamed upload endpoint of
 * browser mode, the preview images (thumbnail strip, poster frame, a frame at a time) served by
 * both transports, a marketplace listing's audio/video file proxied by the studio (the page never
 * holds the marketplace token), and the preview parameters. Shared by the main process and the renderer.
 */
import { z } from 'zod';

export const MEDIA_PREVIEW = {
  /** Frames in a video's thumbnail strip, evenly spread over its duration. */
  stripFrames: 8,
  /** Height of a strip frame, pixels (width follows the aspect ratio). */
  frameHeight: 90,
  /** Largest height of a library poster and of a match's frame-pair frame (smaller videos are not enlarged). */
  posterHeight: 256,
  pairFrameHeight: 256,
  /** Peaks in a waveform unless the caller asks for another number. */
  waveformBins: 600,
  /** PCM rate the waveform is computed at (peaks need no more than this). */
  waveformRate: 8000,
  /** Where in a video its library poster frame is taken, as a share of its duration. */
  posterAt: 0.1,
} as const;

/** Browser mode: raw streamed POST of one file (the body is the file), session token in Authorization. */
export const MEDIA_UPLOAD_PATH = '/upload/media';

/** Query of the upload endpoint: the file's name as the creator sees it. */
export const MediaUploadQuery = z.object({ name: z.string().trim().min(1).max(500) });

/**
 * A view's own token for the media work it asks for (`caller` in the studio's media and check
 * calls, `c=` in a preview image's query): `media.cancel {sha, caller}` then drops only that
 * view's interest in the file's work, never another view's. The one schema every boundary uses.
 */
export const MediaCaller = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _');

export const MEDIA_IMAGE_KINDS = ['strip', 'poster', 'frame'] as const;
export type MediaImageKind = (typeof MEDIA_IMAGE_KINDS)[number];

/** A preview image of a stored file: the kind, and for `frame` the time in milliseconds. */
export const MediaImageRequest = z.object({
  sha: z.string().regex(/^[0-9a-f]{64}$/),
  kind: z.enum(MEDIA_IMAGE_KINDS),
  ms: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600 * 1000)
    .optional(),
  /** The view asking (travels as `?c=` next to the path). */
  caller: MediaCaller.optional(),
});
export type MediaImageRequest = z.infer<typeof MediaImageRequest>;

/** `/files/media/<sha>/strip.webp`, `…/poster.webp`, `…/frame-<ms>.webp` (the same path in both transports). */
export function mediaImagePath(r: MediaImageRequest): string {
  const leaf = r.kind === 'frame' ? `frame-${Math.max(0, Math.round(r.ms ?? 0))}` : r.kind;
  return `/files/media/${r.sha}/${leaf}.webp`;
}

/** Parses a preview path back into its request; null when the path is not one. */
export function parseMediaImagePath(pathname: string): MediaImageRequest | null {
  const m = /^\/files\/media\/([0-9a-f]{64})\/(strip|poster|frame-(\d{1,8}))\.webp$/.exec(pathname);
  if (!m) return null;
  const kind = m[3] !== undefined ? 'frame' : (m[2] as 'strip' | 'poster');
  const r = MediaImageRequest.safeParse({ sha: m[1], kind, ...(m[3] !== undefined ? { ms: Number(m[3]) } : {}) });
  return r.success ? r.data : null;
}

/**
 * Parses a preview image URL (path and `c=` query) into its request; null when it is not one or
 * its caller token is malformed.
 */
export function parseMediaImageUrl(url: URL): MediaImageRequest | null {
  const r = parseMediaImagePath(url.pathname);
  const c = url.searchParams.get('c');
  if (!r || c === null) return r;
  const caller = MediaCaller.safeParse(c);
  return caller.success ? { ...r, caller: caller.data } : null;
}

/** A marketplace version's audio/video file, proxied by the studio with the signed-in session. */
export const MarketMediaRequest = z.object({
  assetId: z.string().uuid(),
  version: z.number().int().min(1).max(1_000_000).optional(),
});
export type MarketMediaRequest = z.infer<typeof MarketMediaRequest>;

/** `/files/market-media/<assetId>` or `…/<assetId>/v<version>` (the same path in both transports). */
export function marketMediaPath(r: MarketMediaRequest): string {
  return `/files/market-media/${r.assetId}${r.version !== undefined ? `/v${r.version}` : ''}`;
}

/** Parses a marketplace media path back into its request; null when the path is not one. */
export function parseMarketMediaPath(pathname: string): MarketMediaRequest | null {
  const m = /^\/files\/market-media\/([0-9a-f-]{36})(?:\/v(\d{1,7}))?$/.exec(pathname);
  if (!m) return null;
  const r = MarketMediaRequest.safeParse({ assetId: m[1], ...(m[2] !== undefined ? { version: Number(m[2]) } : {}) });
  return r.success ? r.data : null;
}
