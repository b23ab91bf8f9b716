/**
 * Money people can read, through the marketplace's HTTP API on a real server and database: sale
 * lines say what was sold (an asset sale, a license sale with its type, a refund with its reason),
 * the earnings say whether a payout account is connected, a payout without one is refused with a
 * code the studio words for people, and a refund for an accidental purchase leaves the creator's
 * reputation where the sale put it while a refund for a misdescribed asset lowers it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moneyWorld, type Person } from '../helpers/money.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
let creator: Person;
let buyer: Person;
let buyer2: Person;

beforeAll(async () => {
  w = await moneyWorld();
  creator = await w.creator('rita', false);
  buyer = await w.buyer('bert');
  buyer2 = await w.buyer('bea');
}, 60_000);
afterAll(() => w.stop());

const get = async (path: string, who: Person) => w.must(`GET ${path}`, await w.api.call('GET', path, { token: who.token }));
const reputation = async () =>
  (await get(`/v1/creators/${creator.id}/reputation`, creator)) as { total: number; inputs: { sales: unknown } };

describe('readable money', () => {
  it('labels asset and license sales, words refunds by reason, and says whether payouts can be made', async () => {
    const id = await w.publish(creator, { model: 'one_time', priceCents: 999 });
    const offer = w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${id}/licenses`, {
        token: creator.token,
        json: { licenseType: 'commercial', priceCents: 1999, terms: { usageRights: ['print'], territory: ['worldwide'] } },
      }),
      201,
    );
    await w.buy(buyer, `/v1/assets/${id}/purchase`);
    await w.buy(buyer, `/v1/licenses/${offer.id}/purchase`);
    const sales = (await get('/v1/me/sales', creator)) as { kind: string; purchaseKind: string; licenseType: string | null }[];
    expect(sales.map((s) => [s.kind, s.purchaseKind, s.licenseType])).toEqual([
      ['sale', 'license', 'commercial'],
      ['sale', 'one_time', null],
    ]);
    const e = await get('/v1/me/earnings?period=7d', creator);
    expect(e.payoutAccount).toBe(false);
    expect(e.payableCents).toBe(2098); // $6.993 + $13.993 = $20.986: whole cents, the 0.6¢ stays in the balance
    const refused = await w.api.call('POST', '/v1/me/payouts', { token: creator.token });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'no_payout_account']);
    w.must('payout account', await w.api.call('POST', '/v1/me/payout-account', { token: creator.token, json: {} }));
    expect((await get('/v1/me/earnings?period=7d', creator)).payoutAccount).toBe(true);
    // Connecting paid the balance out at once, in whole cents.
    expect(((await get('/v1/me/payouts', creator)) as { amountCents: number }[]).map((p) => p.amountCents)).toEqual([2098]);
  });

  it('an accidental-purchase refund does not lower the reputation; a misdescribed-asset refund does', async () => {
    const id = await w.publish(creator, { model: 'one_time', priceCents: 499 });
    const p = await w.buy(buyer2, `/v1/assets/${id}/purchase`);
    const beforeRefund = await reputation();
    w.must(
      'refund',
      await w.api.call('POST', `/v1/purchases/${p.id}/refund`, { token: buyer2.token, json: { reason: 'accidental_purchase' } }),
    );
    const afterAccidental = await reputation();
    expect(afterAccidental.total).toBe(beforeRefund.total);
    expect(afterAccidental.inputs.sales).toMatchObject({ count: 3, refunds: 0, excusedRefunds: 1 });
    const sales = (await get('/v1/me/sales', creator)) as { kind: string; refundReason: string | null }[];
    expect(sales[0]).toMatchObject({ kind: 'refund', refundReason: 'accidental_purchase' });

    const q = await w.buy(buyer2, `/v1/assets/${id}/purchase`);
    const beforeSecond = await reputation();
    w.must(
      'refund',
      await w.api.call('POST', `/v1/purchases/${q.id}/refund`, { token: buyer2.token, json: { reason: 'not_as_described' } }),
    );
    const afterMisdescribed = await reputation();
    expect(afterMisdescribed.total).toBeLessThan(beforeSecond.total);
    expect(afterMisdescribed.inputs.sales).toMatchObject({ count: 4, refunds: 1, excusedRefunds: 1 });
  });
});
