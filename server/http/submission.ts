/**
 * Reading a submission upload: the streamed multipart body (card JSON, image, audio/video file,
 * declared parent) with its per-part and whole-body limits, turned into the submissions service's
 * SubmissionInput; the temporary folder of a media file is removed whatever the submission did.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../shared/api.ts';
import { MARKETPLACE_POLICY } from '../../shared/policy/marketplace.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import type { SubmissionInput } from '../services/submissions/submissions.ts';
import { boundaryOf, readMultipart } from './multipart.ts';
import { refuseNul } from './nul.ts';

const JSON_LIMIT = 1024 * 1024;

/** The largest media file and image a submission may carry (bytes). */
export interface UploadLimits {
  media: number;
  image: number;
}

/** From the policies: the media file's from the media policy, the image's from the marketplace policy. */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { media: MEDIA_POLICY.limits.maxBytes, image: MARKETPLACE_POLICY.maxUploadBytes };

/**
 * Submission limits, per part and for the whole streamed body: the card's as any JSON body, and the
 * whole body the largest file plus room for the card and part headers (an image sent with a media
 * file shares this budget).
 */
export function submissionLimits(u: UploadLimits = DEFAULT_UPLOAD_LIMITS) {
  return { card: JSON_LIMIT, image: u.image, media: u.media, body: Math.max(u.media, u.image) + JSON_LIMIT + 64 * 1024 } as const;
}

/** Request body limits per route class (413): JSON before anything is read (multipart streams, see readSubmission). */
export const BODY_LIMITS = { json: JSON_LIMIT } as const;

export type SubmissionUpload = SubmissionInput & { cleanup(): Promise<void> };

/** Runs a submission with its uploaded files, then removes their temporary folder whatever happened. */
export async function withUpload<T>(upload: SubmissionUpload, run: (input: SubmissionInput) => Promise<T>): Promise<T> {
  try {
    return await run(upload);
  } finally {
    await upload.cleanup();
  }
}

/** Reads a streamed multipart submission (multipart.ts); the caller removes `media`'s folder with `cleanup`. */
export async function readSubmission(c: Context, uploads: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<SubmissionUpload> {
  const limits = submissionLimits(uploads);
  const type = c.req.header('content-type') ?? '';
  const boundary = boundaryOf(type);
  if (!boundary)
    throw new ApiError(
      'unsupported_media_type',
      'send multipart/form-data with a "card" field (JSON), an optional "image" file and, for audio or video, a "media" file',
      undefined,
      415,
    );
  const len = Number(c.req.header('content-length') ?? 'NaN');
  // Refused before a byte is read when the declared length is over; a chunked body is counted as it streams.
  if (Number.isFinite(len) && len > limits.body)
    throw new ApiError('too_large', `uploads are limited to ${Math.round(limits.body / 1024 / 1024)} MB`, '(body)', 413);
  const form = await readMultipart(c.req.raw.body, {
    boundary,
    maxBodyBytes: limits.body,
    parts: {
      card: { kind: 'text', maxBytes: limits.card },
      parentAssetId: { kind: 'text', maxBytes: 100 },
      image: { kind: 'file', maxBytes: limits.image, storage: 'memory', describe: 'the image bytes' },
      media: { kind: 'file', maxBytes: limits.media, storage: 'disk', describe: 'the audio or video file' },
    },
  });
  try {
    const cardText = form.text.get('card');
    if (cardText === undefined) throw new ApiError('invalid_input', 'card: the "card" field (asset card JSON) is required', 'card', 400);
    let card: unknown;
    try {
      card = JSON.parse(cardText);
    } catch {
      throw new ApiError('malformed_json', 'card: not valid JSON', 'card', 400);
    }
    refuseNul(card, 'card');
    const parent = form.text.get('parentAssetId');
    if (parent !== undefined && !z.string().uuid().safeParse(parent).success)
      throw new ApiError('invalid_input', 'parentAssetId: must be an asset id', 'parentAssetId', 400);
    const image = form.files.get('image');
    const media = form.files.get('media');
    if (media && media.size === 0) throw new ApiError('invalid_input', 'media: the file is empty', 'media', 400);
    return {
      card,
      ...(image?.bytes ? { image: new Uint8Array(image.bytes) } : {}),
      ...(media?.path ? { media: { path: media.path, filename: media.filename } } : {}),
      ...(parent !== undefined ? { parentAssetId: parent } : {}),
      cleanup: form.cleanup,
    };
  } catch (err) {
    await form.cleanup();
    throw err;
  }
}
