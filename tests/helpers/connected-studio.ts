/**
 * The studio as the integration tests open it: browser mode on a data folder, connected to no
 * marketplace until a test sets one (no local marketplace), its session in an owner-only file, and
 * its handler map — the setup five tests had repeated; and a handler call as the page makes one.
 */
import { join } from 'node:path';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { type Connected, connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';

export async function openConnectedStudio(
  dir: string,
  opts: { syncIntervalMs?: number } = {},
): Promise<{ studio: Studio; connected: Connected; handlers: Handlers }> {
  const studio = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  const connected = await connectStudio({
    studio,
    dataDir: dir,
    secrets: new OwnerOnlyFileSecretStore(join(dir, 'marketplace-session')),
    localMarketplace: false,
    ...(opts.syncIntervalMs !== undefined ? { syncIntervalMs: opts.syncIntervalMs } : {}),
  });
  return { studio, connected, handlers: createHandlers(studio, connected) };
}

/** A studio method called through the handler map, its value typed by the caller. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HandlerCall = <T = any>(method: string, input?: unknown) => Promise<T>;

/**
 * Calls through the handler map `handlers()` gives at call time (set in a beforeAll); a refusal
 * throws an Error named after the method, carrying the error's fields (code, field, issues).
 */
export function handlerCall(handlers: () => Handlers): HandlerCall {
  return async (method, input = {}) => {
    const r = await dispatch(handlers(), method, input);
    if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.message}`), r.error);
    return r.value as never;
  };
}
