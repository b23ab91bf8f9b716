/**
 * The only place raw ipcMain is used (a lint rule forbids it elsewhere). Every call is checked for
 * its sender — the app's own page in the app's own window — and for a known method name before it
 * is forwarded to the backend; the backend validates the input against the contract.
 */
import { type BrowserWindow, type WebFrameMain, dialog, ipcMain } from 'electron';
import { isApiMethod } from './handlers.ts';
import type { DispatchResult } from './handlers.ts';

import { APP_ORIGIN } from './security.ts';

export { APP_ORIGIN };

export function isTrustedSender(frame: WebFrameMain | null, win: BrowserWindow | null): boolean {
  if (!frame || !win || win.isDestroyed()) return false;
  if (frame !== win.webContents.mainFrame) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function registerIpc(
  forward: (method: string, input: unknown) => Promise<DispatchResult>,
  window: () => BrowserWindow | null,
): void {
  ipcMain.handle('studio:invoke', async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, window())) return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    if (typeof method !== 'string' || !isApiMethod(method))
      return { ok: false, error: { code: 'unknown_method', message: `no API method ${String(method)}` } };
    const r = await forward(method, input);
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
  });
  ipcMain.handle('studio:pickFolder', async (event) => {
    const win = window();
    if (!win || !isTrustedSender(event.senderFrame, win)) return null;
    const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'], title: 'Import models from a folder' });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
}

/** Menu actions reach the renderer as events on one channel. */
export function sendMenuAction(win: BrowserWindow | null, action: 'save' | 'new' | 'find'): void {
  win?.webContents.send('studio:menu', action);
}
