/**
 * The studio as the integration tests open it: browser mode on a data folder, connected to no
 * marketplace until a test sets one (no local marketplace), its session in an owner-only file, and
 * its handler map — the setup five tests had repeated.
 */
import { join } from 'node:path';
import { type Handlers, createHandlers } from '../../electron/main/handlers.ts';
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
