/**
 * The whole journey, creator to buyer, in Debian's Chromium against browser mode and the studio's own
 * one-box marketplace, every step in the UI (journey-steps.ts):
 *
 * Journey 1 (1280×800, mouse): first run from an empty data folder, a card is created and checked,
 * the first account (the marketplace's admin) is created, a creator signs up and is granted the
 * Creator tier, submits the card, prices it and offers a license; the admin approves it; a buyer
 * signs up, tops up, buys the card by mistake and has it refunded (the form closes), buys the
 * license, reads its terms and downloads the card and the license; the creator signs back in, sees
 * the earnings in cents with the chart, is told a payout needs a payout account, sets one up and
 * sees the payout listed.
 *
 * Journey 4 (1024×700, keyboard alone): the whole of journey 1 on a studio of its own, from an
 * empty data folder too, driven only with Tab/Shift+Tab/Enter/Space/arrow keys and typing. Every screen is photographed at its size, checked with axe (WCAG A/AA), for
 * clipped content and for horizontal scrolling of the page.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { type Ui, keyboardUi, mouseUi } from './journey-ui.ts';
import * as step from './journey-steps.ts';

test.describe.configure({ mode: 'serial' });

const ADMIN = { name: 'Ada Admin', email: 'ada@journey.test' };

async function journey(ui: Ui, who: { creator: string; buyer: string; tag: string }, card: step.Card, firstRun: boolean) {
  const creatorEmail = `${who.tag}-creator@journey.test`;
  const buyerEmail = `${who.tag}-buyer@journey.test`;
  if (firstRun) await step.firstRun(ui);
  await step.createCard(ui, card, firstRun);
  await step.checkCard(ui);

  if (firstRun) {
    // The first account on the one-box marketplace is its admin.
    await step.signUp(ui, ADMIN.name, ADMIN.email, 'account');
    await step.signOut(ui);
  } else await step.signOut(ui); // the last journey's creator is still signed in
  await step.signUp(ui, who.creator, creatorEmail, firstRun ? undefined : 'account');
  await step.signOut(ui);
  await step.signIn(ui, ADMIN.email);
  await step.grantCreatorTier(ui, who.creator);
  await step.signOut(ui);

  await step.signIn(ui, creatorEmail);
  await step.openCard(ui, card);
  const panel = await step.submitCard(ui);
  await step.priceAndLicense(ui, panel);
  await step.signOut(ui);

  await step.signIn(ui, ADMIN.email);
  await step.approve(ui, card);
  await step.signOut(ui);

  await step.signUp(ui, who.buyer, buyerEmail);
  await step.topUp(ui);
  await step.buyAsset(ui, card);
  await step.refundAccidentalPurchase(ui, card);
  await step.buyLicense(ui, card);
  await step.downloadLicensed(ui, card);
  await step.signOut(ui);

  await step.signIn(ui, creatorEmail);
  // The refunded $9.99 sale nets nothing; the $19.99 license nets $13.993, shown as $13.99.
  await step.seeEarnings(ui, '$13.99');
  await step.payOut(ui, '$13.99');
  await step.otherScreens(ui, card);
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByRole('region', { name: 'Library' })).toBeVisible();
}

test('journey 1: from an empty data folder to a sale and the earnings, at 1280×800 with the mouse', async ({ page, journeyStudio }) => {
  test.setTimeout(300_000);
  await open(page, await journeyStudio.openUrl());
  await journey(
    mouseUi(page),
    { creator: 'Carla Creator', buyer: 'Bo Buyer', tag: 'mouse' },
    {
      name: 'Vesna of the Salt Marsh',
      description: 'A heron-keeper who trades riddles for safe passage across the drowned causeway at dusk.',
    },
    true,
  );
});

test.describe('at 1024×700', () => {
  // The context's viewport, so the checkout windows it opens have it too.
  test.use({ viewport: { width: 1024, height: 700 } });

  test('journey 4: the same journey at 1024×700 with the keyboard alone', async ({ page, keyboardStudio }) => {
    test.setTimeout(600_000);
    await open(page, await keyboardStudio.openUrl());
    const ui = keyboardUi(page);
    await step.foldedMenu(ui);
    await journey(
      ui,
      { creator: 'Kira Keys', buyer: 'Tab Buyer', tag: 'keys' },
      { name: 'Orm the Tide Clerk', description: 'Keeps the ledger of every ship the fog swallowed, and bills the fog for each one.' },
      true,
    );
  });
});
