/**
 * The buyer's journey, in Debian's Chromium against browser mode and the studio's own one-box
 * marketplace, every step in the UI: the first account (admin and moderator) grants a second one the
 * Creator tier; the creator makes a character, prices it, offers a royalty-free license and submits
 * it; the admin approves it (a moderator never reviews their own listing); a third account
 * tops up its balance, finds the listing with the browse filters and sort, buys the license through
 * the labelled test processor, sees "You own this" instead of Buy, sees the license key and terms,
 * downloads the card and the license (their contents checked), adds the card to its library (the
 * listing as declared parent), refunds — and the form closes on the refunded state; the creator's own
 * listing says "This is yours — edit". Screenshots (60-…) and axe on browse, listing and purchases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';
import { signIn, signUp } from './account.ts';
import { nav, newCharacter, saveFirstRevision, submitOriginal } from './studio-steps.ts';

test.describe.configure({ mode: 'serial' });

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** Pays the checkout the page just opened in a new tab, on the local test processor's page. */
async function pay(page: Page, click: () => Promise<void>) {
  const popup = page.context().waitForEvent('page');
  await click();
  const checkout = await popup;
  await expect(checkout.getByRole('alert')).toContainText('LOCAL TEST PAYMENT PROCESSOR');
  await checkout.getByRole('button', { name: 'Pay with test card 4242' }).click();
  await expect(checkout.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await checkout.close();
}

/** Saves the download a click starts and returns its text. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const d = page.waitForEvent('download');
  await click();
  const file = await d;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

const NAME = 'Ysolde of the Lantern Fen';

test('a buyer finds, buys, downloads, adds to the library and refunds; the creator sees their own listing', async ({
  page,
  buyerStudio: studio,
}) => {
  test.setTimeout(240_000);
  await page.goto(await studio.openUrl());

  // The one-box marketplace's first account is its admin and a moderator; it lets a second account sell.
  await signUp(page, 'Ada Admin', 'ada@local.test');
  await signUp(page, 'Cora Creator', 'cora@local.test');
  await signIn(page, 'ada@local.test');
  await nav(page, 'Users');
  const users = page.getByRole('region', { name: 'Users' });
  await users.getByLabel('Search accounts by name or e-mail').fill('cora');
  await users.getByRole('button', { name: 'Search' }).click();
  await users.getByRole('button', { name: 'Grant Creator tier for Cora Creator' }).click();
  await expect(users.getByTestId('user-cora@local.test')).toContainText('Creator tier');

  // The creator makes a character, prices it, offers a license and submits it.
  await signIn(page, 'cora@local.test');
  await newCharacter(
    page,
    NAME,
    'A fen-warden who guides lost travellers by lantern light and trades safe paths for forgotten lullabies.',
    true,
  );
  await page.getByLabel('Tags').fill('fen, lantern, guide');
  await page.getByLabel('Age rating').selectOption('13+');
  await page.getByLabel('Race').fill('Half-elf');
  await page.getByLabel('Class').fill('Ranger');
  await page.getByLabel('Level').fill('6');
  await saveFirstRevision(page);
  const panel = await submitOriginal(page);
  await expect(panel.getByTestId('listing-status')).toHaveText('in review');
  const pricing = panel.getByRole('form', { name: 'Pricing' });
  await pricing.getByLabel(/^Price/).fill('9.99');
  await pricing.getByRole('button', { name: 'Save price' }).click();
  await expect(pricing).toContainText('Price set: One-time purchase at $9.99');
  // Where the license is chosen, its type is explained in plain language.
  await panel.getByText('New license offer').click();
  const offer = panel.getByRole('form', { name: 'New license offer' });
  await offer.getByLabel('Type').selectOption('royalty_free');
  await expect(offer.getByLabel('Type')).toHaveAccessibleDescription(/^Buyers pay once and use it as often as they like/);
  await offer.getByLabel('Price (USD)').fill('12.00');
  await offer.getByLabel('games').check();
  await offer.getByLabel('Attribution required').check();
  await offer.getByRole('button', { name: 'Create offer' }).click();
  await expect(panel.getByRole('table', { name: 'License offers' })).toContainText('$12.00');
  // A moderator (never the creator) approves it.
  await signIn(page, 'ada@local.test');
  await nav(page, 'Review queue');
  const item = page.getByRole('listitem', { name: `Review ${NAME}` });
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item).toHaveCount(0);

  // A second account tops up its prepaid balance.
  await signUp(page, 'Bea Buyer', 'bea@local.test');
  await nav(page, 'Purchases');
  const balance = page.getByRole('form', { name: 'Prepaid balance' });
  // Amounts outside the contract's bounds are named at the field and never sent.
  await balance.getByLabel('Top up (USD)').fill('0');
  await expect(balance.getByRole('alert')).toHaveText('Top-ups start at $5');
  await expect(balance.getByRole('button', { name: 'Top up' })).toBeDisabled();
  await balance.getByLabel('Top up (USD)').fill('9999');
  await expect(balance.getByRole('alert')).toHaveText('Top-ups are limited to $500');
  await expect(balance.getByRole('button', { name: 'Top up' })).toBeDisabled();
  await balance.getByLabel('Top up (USD)').fill('15.00');
  await pay(page, () => balance.getByRole('button', { name: 'Top up' }).click());
  await expect(balance).toContainText('Prepaid balance: $15.00');

  // Browse: filters that miss, then filters and a sort that find it.
  await nav(page, 'Marketplace');
  const browse = page.getByRole('search', { name: 'Browse the marketplace' });
  await browse.getByLabel('Age rating').selectOption('18+');
  await browse.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('Nothing published matches.')).toBeVisible();
  await browse.getByLabel('Price from (USD)').fill('20');
  await browse.getByLabel('to (USD)').fill('5');
  await browse.getByRole('button', { name: 'Search' }).click();
  await expect(browse.getByRole('alert')).toContainText('the highest price is below the lowest');
  await browse.getByLabel('Type').selectOption('character');
  await browse.getByLabel('Price from (USD)').fill('5');
  await browse.getByLabel('to (USD)').fill('15');
  await browse.getByLabel('License offered').selectOption('royalty_free');
  await browse.getByLabel('Age rating').selectOption('13+');
  await browse.getByRole('button', { name: 'Search' }).click();
  await browse.getByLabel('Sort by').selectOption('price');
  const tile = page.getByRole('button', { name: new RegExp(NAME) });
  await expect(tile).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'listing' })).toHaveText('1 listing');
  await shot(page, '60-browse');
  await axe(page, 'browse');

  // The listing shows all of the card and the licenses in plain language; the buyer buys the license.
  await tile.click();
  const listing = page.getByRole('region', { name: 'Listing' });
  const facts = listing.getByRole('definition');
  await expect(facts).toContainText(['Half-elf', 'Ranger', '6', 'fen, lantern, guide', '13+']);
  await expect(listing).toContainText('Royalty-free license');
  await expect(listing).toContainText('You may use it for: websites, games.');
  await expect(listing).toContainText('You must credit the creator wherever you use it.');
  await pay(page, () => listing.getByRole('button', { name: 'Buy license' }).click());
  await expect(page.getByRole('region', { name: 'Purchases' })).toBeVisible();

  // Back on the listing: "You own this" instead of Buy.
  await nav(page, 'Marketplace');
  await expect(page.getByRole('button', { name: new RegExp(NAME) })).toContainText('You own this');
  await page.getByRole('button', { name: new RegExp(NAME) }).click();
  await expect(listing.getByRole('status').filter({ hasText: 'You own this' })).toContainText('royalty-free license');
  await expect(listing.getByRole('button', { name: /^(Buy|Buy license|Subscribe)$/ })).toHaveCount(0);
  await shot(page, '61-listing-owned');
  await axe(page, 'listing');

  // Purchases: the key and terms; download the card and the license; add the card to the library.
  await listing.getByRole('button', { name: /download it and see the license in Purchases/ }).click();
  const row = page.getByRole('listitem', { name: `Purchase of ${NAME}` });
  await expect(row.getByTestId('purchase-status')).toHaveText('paid');
  const key = (await row.locator('code.key').textContent()) ?? '';
  expect(key).toMatch(/^OSL1\./);
  await row.getByText('Royalty-free license: what you may do').click();
  await expect(row).toContainText('You may use it for: websites, games.');
  await row.getByRole('button', { name: 'Download files' }).click();
  const files = row.getByRole('list', { name: `Files of ${NAME}` });
  await expect(files.getByRole('link')).toHaveCount(2); // the card and the license (this character has no image)
  const license = await downloaded(page, () => files.getByRole('link', { name: /License \(text\)/ }).click());
  expect(license.name).toBe('license.txt');
  expect(license.text).toContain(`Royalty-free license — ${NAME} (version 1)`);
  expect(license.text).toContain('Licensed to: Bea Buyer');
  expect(license.text).toContain(key);
  const card = await downloaded(page, () => files.getByRole('link', { name: /Asset card/ }).click());
  expect(JSON.parse(card.text)).toMatchObject({
    name: NAME,
    age_rating: '13+',
    character: { race: 'Half-elf', class: 'Ranger', level: 6 },
  });
  await row.getByRole('button', { name: 'Add to library' }).click();
  await expect(row.getByRole('status')).toContainText(`declared parent: “${NAME}”`);
  await shot(page, '62-purchases');
  await axe(page, 'purchases');

  // Refund: the form closes and the purchase shows its refunded state (no live Confirm button, no files).
  await row.getByRole('button', { name: /Request refund/ }).click();
  await row.getByLabel('Reason').selectOption('accidental_purchase');
  await row.getByRole('button', { name: 'Confirm refund' }).click();
  await expect(row.getByTestId('purchase-status')).toHaveText('refunded');
  await expect(row.getByRole('form', { name: 'Refund request' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Confirm refund' })).toHaveCount(0);
  await expect(row).toContainText('Refunded (accidental purchase)');
  await expect(row.getByRole('button', { name: 'Download files' })).toHaveCount(0);
  await shot(page, '63-purchases-refunded');

  // The copy added to the library stays, saying where it came from.
  await nav(page, 'Library');
  await expect(page.getByText(NAME).first()).toBeVisible();

  // The creator's own listing: "This is yours — edit", which opens it in the editor.
  await signIn(page, 'cora@local.test');
  await nav(page, 'Marketplace');
  await page.getByRole('button', { name: new RegExp(NAME) }).click();
  const yours = listing.getByRole('status').filter({ hasText: 'This is yours' });
  await expect(yours).toBeVisible();
  await expect(listing.getByRole('button', { name: /^(Buy|Buy license)$/ })).toHaveCount(0);
  await shot(page, '64-listing-yours');
  await axe(page, 'listing (creator)');
  await yours.getByRole('button', { name: 'edit' }).click();
  await expect(page.getByLabel('Name')).toHaveValue(NAME);
});
