/**
 * Content-addressed store of the studio's audio and video files. A file arrives as a stream (a
 * copy from a local path in Electron, the streamed upload body in browser mode), is written to a
 * temporary file while it is hashed and counted — refused as soon as it passes the media policy's
 * size limit — then probed with FFmpeg (container, streams, duration, frame size and rate); only a
 * file that passes everything is renamed to `<sha256>.<format>`. On any failure nothing is kept;
 * an aborted signal (the `cancelled` error) stops the copy or kills the probe's FFmpeg.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { rename } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { probeMedia } from '../../../engine/media/probe.ts';
import type { MediaRef } from '../../../shared/contracts/studio/media.ts';
import { ApiError, fromEngineError } from '../../../shared/errors.ts';
import type { MediaInfo } from '../../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../../shared/policy/media.ts';
import { cancelled } from './media-jobs.ts';

const SHA = /^[0-9a-f]{64}$/;

/** The extensions a container may be stored under; the first is the default. */
const FORMATS: Record<string, readonly string[]> = {
  mov: ['mp4', 'm4a', 'mov', 'm4v'],
  matroska: ['mkv', 'webm', 'mka'],
  mp3: ['mp3'],
  ogg: ['ogg', 'opus', 'oga'],
  wav: ['wav'],
  flac: ['flac'],
  aac: ['aac'],
  avi: ['avi'],
};
const ALL_FORMATS = [...new Set(Object.values(FORMATS).flat())];

/** The stored file's format: the name's extension when it fits the probed container, else the container's default. */
export function formatOf(container: string, name: string, kind: MediaInfo['kind']): string {
  const allowed = FORMATS[container] ?? [container];
  const ext = extname(name).slice(1).toLowerCase();
  if (allowed.includes(ext)) return ext;
  if (container === 'mov' && kind === 'audio') return 'm4a';
  if (container === 'matroska' && kind === 'audio') return 'mka';
  return allowed[0] as string;
}

function tooLarge(name: string, max: number): ApiError {
  return new ApiError('file_too_large', `${name}: audio and video files are limited to ${Math.round(max / 1024 / 1024)} MB`, 'media', 413);
}

export interface IngestOptions {
  /** The size the sender declared (Content-Length, the file's stat): over the limit is refused before reading. */
  declaredBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

export class MediaStore {
  constructor(
    readonly dir: string,
    readonly limits: MediaPolicy['limits'] = MEDIA_POLICY.limits,
  ) {
    mkdirSync(dir, { recursive: true });
    // Uploads cut short by a crash leave their temporary file: never a stored file, so removed here.
    for (const f of readdirSync(dir)) if (f.startsWith('.incoming-')) rmSync(join(dir, f), { force: true });
  }

  /** The stored file of `sha`, or null when there is none. */
  path(sha: string): string | null {
    if (!SHA.test(sha)) throw new ApiError('bad_media_ref', 'not a media file reference', 'sha');
    for (const f of ALL_FORMATS) {
      const p = join(this.dir, `${sha}.${f}`);
      if (existsSync(p)) return p;
    }
    return null;
  }

  /** The stored file of `sha`; a 404 ApiError when it is not in the store. */
  require(sha: string): string {
    const p = this.path(sha);
    if (!p) throw new ApiError('media_not_found', `no stored media file ${sha.slice(0, 12)}…; import it again`, 'sha', 404);
    return p;
  }

  /** Imports a local file by path (Electron: the path the file dialog or a drop gave); `signal` stops the copy and the probe. */
  async importPath(src: string, name = src, signal?: AbortSignal): Promise<MediaRef & { info: MediaInfo }> {
    if (signal?.aborted) throw cancelled();
    let size: number;
    try {
      const st = statSync(src);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (err) {
      throw new ApiError('file_not_found', `${name}: cannot read the file (${(err as Error).message})`, 'path', 404);
    }
    if (size > this.limits.maxBytes) throw tooLarge(name, this.limits.maxBytes);
    // ingest leaves its source open when it stops early (an HTTP body is drained, not destroyed);
    // a file read here is closed whatever happened.
    const stream = createReadStream(src);
    try {
      return await this.ingest(stream, name, { declaredBytes: size, signal });
    } finally {
      stream.destroy();
    }
  }

  /**
   * Stores a file from a stream. The stream is read without being destroyed when the limit is
   * passed (the HTTP transport then answers 413 and drains the rest), and no bytes are kept.
   */
  async ingest(source: Readable, name: string, opts: IngestOptions = {}): Promise<MediaRef & { info: MediaInfo }> {
    const max = this.limits.maxBytes;
    if (opts.declaredBytes !== undefined && opts.declaredBytes > max) throw tooLarge(name, max);
    const tmp = join(this.dir, `.incoming-${randomBytes(8).toString('hex')}`);
    const out = createWriteStream(tmp, { flags: 'wx' });
    const outDone = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', reject);
    });
    // Awaited on success. After a refusal the stream is destroyed with a write still in flight, whose
    // late ERR_STREAM_DESTROYED must not surface as an unhandled rejection: the caller already has
    // the real error.
    outDone.catch(() => undefined);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        if (opts.signal?.aborted) throw cancelled();
        size += chunk.length;
        if (size > max) throw tooLarge(name, max);
        hash.update(chunk);
        // A write error rejects outDone; waiting on it too means a failed disk never leaves this hanging on 'drain'.
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), outDone]);
      }
      out.end();
      await outDone;
      if (size === 0) throw new ApiError('empty_file', `${name}: the file is empty`, 'media');
      let info: MediaInfo;
      try {
        info = await probeMedia(tmp, { limits: this.limits, signal: opts.signal });
      } catch (err) {
        throw fromEngineError(err, { field: 'media', prefix: name });
      }
      const sha = hash.digest('hex');
      const format = formatOf(info.container, name, info.kind);
      const existing = this.path(sha);
      if (existing) rmSync(tmp, { force: true });
      else await rename(tmp, join(this.dir, `${sha}.${format}`));
      return { sha, kind: info.kind, format: existing ? extname(existing).slice(1) : format, size, info };
    } catch (err) {
      out.destroy();
      rmSync(tmp, { force: true });
      throw err;
    }
  }
}
