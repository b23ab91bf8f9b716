/**
 * Idempotency keys on POST requests (the studio's outbox retries with them): a retried submission
 * creates one asset, the replay says so, a key reused for another request is refused, and a
 * client error is replayed as the same error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { uniqueCard } from '../helpers/money.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
let creator: { id: string; token: string };
beforeAll(async () => {
  srv = await testServer(['first@idem.dev']);
  api = client(srv.url);
  const admin = await api.user('first@idem.dev');
  creator = await api.user('maker@idem.dev');
  await api.grant(admin.token, creator.id, { creatorTier: true });
});
afterAll(() => srv.stop());

describe('Idempotency-Key', () => {
  it('makes a retried submission create one asset and replays the first answer', async () => {
    const send = () =>
      api.call('POST', '/v1/submissions', {
        token: creator.token,
        form: api.form(uniqueCard('Retried thing', 4242)),
        headers: { 'idempotency-key': 'outbox-op-1' },
      });
    const [a, b] = await Promise.all([send(), send()]);
    const statuses = [a.status, b.status].sort();
    // Concurrent: one runs, the other is told to wait (409) — or, if the first finished already, replayed.
    expect(statuses[0]).toBe(201);
    const c = await send();
    expect(c.status).toBe(201);
    expect(c.body.assetId).toBe((a.status === 201 ? a : b).body.assetId);
    const mine = await api.call('GET', '/v1/my/assets', { token: creator.token });
    expect(mine.body.filter((x: { name: string }) => x.name === 'Retried thing')).toHaveLength(1);
  });

  it('refuses a key reused for a different request and replays client errors', async () => {
    const bad = () =>
      api.call('POST', '/v1/submissions', {
        token: creator.token,
        form: api.form({ asset_type: 'item' }),
        headers: { 'idempotency-key': 'outbox-op-2' },
      });
    const first = await bad();
    expect(first.status).toBe(400);
    expect((await bad()).body).toEqual(first.body);
    const other = await api.call('POST', '/v1/auth/logout', { token: creator.token, headers: { 'idempotency-key': 'outbox-op-2' } });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });
});
