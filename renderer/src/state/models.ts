/** Models slice: the semantic layers' model files (status, download progress), download and import from a folder. */
import type { ModelFileInfo, ModelsStatus } from '@shared/api.ts';
import * as data from '../data/models.ts';
import { type Slice, type Studio, asFieldError } from './types.ts';
import { plural } from '../words.ts';

export interface ModelsSlice {
  models: ModelsStatus | null;
  loadModels(): Promise<void>;
  /** Starts the download of the pinned model files (progress shows in `models.download`). */
  fetchModels(): Promise<void>;
  /** Installs the model files found in a folder, each verified; says what happened in a toast. */
  importModels(dir: string): Promise<void>;
  /** A pushed download progress replaces the one held; when the download ends, the status (files, layers) is read again. */
  receiveDownload(download: ModelsStatus['download']): void;
}

export const createModelsSlice: Slice<ModelsSlice> = (set, get) => ({
  models: null,
  async loadModels() {
    try {
      set({ models: await data.modelsStatus() });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },
  async fetchModels() {
    await data.fetchModels();
    await get().loadModels();
  },
  async importModels(dir) {
    try {
      const r = await data.importModels(dir);
      get().toast(
        `Imported ${plural(r.installed.length, 'file')}; ${r.missing.length} not found; ${r.rejected.length} rejected${r.rejected.length ? `: ${r.rejected.join('; ')}` : ''}`,
        r.rejected.length ? 'error' : 'info',
      );
      await get().loadModels();
    } catch (e) {
      get().toast((e as Error).message, 'error');
    }
  },
  receiveDownload(download) {
    const models = get().models;
    if (models) set({ models: { ...models, download } });
    if (!download.active) void get().loadModels();
  },
});

export const selectModels = (s: Studio) => s.models;
export const selectDownloadActive = (s: Studio) => Boolean(s.models?.download.active);

/** What a download would fetch: the files not installed, their bytes (a partial file counts whole), and whether a size is unknown. */
export function toDownload(files: ModelFileInfo[]): { files: number; bytes: number; unknown: boolean } {
  const todo = files.filter((f) => f.state !== 'installed');
  return {
    files: todo.length,
    bytes: todo.reduce((n, f) => n + (f.expectedBytes ?? 0), 0),
    unknown: todo.some((f) => f.expectedBytes === null),
  };
}
