/**
 * Preload (sandboxed, context-isolated): exposes exactly one object, `window.originals`, whose
 * methods are generated from the API contract in shared/api.ts. Nothing else of Electron or Node
 * reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS, type ApiInput, type ApiMethod } from '../../shared/api.ts';

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; field?: string } };

function invoke(method: string, input: unknown): Promise<Result> {
  if (!(API_METHODS as string[]).includes(method))
    return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `no API method ${method}` } });
  return ipcRenderer.invoke('studio:invoke', method, input) as Promise<Result>;
}

const methods = Object.fromEntries(API_METHODS.map((m) => [m, (input: ApiInput<typeof m>) => invoke(m, input)])) as {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<Result>;
};

contextBridge.exposeInMainWorld('originals', {
  invoke,
  methods,
  pickFolder: () => ipcRenderer.invoke('studio:pickFolder') as Promise<string | null>,
  /** Imports an audio/video file by path: the dropped File's path, or the file dialog's when none is given. */
  importMedia: (file?: File) =>
    ipcRenderer.invoke('studio:importMedia', file ? webUtils.getPathForFile(file) || null : null) as Promise<Result>,
  /** Shows a purchase's saved files in the system's file manager. */
  revealPurchase: (purchaseId: string) => ipcRenderer.invoke('studio:revealPurchase', purchaseId) as Promise<Result>,
  /** The backend's push events (shared/contracts/studio/push.ts); the page validates each one. */
  onPush: (cb: (event: unknown) => void) => {
    const h = (_e: unknown, event: unknown) => cb(event);
    ipcRenderer.on('studio:push', h);
    return () => ipcRenderer.removeListener('studio:push', h);
  },
  onMenu: (cb: (action: string) => void) => {
    const h = (_e: unknown, action: string) => cb(action);
    ipcRenderer.on('studio:menu', h);
    return () => ipcRenderer.removeListener('studio:menu', h);
  },
});
