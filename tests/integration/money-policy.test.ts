/**
 * A marketplace configured with the anti-duplication spec's micro-use preset (85/15) and free
 * licenses allowed: the Shadowveil revenue example through the API, and a free license issued
 * without any processor call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONEY_POLICY, SPLIT_PRESETS } from '../../shared/policy/money.ts';
import { moneyWorld } from '../helpers/money.ts';

let w: Awaited<ReturnType<typeof moneyWorld>>;
beforeAll(async () => {
  w = await moneyWorld({
    extra: { moneyPolicy: { ...MONEY_POLICY, preset: 'micro_use', split: SPLIT_PRESETS.micro_use, allowFreeLicenses: true } },
  });
}, 60_000);
afterAll(() => w.stop());

describe('marketplace policy presets', () => {
  it('pays the Shadowveil example: 100 uses at $0.25, then 50 uses of a $0.15 derivative', async () => {
    const fantasy = await w.creator('fantasy_artist_2024');
    const remixer = await w.creator('remixer');
    const reader = await w.buyer('reader');
    const original = await w.publish(fantasy, { model: 'per_use', priceCents: 25 });
    const derivative = await w.publish(remixer, { model: 'per_use', priceCents: 15 }, original);
    expect((await w.buy(reader, '/v1/me/balance/top-up', { amountCents: 5000 })).status).toBe('paid');
    for (let i = 0; i < 100; i++) w.must('use', await w.api.call('POST', `/v1/assets/${original}/use`, { token: reader.token, json: {} }));
    for (let i = 0; i < 50; i++) w.must('use', await w.api.call('POST', `/v1/assets/${derivative}/use`, { token: reader.token, json: {} }));
    const fe = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: fantasy.token }));
    const re = w.must('earnings', await w.api.call('GET', '/v1/me/earnings?period=all', { token: remixer.token }));
    // Original: $25.00 gross, 85 % = $21.25; plus 10 % of the remixer's $6.375 share = $0.6375.
    expect(fe.totals.creatorShare).toBe(21_250_000);
    expect(fe.totals.derivativeRoyaltiesEarned).toBe(637_500);
    expect(re.totals).toMatchObject({
      grossSales: 7_500_000,
      creatorShare: 6_375_000,
      parentRoyaltiesPaid: 637_500,
      net: 5_737_500,
      uniqueBuyers: 1,
    });
    const platform = Number(
      (
        await w.srv.marketplace.db.query<{ s: string }>(
          `SELECT sum(amount_micros) AS s FROM ledger_entries WHERE account_id = 'platform:revenue'`,
        )
      ).rows[0]?.s,
    );
    expect(-platform).toBe(3_750_000 + 1_125_000);
    expect((await w.api.call('GET', '/v1/me/balance', { token: reader.token })).body.availableMicros).toBe(
      50_000_000 - 25_000_000 - 7_500_000,
    );
  });

  it('issues a free license at once when the policy allows it, with no checkout', async () => {
    const maker = await w.creator('maker');
    const fan = await w.buyer('fan');
    const asset = await w.publish(maker, null);
    const offer = w.must(
      'offer',
      await w.api.call('POST', `/v1/assets/${asset}/licenses`, {
        token: maker.token,
        json: { licenseType: 'editorial', priceCents: 0, terms: { usageRights: ['web'] } },
      }),
      201,
    );
    const sessions = w.processor.list('checkout.session').length;
    const p = w.must('free', await w.api.call('POST', `/v1/licenses/${offer.id}/purchase`, { token: fan.token, json: {} }), 201);
    expect(p).toMatchObject({ status: 'paid', checkoutUrl: null, amountCents: 0 });
    expect(p.licenseKey).toMatch(/^OSL1\./);
    expect(w.processor.list('checkout.session').length).toBe(sessions);
    // One-time listings still may not be free.
    expect(
      (await w.api.call('POST', `/v1/assets/${asset}/pricing`, { token: maker.token, json: { model: 'one_time', priceCents: 0 } })).status,
    ).toBe(400);
  });
});
