/**
 * Delivering a purchase through the HTTP API (GET /v1/purchases/{id}/delivery): its buyer gets the
 * card, the files' paths and the license text; another account is refused with 403; a refunded
 * purchase, an expired license or an ended subscription delivers nothing (403); an editorial license forbids derivatives; search filters by age rating.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artwork } from '../helpers/images.ts';
import { type Person, moneyWorld, uniqueCard } from '../helpers/money.ts';
import { expireLicense } from '../helpers/seed.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
let creator: Person;
let buyer: Person;
let other: Person;

beforeAll(async () => {
  w = await moneyWorld();
  creator = await w.creator('dora');
  buyer = await w.buyer('bea');
  other = await w.buyer('otto');
}, 60_000);
afterAll(() => w.stop());

const delivery = (who: Person, id: string) => w.api.call('GET', `/v1/purchases/${id}/delivery`, { token: who.token });
/** A listing with an image, approved and priced at $4.99. */
async function publishWithImage(): Promise<string> {
  const form = w.api.form(uniqueCard('Lantern of the delivery test', 4242), await artwork(4242));
  const sub = w.must('submit', await w.api.call('POST', '/v1/submissions', { token: creator.token, form }), 201);
  await w.api.approve(w.mod.token, sub.assetId);
  w.must(
    'pricing',
    await w.api.call('POST', `/v1/assets/${sub.assetId}/pricing`, { token: creator.token, json: { model: 'one_time', priceCents: 499 } }),
  );
  return sub.assetId as string;
}

const terms = { usageRights: ['web', 'games'], territory: ['worldwide'], requiresAttribution: true };

describe('purchase delivery', () => {
  it('delivers the card, the image path and the license text to the buyer only, and nothing after a refund', async () => {
    const id = await publishWithImage();
    const p = await w.buy(buyer, `/v1/assets/${id}/purchase`);
    expect(p.status).toBe('paid');

    const ok = await delivery(buyer, p.id);
    expect(ok.status).toBe(200);
    expect(ok.body.asset).toMatchObject({ id, version: 1, assetType: 'item', creatorName: 'dora' });
    expect(String(ok.body.asset.card.description)).toContain(ok.body.asset.name);
    expect(ok.body.files).toEqual([{ kind: 'image', path: `/v1/assets/${id}/image?version=1` }]);
    expect(ok.body.license).toMatchObject({ type: null, key: null, derivativesAllowed: true, title: 'Personal and creative use' });
    expect(ok.body.license.text).toContain(`Purchase: ${p.id}`);
    expect(ok.body.license.text).toContain('Licensed to: bea');
    // The delivered image path is served to the buyer.
    expect((await w.api.call('GET', ok.body.files[0].path, { token: buyer.token })).status).toBe(200);

    const stranger = await delivery(other, p.id);
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.code).toBe('forbidden');
    expect((await delivery(creator, p.id)).status).toBe(403);
    expect((await w.api.call('GET', `/v1/purchases/${p.id}/delivery`)).status).toBe(401);
    expect((await delivery(buyer, '00000000-0000-4000-8000-000000000000')).status).toBe(404);

    w.must(
      'refund',
      await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer.token, json: { reason: 'accidental_purchase' } }),
    );
    const refunded = await delivery(buyer, p.id);
    expect(refunded.status).toBe(403);
    expect(refunded.body.error.code).toBe('refunded');
  });

  it('delivers a license with its key and terms in words; an editorial one forbids derivatives; an expired one delivers nothing', async () => {
    const id = await w.publish(creator, null);
    const offer = w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${id}/licenses`, {
        token: creator.token,
        json: { licenseType: 'editorial', priceCents: 999, terms: { ...terms, durationDays: 30 } },
      }),
      201,
    );
    const p = await w.buy(buyer, `/v1/licenses/${offer.id}/purchase`);
    const ok = await delivery(buyer, p.id);
    expect(ok.status).toBe(200);
    expect(ok.body.license).toMatchObject({ type: 'editorial', title: 'Editorial', key: p.licenseKey, derivativesAllowed: false });
    expect(ok.body.license.text).toContain(p.licenseKey);
    expect(ok.body.license.text).toContain('You may use it for: websites, games.');
    expect(ok.body.license.text).toContain('You must credit the creator');
    expect(ok.body.license.text).toContain('Derivatives: not allowed.');

    await expireLicense(w.srv.marketplace.db, p.id);
    const expired = await delivery(buyer, p.id);
    expect(expired.status).toBe(403);
    expect(expired.body.error.code).toBe('license_expired');
  });

  it('delivers a subscription while it runs, and not once it has ended', async () => {
    const id = await w.publish(creator, { model: 'subscription', priceCents: 499, interval: 'month' });
    const p = await w.buy(buyer, `/v1/assets/${id}/purchase`);
    expect(p.subscription?.status).toBe('active');
    const ok = await delivery(buyer, p.id);
    expect(ok.status).toBe(200);
    expect(ok.body.license).toMatchObject({ title: 'Subscription', derivativesAllowed: true });
    await w.srv.marketplace.db.query(`UPDATE subscriptions SET status = 'canceled' WHERE id = $1`, [p.subscription.id]);
    const ended = await delivery(buyer, p.id);
    expect(ended.status).toBe(403);
    expect(ended.body.error.code).toBe('subscription_ended');
  });

  it('search filters by the card’s age rating (the browse screen’s filter)', async () => {
    const card = { ...uniqueCard('Grim reliquary', 777), age_rating: '16+' };
    const sub = w.must('submit', await w.api.call('POST', '/v1/submissions', { token: creator.token, form: w.api.form(card) }), 201);
    await w.api.approve(w.mod.token, sub.assetId);
    const ids = async (query: string) => (await w.api.call('GET', `/v1/search?${query}`)).body.items.map((i: { id: string }) => i.id);
    expect(await ids('ageRating=16%2B')).toEqual([sub.assetId]);
    expect(await ids('ageRating=all')).not.toContain(sub.assetId);
    expect((await w.api.call('GET', '/v1/search?ageRating=21%2B')).status).toBe(400);
  });
});
