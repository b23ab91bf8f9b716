/**
 * Leaving the editor with unsaved text, in Debian's Chromium against browser mode, from an empty
 * data folder: typed work on a never-saved asset and on a stored one survives going back to the
 * library and reloading the page, is found again from the library's "unsaved draft" markers, opens
 * with "Draft restored · Discard draft", and goes once saved or discarded. The verdict never calls
 * the blank new card original. Screenshots go to tests/artifacts/screenshots (drafts-*.png).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';

test.describe.configure({ mode: 'serial' });

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `drafts-${name}.png`), fullPage: false });
const DESCRIPTION = 'A lamplighter who remembers every flame she ever lit, and the one she let go out.';

test('typed work survives leaving the editor and reloading the page', async ({ page, draftsStudio }) => {
  await page.goto(await draftsStudio.openUrl());
  await page.getByRole('button', { name: 'Create your first character' }).click();

  // The blank card is not called original.
  const verdict = page.locator('.verdict');
  await expect(verdict).toContainText('Nothing to check yet');
  await expect(verdict).not.toContainText('Ready to submit');

  await page.getByLabel('Name').fill('Mirel the Lamplighter');
  await page.getByLabel('Description').fill(DESCRIPTION);
  await expect(page.locator('.editor-head')).toContainText('draft kept');
  // Unsaved, checked without the meaning layers' weights, in a library with nothing else in it:
  // says all three, and does not say "ready" or "original".
  await expect(verdict).toContainText('Nothing to compare with yet · checked by the copy layers only');
  await expect(verdict).toContainText('compared it with nothing');
  await expect(verdict).toContainText('Save it');
  await shot(page, '01-new-asset-typed');

  // Back to the library without saving: the new asset is there as an unsaved draft.
  await page.getByRole('button', { name: '← Library' }).click();
  const openDraft = page.getByRole('button', { name: 'Open Mirel the Lamplighter (unsaved draft)' });
  await expect(openDraft).toBeVisible();
  await axe(page, 'library with an unsaved draft');
  await shot(page, '02-library-unsaved-draft');

  // A reload (as after a crash) finds it again, with the text as typed.
  await page.reload();
  await openDraft.click();
  await expect(page.getByLabel('Description')).toHaveValue(DESCRIPTION);
  await expect(page.getByLabel('Name')).toHaveValue('Mirel the Lamplighter');
  await expect(page.getByRole('status').filter({ hasText: 'Draft restored' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Discard draft' })).toBeVisible();
  await axe(page, 'editor with a restored draft');
  await shot(page, '03-draft-restored');

  // Saving clears the draft.
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');
  await expect(page.getByText('Draft restored')).toHaveCount(0);
  await expect(verdict).toContainText('Ready to submit');
  await page.getByRole('button', { name: '← Library' }).click();
  await expect(page.getByRole('article', { name: 'Mirel the Lamplighter' })).toBeVisible();
  await expect(page.getByText('Unsaved drafts')).toHaveCount(0);
  await expect(page.locator('.draft-mark')).toHaveCount(0);
});

test("a stored asset's unsaved edit is marked in the library, restored after a reload, and can be discarded", async ({
  page,
  draftsStudio,
}) => {
  await page.goto(await draftsStudio.openUrl());
  const card = page.getByRole('article', { name: 'Mirel the Lamplighter' });
  await card.getByRole('button', { name: 'Open Mirel the Lamplighter' }).click();
  await page.getByLabel('Description').fill(`${DESCRIPTION} Edited, never saved.`);
  await expect(page.locator('.editor-head')).toContainText('draft kept');
  await page.getByRole('button', { name: '← Library' }).click();
  await expect(card.getByText('Unsaved draft')).toBeVisible();
  await shot(page, '04-library-stored-asset-draft');

  await page.reload();
  await card.getByRole('button', { name: 'Open Mirel the Lamplighter' }).click();
  await expect(page.getByLabel('Description')).toHaveValue(`${DESCRIPTION} Edited, never saved.`);
  await expect(page.locator('.editor-head .sub')).toContainText('unsaved changes');
  await shot(page, '05-stored-asset-draft-restored');

  await page.getByRole('button', { name: 'Discard draft' }).click();
  await expect(page.getByLabel('Description')).toHaveValue(DESCRIPTION);
  await expect(page.locator('.editor-head .sub')).not.toContainText('unsaved changes');
  await page.getByRole('button', { name: '← Library' }).click();
  await expect(card.getByText('Unsaved draft')).toHaveCount(0);
});
