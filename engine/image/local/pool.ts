/**
 * A small, lazily started pool of worker threads for local-feature extraction (OpenCV WASM is
 * synchronous and CPU-bound, so it never runs on the caller's event loop). Size: available cores − 1,
 * at least 2, so that a query's two views (as-is and mirrored) are described side by side. Workers start from the compiled local-features-worker.js next to this module in a
 * bundle, else from the .ts source through engine/worker-boot.mjs (tsx), like the semantic embedder.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../../errors.ts';
import type { GrayFrame } from './frame.ts';
import type { PoolResponse } from './local-features-worker.ts';
import { deserialize } from './serialize.ts';
import type { ExtractOptions } from './extract.ts';
import type { TiltAngle } from './tilt.ts';
import type { LocalFeatureSet } from './types.ts';

const NAME = 'local-features-worker';

function startWorker(): Worker {
  const js = new URL(`./${NAME}.js`, import.meta.url);
  if (existsSync(js)) return new Worker(js);
  return new Worker(new URL('../../worker-boot.mjs', import.meta.url), {
    workerData: { __entry: new URL(`./${NAME}.ts`, import.meta.url).href },
  });
}

/** A frame whose pixel buffer it owns entirely, so it can be transferred (moved) to a worker. */
function owned(frame: GrayFrame): GrayFrame {
  const own = (g: Uint8Array): Uint8Array =>
    g.byteOffset === 0 && g.byteLength === g.buffer.byteLength && g.buffer instanceof ArrayBuffer ? g : g.slice();
  const gray = own(frame.gray);
  // The whitened twin must not share the grey frame's buffer (a buffer is transferred once).
  const flat = frame.flat && (frame.flat.buffer === gray.buffer ? frame.flat.slice() : own(frame.flat));
  return { ...frame, gray, ...(flat ? { flat } : {}) };
}

/** How a decoded working frame is described (extract.ts ExtractOptions, and a query's fine octave). */
type FrameOptions = Pick<ExtractOptions, 'sharpen' | 'invert' | 'sketch'> & { fine?: GrayFrame | undefined };

/**
 * A frame job's options: FrameOptions, and `flip` — the worker mirrors the pixels it receives (the
 * frame, its whitened twin and its fine octave) left to right before describing them, so that a
 * query's mirrored view is made off the caller's event loop.
 */
type FrameJobOptions = FrameOptions & { flip?: boolean | undefined };

/**
 * What a worker describes or warps, copied: the grey frame and its place, with its whitened twin
 * when `flat` (a tilted view's fine octave is warped without it). A buffer moves to a worker once, so
 * each tilted view, and a query's mirrored view, takes its own copy.
 */
export function copyFrame(f: GrayFrame, flat: boolean): GrayFrame {
  return {
    gray: f.gray.slice(),
    width: f.width,
    height: f.height,
    frame: f.frame,
    ...(f.background !== undefined ? { background: f.background } : {}),
    ...(flat && f.flat ? { flat: f.flat.slice() } : {}),
  };
}

/** A tilted view to warp from a working frame (tilt.ts): the frame, its fine octave, the tilt and trim tolerance. */
interface TiltInput {
  frame: GrayFrame;
  fine?: GrayFrame | undefined;
  t: number;
  phi: number;
  tolerance: number;
}

/**
 * What a worker describes: the file's bytes (decoded there), a working frame decoded here, or one
 * tilted view of such a frame (warped there); or nothing yet (warm).
 */
type Input = { bytes: Uint8Array } | ({ frame: GrayFrame } & FrameJobOptions) | { tilt: TiltInput } | { warm: true };

interface Job {
  id: number;
  input: Input;
  mirror: boolean;
  resolve: (s: LocalFeatureSet) => void;
  reject: (e: Error) => void;
}

export class LocalFeaturePool {
  readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly running = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(size: number = Math.max(2, availableParallelism() - 1)) {
    this.size = Math.max(1, Math.floor(size));
  }

  /** Extracts features on a worker; `mirror` (default true) also describes the mirrored view. */
  extract(bytes: Uint8Array, mirror = true): Promise<LocalFeatureSet> {
    return this.enqueue({ bytes }, mirror);
  }

