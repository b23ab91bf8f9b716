/**
 * The connected studio, in Debian's Chromium against browser mode and a real marketplace server.
 *
 * Journey 1 (the studio's own local marketplace, started by browser mode as `npm start` does): a
 * creator signs up, is granted the Creator tier, creates an asset, sees the pre-flight verdict,
 * prices it (live breakdown) and offers a license before submitting, submits (the first submission
 * takes both to the listing); a moderator approves it in the review
 * queue; a buyer buys the license through the labelled test payment processor; the creator's
 * dashboard shows the sale with the split; the buyer refunds inside the window; both update.
 *
 * Journey 2 (a separate marketplace server process): the creator works while the server is down,
 * queues a submission, the server comes back, the outbox drains, nothing is duplicated.
 *
 * Screenshots of every screen go to tests/artifacts/screenshots (20-…).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, type Studio, expect, test } from './fixtures.ts';
import { PASSWORD, signIn, signUp } from './account.ts';
import { nav, newCharacter, saveFirstRevision } from './studio-steps.ts';

test.describe.configure({ mode: 'serial' });

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The studio's own API (what the page calls), for the test to learn the local marketplace URL. */
async function studioCall<T>(studio: Studio, method: string, input: unknown = {}): Promise<T> {
  const r = await fetch(new URL(`/api/${method}`, studio.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${studio.token}` },
    body: JSON.stringify(input),
  });
  return ((await r.json()) as { value: T }).value;
}

/** The marketplace's HTTP API, as its admin uses it (granting the Creator tier has no studio screen). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function market<T = any>(
  base: string,
  method: string,
  path: string,
  token?: string,
  json?: unknown,
): Promise<{ status: number; body: T }> {
  const r = await fetch(new URL(path, base), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) },
    ...(json ? { body: JSON.stringify(json) } : {}),
  });
  return { status: r.status, body: (await r.json()) as T };
}

test('idea to income: sign up, price, submit, review, a buyer pays and refunds, both dashboards follow', async ({
  page,
  connectedStudio: studio,
}) => {
  await page.goto(await studio.openUrl());
  const status = await studioCall<{ url: string; local: boolean }>(studio, 'account.status');
  expect(status.local).toBe(true);
  const mp = status.url;
  // The local marketplace's first account is its admin (and a moderator).
  const admin = await market(mp, 'POST', '/v1/auth/register', undefined, {
    email: 'admin@local.test',
    password: PASSWORD,
    displayName: 'Mo the moderator',
  });
  expect(admin.status).toBe(201);

  // The creator signs up in the studio and is granted the Creator tier.
  await signUp(page, 'Carla Creator', 'carla@local.test');
  await shot(page, '20-account');
  const carla = await market(mp, 'POST', '/v1/auth/login', undefined, { email: 'carla@local.test', password: PASSWORD });
  await market(mp, 'POST', `/v1/admin/users/${carla.body.user.id}`, admin.body.token, { creatorTier: true });

  // Creates an asset and sees the pre-flight verdict.
  await newCharacter(
    page,
    'Vesna of the Salt Marsh',
    'A heron-keeper who trades riddles for safe passage across the drowned causeway at dusk.',
    true,
  );
  await saveFirstRevision(page);
  await page.getByRole('tab', { name: 'Marketplace' }).click();
  const panel = page.getByRole('region', { name: 'Marketplace' });
  await expect(panel).toContainText('Pre-flight check');
  await expect(panel.locator('.preflight')).toContainText('Original');

  // Prices it while preparing it, before the first submission: inline validation on bad input, the
  // recommendation, the live breakdown; the price waits for the submission.
  const pricing = panel.getByRole('form', { name: 'Pricing' });
  await pricing.getByLabel(/^Price/).fill('0.50');
  await expect(pricing.getByRole('alert')).toContainText('$0.99 to $99.99');
  await expect(pricing.getByRole('button', { name: 'Save price' })).toBeDisabled();
  await pricing.getByLabel(/^Price/).fill('9.99');
  await expect(pricing.getByTestId('creator-net')).toHaveText('$6.99');
  await expect(pricing.locator('.recommendation')).toContainText('Recommended');
  await pricing.getByRole('button', { name: 'Save price' }).click();
  await expect(pricing).toContainText('Price set: One-time purchase at $9.99 — the first submission takes it to the marketplace');
  await pricing.getByRole('heading', { name: 'Pricing' }).scrollIntoViewIfNeeded();
  await shot(page, '21-editor-priced-before-submitting');
  // Offers a license with the licensing spec's fields, also before submitting.
  await panel.getByText('New license offer').click();
  const offer = panel.getByRole('form', { name: 'New license offer' });
  await offer.getByLabel('Type').selectOption('commercial');
  await offer.getByLabel('Price (USD)').fill('19.99');
  await offer.getByLabel('print').check();
  await offer.getByLabel('Duration in days (empty = perpetual)').fill('365');
  await offer.getByLabel('Attribution required').check();
  await offer.getByRole('button', { name: 'Create offer' }).click();
  await expect(panel.getByRole('form', { name: 'New license offer' })).toContainText('Offer queued for the marketplace');
  await expect(panel.locator('.licensing')).toContainText('Kept for the first submission: offer a commercial license for $19.99');

  // The first submission takes the price and the offer to the listing.
  await panel.getByRole('button', { name: 'Submit to marketplace' }).click();
  await expect(panel.getByTestId('listing-status')).toHaveText('in review');
  await expect(pricing).toContainText('Price set: One-time purchase at $9.99 — buyers see it once the asset is published');
  await expect(panel.getByRole('table', { name: 'License offers' })).toContainText('Commercial');
  await expect(panel.getByRole('table', { name: 'License offers' })).toContainText('$19.99');
  await shot(page, '21-editor-marketplace-panel');

  // The moderator approves it in the review queue.
  await signIn(page, 'admin@local.test');
  await nav(page, 'Review queue');
  const item = page.getByRole('listitem', { name: 'Review Vesna of the Salt Marsh' });
  await expect(item).toBeVisible();
  await shot(page, '22-review-queue');
  await item.getByRole('button', { name: 'Approve' }).click();
  await expect(item).toHaveCount(0);

  // A buyer finds it and buys the license through the test payment processor.
  await signUp(page, 'Bo Buyer', 'bo@local.test');
  await nav(page, 'Marketplace');
  await page.getByRole('button', { name: /Vesna of the Salt Marsh/ }).click();
  await expect(page.getByRole('region', { name: 'Listing' })).toContainText('Commercial license');
  await shot(page, '23-listing');
  const popupPromise = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Buy license' }).click();
  const checkout = await popupPromise;
  await expect(checkout.getByRole('alert')).toContainText('LOCAL TEST PAYMENT PROCESSOR');
  await expect(checkout.getByText('$19.99').first()).toBeVisible();
  await checkout.screenshot({ path: join(ARTIFACTS, '24-test-checkout.png') });
  await checkout.getByRole('button', { name: 'Pay with test card 4242' }).click();
  await expect(checkout.getByRole('heading', { name: 'Thank you' })).toBeVisible();
  await checkout.close();
  await expect(page.getByRole('region', { name: 'Purchases' })).toBeVisible();
  const bought = page.getByRole('listitem', { name: 'Purchase of Vesna of the Salt Marsh' });
  await expect(bought.getByTestId('purchase-status')).toHaveText('paid');
  await expect(bought).toContainText('License key: OSL1.');
  await shot(page, '25-purchases');

  // The creator's dashboard shows the sale with the split: $19.99 → $13.993 to the creator, read rounded to the cent.
  await signIn(page, 'carla@local.test');
  await nav(page, 'Earnings');
  await expect(page.getByTestId('gross')).toHaveText('$19.99');
  await expect(page.getByTestId('net')).toHaveText('$13.99');
  await expect(page.getByRole('table', { name: 'Sales' })).toContainText('$6.00'); // the platform's 30 % ($5.997)
  await shot(page, '26-earnings');
  await nav(page, /Notifications/);
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Sale: Vesna of the Salt Marsh');
  await shot(page, '27-notifications');

  // The buyer refunds inside the window.
  await signIn(page, 'bo@local.test');
  await nav(page, 'Purchases');
  const row = page.getByRole('listitem', { name: 'Purchase of Vesna of the Salt Marsh' });
  await row.getByRole('button', { name: /Request refund/ }).click();
  await row.getByLabel('Reason').selectOption('accidental_purchase');
  await row.getByRole('button', { name: 'Confirm refund' }).click();
  await expect(row.getByTestId('purchase-status')).toHaveText('refunded');
  await shot(page, '28-purchases-refunded');

  // Both dashboards follow: the creator's net is back to zero with one refund.
  await signIn(page, 'carla@local.test');
  await nav(page, 'Earnings');
  await expect(page.getByTestId('refunds')).toContainText('$13.99 (1)');
  await expect(page.getByTestId('net')).toHaveText('$0.00');
  // …and they equal the server's ledger.
  const carlaToken = (await market(mp, 'POST', '/v1/auth/login', undefined, { email: 'carla@local.test', password: PASSWORD })).body.token;
  const server = await market(mp, 'GET', '/v1/me/earnings?period=30d', carlaToken);
  expect(server.body.totals).toMatchObject({ grossSales: 19_990_000, refunds: 13_993_000, net: 0 });
  await shot(page, '29-earnings-after-refund');
});

test('trust: the creator verifies provenance; a buyer reports the listing, a moderator takes it down, the creator sees the strike and appeals', async ({
  page,
  connectedStudio: studio,
}) => {
  await page.goto(await studio.openUrl());
  // The creator checks the signed provenance record of the published listing (verified offline with the marketplace key).
  await signIn(page, 'carla@local.test');
  await nav(page, 'Library');
  await page.getByRole('button', { name: 'Open Vesna of the Salt Marsh' }).click();
  await page.getByRole('tab', { name: 'Marketplace' }).click();
  const panel = page.getByRole('region', { name: 'Marketplace' });
  await panel.getByRole('button', { name: 'Verify the provenance record' }).click();
  await expect(panel.getByTestId('provenance')).toContainText('✓ Verified');
  await shot(page, '33-provenance');

  // A buyer reports it.
  await signIn(page, 'bo@local.test');
  await nav(page, 'Marketplace');
  await page.getByRole('button', { name: /Vesna of the Salt Marsh/ }).click();
  await page.getByRole('button', { name: 'Report this listing' }).click();
  const dialog = page.getByRole('dialog', { name: 'Report this listing' });
  await dialog.getByLabel('What is wrong?').selectOption('copyright');
  await dialog.getByLabel('Details for the moderators').fill('This is my heron-keeper from my 2021 zine, traced and recoloured.');
  await shot(page, '34-report-dialog');
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog).toHaveCount(0);

  // The moderator sees the report and the evidence next to the asset, and takes it down.
  await signIn(page, 'admin@local.test');
  await nav(page, 'Review queue');
  await page.getByRole('tab', { name: 'Reports and detections' }).click();
  const item = page.getByRole('listitem', { name: /Case \d+: Vesna of the Salt Marsh/ });
  await expect(item).toContainText('traced and recoloured');
  await item.getByLabel('Reason (the creator sees it)').fill('The reporter showed the 2021 zine page; the figure is traced.');
  await shot(page, '35-moderation-case');
  await item.getByRole('button', { name: 'Take down and refund buyers' }).click();
  await expect(item).toHaveCount(0);

  // The creator is told, sees the strike on the reputation page, and appeals.
  await signIn(page, 'carla@local.test');
  await nav(page, /Notifications/);
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'Taken down: Vesna of the Salt Marsh — The reporter showed the 2021 zine page',
  );
  await nav(page, 'Reputation');
  await expect(page.getByTestId('strikes')).toHaveText('1');
  const takedown = page.getByRole('listitem', { name: 'Takedown of Vesna of the Salt Marsh' });
  await takedown.getByLabel('Why is this takedown wrong?').fill('I drew it in 2019; here is the dated sketchbook scan.');
  await takedown.getByRole('button', { name: 'Appeal' }).click();
  await expect(takedown.getByTestId('appeal-state')).toContainText('pending');
  await shot(page, '36-reputation-appeal');
  // The listing shows the takedown to everyone.
  await nav(page, 'Marketplace');
  await expect(page.getByRole('button', { name: /Vesna of the Salt Marsh/ })).toHaveCount(0);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

test('offline: a submission queued while the marketplace is down reaches it once when it is back', async ({
  page,
  connectedStudio: studio,
}) => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-mp-'));
  // The operator's one-time token for the first admin (the server would print a random one).
  const bootstrapToken = `e2e-bootstrap-${port}-${Date.now()}`;
  const startServer = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(port), ORIGINALS_SERVER_DATA: dataDir, ORIGINALS_BOOTSTRAP_TOKEN: bootstrapToken },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('marketplace API at') && resolve());
      child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
    });
    return child;
  };
  const stop = (c: ChildProcess) => new Promise<void>((r) => (c.once('exit', () => r()), c.kill('SIGTERM')));
  const mp = `http://127.0.0.1:${port}/`;
  let server = await startServer();
  try {
    const root = await market(mp, 'POST', '/v1/auth/register', undefined, {
      email: 'root@remote.test',
      password: PASSWORD,
      displayName: 'Root',
    });
    await market(mp, 'POST', '/v1/admin/bootstrap', root.body.token, { token: bootstrapToken });
    await page.goto(await studio.openUrl());
    // Point the studio at this marketplace.
    await nav(page, /^(Sign in|Account)/);
    const acct = page.getByRole('region', { name: 'Account' });
    await acct.getByLabel('Marketplace URL').fill(mp);
    await acct.getByRole('button', { name: 'Save settings' }).click();
    await expect(acct.locator('.banner').first()).toContainText(mp);
    await signUp(page, 'Olga Offline', 'olga@remote.test');
    const olga = await market(mp, 'POST', '/v1/auth/login', undefined, { email: 'olga@remote.test', password: PASSWORD });
    await market(mp, 'POST', `/v1/admin/users/${olga.body.user.id}`, root.body.token, { creatorTier: true });

    // The marketplace goes away; the creator keeps working and submits.
    await stop(server);
    await nav(page, 'Library');
    await page.getByRole('button', { name: 'New asset (Ctrl+N)' }).click();
    await page.getByRole('menuitem', { name: 'Location' }).click();
    await page.getByLabel('Name').fill('The Lantern Stair');
    await page
      .getByLabel('Description')
      .fill('A spiral of nine hundred lamplit steps carved inside a dead lighthouse, each lamp a remembered name.');
    await saveFirstRevision(page);
    await page.getByRole('tab', { name: 'Marketplace' }).click();
    const panel = page.getByRole('region', { name: 'Marketplace' });
    await expect(panel.locator('.preflight')).toContainText('Original');
    await panel.getByRole('button', { name: 'Submit to marketplace' }).click();
    await expect(panel.getByTestId('listing-status')).toContainText('queued');
    await expect(panel).toContainText('unreachable');
    await expect(page.getByTestId('connection')).toContainText('1 waiting to send');
    await shot(page, '30-offline-queued');
    await nav(page, /^Account/);
    await expect(page.getByRole('table', { name: 'Outbox' })).toContainText('submit');
    await shot(page, '31-outbox');

    // It comes back; the outbox drains; exactly one listing exists.
    server = await startServer();
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect(page.getByRole('table', { name: 'Outbox' })).toContainText('done');
    await page.getByRole('button', { name: 'Sync now' }).click();
    const mine = await market<{ name: string; status: string }[]>(mp, 'GET', '/v1/my/assets', olga.body.token);
    expect(mine.body.filter((a) => a.name === 'The Lantern Stair').map((a) => a.status)).toEqual(['in_review']);
    await nav(page, 'Library');
    await page.getByRole('button', { name: 'Open The Lantern Stair' }).click();
    await page.getByRole('tab', { name: 'Marketplace' }).click();
    await expect(page.getByRole('region', { name: 'Marketplace' }).getByTestId('listing-status')).toHaveText('in review');
    await shot(page, '32-drained');
  } finally {
    await stop(server);
  }
});
