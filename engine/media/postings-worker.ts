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

/**
 * The tracks arrive in parts (each message is a structured clone made in one step on the caller's
 * thread, so the parts keep that step short), then the policy, which starts the build.
 */
export type PostingsRequest = { tracks: [number, AudioPostingInput][] } | { policy: MediaPolicy };
export type PostingsResponse = { ok: true; tables: AudioTables } | { ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('postings-worker must run in a worker thread');

const tracks = new Map<number, AudioPostingInput>();

port.on('message', (req: PostingsRequest) => {
  if ('tracks' in req) {
    for (const [id, t] of req.tracks) tracks.set(id, t);
    return;
  }
  try {
    const src = audioPostingSources(tracks, req.policy);
    const tables: AudioTables = { lm: freezePostings(HASH_BITS, false, src.lm), cp: freezePostings(HASH_BITS, true, src.cp) };
    const buffers = [tables.lm.frozen, tables.cp.frozen].flatMap((f) =>
      [f.offsets, f.track, f.pos, f.key].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : [])),
    );
    port.postMessage({ ok: true, tables } satisfies PostingsResponse, buffers);
  } catch (err) {
    port.postMessage({ ok: false, message: (err as Error).message ?? String(err) } satisfies PostingsResponse);
  }
});
