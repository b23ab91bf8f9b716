/**
 * Stateless API nodes: two servers on one PostgreSQL. What one node publishes, the other node's
 * copy index picks up from the index_events feed before its next check. Runs in `npm run test:pg`
 * (PGlite is one process, so it cannot be shared by two nodes).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/server.ts';
import { artwork, transforms } from '../helpers/images.ts';
import { PG_URL, client, freshPgDatabase, rememberAdmins } from '../helpers/server.ts';

if (!PG_URL) console.log('two-node test skipped: runs in npm run test:pg (set ORIGINALS_PG_URL)');

describe.skipIf(!PG_URL)('two API nodes on one PostgreSQL', () => {
  let a: RunningServer;
  let b: RunningServer;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshPgDatabase();
    drop = fresh.drop;
    const shared = { databaseUrl: fresh.url, serve };
    const blobs = mkdtempSync(join(tmpdir(), 'mp-nodes-'));
    // Both nodes start at once: migrations run once, under the advisory lock.
    [a, b] = await Promise.all([startServer({ ...shared, dataDir: blobs }), startServer({ ...shared, dataDir: blobs })]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await drop?.();
  });

  it('publishes on one node and catches the copy on the other; sessions work on both', async () => {
    rememberAdmins(a, ['admin@nodes.dev']);
    const ca = client(a.url);
    const cb = client(b.url);
    const admin = await ca.user('admin@nodes.dev');
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
});
