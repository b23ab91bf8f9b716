/**
 * Electron main process: single instance, one window, app menu, the `app://` protocol for the built
 * UI and stored images, and the backend in a utility process. Security checklist (README
 * "Transports and security" lists every item): context isolation, sandbox, no Node integration,
 * strict CSP on every page, IPC sender validation (ipc.ts), navigation and new windows denied,
 * external links handed to the OS, permission requests and checks denied by default (security.ts),
 * and the session's protection said as it is (security.ts secretProtection).
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Menu,
  type MenuItemConstructorOptions,
  app,
  dialog,
  protocol,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { parseMarketMediaPath, parseMediaImageUrl } from '../../shared/media-files.ts';
import { parsePurchaseFilePath } from '../../shared/purchase-delivery.ts';
import type { DispatchResult } from './handlers.ts';
import { CSP } from './http.ts';
import { proxyMarketMedia } from './services/market-media.ts';
import { APP_ORIGIN, registerIpc, sendMenuAction, sendPush } from './ipc.ts';
import { allowPermissionCheck, allowPermissionRequest, secretProtection } from './security.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = resolve(here, '../renderer');
const preload = join(here, '../preload/index.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.setName('Originals Studio');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const dataDir = process.env.ORIGINALS_DATA_DIR ?? app.getPath('userData');
  let win: BrowserWindow | null = null;

  // ---------------------------------------------------------------- backend (utility process)
  const backend = utilityProcess.fork(join(here, 'backend.js'), [], {
    env: { ...process.env, ORIGINALS_DATA_DIR: dataDir },
    serviceName: 'Originals backend',
  });
  let nextId = 1;
  const pending = new Map<number, (r: DispatchResult) => void>();
  backend.on(
    'message',
    (msg: {
      id?: number;
      result?: DispatchResult;
      crypt?: { id: number; op: 'encrypt' | 'decrypt' | 'describe'; data: string };
      fatal?: { code: string; message: string; backup: string | null; late?: boolean };
      relaunch?: boolean;
      push?: unknown;
    }) => {
      if (msg.push !== undefined) return sendPush(win, msg.push);
      if (msg.relaunch) {
        // The backup was restored after the library had opened (a late `fatal`): start again on it.
        app.relaunch();
        app.exit(0);
        return;
      }
      if (msg.fatal) {
        // A damaged library: say which file and what is wrong, and offer the newest backup. Late: the
        // background check of a large file found it after opening; restoring restarts the app.
        const { message, backup, late } = msg.fatal;
        void app.whenReady().then(async () => {
          const r = await dialog.showMessageBox({
            type: 'error',
            title: 'Originals Studio',
            message: late ? 'Your library file is damaged' : 'Your library cannot be opened',
            detail: message,
            buttons: backup ? ['Restore the newest backup', 'Quit'] : ['Quit'],
            defaultId: 0,
            cancelId: backup ? 1 : 0,
          });
          const restore = Boolean(backup) && r.response === 0;
          backend.postMessage({ restoreBackup: restore });
          if (!restore) app.quit();
        });
        return;
      }
      if (msg.crypt?.op === 'describe') {
        // safeStorage's Linux backend is only known once the app is ready.
        const { id } = msg.crypt;
        void app.whenReady().then(() => {
          const backendName = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
          const p = secretProtection(process.platform, safeStorage.isEncryptionAvailable(), backendName);
          if (!p.keychain) console.warn(`[studio] marketplace session: ${p.label}`);
          backend.postMessage({ cryptReply: { id, data: p.label } });
        });
        return;
      }
      if (msg.crypt) {
        // The backend stores the marketplace session encrypted with the OS keychain (safeStorage).
        const { id, op, data } = msg.crypt;
        try {
          if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available to encrypt the marketplace session');
          const out =
            op === 'encrypt' ? safeStorage.encryptString(data).toString('base64') : safeStorage.decryptString(Buffer.from(data, 'base64'));
          backend.postMessage({ cryptReply: { id, data: out } });
        } catch (e) {
          backend.postMessage({ cryptReply: { id, error: (e as Error).message } });
        }
        return;
      }
      if (msg.id === undefined || !msg.result) return;
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    },
  );
  backend.on('exit', (code) => {
    for (const resolveCall of pending.values())
      resolveCall({
        ok: false,
        status: 500,
        error: { code: 'backend_exited', message: `the studio backend stopped (code ${code}); restart the app` },
      });
    pending.clear();
  });
  // `signal` (untested here: needs Electron): when it aborts, the backend aborts the call (backend-calls.ts).
  const forward = (method: string, input: unknown, signal?: AbortSignal) =>
    new Promise<DispatchResult>((resolveCall) => {
      const id = nextId++;
      const onAbort = () => backend.postMessage({ abort: id });
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, (r) => {
        signal?.removeEventListener('abort', onAbort);
        resolveCall(r);
      });
      backend.postMessage({ id, method, input });
    });

  registerIpc(forward, () => win);

  // ---------------------------------------------------------------- window
  function createWindow(): void {
    win = new BrowserWindow({
      width: 1360,
      height: 860,
      minWidth: 1100,
      minHeight: 700,
      title: 'Originals Studio',
      show: false,
      webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: true },
    });
    win.once('ready-to-show', () => win?.show());
    const wc = win.webContents;
    wc.on('will-navigate', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
    });
    wc.on('will-redirect', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
    });
    wc.setWindowOpenHandler(({ url }) => {
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    wc.on('will-attach-webview', (e) => e.preventDefault());
    void win.loadURL(`${APP_ORIGIN}/index.html`);
    win.on('closed', () => {
      win = null;
    });
  }

  function buildMenu(): void {
    const isMac = process.platform === 'darwin';
    const template: MenuItemConstructorOptions[] = [
      ...(isMac ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'New asset', accelerator: 'CmdOrCtrl+N', click: () => sendMenuAction(win, 'new') },
          { label: 'Save', accelerator: 'CmdOrCtrl+S', click: () => sendMenuAction(win, 'save') },
          { type: 'separator' },
          isMac ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { label: 'Find', submenu: [{ label: 'Search library', accelerator: 'CmdOrCtrl+F', click: () => sendMenuAction(win, 'find') }] },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
      {
        role: 'help',
        submenu: [{ label: 'Originals Studio on the web', click: () => void shell.openExternal('https://originals.studio') }],
      },
    ];
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  const MIME: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.woff2': 'font/woff2',
  };

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) ev.preventDefault();
    });
  });

  void app.whenReady().then(() => {
    // Deny by default: the page may only write text to the clipboard (security.ts).
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) =>
      callback(allowPermissionRequest(permission, details as { requestingUrl?: string; isMainFrame: boolean })),
    );
    session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
      allowPermissionCheck(permission, requestingOrigin, details),
    );
    session.defaultSession.setDevicePermissionHandler(() => false);
    protocol.handle('app', async (req) => {
      const url = new URL(req.url);
      if (url.host !== 'studio') return new Response('not found', { status: 404 });
      const img = /^\/files\/image\/([0-9a-f]{64})(\.thumb)?\.webp$/.exec(url.pathname);
      if (img) {
        const p = join(dataDir, 'images', `${img[1]}${img[2] ?? ''}.webp`);
        return existsSync(p)
          ? new Response(readFileSync(p), { headers: { 'content-type': 'image/webp' } })
          : new Response('not found', { status: 404 });
      }
      const media = parseMediaImageUrl(url);
      if (media) {
        // Preview images are made (and cached) by the backend; this process only reads the file. A
        // request Chromium cancels aborts the backend's call (untested: needs Electron).
        const r = await forward('media.imageFile', media, req.signal);
        return r.ok
          ? new Response(readFileSync((r.value as { path: string }).path), { headers: { 'content-type': 'image/webp' } })
          : new Response(r.error.message, { status: r.status });
      }
      const market = parseMarketMediaPath(url.pathname);
      if (market) {
        // The backend holds the marketplace session; this process streams the file (Range passed through).
        const r = await forward('market.mediaSource', market);
        return r.ok
          ? proxyMarketMedia(r.value as { url: string; authorization: string | null }, req.headers.get('range'), req.signal)
          : new Response(r.error.message, { status: r.status });
      }
      const bought = parsePurchaseFilePath(url.pathname);
      if (bought) {
        // A purchase's saved file (the backend checks it is there); this process reads it.
        const r = await forward('market.purchaseFile', bought);
        if (!r.ok) return new Response(r.error.message, { status: r.status });
        const f = r.value as { path: string; contentType: string };
        return new Response(readFileSync(f.path), {
          headers: { 'content-type': f.contentType, 'content-disposition': `attachment; filename="${bought.name}"` },
        });
      }
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      let file = resolve(rendererDir, rel || 'index.html');
      if (!file.startsWith(rendererDir + sep)) return new Response('forbidden', { status: 403 });
      if (!existsSync(file)) file = join(rendererDir, 'index.html');
      const type = MIME[extname(file)] ?? 'application/octet-stream';
      return new Response(readFileSync(file), {
        headers: {
          'content-type': type,
          ...(type === 'text/html'
            ? {
                'content-security-policy': CSP.replace("img-src 'self'", "img-src 'self' app:").replace(
                  "media-src 'self'",
                  "media-src 'self' app:",
                ),
              }
            : {}),
        },
      });
    });
    buildMenu();
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => backend.kill());
}
