/**
 * Where the studio keeps its data: the OS's per-user app-data folder (the same folder Electron's
 * `app.getPath('userData')` returns for "Originals Studio"), overridable with ORIGINALS_DATA_DIR.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Originals Studio';

export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.ORIGINALS_DATA_DIR) return env.ORIGINALS_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export function libraryDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'library.sqlite');
}

export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ORIGINALS_MODELS_DIR ?? join(dataDir(env), 'models');
}
