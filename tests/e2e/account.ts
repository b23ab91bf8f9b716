/** The Account screen in the e2e journeys: open it signed out on a tab, sign up, sign in — every step in the UI. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export const PASSWORD = 'a long enough password';

/** Opens the Account screen signed out, on the given tab. */
export async function accountForm(page: Page, tab: 'New here' | 'I have an account') {
  const acct = page.getByRole('region', { name: 'Account' });
  // Right after a page load a click on the sidebar was seen to leave the library shown (once in a
  // full run under load; not reproduced alone): click again until the Account screen is there.
  await expect(async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /^(Sign in|Account)/ })
      .click();
    await expect(acct).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  if (await acct.getByRole('button', { name: 'Sign out' }).isVisible()) await acct.getByRole('button', { name: 'Sign out' }).click();
  await acct.getByRole('tab', { name: tab }).click();
  return acct;
}

export async function signUp(page: Page, name: string, email: string) {
  const acct = await accountForm(page, 'New here');
  await acct.getByLabel('Display name').fill(name);
  await acct.getByLabel('Email').fill(email);
  await acct.getByLabel('Password').fill(PASSWORD);
  await acct.getByRole('button', { name: 'Create account' }).click();
  await expect(acct.getByRole('heading', { name })).toBeVisible();
}

export async function signIn(page: Page, email: string) {
  const acct = await accountForm(page, 'I have an account');
  await acct.getByLabel('Email').fill(email);
  await acct.getByLabel('Password').fill(PASSWORD);
  await acct.getByRole('button', { name: 'Sign in' }).click();
  await expect(acct.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
