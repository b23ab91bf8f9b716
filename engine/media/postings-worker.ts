/**
 * Worker-thread entry of the audio index's bulk build (engine/media/postings-build.ts): hashes the
 * landmarks and Chromaprint items of every track and fills the two compact posting tables, then
 * transfers their arrays back — the seconds of CPU a large media library costs to index never run
 * on the caller's event loop.
 */
import { parentPort } from 'node:worker_threads';
import type { MediaPolicy } from '../../shared/policy/media.ts';
import { type AudioPostingInput, type AudioTables, HASH_BITS, audioPostingSources } from './audio-index.ts';
import { freezePostings } from './postings.ts';

export interface PostingsRequest {
  policy: MediaPolicy;
  tracks: [number, AudioPostingInput][];
}
export type PostingsResponse = { ok: true; tables: AudioTables } | { ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('postings-worker must run in a worker thread');

port.once('message', (req: PostingsRequest) => {
  try {
    const src = audioPostingSources(new Map(req.tracks), req.policy);
    const tables: AudioTables = { lm: freezePostings(HASH_BITS, false, src.lm), cp: freezePostings(HASH_BITS, true, src.cp) };
    const buffers = [tables.lm.frozen, tables.cp.frozen].flatMap((f) =>
      [f.offsets, f.track, f.pos, f.key].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : [])),
    );
    port.postMessage({ ok: true, tables } satisfies PostingsResponse, buffers);
  } catch (err) {
    port.postMessage({ ok: false, message: (err as Error).message ?? String(err) } satisfies PostingsResponse);
  }
});
