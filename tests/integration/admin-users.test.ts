/**
 * The admin Users list (GET /v1/admin/users) on a real server and database: only admins may read
 * it, its query is validated (the field named), search matches e-mail and display name with LIKE
 * wildcards taken literally, role and Creator-tier filters, paging with the total; a selling ban set
 * through updateUser shows in the list and stops submissions. The marketplace's first admin (the
 * bootstrap token, or the one-box first account) holds the Creator tier (policy firstAdminCreatorTier).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE_POLICY } from '../../shared/policy/marketplace.ts';
import type { RunningServer } from '../../server/server.ts';
import { client, testServer } from '../helpers/server.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
const who: Record<string, { id: string; token: string }> = {};

beforeAll(async () => {
  srv = await testServer(['root@users.dev']);
  api = client(srv.url);
  who.root = await api.user('root@users.dev', 'Root');
  who.alice = await api.user('alice@users.dev', 'Alice Painter');
  who.bob = await api.user('bob@users.dev', 'Bob Builder');
  who.mod = await api.user('mod@users.dev', 'Mo 100%_sure');
  await api.grant(who.root!.token, who.mod!.id, { roles: ['buyer', 'moderator'] });
}, 120_000);
afterAll(() => srv.stop());

const list = (query: string, token = who.root!.token) => api.call('GET', `/v1/admin/users${query}`, { token });
const emails = (body: { users: { email: string }[] }) => body.users.map((u) => u.email).sort();

describe('GET /v1/admin/users', () => {
  it('is for admins only', async () => {
    expect((await api.call('GET', '/v1/admin/users')).status).toBe(401);
    expect((await list('', who.alice!.token)).status).toBe(403);
    expect((await list('', who.mod!.token)).status).toBe(403);
    expect((await list('')).status).toBe(200);
  });

  it('lists every account newest first with roles, tier, badge, ban and strikes, never a password hash', async () => {
    const r = await list('');
    expect(r.body.total).toBe(4);
    expect(r.body.page).toBe(1);
    expect(r.body.pageSize).toBe(MARKETPLACE_POLICY.adminUsersPageSize);
    expect(r.body.users.map((u: { email: string }) => u.email)).toEqual([
      'mod@users.dev',
      'bob@users.dev',
      'alice@users.dev',
      'root@users.dev',
    ]);
    const root = r.body.users.find((u: { email: string }) => u.email === 'root@users.dev');
    expect(root).toMatchObject({ roles: ['buyer', 'creator', 'moderator', 'admin'], creatorTier: true, verified: false, strikes: 0 });
    expect(Number.isNaN(Date.parse(root.createdAt))).toBe(false);
    expect(JSON.stringify(r.body)).not.toMatch(/password|hash/i);
  });

  it('searches e-mail and display name, case-insensitively, with % and _ taken literally', async () => {
    expect(emails((await list('?q=BUILDER')).body)).toEqual(['bob@users.dev']);
    expect(emails((await list('?q=alice%40users')).body)).toEqual(['alice@users.dev']);
    expect(emails((await list(`?q=${encodeURIComponent('100%_')}`)).body)).toEqual(['mod@users.dev']);
    expect(emails((await list(`?q=${encodeURIComponent('%')}`)).body)).toEqual(['mod@users.dev']);
    expect((await list('?q=nobody-here')).body).toMatchObject({ users: [], total: 0 });
  });

  it('filters by role and by Creator tier; a grant shows at once', async () => {
    expect(emails((await list('?role=admin')).body)).toEqual(['root@users.dev']);
    expect(emails((await list('?role=moderator')).body)).toEqual(['mod@users.dev', 'root@users.dev']);
    expect(emails((await list('?tier=creator')).body)).toEqual(['root@users.dev']);
    await api.grant(who.root!.token, who.alice!.id, { creatorTier: true, verified: true });
    expect(emails((await list('?tier=creator')).body)).toEqual(['alice@users.dev', 'root@users.dev']);
    expect(emails((await list('?tier=none&role=creator')).body)).toEqual(['bob@users.dev']);
    const alice = (await list('?q=alice')).body.users[0];
    expect(alice).toMatchObject({ creatorTier: true, verified: true });
  });

  it('pages: past the last page no rows, the total still right', async () => {
    expect((await list('?page=2')).body).toMatchObject({ users: [], total: 4, page: 2 });
  });

  it('refuses a bad query, naming the field', async () => {
    for (const [q, field] of [
      ['?role=superuser', 'role'],
      ['?tier=maybe', 'tier'],
      ['?page=0', 'page'],
      ['?page=two', 'page'],
      [`?q=${'x'.repeat(201)}`, 'q'],
    ] as const) {
      const r = await list(q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.field, q).toBe(field);
    }
  });

  it('a selling ban set by an admin shows in the list and stops submissions; lifting it lets them through', async () => {
    await api.grant(who.root!.token, who.bob!.id, { creatorTier: true, sellingBanned: true });
    expect((await list('?q=bob')).body.users[0]).toMatchObject({ sellingBanned: true, creatorTier: true });
    const card = { asset_type: 'item', name: 'Banned thing', description: 'should not go in' };
    const refused = await api.call('POST', '/v1/submissions', { token: who.bob!.token, form: api.form(card) });
    expect(refused.body.error.code).toBe('selling_banned');
    await api.grant(who.root!.token, who.bob!.id, { sellingBanned: false });
    const again = await api.call('POST', '/v1/submissions', { token: who.bob!.token, form: api.form(card) });
    expect(again.body.error?.code).not.toBe('selling_banned');
  });
});

describe('the one-box marketplace', () => {
  it('its first account is admin, moderator and holds the Creator tier; the second holds none of them', async () => {
    const box = await testServer([], { firstUserAdmin: true });
    try {
      const c = client(box.url);
      const first = await c.call('POST', '/v1/auth/register', {
        json: { email: 'me@box.dev', password: 'a long enough password', displayName: 'Me' },
      });
      const second = await c.call('POST', '/v1/auth/register', {
        json: { email: 'you@box.dev', password: 'a long enough password', displayName: 'You' },
      });
      expect(first.body.user).toMatchObject({ roles: ['buyer', 'creator', 'moderator', 'admin'], creatorTier: true });
      expect(second.body.user).toMatchObject({ roles: ['buyer', 'creator'], creatorTier: false });
    } finally {
      await box.stop();
    }
  });
});
