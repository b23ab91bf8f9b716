/**
 * Media fingerprinting off the caller's event loop: one lazily started worker thread
 * (media-file-worker) runs every job, so its FFmpeg pool bounds the decoding processes for the
 * whole engine while the FFT, Chromaprint and frame hashing stay off the main thread. The worker
 * starts from the compiled media-file-worker.js next to this module in a bundle, else from the .ts
 * source through engine/worker-boot.mjs (tsx). It does not keep the process alive when idle.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { EngineError } from './errors.ts';
import type { MediaData } from './fingerprints.ts';
import type { MediaDataOptions } from './media-file.ts';
import type { MediaRequest, MediaResponse } from './media-file-worker.ts';
import { deserializeFingerprint } from './media/serialize.ts';

const NAME = 'media-file-worker';

interface Pending {
  resolve: (d: MediaData) => void;
  reject: (e: Error) => void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function start(): Worker {
  const js = new URL(`./${NAME}.js`, import.meta.url);
  const w = existsSync(js)
    ? new Worker(js)
    : new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { __entry: new URL(`./${NAME}.ts`, import.meta.url).href } });
  w.on('message', (res: MediaResponse) => {
    const p = pending.get(res.id);
    if (!p) return;
    settle(res.id);
    if (!res.ok) {
      p.reject(res.code ? new EngineError(res.code, res.message, res.field ?? undefined) : new Error(res.message));
      return;
    }
    try {
      p.resolve({ fp: deserializeFingerprint(res.blob), info: res.info, sha256: res.sha256 });
    } catch (err) {
      p.reject(err as Error);
    }
  });
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const [id, p] of pending) {
      settle(id);
      p.reject(err);
    }
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the media worker exited with code ${code}`)));
  return w;
}

function settle(id: number): void {
  pending.delete(id);
  if (!pending.size) worker?.unref();
}

/**
 * Fingerprints an audio or video file on the media worker; a bad file rejects with an EngineError.
 * `forIndexOnly`: the fingerprint will only be stored (see MediaDataOptions).
 */
export function mediaData(path: string, signal?: AbortSignal, opts: MediaDataOptions = {}): Promise<MediaData> {
  if (signal?.aborted) return Promise.reject(new EngineError('cancelled', 'media processing was cancelled'));
  worker ??= start();
  const w = worker;
  const id = nextId++;
  w.ref();
  return new Promise<MediaData>((resolve, reject) => {
    const onAbort = () => {
      if (!pending.has(id)) return;
      settle(id);
      w.postMessage({ cancel: id } satisfies MediaRequest);
      reject(new EngineError('cancelled', 'media processing was cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    pending.set(id, {
      resolve: (d) => {
        done();
        resolve(d);
      },
      reject: (e) => {
        done();
        reject(e);
      },
    });
    w.postMessage({ id, path, ...(opts.forIndexOnly ? { forIndexOnly: true } : {}) } satisfies MediaRequest);
  });
}

/** Stops the media worker (pending jobs reject); the next call starts a new one. */
export async function terminateMediaWorker(): Promise<void> {
  const w = worker;
  worker = undefined;
  await w?.terminate();
}
