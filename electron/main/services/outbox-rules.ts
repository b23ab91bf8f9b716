/**
 * The outbox's rules, as pure functions the sync engine (the one owner of the outbox) applies:
 * what an operation depends on, which earlier operations a new one replaces, and how an error
 * from the marketplace settles an attempt (retried with backoff, failed, or waiting for the
 * creator), in plain words.
 *
 * Dependencies are per asset, never across assets: an operation waits for an earlier operation on
 * the same asset that is still being sent (order per asset: versions in order, prices in order),
 * and a price or license offer of an asset not on the marketplace yet waits for that asset's
 * submission, whatever its state (it cannot go before the listing exists) — one queued after it
 * too, and with none queued yet it waits for the first one (FIRST_SUBMISSION_ID): a creator prices
 * and licenses an asset while preparing it, and its first submission takes both to the listing.
 * A failed operation blocks nothing else: it stays in the outbox, with its reason, until it is
 * retried or discarded.
 */
import { ApiError } from '../../../shared/api.ts';
import type { OutboxOpView } from '../../../shared/api.ts';
import { messageForPeople } from '../../../shared/errors.ts';

type Kind = OutboxOpView['kind'];
type State = OutboxOpView['state'];

/** The fields of a queued operation the rules look at. */
export interface QueuedOp {
  id: string;
  kind: Kind;
  assetId: string | null;
  state: State;
}

/** What a price or offer of an asset never submitted waits for while no submission is queued: its id is "submission". */
export const FIRST_SUBMISSION_ID = 'submission';

/**
 * The operation `op` waits for, or null when it may be sent now. `earlier` is every operation
 * queued before it that has not reached the marketplace (any asset, in queue order), `later` those
 * queued after it; `listed` says whether op's asset already has its marketplace listing. A price
 * or offer of an unlisted asset with no submission queued waits for the first one: a pseudo
 * operation with the id FIRST_SUBMISSION_ID.
 */
export function waitingFor(op: QueuedOp, earlier: readonly QueuedOp[], listed: boolean, later: readonly QueuedOp[] = []): QueuedOp | null {
  const same = earlier.filter((e) => e.assetId === op.assetId && e.state !== 'done');
  for (let i = same.length - 1; i >= 0; i--) {
    const e = same[i] as QueuedOp;
    // An unlisted asset's first submission never waits for a price or offer set before it: they wait for it.
    if (!listed && op.kind === 'submit' && e.kind !== 'submit') continue;
    if (e.state === 'pending') return e;
    if (!listed && op.kind !== 'submit' && e.kind === 'submit') return e;
  }
  if (listed || op.kind === 'submit') return null;
  const next = later.find((e) => e.assetId === op.assetId && e.kind === 'submit' && e.state !== 'done');
  return next ?? { id: FIRST_SUBMISSION_ID, kind: 'submit', assetId: op.assetId, state: 'pending' };
}

/**
 * The earlier operations a new one of `kind` replaces, so that a failed one never holds it back:
 * a new submission sends the asset as it is now, so it replaces a submission that failed or waits
 * for the creator's action; a new price replaces a price that failed. License offers are each
 * their own and replace nothing. Operations still being sent are never replaced (an attempt may
 * have reached the marketplace; sending it under a new key could duplicate it).
 */
export function supersedes(kind: Kind, earlier: QueuedOp): boolean {
  if (earlier.kind !== kind) return false;
  if (kind === 'submit') return earlier.state === 'failed' || earlier.state === 'needs_action';
  if (kind === 'pricing') return earlier.state === 'failed';
  return false;
}

/** How a failed attempt settles the operation. */
export interface Outcome {
  state: Exclude<State, 'done'>;
  /** Tried again later, after the backoff (a transient problem). */
  backoff: boolean;
  /** The reason, in words the creator can act on. */
  error: string;
  /** Kept with the operation (the error's code and details; the candidates of a derivative). */
  result?: Record<string, unknown>;
  /** The whole marketplace is out of reach: nothing else will get through this pass. */
  stopPass: boolean;
}

/** What an error from sending an operation means for it: transient ones are retried, the rest fail with their reason. */
export function settle(e: unknown): Outcome {
  const err = e instanceof ApiError ? e : new ApiError('internal', (e as Error).message, undefined, 500);
  if (err.code === 'offline') return { state: 'pending', backoff: true, stopPass: true, error: err.message }; // "the marketplace at … is unreachable (…)"
  if (err.code === 'idempotency_in_progress')
    return { state: 'pending', backoff: true, stopPass: false, error: 'the marketplace is still handling the previous attempt' };
  if (err.status === 429) return { state: 'pending', backoff: true, stopPass: false, error: 'the marketplace asked to slow down' };
  if (err.status >= 500)
    return { state: 'pending', backoff: true, stopPass: false, error: `the marketplace had a problem (${err.message})` };
  if (err.status === 401) return { state: 'pending', backoff: true, stopPass: false, error: 'sign in again to send this' };
  if (err.code === 'derivative_potential')
    return {
      state: 'needs_action',
      backoff: false,
      stopPass: false,
      error: err.message,
      result: { code: err.code, ...(err.details ?? {}) },
    };
  return {
    state: 'failed',
    backoff: false,
    stopPass: false,
    // A refused field is said in plain words (the field's path and zod's words stay in the result).
    error: messageForPeople(err),
    result: { code: err.code, field: err.field ?? null, ...(err.details ?? {}) },
  };
}
