/**
 * Connecting a tab and very long text, in Debian's Chromium against browser mode: a tab without a
 * session says it is not connected and how to connect (not an empty library); a fresh launch link
 * pasted into the same tab connects it without a reload; a 600 000-character paste into the
 * Description stops at the card's limit, with the counter saying so, and the editor stays quick.
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures.ts';

test('a tab without a session says how to connect; a fresh link in the same tab connects it', async ({ page, sessionStudio }) => {
  await page.goto(sessionStudio.url);
  await expect(page.getByRole('heading', { name: 'Not connected' })).toBeVisible();
  await expect(page.locator('body')).toContainText('Open the link printed in the terminal');
  await expect(page.getByRole('heading', { name: 'Your library is empty' })).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(/session token/i);

  // Same page, new fragment: no reload; the tab exchanges the code and loads the library.
  await page.evaluate(() => ((window as { marker?: number }).marker = 1));
  await page.goto(await sessionStudio.openUrl());
  await expect(page.getByRole('heading', { name: 'Your library is empty' })).toBeVisible();
  expect(await page.evaluate(() => (window as { marker?: number }).marker)).toBe(1);
  expect(new URL(page.url()).hash).toBe('');
});

test('a huge paste stops at the card’s limit, with the counter, and the editor stays quick', async ({ page, sessionStudio }) => {
  await page.goto(await sessionStudio.openUrl());
  await page.getByRole('button', { name: 'Create your first character' }).click();
  const description = page.getByLabel('Description');
  await expect(description).toHaveAttribute('maxlength', '20000');
  await description.fill('lorem ipsum dolor sit amet '.repeat(22_300)); // ≈ 600 000 characters
  expect(await description.evaluate((el: HTMLTextAreaElement) => el.value.length)).toBe(20_000);
  await expect(description.locator('xpath=..').locator('.char-count')).toHaveText('20,000 / 20,000 characters — the limit');
  // Typing elsewhere stays quick with the full field.
  const t0 = Date.now();
  await page.getByLabel('Backstory').pressSequentially('A lamplighter', { delay: 0 });
  expect(Date.now() - t0).toBeLessThan(5_000);
  await expect(page.locator('.verdict')).not.toContainText('at most');
});

test('a marketplace address that is not a web address is named at its field and never sent', async ({ page, sessionStudio }) => {
  await page.goto(await sessionStudio.openUrl());
  await page.getByRole('button', { name: 'Sign in' }).click();
  const settings = page.getByRole('form', { name: 'Marketplace settings' });
  const field = settings.getByLabel('Marketplace URL');
  for (const bad of ['market.example.com', 'ftp://market.example.com']) {
    await field.fill(bad);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(settings).toContainText(
      'Marketplace URL must be a web address starting with http:// or https://, like https://market.example.com',
    );
  }
  // No toast in developer wording ("marketplaceUrl: …"), and the settings were not changed.
  await expect(page.getByRole('status')).not.toContainText('marketplaceUrl');
  await expect(page.getByRole('status')).not.toContainText('Settings saved');
  await page.screenshot({ path: join(ARTIFACTS, 'marketplace-url-error.png') });
  // Editing the address clears its error.
  await field.fill('ftp://market.example.co');
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
});
