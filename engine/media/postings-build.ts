/**
 * Builds the audio index's compact posting tables on a worker thread (postings-worker): one short-
 * lived thread per bulk build (a library's media index is built once per open), started from the
 * compiled postings-worker.js of a bundle (next to this module, or one folder up when the bundler put
 * this module in a shared chunk), else from the .ts source through engine/worker-boot.mjs (tsx). The tables come back as transferred typed arrays, not copies.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { MediaPolicy } from '../../shared/policy/media.ts';
import type { AudioPostingInput, AudioTables } from './audio-index.ts';
import type { PostingsRequest, PostingsResponse } from './postings-worker.ts';

const NAME = 'postings-worker';

function start(): Worker {
  for (const at of [`./${NAME}.js`, `../${NAME}.js`]) {
    const js = new URL(at, import.meta.url);
    if (existsSync(js)) return new Worker(js);
  }
  const here = new URL(import.meta.url);
  // From source: this file is engine/media/postings-build.ts, the tsx boot file engine/worker-boot.mjs.
  return new Worker(new URL('../worker-boot.mjs', here), { workerData: { __entry: new URL(`./${NAME}.ts`, here).href } });
}

/**
 * The posting tables of `tracks` under `policy`, computed on a worker thread. The tracks are posted
 * in parts of `partSize`, awaiting `pause()` between them: copying 10 000 tracks into one message
 * held the caller's thread for 0.2–0.6 s.
 */
export function buildAudioTables(
  tracks: [number, AudioPostingInput][],
  policy: MediaPolicy,
  pause: () => Promise<void> = () => Promise.resolve(),
  partSize = 256,
): Promise<AudioTables> {
  return new Promise<AudioTables>((resolve, reject) => {
    const w = start();
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void w.terminate();
    };
    w.once('message', (res: PostingsResponse) => done(() => (res.ok ? resolve(res.tables) : reject(new Error(res.message)))));
    w.once('error', (err) => done(() => reject(err)));
    w.once('exit', (code) => done(() => reject(new Error(`the postings worker exited with code ${code}`))));
    void (async () => {
      for (let i = 0; i < tracks.length && !settled; i += partSize) {
        if (i > 0) await pause();
        if (!settled) w.postMessage({ tracks: tracks.slice(i, i + partSize) } satisfies PostingsRequest);
      }
      if (!settled) w.postMessage({ policy } satisfies PostingsRequest);
    })().catch((err: unknown) => done(() => reject(err instanceof Error ? err : new Error(String(err)))));
  });
}
