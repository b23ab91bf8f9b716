/**
 * Worker-thread entry of the media pool (engine/media-pool.ts): fingerprints audio/video files so
 * the FFT, Chromaprint and frame hashing never run on the caller's event loop. Several jobs may
 * overlap (their FFmpeg decodes run in child processes, bounded by the FFmpeg pool of this thread);
 * a job is cancelled by a { cancel: id } message.
 */
import { parentPort } from 'node:worker_threads';
import { EngineError } from './errors.ts';
import { mediaDataInThread } from './media-file.ts';
import { serializeFingerprint } from './media/serialize.ts';
import type { MediaInfo } from '../shared/media.ts';

export type MediaRequest = { id: number; path: string; forIndexOnly?: boolean } | { cancel: number };
export type MediaResponse =
  | { id: number; ok: true; blob: Uint8Array; info: MediaInfo; sha256: string }
  | { id: number; ok: false; code: string | null; message: string; field: string | null };

const port = parentPort;
if (!port) throw new Error('media-file-worker must run in a worker thread');
const jobs = new Map<number, AbortController>();

port.on('message', (msg: MediaRequest) => {
  if ('cancel' in msg) {
    // Aborting kills the job's FFmpeg processes (probe or decodes) and frees their pool slots.
    jobs.get(msg.cancel)?.abort(new EngineError('cancelled', 'media processing was cancelled'));
    return;
  }
  const ac = new AbortController();
  jobs.set(msg.id, ac);
  mediaDataInThread(msg.path, ac.signal, { forIndexOnly: msg.forIndexOnly })
    .then((d) =>
      port.postMessage({
        id: msg.id,
        ok: true,
        // A query's keyframes travel with their mirrored views; an index-only fingerprint has none.
        blob: serializeFingerprint(d.fp, { keyframes: msg.forIndexOnly ? 'library' : 'query' }),
        info: d.info,
        sha256: d.sha256,
      } satisfies MediaResponse),
    )
    .catch((err: unknown) => {
      const e = err as Error;
      port.postMessage({
        id: msg.id,
        ok: false,
        code: e instanceof EngineError ? e.code : null,
        message: e.message ?? String(err),
        field: e instanceof EngineError ? (e.field ?? null) : null,
      } satisfies MediaResponse);
    })
    .finally(() => jobs.delete(msg.id));
});
