/**
 * Stateless API nodes: two servers on one PostgreSQL. What one node publishes, the other node's
 * copy index picks up from the index_events feed before its next check; two copies submitted at
 * the same moment, one to each node, are compared with each other (a database-wide lock from the
 * analysis to the stored review item). Runs in `npm run test:pg` (PGlite is one process, so it
 * cannot be shared by two nodes).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/server.ts';
import { artwork, transforms } from '../helpers/images.ts';
import { holdAnalysesUntil } from '../helpers/hold-analyses.ts';
import { PG_URL, client, freshPgDatabase, rememberAdmins } from '../helpers/server.ts';

if (!PG_URL) console.log('two-node test skipped: runs in npm run test:pg (set ORIGINALS_PG_URL)');

describe.skipIf(!PG_URL)('two API nodes on one PostgreSQL', () => {
  let a: RunningServer;
  let b: RunningServer;
  let drop: () => Promise<void>;
  let admin: { id: string; token: string };
  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    drop = fresh.drop;
    const shared = { databaseUrl: fresh.url, serve };
    const blobs = mkdtempSync(join(tmpdir(), 'mp-nodes-'));
    // Both nodes start at once: migrations run once, under the advisory lock.
    [a, b] = await Promise.all([startServer({ ...shared, dataDir: blobs }), startServer({ ...shared, dataDir: blobs })]);
    rememberAdmins(a, ['admin@nodes.dev']);
    admin = await client(a.url).user('admin@nodes.dev');
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await drop?.();
  });

  it('publishes on one node and catches the copy on the other; sessions work on both', async () => {
    const ca = client(a.url);
    const cb = client(b.url);
    const orig = await ca.user('orig@nodes.dev');
    const copier = await cb.user('copier@nodes.dev');
    for (const u of [orig, copier])
      expect((await cb.call('POST', `/v1/admin/users/${u.id}`, { token: admin.token, json: { creatorTier: true } })).status).toBe(200);
    const img = await artwork(1234);
    const s = await ca.call('POST', '/v1/submissions', {
      token: orig.token,
      form: ca.form({ asset_type: 'item', name: 'Node relic', description: 'published through node A' }, img),
    });
    expect(s.status).toBe(201);
    const item = (await cb.call('GET', '/v1/moderation/queue', { token: admin.token })).body.find(
      (i: { assetId: string }) => i.assetId === s.body.assetId,
    );
    expect((await cb.call('POST', `/v1/moderation/items/${item.id}/claim`, { token: admin.token })).status).toBe(200);
    expect((await ca.call('POST', `/v1/moderation/items/${item.id}/claim`, { token: admin.token })).status).toBe(200); // same moderator, either node
    expect(
      (await cb.call('POST', `/v1/moderation/items/${item.id}/decision`, { token: admin.token, json: { decision: 'approve' } })).status,
    ).toBe(200);
    // Node A never saw the approval, yet its check finds the published original.
    const copy = await ca.call('POST', '/v1/submissions', {
      token: copier.token,
      form: ca.form({ asset_type: 'item', name: 'Mine', description: 'new' }, await transforms.hflip!(img)),
    });
    expect(copy.body).toMatchObject({ heldForManualReview: true, check: { matches: [{ assetId: s.body.assetId }] } });
    expect((await cb.call('GET', `/v1/assets/${s.body.assetId}`)).body.status).toBe('published');
  });

  it('compares two copies sent at the same moment to different nodes with each other', async () => {
    const ca = client(a.url);
    const cb = client(b.url);
    const one = await ca.user('one@nodes.dev');
    const two = await cb.user('two@nodes.dev');
    for (const u of [one, two])
      expect((await ca.call('POST', `/v1/admin/users/${u.id}`, { token: admin.token, json: { creatorTier: true } })).status).toBe(200);
    const img = await artwork(4321);
    // Each node's real analysis, its answer held back (up to 1.5 s) until both have been analysed:
    // without the database-wide lock both are compared before either is stored (both clean).
    holdAnalysesUntil(2);
    const [x, y] = await Promise.all([
      ca.call('POST', '/v1/submissions', {
        token: one.token,
        form: ca.form({ asset_type: 'item', name: 'Node lamp', description: 'sent to node A' }, img),
      }),
      cb.call('POST', '/v1/submissions', {
        token: two.token,
        form: cb.form({ asset_type: 'item', name: 'Node lantern', description: 'sent to node B' }, await transforms.hflip!(img)),
      }),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    const [firstIn, second] = x.body.heldForManualReview ? [y, x] : [x, y];
    expect(firstIn.body.heldForManualReview).toBe(false);
    expect(second.body).toMatchObject({
      heldForManualReview: true,
      check: { matches: [{ assetId: firstIn.body.assetId, pending: true }] },
    });
  });
});
