import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

export const ARTIFACTS = join(process.cwd(), 'tests/artifacts/screenshots');
mkdirSync(ARTIFACTS, { recursive: true });

export interface Studio {
  url: string;
  openUrl: string;
  token: string;
  dataDir: string;
}

/** A browser-mode studio on an empty data folder, per test file. */
export const test = base.extend<object, { studio: Studio }>({
  studio: [
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'e2e-studio-'));
      const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/serve.ts', dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}`)));
      });
      await use({ ...(JSON.parse(line) as Omit<Studio, 'dataDir'>), dataDir });
      child.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
