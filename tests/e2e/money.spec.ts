/**
 * Money people can read, in Debian's Chromium against browser mode and the studio's own local
 * marketplace, every step in the UI: the first account (admin, moderator) grants a second account
 * the Creator tier; the creator publishes an asset with a price and a commercial license offer; the
 * admin approves it and buys the asset and the license through the labelled test processor; the creator's Earnings screen shows amounts in
 * cents (the exact figure one click away), a chart with axes and every day of the period, per-kind
 * and per-asset breakdowns, the license sale labelled as one; "Pay out" without a payout account
 * explains what is needed; setting the account up pays out and the payouts list shows it at once.
 * Axe (WCAG 2 A/AA) on every state of the screen.
 *
 * Screenshots go to tests/artifacts/screenshots (money-…).
 */
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';
import { signIn, signUp } from './account.ts';
import { nav, newCharacter, saveFirstRevision, submitOriginal } from './studio-steps.ts';

test.describe.configure({ mode: 'serial' });

/** A screenshot of the window with `what` scrolled into view (the screen scrolls inside the main pane, not the page). */
async function shot(page: Page, name: string, what: Locator) {
  await what.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, `money-${name}.png`) });
}

/** Pays a checkout the studio opened in a new window, on the local test processor's page. */
async function payInPopup(page: Page, click: () => Promise<void>, price: string) {
  const popup = page.context().waitForEvent('page');
  await click();
  const checkout = await popup;
  await expect(checkout.getByRole('alert')).toContainText('LOCAL TEST PAYMENT PROCESSOR');
  await expect(checkout.getByText(price).first()).toBeVisible();
  await checkout.getByRole('button', { name: 'Pay with test card 4242' }).click();
  await expect(checkout.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await checkout.close();
}

test('a creator sells an asset and a license, reads the earnings in cents with a chart, and is told how to get paid', async ({
  page,
  moneyStudio: studio,
}) => {
  test.setTimeout(240_000);
  await page.goto(await studio.openUrl());

  // The one-box marketplace's first account is its admin and a moderator; it grants a second account the Creator tier.
  await signUp(page, 'Ada Admin', 'ada@local.test');
  await signUp(page, 'Mira Maker', 'mira@local.test');
  await signIn(page, 'ada@local.test');
  await nav(page, 'Users');
  const users = page.getByRole('region', { name: 'Users' });
  await users.getByRole('button', { name: 'Grant Creator tier for Mira Maker' }).click();
  await expect(page.getByRole('status')).toContainText('Mira Maker can now sell.');

  // The creator publishes an asset with a price and a commercial license offer.
  await signIn(page, 'mira@local.test');
  await newCharacter(
    page,
    'Tamsin of the Tide Clock',
    'A clockmaker who winds the harbour tide clock and sells the minutes it skips to sailors.',
    true,
  );
  await saveFirstRevision(page);
  const panel = await submitOriginal(page);
  await expect(panel.getByTestId('listing-status')).toHaveText('in review');
  const pricing = panel.getByRole('form', { name: 'Pricing' });
  await pricing.getByLabel(/^Price/).fill('9.99');
  await pricing.getByRole('button', { name: 'Save price' }).click();
  await expect(pricing).toContainText('Price set: One-time purchase at $9.99');
  await panel.getByText('New license offer').click();
  const offer = panel.getByRole('form', { name: 'New license offer' });
  await offer.getByLabel('Type').selectOption('commercial');
  await offer.getByLabel('Price (USD)').fill('19.99');
  await offer.getByLabel('print').check();
  await offer.getByRole('button', { name: 'Create offer' }).click();
  await expect(panel.getByRole('table', { name: 'License offers' })).toContainText('$19.99');

  // The admin approves it, then buys the asset and the license.
  await signIn(page, 'ada@local.test');
  await nav(page, 'Review queue');
  const item = page.getByRole('listitem', { name: 'Review Tamsin of the Tide Clock' });
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item).toHaveCount(0);
  await nav(page, 'Marketplace');
  await page.getByRole('button', { name: /Tamsin of the Tide Clock/ }).click();
  const listing = page.getByRole('region', { name: 'Listing' });
  await expect(listing).toContainText('Commercial license');
  await payInPopup(page, () => listing.getByRole('button', { name: 'Buy', exact: true }).click(), '$9.99');
  await expect(page.getByRole('region', { name: 'Purchases' })).toBeVisible();
  await nav(page, 'Marketplace');
  await page.getByRole('button', { name: /Tamsin of the Tide Clock/ }).click();
  await payInPopup(
    page,
    () => page.getByRole('region', { name: 'Listing' }).getByRole('button', { name: 'Buy license' }).click(),
    '$19.99',
  );
  await expect(page.getByRole('region', { name: 'Purchases' }).getByTestId('purchase-status')).toHaveText(['paid', 'paid']);

  // The creator reads the earnings: cents everywhere, the exact amounts one click away.
  await signIn(page, 'mira@local.test');
  await nav(page, 'Earnings');
  const screen = page.getByRole('region', { name: 'Earnings' });
  await expect(screen.getByTestId('gross')).toHaveText('$29.98');
  await expect(screen.getByTestId('net')).toHaveText('$20.99'); // $6.993 + $13.993 = $20.986
  await expect(screen.getByTestId('balance')).toHaveText('$20.99');
  await screen.getByText('How these amounts are rounded').click();
  await expect(screen.getByTestId('rounding-details')).toContainText('Net earnings: $20.986 exactly, shown as $20.99');
  await expect(screen.getByTestId('rounding-details')).toContainText('nearest cent (half a cent rounds away from zero)');

  // The chart: every day of the 30-day period (31 calendar days), axes with labels, one bar today.
  const chart = screen.getByTestId('earnings-chart');
  await expect(chart).toHaveAttribute('data-days', '31');
  const svg = chart.locator('svg.recharts-surface');
  await expect(svg).toContainText('Day (UTC)');
  await expect(svg).toContainText('Net to you (USD)');
  // Tick labels: dates along the bottom ("Nov 22"), dollars up the side.
  const ticks = chart.locator('.recharts-cartesian-axis-tick-value');
  await expect(ticks.filter({ hasText: /^[A-Z][a-z]{2} \d{1,2}$/ }).first()).toBeVisible();
  await expect(ticks.filter({ hasText: /^\$\d+$/ }).first()).toHaveText('$0');
  await expect(chart).toContainText('1 of 31 days with earnings or refunds; days without any are drawn empty.');
  await screen.getByRole('tab', { name: 'Last 7 days' }).click();
  await expect(chart).toHaveAttribute('data-days', '8');
  await screen.getByRole('tab', { name: 'Last 30 days' }).click();
  await expect(chart).toHaveAttribute('data-days', '31');
  // A tooltip on hovering today's bar.
  await chart.locator('.recharts-bar-rectangle').last().hover();
  await expect(chart.locator('.recharts-tooltip-wrapper')).toContainText('$20.99');
  await shot(page, '1-earnings', screen.getByRole('heading', { name: 'Earnings per day' }));
  await axe(page, 'earnings');

  // Per kind: asset sale and license sale stacked; the figures as a table.
  await screen.getByRole('tab', { name: 'By kind' }).click();
  await expect(chart.locator('.recharts-legend-wrapper')).toContainText('Asset sales');
  await expect(chart.locator('.recharts-legend-wrapper')).toContainText('License sales');
  await screen.getByText('Show the figures as a table').click();
  const figures = screen.getByRole('table', { name: /^Figures: By kind/ });
  await expect(figures.getByRole('columnheader')).toHaveText(['Day', 'Asset sales', 'License sales', 'Total']);
  await expect(figures.getByRole('row').nth(1)).toContainText('$6.99$13.99$20.99');
  await screen.getByRole('tab', { name: 'By asset' }).click();
  await expect(screen.getByRole('table', { name: /^Figures: By asset/ }).getByRole('columnheader')).toHaveText([
    'Day',
    'Tamsin of the Tide Clock',
  ]);
  await screen.getByRole('tab', { name: 'By kind' }).click();
  await shot(page, '2-chart-by-kind', figures);
  await axe(page, 'chart by kind');

  // The sale lines: the license sale says so; its details show the exact amounts.
  const sales = screen.getByRole('table', { name: 'Sales' });
  await expect(sales.getByTestId('sale-kind')).toHaveText(['License sale (commercial)', 'Asset sale']);
  await sales.getByRole('button', { name: /^Exact amounts of the license sale/ }).click();
  await expect(sales.locator('.details-row')).toContainText('$13.993 (13,993,000 millionths of a dollar)');
  await expect(sales.locator('.details-row')).toContainText('Some of these amounts are not whole cents');
  await shot(page, '3-sale-details', sales.locator('.details-row'));
  await axe(page, 'sale details');

  // Pay out without a payout account: what is needed and how to set it up, in plain words.
  const payouts = screen.getByRole('region', { name: 'Payouts' });
  await expect(payouts.getByRole('table', { name: 'Payouts' }).getByRole('columnheader')).toHaveText([
    'Date',
    'Amount',
    'Status',
    'Reference',
  ]);
  await payouts.getByRole('button', { name: 'Pay out $20.98 now' }).click();
  const why = payouts.getByTestId('payout-explanation');
  await expect(why).toContainText('To be paid you need a payout account');
  await expect(why).toContainText('Set up payout account');
  await expect(why).not.toContainText('/v1/');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await shot(page, '4-payout-needs-account', why);
  await axe(page, 'payout needs an account');

  // Setting the account up (the provider's onboarding page opens) pays the balance out; the list shows it at once.
  const onboarding = page.context().waitForEvent('page');
  await payouts.getByRole('button', { name: 'Set up payout account' }).click();
  const provider = await onboarding;
  await expect(provider.getByRole('heading', { name: 'Payout account connected' })).toBeVisible();
  await provider.close();
  const rows = payouts.getByRole('table', { name: 'Payouts' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('$20.98');
  await expect(rows.nth(1)).toContainText('sent to your payout account');
  await expect(payouts.getByRole('button', { name: 'Pay out $0.00 now' })).toBeDisabled();
  await expect(payouts.getByTestId('payout-help')).toContainText('a fraction of a cent stays in your balance');
  await expect(screen.getByTestId('balance')).toHaveText('$0.01'); // the 0.6¢ remainder, rounded for reading
  await expect(screen.getByTestId('rounding-details')).toContainText('Balance: $0.006 exactly, shown as $0.01');
  await shot(page, '5-paid-out', rows.nth(1));
  await axe(page, 'paid out');

  // The buyer refunds the asset as an accidental purchase: the money already paid out is recovered
  // from future sales (the notice says so), and the creator's reputation does not drop.
  await nav(page, 'Reputation');
  const total = page.getByTestId('reputation-total');
  await expect(total).toHaveText(/^\d\.\d{3}$/);
  const before = await total.textContent();
  await signIn(page, 'ada@local.test');
  await nav(page, 'Purchases');
  const assetPurchase = page.getByRole('listitem', { name: 'Purchase of Tamsin of the Tide Clock' }).filter({ hasNotText: 'License key' });
  await assetPurchase.getByRole('button', { name: /Request refund/ }).click();
  await assetPurchase.getByLabel('Reason').selectOption('accidental_purchase');
  await assetPurchase.getByRole('button', { name: 'Confirm refund' }).click();
  await expect(assetPurchase.getByTestId('purchase-status')).toHaveText('refunded');
  await signIn(page, 'mira@local.test');
  await nav(page, 'Reputation');
  await expect(page.getByRole('region', { name: 'Reputation' })).toContainText('1 accidental-purchase refund not counted against you');
  await expect(total).toHaveText(before as string);
  await nav(page, 'Earnings');
  const notice = screen.getByTestId('negative-balance');
  await expect(notice).toContainText('Your balance is −$6.99.');
  await expect(notice.getByRole('listitem')).toHaveText([/Tamsin of the Tide Clock, refund: accidental purchase, −\$6\.99$/]);
  await expect(notice).toContainText('your next sales first bring the balance back to zero; payouts resume once it is above zero');
  await expect(screen.getByRole('table', { name: 'Sales' }).getByTestId('sale-kind').first()).toHaveText('Refund: accidental purchase');
  await shot(page, '6-negative-balance', notice);
  await axe(page, 'negative balance');
});
