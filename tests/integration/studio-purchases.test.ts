/**
 * A buyer's studio against a real marketplace (with the local test payment processor), through the
 * studio's own handler map: buying, the listing saying "owned", saving the purchase's files (card,
 * license text, image) into the data folder, adding the card to the library with the listing as its
 * declared parent (or as a reference copy when the license forbids derivatives) — which a submission
 * of it then declares — and a refund taking
 * the saved files away and stopping further downloads.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handlers, dispatch } from '../../electron/main/handlers.ts';
import type { Connected } from '../../electron/main/services/connected.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { artwork } from '../helpers/images.ts';
import { type Person, moneyWorld, uniqueCard } from '../helpers/money.ts';
import { handlerCall, openConnectedStudio } from '../helpers/connected-studio.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
let creator: Person;
let studio: Studio;
let connected: Connected;
let h: Handlers;
const dir = mkdtempSync(join(tmpdir(), 'studio-buyer-'));

const call = handlerCall(() => h);

/** A listing with an image by `creator`, approved; priced one-time when asked. */
async function listing(name: string, seed: number, price: boolean): Promise<string> {
  const form = w.api.form({ ...uniqueCard(name, seed), age_rating: '13+' }, await artwork(seed));
  const sub = w.must('submit', await w.api.call('POST', '/v1/submissions', { token: creator.token, form }), 201);
  await w.api.approve(w.mod.token, sub.assetId);
  if (price)
    w.must(
      'pricing',
      await w.api.call('POST', `/v1/assets/${sub.assetId}/pricing`, { token: creator.token, json: { model: 'one_time', priceCents: 299 } }),
    );
  return sub.assetId as string;
}

/** Buys through the studio and pays on the test checkout page, as the buyer does. */
async function buyThroughStudio(method: 'market.buy' | 'market.buyLicense', input: unknown) {
  const p = await call(method, input);
  await w.pay(p);
  return call('market.purchase', { id: p.id });
}

beforeAll(async () => {
  w = await moneyWorld();
  creator = await w.creator('cleo');
  ({ studio, connected, handlers: h } = await openConnectedStudio(dir, { syncIntervalMs: 3_600_000 }));
  await call('settings.set', { marketplaceUrl: w.srv.url });
  await call('account.signUp', { email: 'buyer@studio.dev', password: 'a long enough password', displayName: 'Bo Buyer' });
}, 90_000);
afterAll(async () => {
  await connected.close();
  await studio.close();
  await w.stop();
});

describe('a purchase in the buyer’s studio', () => {
  it('saves the files, adds the card to the library with the listing as its declared parent, and a refund takes the files away', async () => {
    const id = await listing('Copper astrolabe', 321, true);
    expect((await call('market.listing', { remoteId: id })).owned).toBeNull();
    const p = await buyThroughStudio('market.buy', { remoteId: id });
    expect(p.status).toBe('paid');
    expect((await call('market.listing', { remoteId: id })).owned).toEqual({ purchaseId: p.id, kind: 'one_time', licenseType: null });

    const saved = await call('market.download', { purchaseId: p.id });
    expect(saved.folder).toBe(join(dir, 'purchases', p.id));
    expect(saved.files.map((f: { name: string }) => f.name)).toEqual(['card.json', 'image.png', 'license.txt']);
    const card = JSON.parse(readFileSync(join(saved.folder, 'card.json'), 'utf8'));
    expect(card).toMatchObject({ name: 'Copper astrolabe', age_rating: '13+', asset_type: 'item' });
    const license = readFileSync(join(saved.folder, 'license.txt'), 'utf8');
    expect(license).toContain('Licensed to: Bo Buyer');
    expect(license).toContain('Derivatives: allowed');
    expect(await call('market.purchaseFile', { purchaseId: p.id, name: 'license.txt' }).catch((e) => e.code)).toBe('unknown_method');
    expect((await dispatch(h, 'market.purchaseFile', { purchaseId: p.id, name: 'license.txt' }, { internal: true })).ok).toBe(true);
    expect((await dispatch(h, 'market.purchaseFile', { purchaseId: p.id, name: '../library.sqlite' }, { internal: true })).ok).toBe(false);

    const added = await call('market.addToLibrary', { purchaseId: p.id });
    expect(added.library).toMatchObject({ parentAssetId: id, parentName: 'Copper astrolabe', derivativesAllowed: true });
    const local = await call('assets.get', { id: added.library.assetId });
    expect(local.card.name).toBe('Copper astrolabe');
    expect(local.card.description).toContain(`marketplace listing ${id}`);
    expect(local.card.description).toContain('declaring this listing as their parent');
    expect(local.imageSha).toMatch(/^[0-9a-f]{64}$/);
    // Adding again does not make a second copy.
    expect((await call('market.addToLibrary', { purchaseId: p.id })).library.assetId).toBe(added.library.assetId);
    expect((await call('market.downloads')).map((v: { purchaseId: string }) => v.purchaseId)).toContain(p.id);

    // Submitted from this studio, the copy declares the listing as its parent (a derivative, not a duplicate).
    const me = await call('account.status');
    await w.api.grant(w.admin.token, me.user.id, { creatorTier: true });
    await call('assets.save', {
      id: local.id,
      card: { ...local.card, description: `${local.card.description}\n\nNow a lantern-lit marsh ferry of my own.` },
      baseRev: local.rev,
    });
    const op = await call('market.submit', { assetId: local.id });
    expect(op.payload).toEqual({ parentAssetId: id });
    const t = await call('market.track', { assetId: local.id });
    expect(t.remote?.parentAssetId).toBe(id);

    const refunded = await call('market.refund', { id: p.id, reason: 'accidental_purchase' });
    expect(refunded.status).toBe('refunded');
    expect(existsSync(saved.folder)).toBe(false);
    await expect(call('market.download', { purchaseId: p.id })).rejects.toMatchObject({ code: 'refunded' });
    expect((await call('market.listing', { remoteId: id })).owned).toBeNull();
  });

  it('adds an editorial license’s card as a reference copy that declares no parent', async () => {
    const id = await listing('Basalt gargoyle', 654, false);
    const offer = w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${id}/licenses`, {
        token: creator.token,
        json: { licenseType: 'editorial', priceCents: 499, terms: { usageRights: ['web'], territory: ['worldwide'] } },
      }),
      201,
    );
    const p = await buyThroughStudio('market.buyLicense', { offerId: offer.id });
    const added = await call('market.addToLibrary', { purchaseId: p.id });
    expect(added.license).toMatchObject({ title: 'Editorial', key: p.licenseKey, derivativesAllowed: false });
    expect(added.library).toMatchObject({ parentAssetId: null, derivativesAllowed: false });
    const local = await call('assets.get', { id: added.library.assetId });
    expect(local.card.name).toBe('Basalt gargoyle (reference copy)');
    expect(local.card.description).toContain('does not allow derivatives');
  });
});
