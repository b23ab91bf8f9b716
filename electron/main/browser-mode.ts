/**
 * Browser mode: the studio's services and renderer without Electron, on 127.0.0.1 with a session
 * token. Used by `npm start` where Electron's binary is not installed, and by the e2e tests.
 */
import { fileURLToPath } from 'node:url';
import { dataDir as defaultDataDir } from '../../engine/paths.ts';
import { createHandlers } from './handlers.ts';
import { type BrowserModeServer, startBrowserMode } from './http.ts';
import { Studio, readVersion } from './services/studio.ts';

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface RunningStudio extends BrowserModeServer {
  studio: Studio;
  stop(): Promise<void>;
}

export async function runBrowserMode(
  opts: { dataDir?: string; port?: number; token?: string; staticDir?: string } = {},
): Promise<RunningStudio> {
  const studio = await Studio.open({ dataDir: opts.dataDir ?? defaultDataDir(), mode: 'browser', version: readVersion() });
  const server = await startBrowserMode({
    handlers: createHandlers(studio),
    images: studio.images,
    staticDir: opts.staticDir ?? RENDERER_DIR,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.token ? { token: opts.token } : {}),
  });
  return {
    ...server,
    studio,
    async stop() {
      await server.close();
      studio.close();
    },
  };
}