  /**
   * Describes an already decoded working frame (no second decode), with a query's fine octave when
   * given. Their pixels are moved to the worker, not copied: `gray` is unusable here afterwards.
   */
  extractFrame(frame: GrayFrame, mirror = true, opts: FrameJobOptions = {}): Promise<LocalFeatureSet> {
    return this.enqueue({ ...opts, frame: owned(frame), fine: opts.fine && owned(opts.fine) }, mirror);
  }

  /**
   * Warps one tilted view of a working frame (tilt.ts) and describes it as a zoom window is
   * described, both on a worker. The frame's and fine octave's pixels are moved to the worker, so
   * pass copies the caller no longer needs (copyFrame). The set carries its `tilt` (the map back
   * onto the frame) and its whitened pixels.
   */
  extractTilted(
    frame: GrayFrame,
    fine: GrayFrame | undefined,
    angle: TiltAngle,
    tolerance: number,
    mirror = false,
  ): Promise<LocalFeatureSet> {
    return this.enqueue({ tilt: { frame: owned(frame), fine: fine && owned(fine), ...angle, tolerance } }, mirror);
  }

  /** Workers started (at most `size`). */
  get started(): number {
    return this.all.size;
  }

  /**
   * Starts every worker and its OpenCV runtime now (about half a second each), so that the first
   * image described later need not wait for them. Resolves when all are ready.
   */
  async warm(): Promise<void> {
    const missing = Math.max(0, this.size - this.all.size);
    await Promise.all(Array.from({ length: missing }, () => this.enqueue({ warm: true }, false)));
  }

  private enqueue(input: Input, mirror: boolean): Promise<LocalFeatureSet> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, mirror, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      let w = this.idle.pop();
      if (!w) {
        if (this.all.size >= this.size) return;
        w = this.spawn();
      }
      const job = this.queue.shift() as Job;
      this.running.set(w, job);
      w.ref();
      if ('warm' in job.input) w.postMessage({ id: job.id, warm: true });
      else if ('tilt' in job.input) {
        const { frame, fine } = job.input.tilt;
        const transfer = [frame.gray, frame.flat, fine?.gray].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
        w.postMessage({ id: job.id, tilt: job.input.tilt, mirror: job.mirror }, transfer);
      } else if ('frame' in job.input) {
        const { frame, fine, sharpen, invert, sketch, flip } = job.input;
        const transfer = [frame.gray, frame.flat, fine?.gray].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
        w.postMessage({ id: job.id, frame, fine, sharpen, invert, sketch, flip, mirror: job.mirror }, transfer);
      } else w.postMessage({ id: job.id, bytes: job.input.bytes, mirror: job.mirror });
    }
  }

  private spawn(): Worker {
    const w = startWorker();
    this.all.add(w);
    w.on('message', (res: PoolResponse) => {
      const job = this.running.get(w);
      if (!job || job.id !== res.id) return;
      this.running.delete(w);
      if (res.ok) {
        try {
          if ('warm' in job.input) job.resolve(undefined as never);
          else if ('tilt' in job.input) {
            const { width, height } = job.input.tilt.frame;
            if (!res.toBase) throw new Error('a tilted view came back without its map onto the frame');
            const set = deserialize(res.blob);
            const tilt = { toBase: res.toBase, width, height };
            job.resolve({ ...set, tilt, ...(res.flat ? { flatGray: res.flat } : {}) });
          } else job.resolve(deserialize(res.blob));
        } catch (err) {
          job.reject(err as Error);
        }
      } else job.reject(res.code ? new EngineError(res.code, res.error) : new Error(res.error));
      w.unref();
      this.idle.push(w);
      this.pump();
    });
    w.on('error', (err) => this.drop(w, err));
    w.on('exit', (code) => this.drop(w, new Error(`local-feature worker exited with code ${code}`)));
    return w;
  }

  private drop(w: Worker, err: Error): void {
    this.all.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
    const job = this.running.get(w);
    this.running.delete(w);
    job?.reject(err);
    this.pump();
  }

  /** Stops every worker; queued and running jobs are rejected. */
  async terminate(): Promise<void> {
    const err = new Error('local-feature pool terminated');
    for (const job of this.queue.splice(0)) job.reject(err);
    for (const job of this.running.values()) job.reject(err);
    this.running.clear();
    const ws = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(ws.map((w) => w.terminate()));
  }
}

