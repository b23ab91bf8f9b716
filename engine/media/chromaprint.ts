/**
 * Chromaprint (AcoustID's fingerprint) through @unimusic/chromaprint's WASM build, fed with our own
 * decoded PCM. The package's JS entry decodes with the browser's Web Audio API, so this module loads
 * its emscripten module directly with the .wasm bytes and calls the C API (start, feed, finish, raw
 * fingerprint). The emscripten glue only runs when it believes it is in a browser or worker, so a
 * placeholder WorkerGlobalScope exists for the synchronous start of its initialisation.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EngineError } from '../errors.ts';

interface ChromaprintModule {
  HEAP16: Int16Array;
  HEAP32: Int32Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _chromaprint_new(algorithm: number): number;
  _chromaprint_free(ctx: number): void;
  _chromaprint_start(ctx: number, rate: number, channels: number): number;
  _chromaprint_feed(ctx: number, ptr: number, n: number): number;
  _chromaprint_finish(ctx: number): number;
  _chromaprint_get_raw_fingerprint(ctx: number, dataPtrPtr: number, sizePtr: number): number;
}

/** Chromaprint's default algorithm (CHROMAPRINT_ALGORITHM_TEST2). */
const ALGORITHM = 1;
/** Seconds per raw fingerprint item: 4096-sample frames at 11025 Hz with a 1/3 overlap step. */
export const CHROMAPRINT_ITEM_SECONDS = 4096 / 3 / 11025;

let loading: Promise<ChromaprintModule> | null = null;

async function load(): Promise<ChromaprintModule> {
  const req = createRequire(import.meta.url);
  const dir = join(dirname(req.resolve('@unimusic/chromaprint')));
  const wasmBinary = await readFile(join(dir, 'chromaprint.wasm'));
  const mod = (await import(join(dir, 'chromaprint.js'))) as { default: (arg: object) => Promise<ChromaprintModule> };
  const g = globalThis as { WorkerGlobalScope?: unknown };
  const had = 'WorkerGlobalScope' in g;
  if (!had) g.WorkerGlobalScope = class {};
  let ready: Promise<ChromaprintModule>;
  try {
    ready = mod.default({ wasmBinary, print: () => {}, printErr: () => {} });
  } finally {
    if (!had) delete g.WorkerGlobalScope;
  }
  return ready;
}

function module(): Promise<ChromaprintModule> {
  loading ??= load().catch((err: unknown) => {
    loading = null;
    throw new EngineError('chromaprint_unavailable', `Chromaprint could not be loaded: ${(err as Error).message}`);
  });
  return loading;
}

/** Raw Chromaprint fingerprint (one 32-bit item per ≈ 0.124 s) of mono PCM at `sampleRate`. */
export async function chromaprintRaw(pcm: Float32Array, sampleRate: number): Promise<Uint32Array> {
  const M = await module();
  const ctx = M._chromaprint_new(ALGORITHM);
  if (!ctx) throw new EngineError('chromaprint_failed', 'Chromaprint could not create a context');
  const CHUNK = 1 << 16;
  const buf = M._malloc(CHUNK * 2);
  const dataPtrPtr = M._malloc(4);
  const sizePtr = M._malloc(4);
  try {
    if (!M._chromaprint_start(ctx, sampleRate, 1)) throw new EngineError('chromaprint_failed', 'Chromaprint refused the sample rate');
    for (let off = 0; off < pcm.length; off += CHUNK) {
      const n = Math.min(CHUNK, pcm.length - off);
      const heap = M.HEAP16; // re-read: the view is replaced when WASM memory grows
      const base = buf >> 1;
      for (let i = 0; i < n; i++) {
        const s = pcm[off + i] as number;
        heap[base + i] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
      }
      if (!M._chromaprint_feed(ctx, buf, n)) throw new EngineError('chromaprint_failed', 'Chromaprint rejected the audio');
    }
    if (!M._chromaprint_finish(ctx)) throw new EngineError('chromaprint_failed', 'Chromaprint could not finish');
    if (!M._chromaprint_get_raw_fingerprint(ctx, dataPtrPtr, sizePtr)) return new Uint32Array(0);
    const size = M.HEAP32[sizePtr >> 2] as number;
    const data = M.HEAP32[dataPtrPtr >> 2] as number;
    const out = new Uint32Array(size);
    for (let i = 0; i < size; i++) out[i] = (M.HEAP32[(data >> 2) + i] as number) >>> 0;
    if (data) M._free(data);
    return out;
  } finally {
    M._free(buf);
    M._free(dataPtrPtr);
    M._free(sizePtr);
    M._chromaprint_free(ctx);
  }
}
