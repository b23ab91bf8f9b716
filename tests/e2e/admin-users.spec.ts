/**
 * The admin Users screen, in Debian's Chromium against browser mode and the studio's own local
 * marketplace, with every step made in the UI: the first account (the one-box marketplace's admin)
 * can sell at once — its submission goes into review; a second account has no Users screen and its
 * submission without the Creator tier shows a red failed step with the reason; the
 * admin finds it by search and grants it the Creator tier, is asked before banning it from selling
 * (and cancels), cannot change their own account; the second account then submits.
 *
 * Screenshots go to tests/artifacts/screenshots (40-…).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { signIn, signUp } from './account.ts';
import { mainNav, nav, newCharacter, saveFirstRevision, submitOriginal } from './studio-steps.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Creates a character in the library and submits it; returns the marketplace panel. */
async function createAndSubmit(page: Page, name: string, description: string, first: boolean) {
  await newCharacter(page, name, description, first);
  await saveFirstRevision(page);
  return submitOriginal(page);
}

test('the first account sells at once and grants a second account the Creator tier from the Users screen', async ({
  page,
  adminStudio: studio,
}) => {
  await page.goto(await studio.openUrl());

  // The one-box marketplace's first account: admin, moderator, and (policy firstAdminCreatorTier) able to sell.
  await signUp(page, 'Ada Admin', 'ada@local.test');
  await expect(mainNav(page).getByRole('button', { name: 'Users' })).toBeVisible();
  const adaPanel = await createAndSubmit(
    page,
    'Orrin the Lamplighter',
    'A night-watchman who keeps the harbour lamps lit with oil pressed from glowing eels.',
    true,
  );
  await expect(adaPanel.getByTestId('listing-status')).toHaveText('in review');
  await expect(adaPanel.locator('.steps li.failed')).toHaveCount(0);
  await shot(page, '40-first-account-submits');

  // A second account: no Users screen for it, and without the Creator tier its submission fails —
  // shown as a red failed step with the reason, never a reached "queued".
  await signUp(page, 'Ben Maker', 'ben@local.test');
  await expect(mainNav(page).getByRole('button', { name: 'Users' })).toHaveCount(0);
  const refused = await createAndSubmit(
    page,
    'Wendel the Weir-warden',
    'Keeps the river weirs and collects tolls paid in river-smoothed glass and old songs.',
    false,
  );
  await expect(refused.getByTestId('listing-status')).toHaveText('failed (not sent)');
  await expect(refused.locator('.steps li.failed')).toHaveText('✗ failed: not sent');
  await expect(refused.locator('.steps li.done')).toHaveCount(0);
  await expect(refused.getByRole('alert')).toContainText('Creator tier required');
  await shot(page, '40b-submission-failed');

  // The admin finds Ben and grants the Creator tier.
  await signIn(page, 'ada@local.test');
  await nav(page, 'Users');
  const screen = page.getByRole('region', { name: 'Users' });
  const table = screen.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row')).toHaveCount(3); // header + two accounts
  await expect(screen.getByRole('navigation', { name: 'Pages of accounts' })).toContainText('Page 1 of 1 · 2 accounts');
  const self = screen.getByTestId('user-ada@local.test');
  await expect(self).toContainText('(you)');
  await expect(self).toContainText('Creator tier');
  await expect(self.getByRole('button', { name: /Revoke tier/ })).toBeDisabled();
  await shot(page, '41-users');
  // At 1024×700 the table fits: no horizontal scrolling of the page.
  await page.setViewportSize({ width: 1024, height: 700 });
  await shot(page, '41b-users-1024');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });

  await screen.getByLabel('Search accounts by name or e-mail').fill('ben');
  await screen.getByRole('button', { name: 'Search' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  const ben = screen.getByTestId('user-ben@local.test');
  await expect(ben).toContainText('No tier');
  await ben.getByRole('button', { name: 'Grant Creator tier for Ben Maker' }).click();
  await expect(page.getByRole('status')).toContainText('Ben Maker can now sell.');
  await expect(ben).toContainText('Creator tier');
  await expect(ben.getByRole('button', { name: /Revoke tier/ })).toBeEnabled();

  // A ban is asked first; cancelling changes nothing.
  await ben.getByRole('button', { name: /Ban from selling/ }).click();
  const confirm = screen.getByRole('alertdialog', { name: 'Confirm the change to Ben Maker' });
  await expect(confirm).toContainText('Ban Ben Maker from selling?');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shot(page, '42-users-confirm-ban');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(ben).toContainText('Allowed');

  // The filter by tier, after a refresh from the marketplace, still shows the grant.
  await screen.getByLabel('Search accounts by name or e-mail').fill('');
  await screen.getByLabel('Creator tier').selectOption('creator');
  await screen.getByRole('button', { name: 'Search' }).click();
  await expect(table.getByRole('row')).toHaveCount(3);
  await screen.getByLabel('Creator tier').selectOption('none');
  await expect(screen).toContainText('No account matches.');
  await shot(page, '43-users-no-match');

  // Ben can now sell.
  await signIn(page, 'ben@local.test');
  const benPanel = await createAndSubmit(
    page,
    'Tamsin of the Tidemill',
    'A miller who grinds sea-salt by tide power and bargains in weather forecasts.',
    false,
  );
  await expect(benPanel.getByTestId('listing-status')).toHaveText('in review');
  await shot(page, '44-second-account-submits');
});
