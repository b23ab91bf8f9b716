/**
 * Worker thread of the local-feature pool: describes images off the caller's event loop, either
 * from the file's bytes (decoded here) or from a working frame the caller already decoded (its
 * pixels transferred, not copied: each image is decoded once; mirrored here first when the request
 * says `flip`), or one tilted view of such a frame, warped here (tilt.ts). A `warm` request only starts OpenCV and loads the vocabulary
 * (LocalFeaturePool.warm).
 */
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { loadCv } from './cv.ts';
import { describeFrameInThread, extractLocalFeaturesInThread } from './extract.ts';
import { type GrayFrame, mirrorGray } from './frame.ts';
import { serialize } from './serialize.ts';
import { tiltFrame } from './tilt.ts';
import type { LocalFeatureSet } from './types.ts';
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
    invert: z
      .object({
        always: z.boolean().optional(),
        maxLevel: z.number(),
        edgeShare: z.number().min(0).max(1),
        connectedShare: z.number().min(0),
      })
      .optional(),
    sketch: z.boolean().optional(),
    flip: z.boolean().optional(),
    mirror: z.boolean(),
  }),
  z.object({
    id: z.number().int(),
    tilt: z.object({ frame: Frame, fine: Frame.optional(), t: z.number().gt(1), phi: z.number(), tolerance: z.number().min(0) }),
    mirror: z.boolean(),
  }),
]);

/**
 * A described set (serialised), and for a tilted view what serialising leaves out: its map back onto
 * the frame it was warped from and its whitened pixels (LocalFeatureSet.tilt, flatGray).
 */
export type PoolResponse =
  | { id: number; ok: true; blob: Uint8Array; toBase?: number[] | undefined; flat?: Uint8Array | undefined }
  | { id: number; ok: false; error: string; code?: string | undefined };

/**
 * One tilted view of a working frame (tilt.ts), warped and described here: as a zoom window, with
 * its fine octave and grey frame and no sketch (never stored).
 */
async function describeTilted(
  r: { frame: GrayFrame; fine?: GrayFrame | undefined; t: number; phi: number; tolerance: number },
  mirror: boolean,
) {
  const { frame, fine, toBase } = tiltFrame(r.frame, r.t, r.phi, r.tolerance, r.fine);
  const gray = Uint8Array.from(frame.gray);
  const flat = frame.flat && Uint8Array.from(frame.flat);
  const set = await describeFrameInThread(frame, { mirror, sketch: false }, fine);
  return { set: { ...set, frameGray: set.frameGray ?? gray }, toBase, flat };
}

/** A frame mirrored left to right (its grey pixels and whitened twin; its place in the image is unchanged). */
function flipped(f: GrayFrame): GrayFrame {
  return { ...f, gray: mirrorGray(f.gray, f.width, f.height), ...(f.flat ? { flat: mirrorGray(f.flat, f.width, f.height) } : {}) };
}

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
  const job: Promise<{ set: LocalFeatureSet; toBase?: number[]; flat?: Uint8Array | undefined }> =
    'bytes' in r
      ? extractLocalFeaturesInThread(r.bytes, { mirror: r.mirror }).then((set) => ({ set }))
      : 'tilt' in r
        ? describeTilted(r.tilt, r.mirror)
        : describeFrameInThread(
            r.flip ? flipped(r.frame) : r.frame,
            { mirror: r.mirror, sharpen: r.sharpen, invert: r.invert, sketch: r.sketch },
            r.fine && r.flip ? flipped(r.fine) : r.fine,
          ).then((set) => ({
            set,
          }));
  const { id } = r;
  job.then(
    ({ set, toBase, flat }) => {
      const blob = new Uint8Array(serialize(set));
      const transfer = [blob.buffer as ArrayBuffer, ...(flat ? [flat.buffer as ArrayBuffer] : [])];
      parentPort?.postMessage({ id, ok: true, blob, ...(toBase ? { toBase, flat } : {}) } satisfies PoolResponse, transfer);
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
