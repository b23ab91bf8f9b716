/**
 * The one handler map of the studio API, and the dispatcher every transport uses: input validated
 * with the contract's zod schema (errors name the field), output typed by the contract, every
 * failure turned into an ApiError body.
 */
import { EngineError } from '../../engine/errors.ts';
import {
  ApiError,
  type ApiErrorBody,
  type ApiMethod,
  type ApiOutput,
  type ApiParsedInput,
  INTERNAL_METHODS,
  apiInputs,
} from '../../shared/api.ts';
import type { Connection } from './services/connection.ts';
import { marketHandlers } from './services/market.ts';
import type { Studio } from './services/studio.ts';
import type { SyncEngine } from './services/sync.ts';

export type Handlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> | ApiOutput<M> };

export function createHandlers(studio: Studio, market: { conn: Connection; sync: SyncEngine }): Handlers {
  return {
    ...marketHandlers(studio, market.conn, market.sync),
    'app.info': () => studio.info(),
    'library.list': (i) => studio.list(i),
    'assets.get': (i) => studio.get(i.id),
    'assets.create': (i) => studio.create(i),
    'assets.save': (i) => studio.save(i),
    'assets.delete': (i) => studio.remove(i.ids),
    'assets.undoDelete': (i) => studio.undoDelete(i.ids),
    'assets.revisions': (i) => studio.revisions(i.id),
    'assets.revision': (i) => studio.revision(i.id, i.rev),
    'assets.restore': (i) => studio.restore(i.id, i.rev),
    'images.import': (i) => studio.importImage(i.name, i.data),
    'media.info': (i) => studio.media.info(i.sha),
    'media.waveform': (i) => studio.media.waveform(i.sha, i.bins),
    'media.importPath': (i) => studio.media.importPath(i.path, i.name),
    'media.imageFile': (i) => studio.media.imageFile(i),
    'check.run': (i) => studio.check(i),
    'models.status': () => studio.modelsStatus(),
    'models.fetch': (i) => studio.fetchModels(i.model),
    'models.import': (i) => studio.importModels(i.dir),
    'cards.export': (i) => studio.exportCard(i.id),
    'cards.import': (i) => studio.importCard(i),
  };
}

export type DispatchResult = { ok: true; value: unknown } | { ok: false; status: number; error: ApiErrorBody };

/** A method the page may call (internal ones are the Electron main process's alone). */
export function isApiMethod(m: string): m is ApiMethod {
  return Object.hasOwn(apiInputs, m) && !INTERNAL_METHODS.has(m as ApiMethod);
}

/** Dispatches a call; `internal` (the Electron backend answering its main process) admits INTERNAL_METHODS too. */
export async function dispatch(
  handlers: Handlers,
  method: string,
  raw: unknown,
  opts: { internal?: boolean } = {},
): Promise<DispatchResult> {
  const known = opts.internal ? Object.hasOwn(apiInputs, method) : isApiMethod(method);
  if (!known) return { ok: false, status: 404, error: { code: 'unknown_method', message: `no API method ${method}` } };
  const m = method as ApiMethod;
  const parsed = apiInputs[m].safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(input)';
    return { ok: false, status: 400, error: { code: 'invalid_input', message: `${field}: ${issue?.message ?? 'invalid'}`, field } };
  }
  try {
    const fn = handlers[m] as (i: unknown) => unknown;
    return { ok: true, value: await fn(parsed.data) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, error: err.toBody() };
    if (err instanceof EngineError)
      return { ok: false, status: 400, error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
    console.error(`[api] ${m} failed:`, err);
    return {
      ok: false,
      status: 500,
      error: { code: 'internal', message: 'something went wrong inside the studio; details are in its log' },
    };
  }
}
