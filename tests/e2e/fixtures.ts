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
  /** A fresh one-time launch URL (each works once, as the one `npm start` opens). */
  openUrl(): Promise<string>;
  token: string;
  dataDir: string;
}

async function startStudio(use: (s: Studio) => Promise<void>, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-studio-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/serve.ts', dataDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}`))));
  exited.catch(() => {}); // observed by the races below
  const nextLine = () => Promise.race([new Promise<string>((resolve) => rl.once('line', resolve)), exited]);
  const first = JSON.parse(await nextLine()) as { url: string; token: string };
  const openUrl = async () => {
    const line = nextLine();
    child.stdin?.write('\n');
    return (JSON.parse(await line) as { openUrl: string }).openUrl;
  };
  await use({ url: first.url, token: first.token, openUrl, dataDir });
  child.kill('SIGTERM');
}

/**
 * Browser-mode studios on empty data folders, one per worker and fixture name: `studio` for the
 * workspace spec, `connectedStudio` for the marketplace journeys, `mediaStudio` for the audio/video
 * journey, `draftsStudio` for the drafts journey, `adminStudio` for the admin users journey, `outboxStudio` for
 * the failed-submission retry journey, `buyerStudio` for the buyer's journey, `moneyStudio` for the earnings and
 * payouts journey, `libraryStudio` for library cards and match cards, `reviewStudio` for the review queue and
 * revision compare, `reviewMediaStudio` for media evidence in the review queue, `journeyStudio` for the
 * whole creator-to-buyer journey, `keyboardStudio` for the same journey at 1024×700 with the keyboard
 * alone, `sessionStudio` for connecting a tab and long text, `damagedStudio` on a library its background
 * check finds damaged (a worker runs several files, so each
 * spec has its own fixture and never sees another's library).
 */
export const test = base.extend<
  object,
  {
    studio: Studio;
    connectedStudio: Studio;
    mediaStudio: Studio;
    draftsStudio: Studio;
    adminStudio: Studio;
    outboxStudio: Studio;
    buyerStudio: Studio;
    moneyStudio: Studio;
    libraryStudio: Studio;
    reviewStudio: Studio;
    reviewMediaStudio: Studio;
    journeyStudio: Studio;
    keyboardStudio: Studio;
    sessionStudio: Studio;
    damagedStudio: Studio;
  }
>({
  studio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  connectedStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  mediaStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  draftsStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  adminStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  outboxStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  buyerStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  moneyStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  libraryStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  reviewStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  reviewMediaStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  journeyStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  keyboardStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  sessionStudio: [async ({}, use) => startStudio(use), { scope: 'worker' }],
  damagedStudio: [async ({}, use) => startStudio(use, { ORIGINALS_E2E_DAMAGED_LIBRARY: '1' }), { scope: 'worker' }],
});

export { expect } from '@playwright/test';
