/**
 * Steps shared by the e2e specs that make assets in the studio: the main navigation, a new
 * character, its first save, and submitting an asset the pre-flight check calls original.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** The main navigation. */
export const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Clicks a screen in the main navigation. */
export const nav = (page: Page, name: string | RegExp) => mainNav(page).getByRole('button', { name }).click();

/**
 * Opens a new character from the Library — with the empty library's own button when `first` (so
 * the step also checks that the empty library offers it) or, with 'if offered', when it shows; else
 * from the New asset menu — and fills its name and description; not saved yet.
 */
export async function newCharacter(page: Page, name: string, description: string, first: boolean | 'if offered') {
  await nav(page, 'Library');
  const empty = page.getByRole('button', { name: 'Create your first character' });
  if (first === true || (first === 'if offered' && (await empty.isVisible()))) await empty.click();
  else {
    await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
    await page.getByRole('menuitem', { name: /character/i }).click();
  }
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill(description);
}

/** Saves the asset open in the editor and waits for its first revision. */
export async function saveFirstRevision(page: Page) {
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');
}

/** Opens the Marketplace tab of the asset in the editor, waits for the pre-flight check to call it original and submits it; the tab's panel. */
export async function submitOriginal(page: Page): Promise<Locator> {
  await page.getByRole('tab', { name: 'Marketplace' }).click();
  const panel = page.getByRole('region', { name: 'Marketplace' });
  await expect(panel.locator('.preflight')).toContainText('Original');
  await panel.getByRole('button', { name: 'Submit to marketplace' }).click();
  return panel;
}
