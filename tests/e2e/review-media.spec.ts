/**
 * Media in the review queue, in Debian's Chromium against browser mode and the studio's own one-box
 * marketplace, every step in the UI: the first account (admin, moderator) grants two accounts the
 * Creator tier; Ben submits a song (rendered with the bundled FFmpeg), which the admin approves; Cleo
 * submits a re-encoded 12-second excerpt of it, and the admin finds it held with the matched ranges
 * on both timelines, in words, and both files playable. Screenshot: tests/artifacts/screenshots/review-media-….
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ff, makeMelody } from '../helpers/media.ts';
import { signIn, signUp } from './account.ts';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';
import { openQueueItem, submitForReview } from './review-steps.ts';
import { nav, saveFirstRevision } from './studio-steps.ts';

/** A new media asset from a file, saved, submitted: in review. */
async function submitMedia(page: Page, name: string, file: string) {
  await nav(page, 'Library');
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Media' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Choose a media file').setInputFiles(file);
  await expect(page.getByLabel('Media preview').getByRole('img', { name: 'Waveform of the audio' })).toBeVisible();
  await saveFirstRevision(page);
  // An excerpt the check calls a copy is confirmed first; the marketplace then holds it for review.
  await submitForReview(page, 60_000);
}

test('a re-encoded excerpt of a published song is held for review with the matched ranges in both files', async ({
  page,
  reviewMediaStudio: studio,
}, testInfo) => {
  test.setTimeout(240_000);
  const dir = testInfo.outputPath('files');
  mkdirSync(dir, { recursive: true });
  const song = join(dir, 'harbour.flac');
  const excerpt = join(dir, 'tide.mp3');
  makeMelody(song, 29, 30);
  // 12 s from 0:08, re-encoded to MP3 at 96 kbps, 3 dB quieter.
  ff(['-ss', '8', '-t', '12', '-i', song, '-af', 'volume=-3dB', '-c:a', 'libmp3lame', '-b:a', '96k', excerpt]);

  await page.goto(await studio.openUrl());
  await signUp(page, 'Ada Admin', 'ada@review-media.test');
  await signUp(page, 'Ben Maker', 'ben@review-media.test');
  await signUp(page, 'Cleo Copier', 'cleo@review-media.test');
  await signIn(page, 'ada@review-media.test');
  await nav(page, 'Users');
  for (const name of ['Ben Maker', 'Cleo Copier']) {
    await page
      .getByRole('region', { name: 'Users' })
      .getByRole('button', { name: `Grant Creator tier for ${name}` })
      .click();
    await expect(page.getByRole('status')).toContainText(`${name} can now sell.`);
  }

  // Ben's song is published.
  await signIn(page, 'ben@review-media.test');
  await submitMedia(page, 'Harbour at dawn', song);
  await signIn(page, 'ada@review-media.test');
  const bens = await openQueueItem(page, 'Harbour at dawn');
  await expect(bens).toContainText('No similar published assets or submissions in review were found.');
  await bens.getByRole('button', { name: 'Approve' }).click();
  await expect(bens).toHaveCount(0);

  // Cleo's excerpt is held with the matched ranges: 0:00–0:12 of it is 0:08–0:20 of the song.
  await signIn(page, 'cleo@review-media.test');
  await submitMedia(page, 'Morning tide', excerpt);
  await signIn(page, 'ada@review-media.test');
  const cleos = await openQueueItem(page, 'Morning tide');
  const evidence = cleos.getByRole('region', { name: 'Uniqueness evidence for Morning tide' });
  await expect(evidence.locator('.evidence figcaption')).toContainText('Harbour at dawn');
  const range = /0:0[01]–0:1[12] of the submission is 0:0[789]–0:(19|20) of Harbour at dawn/;
  await expect(evidence.getByRole('listitem').filter({ hasText: range })).toBeVisible();
  await expect(evidence.getByRole('img', { name: /^Matched audio: / })).toHaveAttribute('aria-label', range);
  // Both files stream from the marketplace through the studio and are seekable to the matched range.
  for (const [label, seconds] of [
    ['Play the submitted file', 12],
    ['Play Harbour at dawn', 30],
  ] as const) {
    const audio = evidence.getByLabel(label);
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => Math.round(a.duration)), { timeout: 30_000 }).toBe(seconds);
  }
  await evidence.getByRole('button', { name: /^Cue both at 0:0[01] \/ 0:0[789]$/ }).click();
  await expect
    .poll(() => evidence.getByLabel('Play Harbour at dawn').evaluate((a: HTMLAudioElement) => a.currentTime))
    .toBeGreaterThan(7.5);
  await expect(cleos.getByRole('button', { name: 'Approve' })).toBeEnabled();
  await evidence.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'review-media-evidence.png'), fullPage: true });
  await axe(page, 'media evidence');
});
