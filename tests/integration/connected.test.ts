/**
 * The connected studio against a real marketplace server, through the studio's own handler map
 * (what both transports dispatch to): sign-in, submit through the outbox, review status pulled
 * back, the marketplace index copy in the pre-flight check (never matching the asset's own
 * listing), the outbox surviving a marketplace that is down and a studio restart without
 * duplicating anything, and a conflict shown and resolved instead of lost.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { type Connected, connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { artwork } from '../helpers/images.ts';
import { uniqueCard } from '../helpers/money.ts';
import { client, rememberAdmins } from '../helpers/server.ts';

const serverDir = mkdtempSync(join(tmpdir(), 'mp-conn-'));
let srv: RunningServer;
let port = 0;
const start = async () => {
  srv = await startServer({ dataDir: serverDir, port, serve });
  rememberAdmins(srv, ['admin@conn.dev']);
  port = srv.port;
};
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };

interface StudioHandle {
  studio: Studio;
  connected: Connected;
  call: <T = any>(m: string, i?: unknown) => Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}
const studioDir = mkdtempSync(join(tmpdir(), 'studio-conn-'));
async function openStudio(): Promise<StudioHandle> {
  const studio = await Studio.open({ dataDir: studioDir, mode: 'browser', version: 'test' });
  const connected = await connectStudio({
    studio,
    dataDir: studioDir,
    secrets: new OwnerOnlyFileSecretStore(join(studioDir, 'marketplace-session')),
    localMarketplace: false,
    syncIntervalMs: 3_600_000,
  });
  const h: Handlers = createHandlers(studio, connected);
  return {
    studio,
    connected,
    async call(m, i = {}) {
      const r = await dispatch(h, m, i);
      if (!r.ok) throw Object.assign(new Error(`${m}: ${r.error.message}`), r.error);
      return r.value as never;
    },
    async close() {
      await connected.close();
      await studio.close();
    },
  };
}

let s: StudioHandle;
beforeAll(async () => {
  await start();
  api = client(srv.url);
  admin = await api.user('admin@conn.dev');
  s = await openStudio();
}, 60_000);
afterAll(async () => {
  await s.close();
  await srv.stop();
});

describe('connected studio', () => {
  let localId = '';
  let remoteId = '';
  it('signs up, keeps the token out of the page, and submits through the outbox', async () => {
    expect((await s.call('account.status')).url).toBeNull();
    await expect(s.call('settings.set', { marketplaceUrl: 'not a url' })).rejects.toMatchObject({ field: 'marketplaceUrl' });
    await s.call('settings.set', { marketplaceUrl: srv.url });
    const st = await s.call('account.signUp', { email: 'maker@conn.dev', password: 'a long enough password', displayName: 'Maker' });
    expect(st.user.email).toBe('maker@conn.dev');
    expect(JSON.stringify(st)).not.toContain('token":'); // the renderer never sees the session token
    const file = join(studioDir, 'marketplace-session');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('"token"');
    await api.grant(admin.token, st.user.id, { creatorTier: true });

    const a = await s.call('assets.create', { card: uniqueCard('Lantern of Vesk', 99) });
    localId = a.id;
    const op = await s.call('market.submit', { assetId: localId });
    expect(op).toMatchObject({ kind: 'submit', state: 'done' });
    const t = await s.call('market.track', { assetId: localId });
    expect(t.remoteId).toBeTruthy();
    remoteId = t.remoteId;
    expect(t.ops).toHaveLength(1);
  });

  it('pulls the review decision, and the index copy never matches the asset’s own listing', async () => {
    await api.approve(admin.token, remoteId);
    const status = await s.call('sync.now');
    expect(status.lastError).toBeNull();
    expect(status.index.count).toBeGreaterThanOrEqual(1);
    expect(status.index.syncedAt).not.toBeNull();
    expect((await s.call('market.track', { assetId: localId })).remoteStatus).toBe('published');
    const own = await s.call('check.run', { card: (await s.call('assets.get', { id: localId })).card, excludeId: localId });
    expect(own.matches).toEqual([]);
    // Another creator's published asset, synced into the copy, is caught offline by the pre-flight check.
    const other = await api.user('other@conn.dev');
    await api.grant(admin.token, other.id, { creatorTier: true });
    const img = await artwork(4711);
    const sub = await api.call('POST', '/v1/submissions', { token: other.token, form: api.form(uniqueCard('Sunken Bell', 5), img) });
    await api.approve(admin.token, sub.body.assetId);
    await s.call('sync.now');
    const imported = await s.call('images.import', { name: 'copy.png', data: img.toString('base64') });
    const copy = await s.call('check.run', { card: uniqueCard('My bell', 6), imageSha: imported.sha });
    expect(copy.matches.map((m: { assetId: string }) => m.assetId)).toContain(`mp:${sub.body.assetId}`);
    expect(copy.status).not.toBe('unique');
  });

  it('queues work while the marketplace is down, survives a studio restart, and drains once without duplicates', async () => {
    const live = await s.call('market.earnings', { period: '30d' });
    expect(live.cachedAt).toBeNull();
    await srv.stop();
    // The dashboard still has the last figures, and says from when.
    const offline = await s.call('market.earnings', { period: '30d' });
    expect(offline.cachedAt).not.toBeNull();
    expect(offline.totals).toEqual(live.totals);
    const b = await s.call('assets.create', { card: uniqueCard('Offline Oak', 321) });
    const op = await s.call('market.submit', { assetId: b.id });
    expect(op.state).toBe('pending');
    expect(op.lastError).toContain('unreachable');
    expect(op.nextAttemptAt).not.toBeNull();
    const price = await s.call('market.setPricing', { assetId: b.id, pricing: { model: 'one_time', priceCents: 499 } });
    expect(price.state).toBe('pending');
    // The studio quits and starts again: the outbox is in its database.
    await s.close();
    s = await openStudio();
    expect((await s.call('sync.status')).outbox.filter((o: { state: string }) => o.state === 'pending')).toHaveLength(2);
    await start();
    const after = await s.call('sync.now');
    expect(
      after.outbox
        .filter((o: { assetId: string; state: string }) => o.assetId === b.id)
        .map((o: { kind: string; state: string }) => [o.kind, o.state]),
    ).toEqual([
      ['submit', 'done'],
      ['pricing', 'done'],
    ]);
    const mine = (
      await api.call('GET', '/v1/my/assets', {
        token: (await api.call('POST', '/v1/auth/login', { json: { email: 'maker@conn.dev', password: 'a long enough password' } })).body
          .token,
      })
    ).body;
    expect(mine.filter((x: { name: string }) => x.name === 'Offline Oak')).toHaveLength(1);
    expect((await s.call('market.pricing', { assetId: b.id })).priceCents).toBe(499);
  });

  it('shows an asset changed here and on the marketplace as a conflict, and resolves it without losing either side', async () => {
    // The same account submits a new version from "another device".
    const token = (await api.call('POST', '/v1/auth/login', { json: { email: 'maker@conn.dev', password: 'a long enough password' } })).body
      .token;
    const theirs = { ...uniqueCard('Lantern of Vesk', 99), description: 'Edited on the laptop: now with a cracked lens.' };
    const v2 = await api.call('POST', `/v1/assets/${remoteId}/versions`, { token, form: api.form(theirs) });
    expect(v2.status).toBe(201);
    const mine = await s.call('assets.get', { id: localId });
    await s.call('assets.save', {
      id: localId,
      card: { ...mine.card, description: 'Edited on the desktop: brass fittings.' },
      baseRev: mine.rev,
    });
    const st = await s.call('sync.now');
    expect(st.conflicts.map((c: { assetId: string }) => c.assetId)).toEqual([localId]);
    const t = await s.call('market.track', { assetId: localId });
    expect(t.conflict.remoteCard.description).toContain('laptop');
    const resolved = await s.call('sync.resolve', { assetId: localId, keep: 'server' });
    expect(resolved.conflict).toBeNull();
    const now = await s.call('assets.get', { id: localId });
    expect(now.card.description).toContain('laptop');
    // The desktop edit is still in the revision history.
    const revs = await s.call('assets.revisions', { id: localId });
    const descs = await Promise.all(revs.map((r: { rev: number }) => s.call('assets.revision', { id: localId, rev: r.rev })));
    expect(descs.map((r: { card: { description: string } }) => r.card.description).join('\n')).toContain('desktop');
  });
});
