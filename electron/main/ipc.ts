/**
 * The only place raw ipcMain is used (a lint rule forbids it elsewhere). Every call is checked for
 * its sender — the app's own page in the app's own window — and for a known method name before it
 * is forwarded to the backend; the backend validates the input against the contract.
 */
import { type BrowserWindow, type WebContents, type WebFrameMain, dialog, ipcMain, shell } from 'electron';
import { z } from 'zod';
import { MEDIA_LIMITS } from '../../shared/api.ts';
import { parsePushEvent } from '../../shared/contracts/studio/push.ts';
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

/**
 * Runs `call` with a signal that aborts when the asking page goes away (its window closed, the page
 * reloaded or navigated away, its renderer crashed). Untested here: it needs Electron.
 */
async function whileSenderLives<T>(wc: WebContents, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const gone = new AbortController();
  const stop = () => gone.abort();
  wc.once('destroyed', stop);
  wc.once('did-navigate', stop);
  wc.once('render-process-gone', stop);
  try {
    return await call(gone.signal);
  } finally {
    wc.off('destroyed', stop);
    wc.off('did-navigate', stop);
    wc.off('render-process-gone', stop);
  }
}

export function registerIpc(
  forward: (method: string, input: unknown, signal?: AbortSignal) => Promise<DispatchResult>,
  window: () => BrowserWindow | null,
): void {
  ipcMain.handle('studio:invoke', async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, window())) return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    if (typeof method !== 'string' || !isApiMethod(method))
      return { ok: false, error: { code: 'unknown_method', message: `no API method ${String(method)}` } };
    // A call of a page that goes away is aborted (a waveform's or a check's FFmpeg stops).
    const r = await whileSenderLives(event.sender, (signal) => forward(method, input, signal));
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
  });
  ipcMain.handle('studio:pickFolder', async (event) => {
    const win = window();
    if (!win || !isTrustedSender(event.senderFrame, win)) return null;
    const r = await dialog.showOpenDialog(win, { properties: ['openDirectory'], title: 'Import models from a folder' });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  // Shows a purchase's saved files in the system's file manager: the page names only the purchase;
  // the backend answers the path of a file it saved there (or that nothing is saved).
  ipcMain.handle('studio:revealPurchase', async (event, raw: unknown) => {
    const win = window();
    if (!win || !isTrustedSender(event.senderFrame, win)) return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    const id = z.string().uuid().safeParse(raw);
    if (!id.success) return { ok: false, error: { code: 'invalid_input', message: 'purchaseId: not a purchase id', field: 'purchaseId' } };
    const r = await forward('market.purchaseFile', { purchaseId: id.data, name: 'license.txt' });
    if (!r.ok) return { ok: false, error: r.error };
    shell.showItemInFolder((r.value as { path: string }).path);
    return { ok: true, value: null };
  });
  // Audio/video import by path: a dropped file's path (from the preload's webUtils), else the file
  // dialog's. The backend copies the file itself; its bytes never cross IPC.
  ipcMain.handle('studio:importMedia', async (event, raw: unknown) => {
    const win = window();
    if (!win || !isTrustedSender(event.senderFrame, win)) return { ok: false, error: { code: 'forbidden', message: 'untrusted sender' } };
    const given = z
      .string()
      .min(1)
      .max(4096)
      .nullable()
      .safeParse(raw ?? null);
    if (!given.success) return { ok: false, error: { code: 'invalid_input', message: 'path: not a file path', field: 'path' } };
    let path = given.data;
    if (!path) {
      const r = await dialog.showOpenDialog(win, {
        properties: ['openFile'],
        title: 'Import an audio or video file',
        filters: [{ name: 'Audio and video', extensions: [...MEDIA_LIMITS.video.formats, ...MEDIA_LIMITS.audio.formats] }],
      });
      if (r.canceled || !r.filePaths[0]) return { ok: true, value: null };
      path = r.filePaths[0];
    }
    // The window that asked going away cancels the import: the backend stops the copy and kills the
    // probe's FFmpeg, storing nothing.
    const r = await whileSenderLives(event.sender, (signal) => forward('media.importPath', { path }, signal));
    return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
  });
}

/**
 * A push event from the backend to the window, on the one `studio:push` channel: validated against
 * the push contract again here (the backend is another process), and sent only to the app's own
 * page in the app's own window.
 */
export function sendPush(win: BrowserWindow | null, raw: unknown): void {
  if (!win || win.isDestroyed()) return;
  const frame = win.webContents.mainFrame;
  if (!isTrustedSender(frame, win)) return;
  const r = parsePushEvent(raw);
  if (!r.ok) {
    console.error(`[push] dropped an event that breaks the contract: ${r.message}`);
    return;
  }
  win.webContents.send('studio:push', r.event);
}

/** Menu actions reach the renderer as events on one channel. */
export function sendMenuAction(win: BrowserWindow | null, action: 'save' | 'new' | 'find'): void {
  win?.webContents.send('studio:menu', action);
}
