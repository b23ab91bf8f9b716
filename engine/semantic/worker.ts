/**
 * Inference worker thread: owns the ONNX Runtime sessions and the tokenizers so that neither
 * tokenising nor inference ever runs on the caller's event loop. Thread count is bounded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { ClipTokenizer, CLIP_CONTEXT } from './clip-tokenizer.ts';
import { WordPieceTokenizer } from './wordpiece.ts';

export interface WorkerInit {
  threads: number;
  clipImage?: { model: string } | undefined;
  clipText?: { model: string; tokenizerDir: string } | undefined;
  bgeText?: { model: string; tokenizerDir: string } | undefined;
}

export type WorkerRequest =
  | { id: number; kind: 'clip_image'; pixels: Float32Array; batch: number }
  | { id: number; kind: 'clip_text'; texts: string[] }
  | { id: number; kind: 'bge_text'; texts: string[] };

export type WorkerResponse = { id: number; ok: true; dim: number; data: Float32Array } | { id: number; ok: false; error: string };

const init = workerData as WorkerInit;
const opts: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: init.threads,
  interOpNumThreads: 1,
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
};

const sessions = new Map<string, Promise<ort.InferenceSession>>();
function session(path: string): Promise<ort.InferenceSession> {
  let s = sessions.get(path);
  if (!s) {
    s = ort.InferenceSession.create(path, opts);
    sessions.set(path, s);
  }
  return s;
}

let clipTok: ClipTokenizer | undefined;
let bertTok: WordPieceTokenizer | undefined;

function l2rows(data: Float32Array, rows: number, dim: number, stride = dim): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let i = 0; i < dim; i++) n += (data[r * stride + i] as number) ** 2;
    n = Math.sqrt(n) || 1;
    for (let i = 0; i < dim; i++) out[r * dim + i] = (data[r * stride + i] as number) / n;
  }
  return out;
}

function pick(out: ort.InferenceSession.OnnxValueMapType, name: string): ort.Tensor {
  const t = out[name];
  if (!t) throw new Error(`model output "${name}" missing (outputs: ${Object.keys(out).join(', ')})`);
  return t as ort.Tensor;
}

async function run(req: WorkerRequest): Promise<{ dim: number; data: Float32Array }> {
  if (req.kind === 'clip_image') {
    if (!init.clipImage) throw new Error('CLIP image model not configured');
    const s = await session(init.clipImage.model);
    const out = await s.run({ pixel_values: new ort.Tensor('float32', req.pixels, [req.batch, 3, 224, 224]) });
    const t = pick(out, 'image_embeds');
    const dim = t.dims[1] as number;
    return { dim, data: l2rows(t.data as Float32Array, req.batch, dim) };
  }
  if (req.kind === 'clip_text') {
    if (!init.clipText) throw new Error('CLIP text model not configured');
    clipTok ??= ClipTokenizer.fromDir(init.clipText.tokenizerDir);
    const s = await session(init.clipText.model);
    const b = req.texts.length;
    const ids = new BigInt64Array(b * CLIP_CONTEXT);
    req.texts.forEach((t, i) => ids.set((clipTok as ClipTokenizer).encodePadded(t), i * CLIP_CONTEXT));
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, [b, CLIP_CONTEXT]) };
    if (s.inputNames.includes('attention_mask')) {
      const mask = new BigInt64Array(b * CLIP_CONTEXT);
      req.texts.forEach((t, i) => {
        const n = (clipTok as ClipTokenizer).encode(t).length;
        mask.fill(1n, i * CLIP_CONTEXT, i * CLIP_CONTEXT + n);
      });
      feeds.attention_mask = new ort.Tensor('int64', mask, [b, CLIP_CONTEXT]);
    }
    const t = pick(await s.run(feeds), 'text_embeds');
    const dim = t.dims[1] as number;
    return { dim, data: l2rows(t.data as Float32Array, b, dim) };
  }
  if (!init.bgeText) throw new Error('BGE model not configured');
  bertTok ??= WordPieceTokenizer.fromDir(init.bgeText.tokenizerDir);
  const s = await session(init.bgeText.model);
  const enc = req.texts.map((t) => (bertTok as WordPieceTokenizer).encode(t));
  const b = enc.length;
  const n = Math.max(...enc.map((e) => e.inputIds.length));
  const ids = new BigInt64Array(b * n).fill(BigInt(bertTok.pad));
  const mask = new BigInt64Array(b * n);
  const types = new BigInt64Array(b * n);
  enc.forEach((e, i) => {
    e.inputIds.forEach((v, j) => {
      ids[i * n + j] = BigInt(v);
      mask[i * n + j] = 1n;
    });
  });
  const t = pick(
    await s.run({
      input_ids: new ort.Tensor('int64', ids, [b, n]),
      attention_mask: new ort.Tensor('int64', mask, [b, n]),
      token_type_ids: new ort.Tensor('int64', types, [b, n]),
    }),
    'last_hidden_state',
  );
  const dim = t.dims[2] as number;
  // CLS pooling: the first token's hidden state of each row, then L2-normalised.
  return { dim, data: l2rows(t.data as Float32Array, b, dim, n * dim) };
}

parentPort?.on('message', (req: WorkerRequest) => {
  run(req).then(
    ({ dim, data }) => parentPort?.postMessage({ id: req.id, ok: true, dim, data } satisfies WorkerResponse, [data.buffer as ArrayBuffer]),
    (err: unknown) => parentPort?.postMessage({ id: req.id, ok: false, error: (err as Error).message } satisfies WorkerResponse),
  );
});
