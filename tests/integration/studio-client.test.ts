/**
 * The studio's side of the marketplace contract: the Connection's generated client has a method
 * for every contract route and no studio source builds a marketplace URL by hand; a connected
 * studio, through its own handler map, gets real server answers parsed by the contract (account,
 * submission, sync, listing, image, pricing, offers, earnings, trust, provenance); and a server
 * whose answer does not match its schema reaches the studio's caller as a `bad_response` error
 * (502, naming the route and the field), never as a wrong value.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { type Connected, connectStudio } from '../../electron/main/services/connected.ts';
import { Connection, OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { RunningServer } from '../../server/server.ts';
import type { ApiErrorBody } from '../../shared/api.ts';
import { marketplaceRoutes } from '../../shared/contracts/marketplace/index.ts';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/contracts/studio/index.ts';
import { artwork } from '../helpers/images.ts';
import { uniqueCard } from '../helpers/money.ts';
import { client, testServer } from '../helpers/server.ts';

interface StudioHandle {
  studio: Studio;
  connected: Connected;
  call<M extends ApiMethod>(m: M, i: ApiInput<M>): Promise<ApiOutput<M>>;
  /** The error a call answers with (throws when it succeeds). */
  fails<M extends ApiMethod>(m: M, i: ApiInput<M>): Promise<ApiErrorBody & { status: number }>;
  close(): Promise<void>;
}

async function openStudio(): Promise<StudioHandle> {
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-client-'));
  const studio = await Studio.open({ dataDir, mode: 'browser', version: 'test' });
  const connected = await connectStudio({
    studio,
    dataDir,
    secrets: new OwnerOnlyFileSecretStore(join(dataDir, 'marketplace-session')),
    localMarketplace: false,
    syncIntervalMs: 3_600_000,
  });
  const h = createHandlers(studio, connected);
  return {
    studio,
    connected,
    async call(m, i) {
      const r = await dispatch(h, m, i);
      if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.message}`), r.error);
      return r.value as never;
    },
    async fails(m, i) {
      const r = await dispatch(h, m, i);
      if (r.ok) throw new Error(`${m} answered ${JSON.stringify(r.value)}`);
      return { ...r.error, status: r.status };
    },
    async close() {
      await connected.close();
      await studio.close();
    },
  };
}

/** Every .ts file under a folder. */
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe("the studio's marketplace client", () => {
  it('has a method for every contract route, and no studio source builds a /v1/ URL by hand', () => {
    const conn = new Connection(mkdtempSync(join(tmpdir(), 'studio-client-')), new OwnerOnlyFileSecretStore('/nonexistent'), null);
    const methods = Object.entries(conn.client).flatMap(([domain, routes]) =>
      Object.entries(routes as Record<string, unknown>).map(([name, fn]) => {
        expect(typeof fn, `${domain}.${name}`).toBe('function');
        return `${domain}.${name}`;
      }),
    );
    expect(methods.sort()).toEqual(marketplaceRoutes.map((r) => r.name).sort());
    // What the lint rule forbids, checked on the files themselves: a quote or backtick opening a /v1/ path.
    const handBuilt = sources(join(import.meta.dirname, '../../electron')).filter((f) =>
      /['"`]\/v1(\/|['"`])/.test(readFileSync(f, 'utf8')),
    );
    expect(handBuilt).toEqual([]);
  });
});

