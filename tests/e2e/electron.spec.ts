/**
 * The desktop app itself, launched with Playwright's Electron driver where Electron's binary is
 * installed (`npm run electron:install`). Where it is not, the spec is skipped and says why.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

function electronPath(): string | null {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronPath();
const reason = "Electron's binary is not installed on this machine (run `npm run electron:install` where it can be downloaded)";
if (!binary) console.log(`electron.spec.ts skipped: ${reason}`);

test.describe('desktop app (Electron)', () => {
  test.skip(!binary, reason);

  test('opens one secure window on the empty library', async () => {
    const app = await electron.launch({
      executablePath: binary as string,
      args: ['.'],
      env: { ...process.env, ORIGINALS_DATA_DIR: mkdtempSync(join(tmpdir(), 'e2e-electron-')) },
    });
    const win = await app.firstWindow();
    await expect(win.getByRole('heading', { name: 'Your library is empty' })).toBeVisible();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    // Context isolation + sandbox: the page sees neither Node nor Electron, only the bridge.
    expect(await win.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(
      await win.evaluate(() => Object.keys((window as unknown as { originals: { methods: object } }).originals.methods).length),
    ).toBeGreaterThan(10);
    await win.screenshot({ path: join('tests/artifacts/screenshots', 'electron-library.png') });
    await app.close();
  });
});
