/**
 * Browser mode: the studio's services and renderer without Electron, on 127.0.0.1 with a session
 * token. Used by `npm start` where Electron's binary is not installed, and by the e2e tests.
 */
import { fileURLToPath } from 'node:url';
import { dataDir as defaultDataDir } from '../../engine/paths.ts';
import { createHandlers } from './handlers.ts';
import { type BrowserModeServer, startBrowserMode } from './http.ts';
import { type Connected, connectStudio } from './services/connected.ts';
import { OwnerOnlyFileSecretStore } from './services/connection.ts';
import { join } from 'node:path';
import { Studio, type StudioOptions, readVersion } from './services/studio.ts';

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface RunningStudio extends BrowserModeServer {
  studio: Studio;
  connected: Connected;
  stop(): Promise<void>;
}

export async function runBrowserMode(
  opts: {
    dataDir?: string;
    port?: number;
    token?: string;
    staticDir?: string;
    syncIntervalMs?: number;
    /** Media file limits (default: the media policy's). */
    mediaLimits?: StudioOptions['mediaLimits'];
    /** A library file larger than this is checked whole in the background (default: the studio's). */
    backgroundCheckAbove?: number;
  } = {},
): Promise<RunningStudio> {
  const dir = opts.dataDir ?? defaultDataDir();
  const studio = await Studio.open({
    dataDir: dir,
    mode: 'browser',
    version: readVersion(),
    mediaLimits: opts.mediaLimits,
    ...(opts.backgroundCheckAbove === undefined ? {} : { backgroundCheckAbove: opts.backgroundCheckAbove }),
  });
  // Browser mode keeps the marketplace session in this process and an owner-only file — never in the page.
  const connected = await connectStudio({
    studio,
    dataDir: dir,
    secrets: new OwnerOnlyFileSecretStore(join(dir, 'marketplace-session')),
    ...(opts.syncIntervalMs ? { syncIntervalMs: opts.syncIntervalMs } : {}),
  });
  const server = await startBrowserMode({
    handlers: createHandlers(studio, connected),
    images: studio.images,
    media: studio.media,
    push: studio.push,
    staticDir: opts.staticDir ?? RENDERER_DIR,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.token ? { token: opts.token } : {}),
  });
  return {
    ...server,
    studio,
    connected,
    async stop() {
      await server.close();
      await connected.close();
      await studio.close();
    },
  };
}