let shared: LocalFeaturePool | undefined;

/** Extracts a LocalFeatureSet through the shared pool (created on first use). */
export function extractLocalFeatures(bytes: Uint8Array, opts: { mirror?: boolean } = {}): Promise<LocalFeatureSet> {
  shared ??= new LocalFeaturePool();
  return shared.extract(bytes, opts.mirror ?? true);
}

/**
 * Describes a decoded working frame through the shared pool (its pixels move to the worker);
 * `fine` is a query's fine octave (the same image at local.fine.upsample × the working size);
 * `sharpen`, a query's settings for describing it unsharp-masked too when blurred (sharpen.ts);
 * `invert`, for describing it inverted too when it sits on a dark backdrop (invert.ts); `sketch`
 * false for a description never stored (a zoom window), which needs no grey sketch.
 */
export async function extractFrameFeatures(frame: GrayFrame, opts: FrameOptions & { mirror?: boolean } = {}): Promise<LocalFeatureSet> {
  const pool = (shared ??= new LocalFeaturePool());
  const mirror = opts.mirror ?? true;
  const sketch = opts.sketch ?? true;
  const { fine, sharpen, invert } = opts;
  // A query also keeps its frame with the backdrop whitened (appearance.ts), copied before the
  // workers get the pixels.
  const flatGray = mirror && frame.flat ? Uint8Array.from(frame.flat) : undefined;
  const withFlat = (set: LocalFeatureSet): LocalFeatureSet => (flatGray ? { ...set, flatGray } : set);
  if (!mirror || pool.size < 2) return withFlat(await pool.extractFrame(frame, mirror, { fine, sharpen, invert, sketch }));
  // A query: its mirrored view (and mirrored fine octave) is described by a second worker at the
  // same time — the same pixels and the same ORB as one job describing both, in about half the time.
  // That worker gets a copy of the pixels and mirrors them itself (`flip`): here they are only copied.
  const toFlip = copyFrame(frame, true);
  const fineToFlip = fine && copyFrame(fine, true);
  // The query keeps its grey frame (appearance.ts); the workers get theirs moved to them. Each job's
  // inverted view (invert.ts) is its own frame's: the second one is the mirror's.
  const frameGray = Uint8Array.from(frame.gray);
  // Only the plain job's sketch is kept (the mirror's would be dropped below).
  const [plain, mirrored] = await Promise.all([
    pool.extractFrame(frame, false, { fine, sharpen, invert, sketch }),
    pool.extractFrame(toFlip, false, { fine: fineToFlip, sharpen, invert, sketch: false, flip: true }),
  ]);
  return withFlat({ ...plain, mirror: mirrored.primary, frameGray, ...(mirrored.inverse ? { inverseMirror: mirrored.inverse } : {}) });
}

/**
 * One tilted view of a query's working frame (tilt.ts), warped and described by the shared pool
 * (LocalFeaturePool.extractTilted): the pixels passed are moved to the worker (pass copies: copyFrame).
 */
export function extractTiltedView(
  frame: GrayFrame,
  fine: GrayFrame | undefined,
  angle: TiltAngle,
  tolerance: number,
  mirror: boolean,
): Promise<LocalFeatureSet> {
  shared ??= new LocalFeaturePool();
  return shared.extractTilted(frame, fine, angle, tolerance, mirror);
}

/** Starts the shared pool's workers and their OpenCV runtimes ahead of the first image (see LocalFeaturePool.warm). */
export function warmLocalFeaturePool(): Promise<void> {
  shared ??= new LocalFeaturePool();
  return shared.warm();
}

/** Terminates the shared pool (a later call starts a new one). */
export async function terminateLocalFeaturePool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.terminate();
}
