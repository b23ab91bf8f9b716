/**
 * Journey 2: a failed submission retried after its cause is fixed, in Debian's Chromium against
 * browser mode and the studio's own one-box marketplace, from an empty data folder, every step in
 * the UI. A second account without the Creator tier submits: the outbox row names the asset, says
 * "failed" with the marketplace's reason, and Sync now says what it did (and leaves the refusal
 * alone). The admin grants the tier on the Users screen; back as the creator, Retry on the row
 * sends it: the row is done, and the editor shows the listing in review.
 *
 * Screenshots go to tests/artifacts/screenshots (outbox-…); axe (WCAG 2 A/AA) runs on the Account
 * screen with the failed row and after the retry.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { signIn, signUp } from './account.ts';
import { nav, newCharacter, saveFirstRevision, submitOriginal } from './studio-steps.ts';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

const ASSET = 'Wendel the Weir-warden';

test('a submission refused for a missing Creator tier is retried from the outbox once the admin grants the tier', async ({
  page,
  outboxStudio: studio,
}) => {
  await page.goto(await studio.openUrl());

  // The one-box marketplace's first account is its admin; the second one cannot sell yet.
  await signUp(page, 'Ada Admin', 'ada@outbox.test');
  await signUp(page, 'Ben Maker', 'ben@outbox.test');
  await newCharacter(page, ASSET, 'Keeps the river weirs and collects tolls paid in river-smoothed glass and old songs.', true);
  await saveFirstRevision(page);
  const panel = await submitOriginal(page);
  await expect(panel.getByTestId('listing-status')).toHaveText('failed (not sent)');

  // The outbox names the asset and the operation, says it failed and why.
  await nav(page, /^Account/);
  const acct = page.getByRole('region', { name: 'Account' });
  const outbox = acct.getByRole('table', { name: 'Outbox' });
  const row = outbox.getByRole('row').filter({ hasText: ASSET });
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(1)).toHaveText('submit for review');
  await expect(row.getByRole('cell').nth(2)).toHaveText('failed');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  await expect(row.getByRole('cell').nth(4)).toContainText('Creator tier required');
  await expect(row.getByRole('button', { name: `Retry: submit for review of ${ASSET}` })).toBeEnabled();
  await expect(row.getByRole('button', { name: `Discard: submit for review of ${ASSET}` })).toBeEnabled();
  // Sync now runs, says what it did, and leaves the refusal for the creator to decide.
  await acct.getByRole('button', { name: 'Sync now' }).click();
  await expect(acct.getByTestId('sync-pass')).toHaveText('Sync: nothing to send; review status and notifications updated.');
  await expect(row.getByRole('cell').nth(2)).toHaveText('failed');
  await shot(page, 'outbox-1-failed');
  await axe(page, 'account with a failed outbox row');

  // The cause is fixed: the admin grants Ben the Creator tier on the Users screen.
  await signIn(page, 'ada@outbox.test');
  await nav(page, 'Users');
  const users = page.getByRole('region', { name: 'Users' });
  const ben = users.getByTestId('user-ben@outbox.test');
  await ben.getByRole('button', { name: 'Grant Creator tier for Ben Maker' }).click();
  await expect(page.getByRole('status')).toContainText('Ben Maker can now sell.');
  await expect(ben).toContainText('Creator tier');

  // Back as Ben: Retry on the row sends it.
  await signIn(page, 'ben@outbox.test');
  await expect(acct).toContainText('Creator tier');
  await expect(row.getByRole('cell').nth(2)).toHaveText('failed');
  await row.getByRole('button', { name: `Retry: submit for review of ${ASSET}` }).click();
  await expect(page.getByRole('status')).toContainText(`Sent: submit for review of “${ASSET}”`);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('cell').nth(2)).toHaveText('done (sent)');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  await expect(row.getByRole('cell').nth(4)).toHaveText('');
  await expect(row.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
  await shot(page, 'outbox-2-retried');
  await axe(page, 'account after the retry');

  // The editor shows the listing in review.
  await row.getByRole('button', { name: ASSET }).click();
  await page.getByRole('tab', { name: 'Marketplace' }).click();
  await expect(panel.getByTestId('listing-status')).toHaveText('in review');
  await expect(panel.locator('.steps li.failed')).toHaveCount(0);
  await shot(page, 'outbox-3-in-review');
});
