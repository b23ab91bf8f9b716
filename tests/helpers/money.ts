/**
 * A marketplace with people in it, for the money tests: an admin, a moderator, creators with the
 * Creator tier and payout accounts, buyers — and the local Stripe-compatible test processor, driven
 * through the real `stripe` SDK by the server. Helpers publish priced assets and complete checkouts
 * the way a buyer does (paying on the processor's checkout page, webhooks delivered and signed).
 */
import { randomBytes } from 'node:crypto';
import { LocalTestProcessor } from '../../server/payments/test-processor.ts';
import type { RunningServer, ServerOptions } from '../../server/server.ts';
import { type Res, client, testServer } from './server.ts';

const WORDS =
  'amber basalt cobalt dune ember fjord glacier harbor iris juniper kelp lantern meadow nebula obsidian prairie quartz reef saffron tundra umber violet willow xenon yarrow zephyr'.split(
    ' ',
  );

/** A card whose text shares nothing with other seeds' cards (so the uniqueness checks pass). */
export function uniqueCard(name: string, seed = randomBytes(4).readUInt32BE()) {
  const words = Array.from({ length: 12 }, (_, i) => `${WORDS[(seed * 7 + i * 13) % WORDS.length]}${(seed * 31 + i) % 997}`);
  return { asset_type: 'item', name, description: `${name}: ${words.join(' ')}`, tags: words.slice(0, 3) };
}

export interface Person {
  id: string;
  token: string;
}

export async function moneyWorld(opts: { autoDeliver?: boolean; extra?: Partial<ServerOptions> } = {}) {
  const processor = await new LocalTestProcessor({ autoDeliver: opts.autoDeliver ?? true }).start();
  const srv: RunningServer = await testServer(['admin@money.dev'], { testProcessor: processor, ...(opts.extra ?? {}) });
  const api = client(srv.url);
  const admin = await api.user('admin@money.dev');
  const mod = await api.user('mod@money.dev');
  await api.grant(admin.token, mod.id, { roles: ['buyer', 'moderator'] });
  let n = 0;
  const must = (what: string, r: Res, status = 200) => {
    if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const world = {
    srv,
    api,
    processor,
    admin,
    mod,
    must,
    async creator(name: string, payoutAccount = true): Promise<Person> {
      const u = await api.user(`${name}@money.dev`, name);
      await api.grant(admin.token, u.id, { creatorTier: true });
      if (payoutAccount) must('payout account', await api.call('POST', '/v1/me/payout-account', { token: u.token, json: {} }));
      return u;
    },
    async buyer(name: string): Promise<Person> {
      return api.user(`${name}@money.dev`, name);
    },
    /** Submits, approves and prices an asset; returns its id. */
    async publish(
      who: Person,
      pricing: { model: 'one_time' | 'subscription' | 'per_use'; priceCents: number; interval?: 'month' | 'year' } | null,
      parentAssetId?: string,
    ): Promise<string> {
      n += 1;
      const sub = must(
        'submit',
        await api.call('POST', '/v1/submissions', {
          token: who.token,
          form: api.form(uniqueCard(`Asset ${n} ${who.id.slice(0, 4)}`, n * 1009 + 7), undefined, parentAssetId),
        }),
        201,
      );
      await api.approve(mod.token, sub.assetId);
      if (pricing) must('pricing', await api.call('POST', `/v1/assets/${sub.assetId}/pricing`, { token: who.token, json: pricing }));
      return sub.assetId as string;
    },
    /** Pays a pending purchase on the test checkout page and waits for the webhooks. */
    async pay<P extends { id: string; checkoutUrl: string }>(purchase: P): Promise<P> {
      const res = await fetch(`${purchase.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
      if (res.status !== 303) throw new Error(`checkout page answered ${res.status}`);
      await processor.settled();
      return purchase;
    },
    async buy(who: Person, path: string, json: unknown = {}) {
      const p = must(`buy ${path}`, await api.call('POST', path, { token: who.token, json }), 201);
      await world.pay(p);
      return must('purchase', await api.call('GET', `/v1/purchases/${p.id}`, { token: who.token }));
    },
    async stop() {
      await srv.stop();
      await processor.stop();
    },
  };
  return world;
}
