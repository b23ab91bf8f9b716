/**
 * The ONNX semantic layer: CLIP image/text and BGE text embeddings computed in a worker thread.
 * Only spaces whose weights are installed and verified are available; the others report why.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Manifest, ModelStore } from '../models/manager.ts';
import { type PreprocessorConfig, clipPixelValues, loadPreprocessorConfig } from './preprocess.ts';
import type { Embedder, SpaceState, VectorSpace } from './types.ts';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './worker.ts';

type WorkerJob = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/**
 * Starts a worker: the compiled .js next to this module in a build, else the .ts source through
 * engine/worker-boot.mjs (which registers tsx inside the worker thread).
 */
export function startWorker(name: string, workerData: object, base: string = import.meta.url): Worker {
  const js = new URL(`./${name}.js`, base);
  if (existsSync(js)) return new Worker(js, { workerData });
  return new Worker(new URL('../worker-boot.mjs', base), { workerData: { ...workerData, __entry: new URL(`./${name}.ts`, base).href } });
}

export interface ModelPaths {
  clipImage?: { model: string; sha256: string; preprocessorDir: string } | undefined;
  clipText?: { model: string; sha256: string; tokenizerDir: string } | undefined;
  bgeText?: { model: string; sha256: string; tokenizerDir: string } | undefined;
}

export interface OnnxEmbedderOptions {
  /** Intra-op threads for ONNX Runtime (default: half the cores, at least 1, at most 4). */
  threads?: number;
  /** Images per inference call when bulk indexing. */
  batchSize?: number;
}

export class OnnxEmbedder implements Embedder {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void; dim?: number }>();
  private readonly reasons: Partial<Record<VectorSpace, string>>;
  private preprocess: PreprocessorConfig | undefined;
  readonly threads: number;
  readonly batchSize: number;

  constructor(
    private readonly paths: ModelPaths,
    reasons: Partial<Record<VectorSpace, string>> = {},
    opts: OnnxEmbedderOptions = {},
  ) {
    this.reasons = reasons;
    this.threads = opts.threads ?? Math.min(4, Math.max(1, Math.floor(availableParallelism() / 2)));
    this.batchSize = opts.batchSize ?? 8;
  }

  /** Builds an embedder from a models folder (see ModelStore); missing weights make spaces unavailable. */
  static async fromModelsDir(dir: string, opts: OnnxEmbedderOptions & { manifest?: Manifest } = {}): Promise<OnnxEmbedder> {
    const store = new ModelStore(dir, opts.manifest);
    const paths: ModelPaths = {};
    const reasons: Partial<Record<VectorSpace, string>> = {};
    const img = await store.resolveRole('clip_image');
    if ('path' in img) paths.clipImage = { model: img.path, sha256: img.sha256, preprocessorDir: img.tokenizerDir };
    else reasons.clip_image = img.reason;
    const ct = await store.resolveRole('clip_text');
    if ('path' in ct) paths.clipText = { model: ct.path, sha256: ct.sha256, tokenizerDir: ct.tokenizerDir };
    else reasons.clip_text = ct.reason;
    const bge = await store.resolveRole('bge_text');
    if ('path' in bge) paths.bgeText = { model: bge.path, sha256: bge.sha256, tokenizerDir: bge.tokenizerDir };
    else reasons.bge_text = bge.reason;
    return new OnnxEmbedder(paths, reasons, opts);
  }

  state(space: VectorSpace): SpaceState {
    const p = space === 'clip_image' ? this.paths.clipImage : space === 'clip_text' ? this.paths.clipText : this.paths.bgeText;
    if (p) return { available: true, modelSha256: p.sha256 };
    return { available: false, reason: this.reasons[space] ?? 'weights not installed' };
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const init: WorkerInit = {
      threads: this.threads,
      clipImage: this.paths.clipImage && { model: this.paths.clipImage.model },
      clipText: this.paths.clipText && { model: this.paths.clipText.model, tokenizerDir: this.paths.clipText.tokenizerDir },
      bgeText: this.paths.bgeText && { model: this.paths.bgeText.model, tokenizerDir: this.paths.bgeText.tokenizerDir },
    };
    const w = startWorker('worker', init);
    w.on('message', (res: WorkerResponse) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (!res.ok) return p.reject(new Error(res.error));
      const rows: Float32Array[] = [];
      for (let i = 0; i < res.data.length; i += res.dim) rows.push(res.data.slice(i, i + res.dim));
      p.resolve(rows);
    });
    w.on('error', (err) => this.failAll(err));
    w.on('exit', (code) => {
      this.worker = undefined;
      if (code !== 0) this.failAll(new Error(`inference worker exited with code ${code}`));
    });
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private request(req: WorkerJob, transfer: ArrayBuffer[] = []): Promise<Float32Array[]> {
    const w = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...req, id }, transfer);
    }).finally(() => {
      if (!this.pending.size) this.worker?.unref();
    }) as Promise<Float32Array[]>;
  }

  async embedImages(images: Uint8Array[]): Promise<Float32Array[]> {
    const p = this.paths.clipImage;
    if (!p) throw new Error(this.reasons.clip_image ?? 'CLIP image weights not installed');
    this.preprocess ??= loadPreprocessorConfig(p.preprocessorDir);
    const cfg = this.preprocess;
    const out: Float32Array[] = [];
    for (let i = 0; i < images.length; i += this.batchSize) {
      const batch = images.slice(i, i + this.batchSize);
      const per = 3 * cfg.crop_size.height * cfg.crop_size.width;
      const pixels = new Float32Array(batch.length * per);
      const each = await Promise.all(batch.map((b) => clipPixelValues(b, cfg)));
      each.forEach((px, j) => pixels.set(px, j * per));
      out.push(...(await this.request({ kind: 'clip_image', pixels, batch: batch.length }, [pixels.buffer])));
    }
    return out;
  }

  async embedClipTexts(texts: string[]): Promise<Float32Array[]> {
    if (!this.paths.clipText) throw new Error(this.reasons.clip_text ?? 'CLIP text weights not installed');
    return this.request({ kind: 'clip_text', texts });
  }

  async embedTexts(texts: string[]): Promise<Float32Array[]> {
    if (!this.paths.bgeText) throw new Error(this.reasons.bge_text ?? 'BGE weights not installed');
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize * 4)
      out.push(...(await this.request({ kind: 'bge_text', texts: texts.slice(i, i + this.batchSize * 4) })));
    return out;
  }

  async close(): Promise<void> {
    this.failAll(new Error('embedder closed'));
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
