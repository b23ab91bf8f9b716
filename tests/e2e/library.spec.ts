/**
 * Library cards and match cards, in Debian's Chromium against browser mode and the studio's own
 * one-box marketplace, every step in the UI. Journey 1: the first account (admin, moderator) lets a
 * second one, the creator, sell; she creates three assets; each card says "Not submitted"; a card
 * opens from its title; two are exported to one file (read back here), submitted and priced in
 * bulk; the moderator approves one and buys it; its card then shows Published, its price and one
 * sale. Journey 2: a copy of the published asset shows one match card (the local asset and its
 * listing are one), led by its verdict and strongest reason, with the differences in words; the
 * verdict says the copy layers only ran and points to the Models screen, whose download says its
 * size first and fails offline in plain words; with the local original gone, the moderator's copy
 * names the creator by display name and links to the listing.
 * Screenshots: tests/artifacts/screenshots (library-*.png).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures.ts';
import { axe } from './axe.ts';
import { signIn, signUp } from './account.ts';
import { nav } from './studio-steps.ts';

test.describe.configure({ mode: 'serial' });

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `library-${name}.png`), fullPage: false });
const card = (page: Page, name: string) => page.getByRole('article', { name });

const ASSETS = [
  {
    name: 'Marrow the Lantern-Keeper',
    description:
      'An old gravedigger who keeps a lantern lit for every soul buried in the hill cemetery, and who swears the flames lean toward whoever will die next.',
  },
  {
    name: 'Salt-Glass Compass',
    description: 'A compass of fused sea salt whose needle points toward the nearest lie told aloud within a mile of it.',
  },
  {
    name: 'Widow Fenn of the Reed Market',
    description: 'A reed-cutter who sells baskets that remember what was carried in them, and hum it back on rainy mornings.',
  },
];

async function create(page: Page, name: string, description: string, first: boolean) {
  await nav(page, 'Library');
  if (first) await page.getByRole('button', { name: 'Create your first character' }).click();
  else {
    await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
    await page.getByRole('menuitem', { name: 'Character' }).click();
  }
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Save (Ctrl+S)' }).click();
  await expect(page.locator('.editor-head .sub')).toContainText('revision 1');
}

/** Asks for a pull from the Account screen's "Sync now", then goes back to the library. */
async function syncNow(page: Page) {
  await nav(page, /^(Sign in|Account)/);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await nav(page, 'Library');
}

