/**
 * `npm start`: builds the studio if its sources changed, then launches it in Electron when
 * Electron's binary is installed; otherwise starts browser mode, prints its URL (with a one-time
 * code, never the session token — a browser's command line is visible in `ps`) and opens it in a
 * browser when one is available — saying in one line why. Enter prints a fresh one-time URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LibraryFileError } from '../engine/store/integrity.ts';
import { dataDir } from '../engine/paths.ts';
import { restrictUmask } from '../engine/private-dir.ts';
import { runBrowserMode } from '../electron/main/browser-mode.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function needsBuild(): boolean {
  const built = join(root, 'out/renderer/index.html');
  const main = join(root, 'out/main/index.js');
  if (!existsSync(built) || !existsSync(main)) return true;
  const builtAt = Math.min(statSync(built).mtimeMs, statSync(main).mtimeMs);
  return ['renderer', 'shared', 'electron', 'engine'].some((d) => newest(join(root, d)) > builtAt);
}

/** Path of Electron's binary, or why it cannot be used. */
function electronBinary(): { path: string } | { why: string } {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    if (typeof p === 'string' && existsSync(p)) return { path: p };
  } catch {
    // The electron package throws when its binary was never downloaded.
  }
  return { why: "Electron's binary is not installed: its download is skipped at install (package.json allowScripts)" };
}

function browserOpener(): string[] | null {
  if (process.env.BROWSER) return [process.env.BROWSER];
  if (process.platform === 'darwin') return ['open'];
  if (process.platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return null;
  for (const c of ['xdg-open', 'sensible-browser']) if (spawnSync('which', [c]).status === 0) return [c];
  return null;
}

if (needsBuild()) {
  console.log('building the studio (electron-vite build)…');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--config', 'electron.config.ts'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = electronBinary();
if ('path' in electron && !process.env.ORIGINALS_BROWSER_MODE) {
  console.log('starting Originals Studio (Electron)…');
  const child = spawn(electron.path, [root], { stdio: 'inherit', env: process.env });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const reason = 'path' in electron ? 'ORIGINALS_BROWSER_MODE is set' : `${electron.why}; run \`npm run electron:install\` to get it`;
  restrictUmask();
  const s = await runBrowserMode({ ...(process.env.ORIGINALS_PORT ? { port: Number(process.env.ORIGINALS_PORT) } : {}) }).catch(
    (err: unknown) => {
      if (!(err instanceof LibraryFileError)) throw err;
      console.error(`Originals Studio cannot start: ${err.message}`);
      process.exit(1);
    },
  );
  console.log(`Browser mode (${reason}).`);
  console.log(`Originals Studio is running at ${s.openUrl}`);
  console.log(
    `Data folder: ${dataDir()} (owner-only) · only this machine can connect; the link works once${process.stdin.isTTY ? ' — press Enter for a new one' : ''}.`,
  );
  if (process.stdin.isTTY) process.stdin.on('data', () => console.log(`New one-time link: ${s.newOpenUrl()}`));
  const acct = s.connected.conn.status();
  const local = s.connected.localServer();
  console.log(
    acct.local && local
      ? `Marketplace: a local one (embedded store in ${join(dataDir(), 'marketplace')}) at ${acct.url} — the first account created is its admin; payments: ${local.processor?.label ?? 'Stripe'}. Set a marketplace URL in the app's Account screen to use another.`
      : `Marketplace: ${acct.url ?? 'none configured'}`,
  );
  const opener = browserOpener();
  if (opener) {
    const [cmd, ...args] = opener as [string, ...string[]];
    spawn(cmd, [...args, s.openUrl], { stdio: 'ignore', detached: true })
      .on('error', () => console.log('Could not start a browser; open the URL above yourself.'))
      .unref();
    console.log(`Opening it in your browser (${cmd}).`);
  } else {
    console.log('No browser to open it in (no display found): open the URL above in any browser.');
  }
  const stop = () => void s.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