describe('a connected studio against a real marketplace', () => {
  let srv: RunningServer;
  let s: StudioHandle;
  beforeAll(async () => {
    srv = await testServer(['admin@client.dev']);
    s = await openStudio();
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await srv?.stop();
  });

  it('parses every answer of a creator’s loop with the contract: account, submission, sync, listing, money and trust', async () => {
    const api = client(srv.url);
    const admin = await api.user('admin@client.dev');
    await s.call('settings.set', { marketplaceUrl: srv.url });
    const st = await s.call('account.signUp', { email: 'maker@client.dev', password: 'a long enough password', displayName: 'Maker' });
    const me = st.user;
    expect(me).toMatchObject({ email: 'maker@client.dev', displayName: 'Maker' });
    await api.grant(admin.token, me!.id, { creatorTier: true });

    const policy = await s.call('market.policy', {});
    expect(policy.version).toBeGreaterThanOrEqual(1);
    expect(policy.reviewTargets.standard).toEqual(expect.any(String));

    const image = await s.call('images.import', { name: 'art.png', data: (await artwork(9090)).toString('base64') });
    const local = await s.call('assets.create', { card: uniqueCard('Harbour Lantern', 77), imageSha: image.sha });
    expect(await s.call('market.submit', { assetId: local.id })).toMatchObject({ kind: 'submit', state: 'done' });
    const remoteId = (await s.call('market.track', { assetId: local.id })).remoteId as string;
    await api.approve(admin.token, remoteId);

    // The pull: the account, the creator's listings, notifications, earnings and the index feed.
    const status = await s.call('sync.now', {});
    expect(status.lastError).toBeNull();
    expect(status.index.count).toBeGreaterThanOrEqual(1);
    expect((await s.call('market.track', { assetId: local.id })).remoteStatus).toBe('published');
    expect((await s.call('market.notifications', {})).length).toBeGreaterThanOrEqual(1);

    const found = await s.call('market.search', { q: 'Harbour Lantern' });
    expect(found.items.map((a) => a.id)).toContain(remoteId);
    const listing = await s.call('market.listing', { remoteId });
    expect(listing.asset).toMatchObject({ id: remoteId, status: 'published', creatorId: me!.id });
    expect(listing.offers).toEqual([]);
    const img = await s.call('market.image', { path: listing.asset.imageUrl as string });
    expect(img.dataUrl).toMatch(/^data:image\/(png|jpeg|webp);base64,/);

    expect(await s.call('market.setPricing', { assetId: local.id, pricing: { model: 'one_time', priceCents: 1200 } })).toMatchObject({
      state: 'done',
    });
    expect(await s.call('market.pricing', { assetId: local.id })).toMatchObject({ model: 'one_time', priceCents: 1200 });
    const rec = await s.call('market.recommend', { assetId: local.id, model: 'one_time' });
    expect(rec.recommendedCents).toBeGreaterThanOrEqual(rec.range.minCents);
    const offer = { licenseType: 'royalty_free' as const, priceCents: 5000, terms: { usageRights: ['web' as const] } };
    const queued = await s.call('market.createOffer', { assetId: local.id, offer });
    expect(queued.state).toBe('done');
    const offers = await s.call('market.offers', { assetId: local.id });
    expect(offers).toHaveLength(1);
    expect(await s.call('market.offerPurchases', { offerId: offers[0]!.id })).toEqual([]);

    const earnings = await s.call('market.earnings', { period: 'all' });
    expect(earnings).toMatchObject({ period: 'all', cachedAt: null });
    expect(await s.call('market.sales', {})).toEqual([]);
    expect(await s.call('market.payouts', {})).toEqual([]);
    expect(await s.call('market.purchases', {})).toEqual([]);
    expect(await s.call('market.disputes', {})).toEqual([]);
    expect(await s.call('market.balance', {})).toEqual({ availableMicros: 0, availableCents: 0 });
    expect((await s.call('market.csv', { kind: 'sales' })).csv.split('\n')[0]).toContain(',');

    const rep = await s.call('trust.reputation', {});
    expect(rep).toMatchObject({ creatorId: me!.id, displayName: 'Maker', strikes: 0 });
    expect(Object.keys(rep.components).sort()).toEqual(['assetQuality', 'behavior', 'communityContribution', 'salesPerformance']);
    expect(await s.call('trust.myCases', {})).toEqual([]);
    expect((await s.call('trust.badges', { remoteId })).badges).toEqual(expect.any(Array));
    const proof = await s.call('trust.provenance', { remoteId });
    expect(proof).toMatchObject({ verified: true, problem: null });
    expect(proof.proof.record.record).toMatchObject({ assetId: remoteId, creatorId: me!.id, version: 1 });
  }, 120_000);
});

describe('a marketplace answer that breaks its schema', () => {
  let server: Server;
  let url = '';
  let s: StudioHandle;
  /** Answers of a marketplace that does not keep the contract, by "METHOD path". */
  const answers: Record<string, { type: string; body: string }> = {
    'GET /v1/policy': { type: 'application/json', body: JSON.stringify({ version: 'one', claimMinutes: 30 }) },
    'POST /v1/auth/register': { type: 'application/json', body: JSON.stringify({ token: 'tok', expiresAt: '2030-01-01T00:00:00Z' }) },
    'GET /v1/search': { type: 'text/plain', body: 'not json at all' },
    'GET /v1/index': { type: 'application/json', body: JSON.stringify({ entries: [{ seq: 'first' }], nextCursor: 1, hasMore: false }) },
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const a = answers[`${req.method} ${(req.url ?? '').split('?')[0]}`];
      req.resume();
      res.writeHead(a ? 200 : 404, { 'content-type': a?.type ?? 'application/json' });
      res.end(a?.body ?? JSON.stringify({ error: { code: 'not_found', message: 'no such route' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    s = await openStudio();
    await s.call('settings.set', { marketplaceUrl: url });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('reaches the caller as bad_response (502) naming the route and the field, not as a value', async () => {
    const policy = await s.fails('market.policy', {});
    expect(policy).toMatchObject({ code: 'bad_response', status: 502 });
    expect(policy.message).toContain('discovery.policy');
    expect(policy.message).toContain('version');
    // A body that is not JSON at all is the same kind of error.
    expect(await s.fails('market.search', { q: 'x' })).toMatchObject({ code: 'bad_response', status: 502 });
  });

  it('leaves the studio signed out when the session it is handed is malformed', async () => {
    const e = await s.fails('account.signUp', { email: 'x@client.dev', password: 'a long enough password', displayName: 'X' });
    expect(e).toMatchObject({ code: 'bad_response', status: 502 });
    expect(e.message).toContain('accounts.register');
    expect(e.message).toContain('user');
    expect((await s.call('account.status', {})).user).toBeNull();
    expect(s.connected.conn.signedIn).toBe(false);
  });

  it('stops the index pull at a malformed page, saying why, without applying any of it', async () => {
    const st = await s.call('sync.now', {});
    expect(st.lastError).toContain('indexFeed.indexFeed');
    expect(st.index).toMatchObject({ count: 0, cursor: 0 });
  });
});
