/**
 * The outbox's failure semantics against a real marketplace server, through the studio's own
 * handler map: a refused submission (no Creator tier) stays failed with its reason and blocks no
 * other asset; an asset's price waits for its failed submission, and for the first submission once
 * that is discarded; a price and a license offer set before the first submission go with it, in the
 * same pass; Retry after the cause is fixed sends it (attempts start over); a new submission of
 * the same asset replaces the failed one instead of waiting behind it; an operation queued while a
 * pass runs is sent before the call returns; Sync now sends an operation in a long backoff and says
 * what it did; an operation is sent only under the account that queued it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxOpView, SyncPassView, SyncStatusView } from '../../shared/api.ts';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { type Connected, connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { uniqueCard } from '../helpers/money.ts';
import { client, rememberAdmins } from '../helpers/server.ts';

const serverDir = mkdtempSync(join(tmpdir(), 'mp-outbox-'));
const studioDir = mkdtempSync(join(tmpdir(), 'studio-outbox-'));
let srv: RunningServer;
let port = 0;
const start = async () => {
  srv = await startServer({ dataDir: serverDir, port, serve });
  rememberAdmins(srv, ['admin@outbox.dev']);
  port = srv.port;
};
let studio: Studio;
let connected: Connected;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let call: <T = any>(m: string, i?: unknown) => Promise<T>;
let admin: { id: string; token: string };
let makerId = '';

const ops = async (assetId: string) => (await call<{ ops: OutboxOpView[] }>('market.track', { assetId })).ops;
const create = async (name: string, seed: number) => (await call<{ id: string }>('assets.create', { card: uniqueCard(name, seed) })).id;

beforeAll(async () => {
  await start();
  const api = client(srv.url);
  admin = await api.user('admin@outbox.dev');
  studio = await Studio.open({ dataDir: studioDir, mode: 'browser', version: 'test' });
  connected = await connectStudio({
    studio,
    dataDir: studioDir,
    secrets: new OwnerOnlyFileSecretStore(join(studioDir, 'marketplace-session')),
    localMarketplace: false,
    syncIntervalMs: 3_600_000,
  });
  const h = createHandlers(studio, connected);
  call = async (m, i = {}) => {
    const r = await dispatch(h, m, i);
    if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.message}`), r.error);
    return r.value as never;
  };
  await call('settings.set', { marketplaceUrl: srv.url });
  const st = await call('account.signUp', { email: 'maker@outbox.dev', password: 'a long enough password', displayName: 'Maker' });
  makerId = st.user.id;
}, 60_000);
afterAll(async () => {
  await connected.close();
  await studio.close();
  await srv.stop();
});

describe('outbox failures', () => {
  let refusedOp = '';
  let refusedAsset = '';
  let priceOp = '';

  it('keeps a refused submission failed with its reason and its asset named; the asset’s price waits for it', async () => {
    refusedAsset = await create('Wendel the Weir-warden', 11);
    const op = await call<OutboxOpView>('market.submit', { assetId: refusedAsset });
    expect(op).toMatchObject({ state: 'failed', attempts: 1, assetName: 'Wendel the Weir-warden', waitingFor: null });
    expect(op.lastError).toContain('Creator tier required');
    refusedOp = op.id;
    const price = await call<OutboxOpView>('market.setPricing', { assetId: refusedAsset, pricing: { model: 'one_time', priceCents: 300 } });
    expect(price).toMatchObject({ state: 'pending', attempts: 0, waitingFor: refusedOp });
    priceOp = price.id;
  });

  it('does not hold back another asset, and Retry after the cause is fixed sends it with attempts starting over', async () => {
    await client(srv.url).grant(admin.token, makerId, { creatorTier: true });
    const other = await create('Tamsin of the Tidemill', 12);
    expect(await call<OutboxOpView>('market.submit', { assetId: other })).toMatchObject({ state: 'done', attempts: 1 });
    // Fixing the cause does not resend the failed one on its own: the creator decides.
    const pass = await call<SyncStatusView & { pass: SyncPassView }>('sync.now');
    expect(pass.outbox.find((o) => o.id === refusedOp)?.state).toBe('failed');
    expect(pass.pass).toMatchObject({ sent: 0, failed: 0, waiting: 1, pulled: true, error: null });

    const again = await call<OutboxOpView>('sync.retry', { opId: refusedOp });
    // A new idempotency key: the marketplace keeps its refusal under the old one.
    expect(again.id).not.toBe(refusedOp);
    expect(again).toMatchObject({ kind: 'submit', state: 'done', attempts: 1, lastError: null });
    expect((await ops(refusedAsset)).filter((o) => o.kind === 'submit')).toHaveLength(1);
    expect((await call('market.track', { assetId: refusedAsset })).remoteStatus).toBe('in_review');
    // The price that waited for the submission went in the same pass.
    expect((await ops(refusedAsset)).find((o) => o.id === priceOp)).toMatchObject({ state: 'done', waitingFor: null });
    expect((await call('market.pricing', { assetId: refusedAsset })).priceCents).toBe(300);
  });

  it('replaces a failed submission with a new one for the same asset instead of waiting behind it', async () => {
    await client(srv.url).grant(admin.token, makerId, { creatorTier: false });
    const id = await create('Orrin the Lamplighter', 13);
    const failed = await call<OutboxOpView>('market.submit', { assetId: id });
    expect(failed.state).toBe('failed');
    await client(srv.url).grant(admin.token, makerId, { creatorTier: true });
    const fresh = await call<OutboxOpView>('market.submit', { assetId: id });
    expect(fresh).toMatchObject({ state: 'done', attempts: 1 });
    expect((await ops(id)).map((o) => [o.kind, o.state])).toEqual([['submit', 'done']]);
  });

  it('keeps a price waiting for the first submission once the submission it waited for is discarded', async () => {
    await client(srv.url).grant(admin.token, makerId, { creatorTier: false });
    const id = await create('Sable the Salt-seer', 14);
    const sub = await call<OutboxOpView>('market.submit', { assetId: id });
    const price = await call<OutboxOpView>('market.setPricing', { assetId: id, pricing: { model: 'one_time', priceCents: 450 } });
    expect(price.waitingFor).toBe(sub.id);
    expect(await call('sync.discard', { opId: sub.id })).toEqual({ discarded: true });
    const st = await call<SyncStatusView & { pass: SyncPassView }>('sync.now');
    expect(st.pass).toMatchObject({ failed: 0, sent: 0 });
    const after = (await ops(id)).find((o) => o.id === price.id);
    expect(after).toMatchObject({ state: 'pending', attempts: 0, waitingFor: 'submission' });
    expect(await call('sync.discard', { opId: price.id })).toEqual({ discarded: true });
    expect(await ops(id)).toEqual([]);
    await client(srv.url).grant(admin.token, makerId, { creatorTier: true });
  });

  it('prices and licenses an asset before its first submission, which takes both to the listing in the same pass', async () => {
    const id = await create('Tamsin the Tide-reader', 16);
    // Not on the marketplace yet: the price waits in the outbox for the first submission, read back from there.
    expect(await call('market.pricing', { assetId: id })).toEqual({ model: null, priceCents: null, interval: null, breakdown: null });
    expect(await call('market.offers', { assetId: id })).toEqual([]);
    const rec = await call<{ recommendedCents: number; reasoning: string[] }>('market.recommend', { assetId: id, model: 'one_time' });
    expect(Number.isInteger(rec.recommendedCents) && rec.recommendedCents > 0).toBe(true);
    // The same schema as the marketplace's: whole cents only.
    await expect(call('market.setPricing', { assetId: id, pricing: { model: 'one_time', priceCents: 12.5 } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const price = await call<OutboxOpView>('market.setPricing', {
      assetId: id,
      pricing: { model: 'subscription', priceCents: 1230, interval: 'year' },
    });
    expect(price).toMatchObject({ state: 'pending', attempts: 0, waitingFor: 'submission' });
    const offer = await call<OutboxOpView>('market.createOffer', {
      assetId: id,
      offer: {
        licenseType: 'commercial',
        priceCents: 1999,
        terms: { usageRights: ['print'] },
      },
    });
    expect(offer).toMatchObject({ state: 'pending', waitingFor: price.id }); // in order behind the price
    expect(await call('market.pricing', { assetId: id })).toEqual({
      model: 'subscription',
      priceCents: 1230,
      interval: 'year',
      breakdown: null,
    });

    const sub = await call<OutboxOpView>('market.submit', { assetId: id });
    expect(sub).toMatchObject({ state: 'done', attempts: 1 });
    expect((await ops(id)).map((o) => [o.kind, o.state, o.attempts])).toEqual([
      ['pricing', 'done', 1],
      ['offer', 'done', 1],
      ['submit', 'done', 1],
    ]);
    // Listed now: both are read from the marketplace, and its listing carries the price.
    expect((await call('market.track', { assetId: id })).remote).toMatchObject({
      status: 'in_review',
      priceCents: 1230,
      pricingModel: 'subscription',
    });
    expect(await call('market.pricing', { assetId: id })).toMatchObject({ model: 'subscription', priceCents: 1230, interval: 'year' });
    const offers = await call<{ licenseType: string; priceCents: number }[]>('market.offers', { assetId: id });
    expect(offers.map((o) => [o.licenseType, o.priceCents])).toEqual([['commercial', 1999]]);
  });

  it('sends an operation queued while a pass is running before the call returns', async () => {
    const id = await create('Pell the Ferryman', 15);
    const running = connected.sync.syncNow(); // a pass starts (and reads the outbox) before the submission is queued
    expect(connected.sync.status().running).toBe(true);
    const op = await call<OutboxOpView>('market.submit', { assetId: id });
    expect(op).toMatchObject({ state: 'done', attempts: 1 });
    await running;
  });

  it('Sync now sends an operation in a long backoff and says what it did', async () => {
    await srv.stop();
    const id = await create('Mirel of the Mists', 18);
    const op = await call<OutboxOpView>('market.submit', { assetId: id });
    expect(op.state).toBe('pending');
    expect(op.lastError).toContain('unreachable');
    // As after many failed attempts: the next one is an hour away.
    const later = new Date(Date.now() + 3_600_000).toISOString();
    studio.engine.db.prepare('UPDATE outbox SET attempts = 9, next_attempt_at = ? WHERE id = ?').run(later, op.id);
    await start();
    // The background pass respects the backoff …
    const quiet = await connected.sync.syncNow();
    expect(quiet).toMatchObject({ sent: 0, waiting: 1 });
    expect((await ops(id))[0]).toMatchObject({ state: 'pending', nextAttemptAt: later });
    // … Sync now does not.
    const st = await call<SyncStatusView & { pass: SyncPassView }>('sync.now');
    expect(st.pass).toMatchObject({ sent: 1, failed: 0, retrying: 0, error: null });
    expect((await ops(id))[0]).toMatchObject({ state: 'done', attempts: 10 });
  });

  it('sends an operation only while the account that queued it is signed in', async () => {
    await srv.stop();
    const id = await create('Quill the Cartographer', 17);
    const op = await call<OutboxOpView>('market.submit', { assetId: id });
    expect(op).toMatchObject({ state: 'pending', account: { id: makerId, name: 'Maker' } });
    await start();
    // Another account signs in on this studio: the maker's submission is not sent under its name.
    await call('account.signUp', { email: 'other@outbox.dev', password: 'a long enough password', displayName: 'Other' });
    const st = await call<SyncStatusView & { pass: SyncPassView }>('sync.now');
    expect(st.pass).toMatchObject({ sent: 0, waiting: 1 });
    expect(st.outbox.find((o) => o.id === op.id)).toMatchObject({ state: 'pending' });
    // The maker signs in again (which syncs): it goes, as theirs.
    await call('account.signIn', { email: 'maker@outbox.dev', password: 'a long enough password' });
    expect((await ops(id))[0]).toMatchObject({ state: 'done' });
    const login = await client(srv.url).call('POST', '/v1/auth/login', {
      json: { email: 'maker@outbox.dev', password: 'a long enough password' },
    });
    const mine = await client(srv.url).call('GET', '/v1/my/assets', { token: login.body.token });
    expect(mine.body.filter((a: { name: string }) => a.name === 'Quill the Cartographer')).toHaveLength(1);
  });
});
