import { defineConfig } from '@playwright/test';

/** E2E in Debian's Chromium against browser mode; the Electron spec runs where Electron is installed. */
export default defineConfig({
  testDir: 'tests/e2e',
  // Temporary folders under one folder of the run, removed at its end (tests/helpers/temp-root.ts).
  globalSetup: './tests/helpers/temp-root.ts',
  outputDir: 'tests/artifacts/playwright',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
});
