/**
 * Worker thread of the local-feature pool: describes images off the caller's event loop, either
 * from the file's bytes (decoded here) or from a working frame the caller already decoded (its
 * pixels transferred, not copied: each image is decoded once). A `warm` request only starts
 * OpenCV and loads the vocabulary (LocalFeaturePool.warm).
 */
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { loadCv } from './cv.ts';
import { describeFrameInThread, extractLocalFeaturesInThread } from './extract.ts';
import { serialize } from './serialize.ts';
import { loadVocabulary } from './vocab-file.ts';

const Box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });
const Frame = z
  .object({
    gray: z.instanceof(Uint8Array),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    frame: Box,
    background: z.number().int().min(0).max(255).optional(),
    flat: z.instanceof(Uint8Array).optional(),
  })
  .refine((f) => f.gray.length === f.width * f.height, 'frame pixels do not match its size')
  .refine((f) => !f.flat || f.flat.length === f.width * f.height, 'whitened frame pixels do not match its size');
const Request = z.union([
  z.object({ id: z.number().int(), warm: z.literal(true) }),
  z.object({ id: z.number().int(), bytes: z.instanceof(Uint8Array), mirror: z.boolean() }),
  z.object({
    id: z.number().int(),
    frame: Frame,
    fine: Frame.optional(),
    sharpen: z.object({ minBlur: z.number(), sigma: z.number().positive(), amount: z.number().min(0) }).optional(),
    invert: z.object({ maxLevel: z.number(), edgeShare: z.number().min(0).max(1), connectedShare: z.number().min(0) }).optional(),
    sketch: z.boolean().optional(),
    mirror: z.boolean(),
  }),
]);

export type PoolResponse = { id: number; ok: true; blob: Uint8Array } | { id: number; ok: false; error: string; code?: string | undefined };

parentPort?.on('message', (msg: unknown) => {
  const req = Request.safeParse(msg);
  if (!req.success) {
    // Answer a malformed request that still names its job, so the caller does not wait forever.
    const id = (msg as { id?: unknown } | null)?.id;
    if (typeof id === 'number')
      parentPort?.postMessage({ id, ok: false, error: `bad request: ${req.error.message}` } satisfies PoolResponse);
    return;
  }
  const r = req.data;
  if ('warm' in r) {
    // Start OpenCV's runtime and load the vocabulary now, before the first image arrives.
    loadCv().then(
      () => {
        loadVocabulary();
        parentPort?.postMessage({ id: r.id, ok: true, blob: new Uint8Array(0) } satisfies PoolResponse);
      },
      (err: unknown) => parentPort?.postMessage({ id: r.id, ok: false, error: (err as Error).message } satisfies PoolResponse),
    );
    return;
  }
  const job =
    'bytes' in r
      ? extractLocalFeaturesInThread(r.bytes, { mirror: r.mirror })
      : describeFrameInThread(r.frame, { mirror: r.mirror, sharpen: r.sharpen, invert: r.invert, sketch: r.sketch }, r.fine);
  const { id } = r;
  job.then(
    (set) => {
      const blob = new Uint8Array(serialize(set));
      parentPort?.postMessage({ id, ok: true, blob } satisfies PoolResponse, [blob.buffer as ArrayBuffer]);
    },
    (err: unknown) =>
      parentPort?.postMessage({
        id,
        ok: false,
        error: (err as Error).message,
        code: (err as { code?: string }).code,
      } satisfies PoolResponse),
  );
});
