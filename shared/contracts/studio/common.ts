/**
 * What every domain of the studio's contract is built from: the shared input schemas (ids, digests,
 * base64) and the types that turn a domain's input schemas and output types into its handler map.
 */
import { z } from 'zod';

export const id = z.string().trim().min(1).max(200);
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
/** Up to 75 MB of base64 (about 56 MB of file). */
export const base64 = z
  .string()
  .max(75_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** A domain's input schemas, keyed by method name. */
export type InputSchemas = Record<string, z.ZodType>;

/**
 * What the transport knows about one call: `signal` aborts when its caller went away (the HTTP
 * request closed early, the Electron window that asked is gone), so long work can stop.
 */
export interface CallContext {
  signal?: AbortSignal | undefined;
}

/** The handlers of a domain: one per method, given its parsed input (and the call's context), answering its output (or a promise of it). */
export type HandlerMap<I extends InputSchemas, O extends { [M in keyof I]: unknown }> = {
  [M in keyof I]: (input: z.output<I[M]>, ctx: CallContext) => Promise<O[M]> | O[M];
};
