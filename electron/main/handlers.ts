/**
 * The one handler map of the studio API, composed from the per-domain maps (electron/main/handlers/,
 * each typed by its domain's contract), and the dispatcher every transport uses: input validated
 * with the contract's zod schema (errors name the field), output typed by the contract, every
 * failure turned into an ApiError body (engine errors through shared/errors.ts's one mapping).
 * The transport's `signal` (its caller went away) reaches the handler as its call context.
 */
import type { CallContext } from '../../shared/contracts/studio/common.ts';
import { type ApiMethod, type Handlers, INTERNAL_METHODS, apiInputs } from '../../shared/contracts/studio/index.ts';
import { ApiError, type ApiErrorBody, fromEngineError, invalidInput } from '../../shared/errors.ts';
import { accountHandlers } from './handlers/account.ts';
import { adminHandlers } from './handlers/admin.ts';
import { draftHandlers } from './handlers/drafts.ts';
import { appHandlers, checkHandlers, libraryHandlers, mediaHandlers, modelHandlers, revisionHandlers } from './handlers/local.ts';
import { marketHandlers } from './handlers/market.ts';
import { moneyHandlers } from './handlers/money.ts';
import { remote } from './handlers/remote.ts';
import { syncHandlers } from './handlers/sync.ts';
import { trustHandlers } from './handlers/trust.ts';
import type { Connection } from './services/connection.ts';
import type { Studio } from './services/studio.ts';
import type { SyncEngine } from './services/sync.ts';

export type { Handlers };

export function createHandlers(studio: Studio, market: { conn: Connection; sync: SyncEngine }): Handlers {
  const r = remote(studio, market.conn, market.sync);
  return {
    ...appHandlers(studio),
    ...libraryHandlers(studio),
    ...revisionHandlers(studio),
    ...mediaHandlers(studio),
    ...checkHandlers(studio),
    ...draftHandlers(studio),
    ...modelHandlers(studio),
    ...accountHandlers(r),
    ...adminHandlers(r),
    ...syncHandlers(r),
    ...marketHandlers(r),
    ...moneyHandlers(r),
    ...trustHandlers(r),
  };
}

export type DispatchResult = { ok: true; value: unknown } | { ok: false; status: number; error: ApiErrorBody };

/** A method the page may call (internal ones are the Electron main process's alone). */
export function isApiMethod(m: string): m is ApiMethod {
  return Object.hasOwn(apiInputs, m) && !INTERNAL_METHODS.has(m as ApiMethod);
}

/**
 * Dispatches a call; `internal` (the Electron backend answering its main process) admits
 * INTERNAL_METHODS too; `signal` aborts when the caller went away (handlers with media work stop it).
 */
export async function dispatch(
  handlers: Handlers,
  method: string,
  raw: unknown,
  opts: { internal?: boolean; signal?: AbortSignal | undefined } = {},
): Promise<DispatchResult> {
  const known = opts.internal ? Object.hasOwn(apiInputs, method) : isApiMethod(method);
  if (!known) return { ok: false, status: 404, error: { code: 'unknown_method', message: `no API method ${method}` } };
  const m = method as ApiMethod;
  const parsed = apiInputs[m].safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, status: 400, error: invalidInput(parsed.error, { schema: apiInputs[m] }).toBody() };
  try {
    const fn = handlers[m] as (i: unknown, ctx: CallContext) => unknown;
    return { ok: true, value: await fn(parsed.data, { signal: opts.signal }) };
  } catch (thrown) {
    const err = fromEngineError(thrown);
    if (err instanceof ApiError) return { ok: false, status: err.status, error: err.toBody() };
    console.error(`[api] ${m} failed:`, err);
    return {
      ok: false,
      status: 500,
      error: { code: 'internal', message: 'something went wrong inside the studio; details are in its log' },
    };
  }
}
