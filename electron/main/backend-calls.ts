/**
 * The Electron backend's API calls in flight, by the main process's request id: each is dispatched
 * with its own AbortController, which the main process's `{ abort: id }` message aborts (the window
 * that asked went away, an app:// preview request was cancelled), so its media work stops once no
 * other caller waits for it. No Electron import: tested without it.
 */
import { z } from 'zod';
import { type DispatchResult, type Handlers, dispatch } from './handlers.ts';

/** A forwarded call, as the main process posts it. */
export const BackendCall = z.object({ id: z.number().int().nonnegative(), method: z.string().max(200), input: z.unknown() });
export type BackendCall = z.infer<typeof BackendCall>;

/** The main process no longer waits for call `abort`. */
export const BackendAbort = z.object({ abort: z.number().int().nonnegative() });

export class BackendCalls {
  private readonly live = new Map<number, AbortController>();

  constructor(private readonly handlers: () => Handlers | undefined) {}

  /** Calls still running (tests and diagnostics). */
  get running(): number {
    return this.live.size;
  }

  /** Dispatches one call (internal methods admitted: only the main process posts here). */
  async run(call: BackendCall): Promise<DispatchResult> {
    const handlers = this.handlers();
    if (!handlers) return { ok: false, status: 503, error: { code: 'starting', message: 'the studio is still starting' } };
    const ac = new AbortController();
    this.live.set(call.id, ac);
    try {
      return await dispatch(handlers, call.method, call.input, { internal: true, signal: ac.signal });
    } finally {
      if (this.live.get(call.id) === ac) this.live.delete(call.id);
    }
  }

  /** Aborts call `id` if it still runs; whether it did. */
  abort(id: number): boolean {
    const ac = this.live.get(id);
    if (!ac) return false;
    this.live.delete(id);
    ac.abort();
    return true;
  }
}
