/**
 * The README's first line, as a new user runs it: `npm start` (here `tsx scripts/start.ts`) where
 * Electron is not installed starts browser mode, says why, prints the URL with a one-time code (never the session token), and the
 * studio opens on an empty library.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

test('npm start serves the studio in browser mode with a one-line reason', async ({ page }) => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ORIGINALS_DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-start-')),
    ORIGINALS_BROWSER_MODE: '1',
  };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /running at (http:\/\/127\.0\.0\.1:\d+\/#code=\S+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(t);
          resolve(m[1]);
        }
      });
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
    });
    await expect.poll(() => out).toContain('No browser to open it in (no display found)');
    expect(out).toMatch(
      /^Browser mode \((ORIGINALS_BROWSER_MODE is set|Electron's binary is not installed: .*; run `npm run electron:install` to get it)\)\.$/m,
    );
    await page.goto(url);
    await expect(page.getByRole('heading', { name: 'Your library is empty' })).toBeVisible();
  } finally {
    child.kill('SIGTERM');
  }
});
