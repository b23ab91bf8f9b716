/** Worker thread of the local-feature pool: decodes and describes images off the caller's event loop. */
import { parentPort } from 'node:worker_threads';
import { z } from 'zod';
import { extractLocalFeaturesInThread } from './extract.ts';
import { serialize } from './serialize.ts';

const Request = z.object({ id: z.number().int(), bytes: z.instanceof(Uint8Array), mirror: z.boolean() });

export type PoolResponse = { id: number; ok: true; blob: Uint8Array } | { id: number; ok: false; error: string; code?: string | undefined };

parentPort?.on('message', (msg: unknown) => {
  const req = Request.safeParse(msg);
  if (!req.success) return;
  const { id, bytes, mirror } = req.data;
  extractLocalFeaturesInThread(bytes, { mirror }).then(
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
