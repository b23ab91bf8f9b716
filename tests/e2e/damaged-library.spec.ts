/**
 * A library file found damaged after it opened, in Debian's Chromium against browser mode: the
 * background check of a (large) library reads every page after the studio has started; when it
 * finds damage every screen says so — which file, what is wrong, and how to restore a backup —
 * and it stays said after a reload.
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures.ts';

test('damage found by the background check is shown on every screen, naming the file and how to restore', async ({
  page,
  damagedStudio,
}) => {
  await page.goto(await damagedStudio.openUrl());
  const banner = page.getByRole('alert').filter({ hasText: 'Your library file is damaged' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(`${join(damagedStudio.dataDir, 'library.sqlite')} is damaged`);
  // No backup exists yet in a fresh data folder: said so, with what to do instead.
  await expect(banner).toContainText('Changes made now may not be kept');
  await expect(banner).toContainText('No backup of it exists');
  await page.screenshot({ path: join(ARTIFACTS, 'library-damaged.png') });
  await page.getByRole('button', { name: 'Models' }).click();
  await expect(banner).toBeVisible();
  await page.reload();
  await expect(page.getByRole('alert').filter({ hasText: 'Your library file is damaged' })).toBeVisible();
});
