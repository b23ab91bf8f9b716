/**
 * The steps of the whole creator-to-buyer journey, each one function over a Ui (mouse or keyboard
 * alone, journey-ui.ts), every step in the studio's UI against its own one-box local marketplace.
 * Each step ends on the screen it names and records it (screenshot, axe, layout checks); new steps
 * (downloads, refunds, payouts…) are appended as further functions of the same shape.
 */
import { type Locator, type Page, expect } from '@playwright/test';
import { PASSWORD } from './account.ts';
import { type Ui, screen } from './journey-ui.ts';

export interface Card {
  name: string;
  description: string;
}

const account = (page: Page) => page.getByRole('region', { name: 'Account' });

/** First run from an empty data folder: the library invites the first asset. */
export async function firstRun(ui: Ui): Promise<void> {
  await expect(ui.page.getByRole('button', { name: 'Create your first character' })).toBeVisible();
  await expect(ui.page.getByRole('navigation', { name: 'Main' })).toContainText('0 assets');
  await screen(ui.page, 'library-empty');
}

/** Below the layout breakpoint the sidebar is a Menu button: it opens the navigation, Escape closes it. */
export async function foldedMenu(ui: Ui): Promise<void> {
  const nav = ui.page.getByRole('navigation', { name: 'Main' });
  const toggle = nav.getByRole('button', { name: /Menu/ });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('button', { name: 'Library' })).toBeHidden();
  await ui.press(toggle);
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('button', { name: 'Library' })).toBeVisible();
  await screen(ui.page, 'menu-open');
  await ui.page.keyboard.press('Escape');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toBeFocused();
}

/** Creates a character card and saves it (the first one from the empty library, later ones from the New menu). */
export async function createCard(ui: Ui, card: Card, first: boolean): Promise<void> {
  const page = ui.page;
  if (ui.keyboard || !first) await ui.nav('Library');
  if (first) await ui.press(page.getByRole('button', { name: 'Create your first character' }));
  else {
    await ui.press(page.getByRole('button', { name: 'New asset (Ctrl+N)' }));
    await ui.press(page.getByRole('menuitem', { name: /character/i }));
  }
  // A new card opens with the focus in its first field.
  await expect(page.getByLabel('Name')).toBeFocused();
  // The untouched empty fields are not shown in red.
  await expect(page.locator('.editor .field.has-error')).toHaveCount(0);
  await ui.fill(page.getByLabel('Name'), card.name);
  await ui.fill(page.getByLabel('Description'), card.description);
  await ui.press(page.getByRole('button', { name: 'Save (Ctrl+S)' }));
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');
  await screen(page, 'editor');
}

/** The uniqueness check of the saved card: original, ready to submit. */
export async function checkCard(ui: Ui): Promise<void> {
  const verdict = ui.page.locator('.verdict');
  await expect(verdict).toContainText('Ready to submit');
  await screen(ui.page, 'editor-checked');
}

/** Opens a card of the library with Enter (or a click): the editor opens with the focus in it. */
export async function openCard(ui: Ui, card: Card): Promise<void> {
  await ui.nav('Library');
  await expect(ui.page.getByRole('article', { name: card.name })).toBeVisible();
  await screen(ui.page, 'library');
  await ui.press(ui.page.getByRole('button', { name: `Open ${card.name}` }));
  await expect(ui.page.getByRole('region', { name: 'Asset editor' })).toBeVisible();
  if (ui.keyboard) await expect(ui.page.getByLabel('Name')).toBeFocused();
}

/** Opens the Account screen: the studio is connected to its own one-box marketplace. */
export async function openAccount(ui: Ui): Promise<Locator> {
  await ui.nav(/^(Sign in|Account)/);
  const acct = account(ui.page);
  await expect(acct).toContainText('local marketplace');
  return acct;
}

/** Creates an account from the sign-up form ("New here"). */
export async function signUp(ui: Ui, name: string, email: string, shot?: string): Promise<void> {
  const acct = await openAccount(ui);
  await ui.tab(acct.getByRole('tab', { name: 'New here' }));
  if (shot) await screen(ui.page, `${shot}-form`);
  await ui.fill(acct.getByLabel('Display name'), name);
  await ui.fill(acct.getByLabel('Email'), email);
  await ui.fill(acct.getByLabel('Password'), PASSWORD);
  await ui.press(acct.getByRole('button', { name: 'Create account' }));
  await expect(acct.getByRole('heading', { name })).toBeVisible();
  if (shot) await screen(ui.page, shot);
}

