/**
 * What the library and the match cards get from a connected studio, against a real marketplace
 * server through the studio's handler map: `market.listings` follows an asset from not submitted to
 * in review, priced and published; a copy's check shows the asset and its own listing as
 * one match (local id and listing id), and another creator's listing by the display name the index
 * feed carries — also once the marketplace is down.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/main/handlers.ts';
import type { Connected } from '../../electron/main/services/connected.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import type { ListingSummary } from '../../shared/listings.ts';
import type { CheckResult } from '../../shared/check.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { uniqueCard } from '../helpers/money.ts';
import { client, rememberAdmins } from '../helpers/server.ts';
import { handlerCall, openConnectedStudio } from '../helpers/connected-studio.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };
let studio: Studio;
let connected: Connected;
let h: Handlers;
let stopped = false;
const call = handlerCall(() => h);
const listing = async (id: string) => (await call<ListingSummary[]>('market.listings')).find((l) => l.assetId === id);

beforeAll(async () => {
  srv = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'mp-lib-')), port: 0, serve });
  rememberAdmins(srv, ['admin@lib.dev']);
  api = client(srv.url);
  admin = await api.user('admin@lib.dev');
  const dir = mkdtempSync(join(tmpdir(), 'studio-lib-'));
  ({ studio, connected, handlers: h } = await openConnectedStudio(dir, { syncIntervalMs: 3_600_000 }));
}, 60_000);
afterAll(async () => {
  await connected.close();
  await studio.close();
  if (!stopped) await srv.stop();
});

describe('library listings and match cards from a connected studio', () => {
  const card = uniqueCard('Lantern of the Reed Market', 17);
  let localId = '';
  let remoteId = '';

  it('follows an asset from not submitted to in review, priced, to published', async () => {
    await call('settings.set', { marketplaceUrl: srv.url });
    const st = await call('account.signUp', { email: 'maker@lib.dev', password: 'a long enough password', displayName: 'Maker Moss' });
    await api.grant(admin.token, st.user.id, { creatorTier: true });
    localId = (await call('assets.create', { card })).id;
    expect(await listing(localId)).toMatchObject({ state: 'not_submitted', remoteId: null, priceCents: null, sales: null });

    await call('market.submit', { assetId: localId });
    await call('sync.now');
    const submitted = await listing(localId);
    expect(submitted).toMatchObject({ state: 'in_review', sales: 0 });
    remoteId = submitted?.remoteId as string;
    expect(remoteId).toMatch(/^[0-9a-f-]{36}$/);

    await call('market.setPricing', { assetId: localId, pricing: { model: 'one_time', priceCents: 499 } });
    await api.approve(admin.token, remoteId);
    await call('sync.now');
    expect(await listing(localId)).toMatchObject({ state: 'published', priceCents: 499, pricingModel: 'one_time', pricePending: false });
  });

  it('a copy of it shows the asset and its own listing as one match', async () => {
    const r = await call<CheckResult>('check.run', { card: { ...card, name: 'Reed Market Lantern' } });
    const same = r.matches.filter((m) => m.localId === localId || m.listingId === remoteId);
    expect(same).toHaveLength(1);
    expect(same[0]).toMatchObject({ assetId: localId, localId, listingId: remoteId });
  });

  it('names another creator’s listing by display name, also while the marketplace is down', async () => {
    const other = await api.user('ada@lib.dev', 'Ada Quill');
    await api.grant(admin.token, other.id, { creatorTier: true });
    const theirs = uniqueCard('Salt-Glass Compass', 23);
    const sub = await api.call('POST', '/v1/submissions', { token: other.token, form: api.form(theirs) });
    await api.approve(admin.token, sub.body.assetId);
    await call('sync.now');
    const check = async () =>
      (await call<CheckResult>('check.run', { card: { ...theirs, name: 'My compass' } })).matches.find(
        (m) => m.listingId === sub.body.assetId,
      );
    expect(await check()).toMatchObject({ creatorName: 'Ada Quill', localId: null, assetId: `mp:${sub.body.assetId}` });
    await srv.stop();
    stopped = true;
    expect(await check()).toMatchObject({ creatorName: 'Ada Quill' });
    expect((await listing(localId))?.state).toBe('published');
  });
});
