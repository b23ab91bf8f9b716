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

const JSON_LIMIT = 1024 * 1024;

/**
 * Submission limits, per part and for the whole streamed body: the media file's from the media
 * policy, the image's from the marketplace policy, the card's as any JSON body.
 */
export const SUBMISSION_LIMITS = {
  card: JSON_LIMIT,
  image: MARKETPLACE_POLICY.maxUploadBytes,
  media: MEDIA_POLICY.limits.maxBytes,
  // The whole body: the largest media file plus room for the card and part headers (an image sent
  // with a media file shares this budget).
  body: Math.max(MEDIA_POLICY.limits.maxBytes, MARKETPLACE_POLICY.maxUploadBytes) + JSON_LIMIT + 64 * 1024,
} as const;

/** Request body limits per route class (413): JSON before anything is read, multipart as it streams. */
export const BODY_LIMITS = { json: JSON_LIMIT, multipart: SUBMISSION_LIMITS.body } as const;

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
export async function readSubmission(c: Context): Promise<SubmissionUpload> {
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
  if (Number.isFinite(len) && len > SUBMISSION_LIMITS.body)
    throw new ApiError('too_large', `uploads are limited to ${Math.round(SUBMISSION_LIMITS.body / 1024 / 1024)} MB`, '(body)', 413);
  const form = await readMultipart(c.req.raw.body, {
    boundary,
    maxBodyBytes: SUBMISSION_LIMITS.body,
    parts: {
      card: { kind: 'text', maxBytes: SUBMISSION_LIMITS.card },
      parentAssetId: { kind: 'text', maxBytes: 100 },
      image: { kind: 'file', maxBytes: SUBMISSION_LIMITS.image, storage: 'memory', describe: 'the image bytes' },
      media: { kind: 'file', maxBytes: SUBMISSION_LIMITS.media, storage: 'disk', describe: 'the audio or video file' },
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