/** Signs out: one "Signed out" message, and the sign-in form is back. */
export async function signOut(ui: Ui): Promise<void> {
  const acct = await openAccount(ui);
  await ui.press(acct.getByRole('button', { name: 'Sign out' }));
  await expect(acct.getByRole('tab', { name: 'I have an account' })).toHaveAttribute('aria-selected', 'true');
  await expect(acct.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(ui.page.locator('.toast', { hasText: 'Signed out' })).toHaveCount(1);
}

export async function signIn(ui: Ui, email: string): Promise<void> {
  const acct = await openAccount(ui);
  await ui.tab(acct.getByRole('tab', { name: 'I have an account' }));
  await ui.fill(acct.getByLabel('Email'), email);
  await ui.fill(acct.getByLabel('Password'), PASSWORD);
  await ui.press(acct.getByRole('button', { name: 'Sign in' }));
  await expect(acct.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** The admin grants an account the Creator tier on the Users screen. */
export async function grantCreatorTier(ui: Ui, name: string): Promise<void> {
  await ui.nav('Users');
  const users = ui.page.getByRole('region', { name: 'Users' });
  await screen(ui.page, 'users');
  await ui.press(users.getByRole('button', { name: `Grant Creator tier for ${name}` }));
  await expect(ui.page.getByRole('status')).toContainText(`${name} can now sell.`);
}

/** Submits the open card to the marketplace; it is in review. */
export async function submitCard(ui: Ui): Promise<Locator> {
  await ui.tab(ui.page.getByRole('tab', { name: 'Marketplace' }));
  const panel = ui.page.getByRole('region', { name: 'Marketplace' });
  await expect(panel.locator('.preflight')).toContainText('Original');
  // The journey's first asset: the pre-flight check says it compared with nothing yet.
  await expect(panel.locator('.preflight')).toContainText('against 0 other assets');
  await expect(panel.locator('.preflight')).toContainText('nothing to compare with yet');
  await ui.press(panel.getByRole('button', { name: 'Submit to marketplace' }));
  await expect(panel.getByTestId('listing-status')).toHaveText('in review');
  return panel;
}

/** Prices the submitted card and offers a commercial license. */
export async function priceAndLicense(ui: Ui, panel: Locator): Promise<void> {
  const pricing = panel.getByRole('form', { name: 'Pricing' });
  await ui.fill(pricing.getByLabel(/^Price/), '9.99');
  await expect(pricing.getByTestId('creator-net')).toHaveText('$6.99');
  await expect(pricing).toContainText('a fraction of a cent waits in your balance for the next one');
  await pricing.getByRole('table', { name: 'What one sale pays' }).scrollIntoViewIfNeeded();
  await screen(ui.page, 'pricing-breakdown');
  await ui.press(pricing.getByRole('button', { name: 'Save price' }));
  await expect(pricing).toContainText('Price set: One-time purchase at $9.99');
  await ui.press(panel.getByText('New license offer'));
  const offer = panel.getByRole('form', { name: 'New license offer' });
  await ui.select(offer.getByLabel('Type'), 'Commercial');
  await ui.fill(offer.getByLabel('Price (USD)'), '19.99');
  await ui.check(offer.getByLabel('print'));
  await ui.press(offer.getByRole('button', { name: 'Create offer' }));
  await expect(panel.getByRole('table', { name: 'License offers' })).toContainText('$19.99');
  await screen(ui.page, 'editor-marketplace');
}

/** A moderator approves the card in the review queue. */
export async function approve(ui: Ui, card: Card): Promise<void> {
  await ui.nav('Review queue');
  const item = ui.page.getByRole('listitem', { name: `Review ${card.name}` });
  await expect(item).toBeVisible();
  await screen(ui.page, 'review-queue');
  await ui.press(item.getByRole('button', { name: 'Approve' }));
  await expect(item).toHaveCount(0);
}

/** Pays in the test payment processor's checkout window, which opens on `start`. */
async function payInCheckout(ui: Ui, start: () => Promise<void>, shot: string): Promise<void> {
  const popup = ui.page.context().waitForEvent('page');
  await start();
  const checkout = await popup;
  await expect(checkout.getByRole('alert')).toContainText('LOCAL TEST PAYMENT PROCESSOR');
  await screen(checkout, shot);
  await ui.on(checkout).press(checkout.getByRole('button', { name: 'Pay with test card 4242' }));
  await expect(checkout.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await checkout.close();
}

/** The buyer tops up the prepaid balance by $10.00. */
export async function topUp(ui: Ui): Promise<void> {
  await ui.nav('Purchases');
  const form = ui.page.getByRole('form', { name: 'Prepaid balance' });
  await ui.fill(form.getByLabel('Top up (USD)'), '10.00');
  await payInCheckout(ui, () => ui.press(form.getByRole('button', { name: 'Top up' })), 'checkout-top-up');
  await expect(form).toContainText('Prepaid balance: $10.00');
  await screen(ui.page, 'purchases-topped-up');
}

/** Opens the card's listing from the marketplace. */
async function openListing(ui: Ui, card: Card): Promise<Locator> {
  await ui.nav('Marketplace');
  await ui.press(ui.page.getByRole('button', { name: new RegExp(card.name) }));
  const listing = ui.page.getByRole('region', { name: 'Listing' });
  await expect(listing).toContainText('Commercial license');
  return listing;
}

/** The buyer's purchase rows of the card: the asset itself, or its license (the row with a key). */
const purchaseRow = (ui: Ui, card: Card, license: boolean) => {
  const rows = ui.page.getByRole('listitem', { name: `Purchase of ${card.name}` });
  return license ? rows.filter({ hasText: 'License key' }) : rows.filter({ hasNotText: 'License key' });
};

/** The buyer buys the card itself ($9.99) from its listing, by mistake as it turns out. */
export async function buyAsset(ui: Ui, card: Card): Promise<void> {
  await ui.nav('Marketplace');
  await screen(ui.page, 'marketplace');
  const listing = await openListing(ui, card);
  await screen(ui.page, 'listing');
  await payInCheckout(ui, () => ui.press(listing.getByRole('button', { name: 'Buy', exact: true })), 'checkout-asset');
  await expect(purchaseRow(ui, card, false).getByTestId('purchase-status')).toHaveText('paid');
}

/** The buyer asks for a refund of the accidental purchase: the form closes and the row says refunded. */
export async function refundAccidentalPurchase(ui: Ui, card: Card): Promise<void> {
  await ui.nav('Purchases');
  const row = purchaseRow(ui, card, false);
  await ui.press(row.getByRole('button', { name: /Request refund/ }));
  await ui.select(row.getByLabel('Reason'), 'accidental purchase');
  await screen(ui.page, 'purchases-refund-form');
  await ui.press(row.getByRole('button', { name: 'Confirm refund' }));
  await expect(row.getByTestId('purchase-status')).toHaveText('refunded');
  await expect(row.getByRole('button', { name: 'Confirm refund' })).toHaveCount(0);
  await expect(row).toContainText('Refunded (accidental purchase)');
  await screen(ui.page, 'purchases-refunded');
}

/** The buyer buys the card's commercial license from its listing. */
export async function buyLicense(ui: Ui, card: Card): Promise<void> {
  const listing = await openListing(ui, card);
  await payInCheckout(ui, () => ui.press(listing.getByRole('button', { name: 'Buy license' })), 'checkout-license');
  const bought = purchaseRow(ui, card, true);
  await expect(bought.getByTestId('purchase-status')).toHaveText('paid');
  await expect(bought).toContainText('License key: OSL1.');
  await screen(ui.page, 'purchases');
}

/** The buyer downloads what the license delivers (the card and the license text) and reads its terms. */
export async function downloadLicensed(ui: Ui, card: Card): Promise<void> {
  const row = purchaseRow(ui, card, true);
  await ui.press(row.getByText('Commercial license: what you may do'));
  await expect(row).toContainText('You may use it for:');
  await ui.press(row.getByRole('button', { name: 'Download files' }));
  const files = row.getByRole('list', { name: `Files of ${card.name}` });
  await expect(files.getByRole('link', { name: /License \(text\)/ })).toBeVisible();
  await expect(files.getByRole('link', { name: /Asset card/ })).toBeVisible();
  await screen(ui.page, 'purchases-downloaded');
}

/** The creator sees the sale in the earnings, in cents (the license's 70 %; the refunded sale nets nothing), and the chart. */
export async function seeEarnings(ui: Ui, net: string): Promise<void> {
  await ui.nav('Earnings');
  const earnings = ui.page.getByRole('region', { name: 'Earnings' });
  await expect(earnings.getByTestId('net')).toHaveText(net);
  const chart = earnings.getByTestId('earnings-chart');
  await expect(chart).toHaveAttribute('data-days', '31');
  await expect(chart.locator('svg.recharts-surface')).toContainText('Day (UTC)');
  await expect(earnings.getByRole('table', { name: 'Sales' }).getByTestId('sale-kind').first()).toHaveText('License sale (commercial)');
  await screen(ui.page, 'earnings');
}

/** "Pay out" first explains the payout account it needs; once it is set up the payout is listed. */
export async function payOut(ui: Ui, amount: string): Promise<void> {
  const payouts = ui.page.getByRole('region', { name: 'Payouts' });
  await ui.press(payouts.getByRole('button', { name: `Pay out ${amount} now` }));
  await expect(payouts.getByTestId('payout-explanation')).toContainText('To be paid you need a payout account');
  await screen(ui.page, 'earnings-payout-needs-account');
  const onboarding = ui.page.context().waitForEvent('page');
  await ui.press(payouts.getByRole('button', { name: 'Set up payout account' }));
  const provider = await onboarding;
  await expect(provider.getByRole('heading', { name: 'Payout account connected' })).toBeVisible();
  await provider.close();
  const rows = payouts.getByRole('table', { name: 'Payouts' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(amount);
  await screen(ui.page, 'earnings-paid-out');
}

/** The creator's other screens: the sale is in the notifications; reputation and models are recorded too. */
export async function otherScreens(ui: Ui, card: Card): Promise<void> {
  await ui.nav(/^Notifications/);
  await expect(ui.page.getByRole('region', { name: 'Notifications' })).toContainText(`Sale: ${card.name}`);
  await expect(ui.page.getByRole('region', { name: 'Notifications' })).toContainText(`Submitted for review: ${card.name} — review target`);
  await screen(ui.page, 'notifications');
  await ui.nav('Reputation');
  await expect(ui.page.getByRole('region', { name: 'Reputation' })).toBeVisible();
  await screen(ui.page, 'reputation');
  await ui.nav('Models');
  await expect(ui.page.getByRole('heading', { name: 'Models' })).toBeVisible();
  await screen(ui.page, 'models');
}
