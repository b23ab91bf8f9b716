/**
 * Audio and video in the studio end to end, in Chromium against browser mode: a song (a seeded
 * melody rendered with the bundled FFmpeg) is streamed in and saved to the library (its waveform
 * drawn), then a re-encoded 15-second excerpt of it, imported as a new asset, is caught with the
 * matched range on both timelines; a video gets its thumbnail strip, a cut of it the frame pair,
 * and the library shows a frame and a waveform icon and takes an audio file as a new asset. Screenshots go to tests/artifacts/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { cutVideo, ff, makeMelody, makeVideo } from '../helpers/media.ts';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';

test.describe.configure({ mode: 'serial' });

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });

/** The toasts keep clear of the uniqueness panel: none of them overlaps it. */
async function toastsClearOfPanel(page: Page) {
  const panel = await page.getByRole('complementary', { name: 'Uniqueness check' }).boundingBox();
  for (const t of await page.locator('.toast').all()) {
    const b = await t.boundingBox();
    if (b && panel) expect(b.x + b.width, `toast "${await t.textContent()}" over the panel`).toBeLessThanOrEqual(panel.x);
  }
}

async function newMediaAsset(page: Page, name: string, file: string) {
  await page.getByRole('button', { name: '← Library' }).click();
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Media' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Choose a media file').setInputFiles(file);
}

test('a song and a re-encoded excerpt of it: the matched range on both timelines', async ({ page, mediaStudio }, testInfo) => {
  test.setTimeout(180_000);
  const files = testInfo.outputPath('files');
  mkdirSync(files, { recursive: true });
  const f = (n: string) => join(files, n);
  makeMelody(f('harbour.flac'), 41, 45);
  // 15 s from 0:20, re-encoded to MP3 at 64 kbps, 3 dB quieter.
  ff(['-ss', '20', '-t', '15', '-i', f('harbour.flac'), '-af', 'volume=-3dB', '-c:a', 'libmp3lame', '-b:a', '64k', f('tide.mp3')]);
  makeVideo(f('fractal.mp4'), 12, 5);
  // 6 s from 0:05 of the video, resized and re-encoded.
  cutVideo(f('fractal.mp4'), f('fractal-cut.mp4'), 5, 6, { sound: true });

  await page.goto(await mediaStudio.openUrl());
  await expect(page.getByRole('heading', { name: 'Your library is empty' })).toBeVisible();

  // The song: streamed to the studio, its waveform and facts shown, saved (and indexed).
  await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
  await page.getByRole('menuitem', { name: 'Media' }).click();
  await page.getByLabel('Name').fill('Harbour at dawn');
  await page.getByLabel('Description').fill('A slow melody for a harbour town waking up.');
  await page.getByLabel('Choose a media file').setInputFiles(f('harbour.flac'));
  const preview = page.getByLabel('Media preview');
  await expect(preview.getByRole('img', { name: 'Waveform of the audio' })).toBeVisible();
  await expect(preview.locator('.media-facts')).toContainText('flac · 0:45');
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');
  // The first asset of an empty library: nothing to compare with yet (the later ones say "No similar assets found").
  await expect(page.locator('.verdict')).toContainText('Nothing to compare with yet');
  await expect(page.locator('.toast')).toContainText(['Saved “Harbour at dawn” (revision 1)']);
  await toastsClearOfPanel(page);
  await shot(page, 'media-01-song-editor');

  // The excerpt as a new asset: caught, with 0:00–0:15 of it on 0:20–0:35 of the song.
  await newMediaAsset(page, 'Morning tide', f('tide.mp3'));
  // The saved toast was about "Harbour at dawn": it went when the user left that asset.
  await expect(page.locator('.toast').filter({ hasText: 'Harbour at dawn' })).toHaveCount(0);
  const panel = page.getByRole('complementary', { name: 'Uniqueness check' });
  const match = panel.locator('.match').filter({ hasText: 'Harbour at dawn' });
  await expect(match.getByRole('img', { name: /^This file: 0:00–0:1[45] of 0:15 matched$/ })).toBeVisible({ timeout: 60_000 });
  await expect(match.getByRole('img', { name: /^“Harbour at dawn”: 0:2[01]–0:3[45] of 0:45 matched$/ })).toBeVisible();
  await expect(match.locator('.match-summary')).toContainText('of “Harbour at dawn”');
  await expect(match).toContainText('Audio match by audio landmarks');
  await expect(panel.locator('.verdict')).not.toHaveClass(/approved/);
  await axe(page, 'media match');
  // The verdict stays in view with the match under it: nothing scrolls the panel away from it.
  await expect(panel.locator('.verdict .badge')).toBeInViewport();
  await expect(match.locator('.match-summary')).toBeInViewport();
  await expect(panel.locator('.stale-note')).toHaveCount(0);
  await shot(page, 'media-02-excerpt-match');
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');

  // A video: its thumbnail strip; then a cut of it, with the frame pair.
  await newMediaAsset(page, 'Fractal dive', f('fractal.mp4'));
  const strip = page.getByRole('img', { name: /^Thumbnail strip of the video/ });
  await expect(strip).toBeVisible();
  await expect.poll(() => strip.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(500);
  await expect(panel.locator('.verdict')).toContainText('No similar assets found');
  // The check after the save is held back a moment: meanwhile the last verdict shows as the previous result, greyed.
  await page.route(
    '**/api/check.run',
    async (route) => {
      await new Promise((r) => setTimeout(r, 2_000));
      await route.continue();
    },
    { times: 1 },
  );
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');
  await expect(panel.locator('.stale-note')).toHaveText('Previous result — out of date until this check finishes');
  await expect(panel.locator('.check-result.stale .verdict')).toContainText('No similar assets found');
  await shot(page, 'media-03-video-editor');
  await expect(panel.locator('.stale-note')).toHaveCount(0);

  await newMediaAsset(page, 'Fractal cut', f('fractal-cut.mp4'));
  const vmatch = panel.locator('.match').filter({ hasText: 'Fractal dive' });
  await expect(vmatch.getByRole('img', { name: /^“Fractal dive”: 0:0[456]–0:1[012] of 0:12 matched$/ }).first()).toBeVisible({
    timeout: 60_000,
  });
  const frames = vmatch.locator('.frame-pair img');
  await expect(frames).toHaveCount(2);
  for (const img of await frames.all()) await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(100);
  await expect(vmatch.locator('.match-summary')).toContainText('(resized from 320×240 to 256×192)');
  await expect(panel.locator('.verdict .badge')).toBeInViewport();
  await expect(frames.first()).toBeInViewport();
  await toastsClearOfPanel(page);
  await shot(page, 'media-04-video-match');

  // The library: a frame for the video, a waveform icon for the songs; a dropped-in song becomes an asset.
  await page.getByRole('button', { name: '← Library' }).click();
  await expect(page.locator('.toast').filter({ hasText: 'Saved' })).toHaveCount(0);
  await page.getByLabel('Import asset cards or images').setInputFiles(f('tide.mp3'));
  await expect(page.getByRole('article', { name: 'tide', exact: true })).toContainText('Duplicate of yours');
  const card = page.getByRole('article', { name: 'Fractal dive' });
  await expect.poll(() => card.locator('img').evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(50);
  await expect(page.getByRole('article', { name: 'Harbour at dawn' }).getByRole('img', { name: 'Audio' })).toBeVisible();
  await axe(page, 'library with media');
  await shot(page, 'media-05-library');
});