test('library cards: marketplace status, price and sales; open by title; bulk export, submit and price', async ({
  page,
  libraryStudio,
}) => {
  test.setTimeout(420_000);
  await page.goto(await libraryStudio.openUrl());
  // The one-box marketplace's first account (admin and moderator) lets a second one, the creator, sell.
  await signUp(page, 'Mo Moderator', 'mo@library.test');
  await signUp(page, 'Ada Quill', 'ada@library.test');
  await signIn(page, 'mo@library.test');
  await nav(page, 'Users');
  await page.getByTestId('user-ada@library.test').getByRole('button', { name: 'Grant Creator tier for Ada Quill' }).click();
  await expect(page.getByRole('status')).toContainText('Ada Quill can now sell.');
  await signIn(page, 'ada@library.test');
  for (const [i, a] of ASSETS.entries()) await create(page, a.name, a.description, i === 0);

  // Every card says where it stands on the marketplace.
  await nav(page, 'Library');
  for (const a of ASSETS) await expect(card(page, a.name).locator('.market-line')).toHaveText('Not submitted');
  await axe(page, 'library');
  await shot(page, '01-cards-not-submitted');

  // A card opens from its title.
  await card(page, ASSETS[1]!.name).getByRole('button', { name: ASSETS[1]!.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: ASSETS[1]!.name })).toBeVisible();
  await page.getByRole('button', { name: '← Library' }).click();

  // Bulk export: the two selected cards in one file.
  await page.getByLabel(`Select ${ASSETS[0]!.name}`).check();
  await page.getByLabel(`Select ${ASSETS[1]!.name}`).check();
  const bar = page.getByRole('region', { name: 'Selected assets' });
  await expect(bar).toContainText('2 selected');
  await expect(bar.getByRole('button', { name: 'Delete 2 selected' })).toBeVisible();
  const downloading = page.waitForEvent('download');
  await bar.getByRole('button', { name: 'Export 2' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('originals-cards-2.json');
  const bundle = JSON.parse(readFileSync((await file.path()) as string, 'utf8')) as {
    originals_card_bundle: { version: number; cards: { card: { luna_asset_card: { name: string; description: string } } }[] };
  };
  expect(bundle.originals_card_bundle.version).toBe(1);
  expect(bundle.originals_card_bundle.cards.map((c) => c.card.luna_asset_card.name).sort()).toEqual(
    [ASSETS[0]!.name, ASSETS[1]!.name].sort(),
  );
  expect(
    bundle.originals_card_bundle.cards.find((c) => c.card.luna_asset_card.name === ASSETS[0]!.name)?.card.luna_asset_card.description,
  ).toBe(ASSETS[0]!.description);
  await expect(page.getByRole('status').filter({ hasText: 'Exported 2 cards to originals-cards-2.json' })).toBeVisible();

  // Bulk submit through the outbox: both go into review; the third stays not submitted.
  await bar.getByRole('button', { name: 'Submit 2 to the marketplace' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Queued 2 submissions' })).toBeVisible();
  for (const a of ASSETS.slice(0, 2))
    await expect(card(page, a.name).locator('.listing-state')).toHaveText('In review', { timeout: 30_000 });
  await expect(card(page, ASSETS[2]!.name).locator('.market-line')).toHaveText('Not submitted');

  // Bulk price: one price for the selected submitted assets (validated as the pricing editor does).
  await bar.getByRole('button', { name: 'Set price…' }).click();
  const form = bar.getByRole('form', { name: 'One price for the selected assets' });
  await form.getByLabel('Price in dollars').fill('0.10');
  await expect(form.getByRole('button', { name: 'Set price on 2' })).toBeDisabled();
  await form.getByLabel('Price in dollars').fill('4.99');
  await form.getByRole('button', { name: 'Set price on 2' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Price set on 2 assets' })).toBeVisible();
  for (const a of ASSETS.slice(0, 2)) await expect(card(page, a.name).locator('.price')).toHaveText(/^\$4\.99/, { timeout: 30_000 });
  await axe(page, 'library with a selection');
  await shot(page, '02-bulk-bar-submitted-priced');

  // The moderator approves the first, then buys it through the test payment processor.
  await signIn(page, 'mo@library.test');
  await nav(page, 'Review queue');
  const item = page.getByRole('listitem', { name: `Review ${ASSETS[0]!.name}` });
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item).toHaveCount(0);
  await nav(page, 'Marketplace');
  await page.getByRole('button', { name: new RegExp(ASSETS[0]!.name) }).click();
  const popup = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();
  const checkout = await popup;
  await checkout.getByRole('button', { name: 'Pay with test card 4242' }).click();
  await expect(checkout.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await checkout.close();

  // Back as the creator: the card shows Published, its price and the sale.
  await signIn(page, 'ada@library.test');
  await syncNow(page);
  const sold = card(page, ASSETS[0]!.name);
  await expect(sold.locator('.listing-state')).toHaveText('Published', { timeout: 30_000 });
  await expect(sold.locator('.price')).toHaveText('$4.99');
  await expect(sold.locator('.sales')).toHaveText('1 sale', { timeout: 30_000 });
  await expect(card(page, ASSETS[1]!.name).locator('.sales')).toHaveText('No sales yet');
  await axe(page, 'library with a published card');
  await shot(page, '03-card-published-price-sales');
});

test('match cards: one per asset, verdict and strongest reason first, differences in words, the Models screen for missing layers', async ({
  page,
  libraryStudio,
}) => {
  test.setTimeout(180_000);
  await page.goto(await libraryStudio.openUrl());
  const original = ASSETS[0]!;

  // A copy of the published asset, by its own creator: one card for the asset and its listing.
  await create(page, 'Marrow, Keeper of Lanterns', original.description, false);
  const panel = page.getByRole('complementary', { name: 'Uniqueness check' });
  const matches = panel.locator('li.match');
  const mine = panel.getByRole('listitem', { name: `Match: ${original.name}` });
  await expect(mine).toHaveCount(1);
  await expect(mine.locator('.badge')).toHaveText('Duplicate of yours');
  await expect(mine.locator('.match-reason')).toHaveText('Its text, copied');
  await expect(mine.locator('.match-who')).toContainText('yours, in your library and submitted to the marketplace');
  await expect(mine.getByRole('button', { name: `View the listing “${original.name}”` })).toBeVisible();
  await expect(mine.locator('.diffs li')).toHaveText(['another name']);
  await expect(matches.first()).not.toContainText('combined');
  await expect(panel).not.toContainText('mp:');

  // The meaning layers did not run: the verdict says which did, and points to the Models screen.
  const verdict = panel.locator('.verdict');
  await expect(verdict).toContainText('checked by the copy layers only');
  await expect(panel.locator('.layers')).not.toContainText('originals models');
  await axe(page, 'editor with a match card');
  await shot(page, '04-match-card-yours');
  await mine.screenshot({ path: join(ARTIFACTS, 'library-04b-match-card-yours.png') });

  await verdict.getByRole('button', { name: 'Open the Models screen' }).click();
  await expect(page.getByRole('heading', { name: 'Models' })).toBeVisible();
  const download = page.getByRole('button', { name: /^Download models \((at least )?\d+(\.\d)? (MB|kB)\)$/ });
  await expect(download).toBeVisible();
  await expect(page.locator('.models .row .hint')).toContainText('to download');
  await expect(page.locator('.models .layers')).not.toContainText('originals models');
  await download.click();
  // This machine has no route to the model host: the failure reads in plain words.
  await expect(page.getByRole('alert')).toContainText('No connection:', { timeout: 30_000 });
  await expect(page.getByRole('alert')).toContainText('this computer looks offline');
  await expect(page.getByRole('alert')).not.toContainText('fetch failed');
  await axe(page, 'models');
  await shot(page, '05-models-offline');

  // The local original goes; another account's copy now matches the listing alone, named by its creator.
  await nav(page, 'Library');
  await page.getByLabel(`Select ${original.name}`).check();
  await page.getByRole('button', { name: 'Delete 1 selected' }).click();
  await expect(card(page, original.name)).toHaveCount(0);
  await signIn(page, 'mo@library.test');
  await create(page, 'The Lantern Gravedigger', original.description, false);
  const theirs = panel.getByRole('listitem', { name: `Match: ${original.name}` });
  await expect(theirs).toHaveCount(1);
  await expect(theirs.locator('.badge')).toHaveText('Likely copy');
  await expect(theirs.locator('.match-reason')).toHaveText('Its text, copied');
  await expect(theirs.locator('.match-who')).toContainText('by Ada Quill');
  await expect(theirs.locator('.diffs li')).toHaveText(['another name']);
  await expect(panel).not.toContainText('mp:');
  await axe(page, 'editor with another creator’s match');
  await shot(page, '06-match-card-other-creator');
  await theirs.screenshot({ path: join(ARTIFACTS, 'library-06b-match-card-other-creator.png') });
  await theirs.getByRole('button', { name: `View the listing “${original.name}”` }).click();
  await expect(page.getByRole('region', { name: 'Listing' })).toContainText(original.name);
});
