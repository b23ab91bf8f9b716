/** Steps shared by the review-queue e2e specs: submitting the open asset, and opening a queue item once it has arrived. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures.ts';
import { nav } from './studio-steps.ts';

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

/**
 * Submits the asset open in the editor from its Marketplace tab, confirming when the check calls it
 * a copy (MARKETPLACE_POLICY.submitOnCopy), until the marketplace holds it in review; the panel.
 */
export async function submitForReview(page: Page, timeout?: number) {
  await page.getByRole('tab', { name: 'Marketplace' }).click();
  const panel = page.getByRole('region', { name: 'Marketplace' });
  await expect(panel.locator('.preflight')).not.toContainText('not run yet');
  await panel.getByRole('button', { name: 'Submit to marketplace' }).click();
  const anyway = panel.getByRole('button', { name: 'Submit anyway' });
  if (await anyway.isVisible()) await anyway.click();
  await expect(panel.getByTestId('listing-status')).toHaveText('in review', timeout ? { timeout } : {});
  return panel;
}
