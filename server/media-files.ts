/**
 * A version's audio or video file, served to those who may play it (authz 'asset.media': the
 * creator, entitled buyers, staff reviewing it or the published listing), streamed from the blob
 * store — whole (200) or one byte range (206, so players can seek; 416 for a range past the end).
 */
import { Readable } from 'node:stream';
import { ApiError } from '../shared/api.ts';
import type { UserRow } from './auth.ts';
import { authorize, isStaff } from './authz.ts';
import type { BlobFile, BlobStore } from './blobs.ts';
import type { Database } from './db.ts';
import * as listings from './repos/listings.ts';
import * as media from './repos/media.ts';

export interface MediaFile {
  file: BlobFile;
  contentType: string;
  version: number;
  sha256: string;
}

/** A type a player accepts for the probed container (the stored blob has no name). */
export function mediaContentType(container: string | null, kind: string | null): string {
  const video = kind === 'video';
  switch (container) {
    case 'mov':
      return video ? 'video/mp4' : 'audio/mp4';
    case 'matroska':
      return video ? 'video/x-matroska' : 'audio/x-matroska';
    case 'mp3':
      return 'audio/mpeg';
    case 'ogg':
      return video ? 'video/ogg' : 'audio/ogg';
    case 'wav':
      return 'audio/wav';
    case 'flac':
      return 'audio/flac';
    case 'aac':
      return 'audio/aac';
    case 'avi':
      return 'video/x-msvideo';
    default:
      return 'application/octet-stream';
  }
}

/**
 * The file of `version` (by default: the latest for its creator and staff, else the published one
 * or the newest the caller owns), after the authorization rule; 404 when the version has none.
 */
export async function findMediaFile(
  db: Database,
  blobs: BlobStore,
  user: UserRow | null,
  id: string,
  version?: number,
): Promise<MediaFile> {
  const head = await listings.head(db, id);
  if (!head) {
    authorize(user, 'asset.media'); // anonymous callers learn nothing but "sign in"
    throw new ApiError('not_found', 'no such asset', 'id', 404);
  }
  const owned = user ? await listings.ownedVersions(db, user.id, id) : [];
  const listed = head.published_version !== null && head.status !== 'taken_down' && head.status !== 'withdrawn';
  const privileged = Boolean(user && (user.id === head.creator_id || isStaff(user)));
  const v =
    version ??
    (privileged
      ? head.latest_version
      : listed
        ? (head.published_version as number)
        : owned.length
          ? Math.max(...owned)
          : head.latest_version);
  const row = await media.versionFile(db, id, v);
  const review = await media.openReview(db, id, v);
  const published = listed && v === head.published_version;
  authorize(user, 'asset.media', {
    ownerId: head.creator_id,
    published,
    // Buyers keep the versions they bought, and may play the newest published one too.
    entitled: owned.includes(v) || (owned.length > 0 && published),
    inReview: review ? { creatorId: head.creator_id, previousDeciderIds: [review.excluded_moderator] } : null,
  });
  if (!row) throw new ApiError('not_found', 'no such version', 'version', 404);
  const file = row.media_sha256 ? await blobs.open(row.media_sha256) : null;
  if (!row.media_sha256 || !file) throw new ApiError('not_found', 'this version has no audio or video file', 'id', 404);
  return { file, contentType: mediaContentType(row.container, row.kind), version: v, sha256: row.media_sha256 };
}

/** The one byte range a Range header asks for ([start, end] inclusive), null for none or a form not served (multiple ranges); 'unsatisfiable' past the end. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** The HTTP answer for a media file: 200 whole, 206 one range, 416 an unsatisfiable one. */
export function mediaResponse(m: MediaFile, rangeHeader: string | undefined, method: 'GET' | 'HEAD' = 'GET'): Response {
  const size = m.file.size;
  const headers: Record<string, string> = {
    'content-type': m.contentType,
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, max-age=300',
    etag: `"${m.sha256}"`,
    'x-media-version': String(m.version),
  };
  const range = byteRange(rangeHeader, size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
  const body = (r?: { start: number; end: number }) =>
    method === 'HEAD' ? null : (Readable.toWeb(m.file.stream(r) as Readable) as unknown as ReadableStream<Uint8Array>);
  if (!range) return new Response(body(), { status: 200, headers: { ...headers, 'content-length': String(size) } });
  return new Response(body(range), {
    status: 206,
    headers: {
      ...headers,
      'content-length': String(range.end - range.start + 1),
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
    },
  });
}
