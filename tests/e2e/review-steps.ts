/** Steps shared by the review-queue e2e specs: the main navigation, and opening a queue item once it has arrived. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** Clicks a screen in the main navigation. */
export const nav = (page: Page, name: string | RegExp) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click();

/** The review queue's item for an asset, refreshing the queue until it is there. */
export async function openQueueItem(page: Page, name: string) {
  await nav(page, 'Review queue');
  const item = page.getByRole('listitem', { name: `Review ${name}` });
  await expect(async () => {
    await page.getByRole('region', { name: 'Review queue' }).getByRole('button', { name: 'Refresh' }).click();
    await expect(item).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  return item;
}
