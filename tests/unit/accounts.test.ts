/**
 * The accounts service on fake repositories (real password hashing, sessions recorded): the
 * one-box marketplace's first account is the admin and no other is; a taken e-mail is a 409;
 * a wrong password and a missing account fail alike; the one-time bootstrap token makes one admin,
 * once, and is audited; the first admin (either way) receives the Creator tier unless the policy
 * setting firstAdminCreatorTier is off.
 */
import { describe, expect, it } from 'vitest';
import type { UserRow } from '../../server/auth.ts';
import { type AccountsRepo, AccountsService, type Sessions } from '../../server/services/accounts/accounts.ts';
import type { AuditLog } from '../../server/services/moderation/audit.ts';
import { fakeDatabase } from '../helpers/marketplace-fakes.ts';

function world(firstUserAdmin: boolean, firstAdminCreatorTier = true) {
  const users = new Map<string, UserRow>();
  const tokens = new Set<string>();
  const audits: string[] = [];
  const sessions: string[] = [];
  const repo: AccountsRepo = {
    hasAdmin: async () => [...users.values()].some((u) => u.roles.includes('admin')),
    countUsers: async () => users.size,
    insertUser: async (_sql, u) => {
      if ([...users.values()].some((x) => x.email === u.email))
        throw Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), { code: '23505' });
      users.set(u.id, {
        id: u.id,
        email: u.email,
        display_name: u.displayName,
        password_hash: u.passwordHash,
        roles: u.roles as UserRow['roles'],
        creator_tier: u.creatorTier,
        verified: false,
        selling_banned: false,
        reputation: 0,
      });
    },
    userById: async (_sql, id) => users.get(id),
    userByEmail: async (_sql, email) => [...users.values()].find((u) => u.email === email),
    replacePasswordHash: async () => {},
    updateUser: async (_sql, id, patch) => {
      const u = users.get(id) as UserRow;
      if (patch.roles) u.roles = patch.roles as UserRow['roles'];
      if (patch.verified !== null) u.verified = patch.verified;
      if (patch.creatorTier !== null) u.creator_tier = patch.creatorTier;
      if (patch.sellingBanned !== null) u.selling_banned = patch.sellingBanned;
    },
    makeAdmin: async (_sql, id, creatorTier) => {
      const u = users.get(id) as UserRow;
      u.roles = ['buyer', 'creator', 'moderator', 'admin'];
      u.creator_tier ||= creatorTier;
    },
    listUsers: async () => {
      throw new Error('listUsers is SQL: tests/integration/admin-users.test.ts runs it on the database');
    },
    clearBootstrapTokens: async () => tokens.clear(),
    addBootstrapToken: async (_sql, hash) => {
      tokens.add(hash);
    },
    takeBootstrapToken: async (_sql, hash) => tokens.delete(hash),
  };
  const auditLog: AuditLog = {
    audit: async (_sql, _actor, action) => {
      audits.push(action);
    },
    impartial: async () => {},
  };
  const fakeSessions: Sessions = {
    create: async (_db, userId) => {
      sessions.push(userId);
      return { token: `t${sessions.length}`, expiresAt: new Date(0).toISOString() };
    },
    revoke: async () => {},
  };
  return {
    users,
    tokens,
    audits,
    sessions,
    accounts: new AccountsService(fakeDatabase(), repo, auditLog, firstUserAdmin, fakeSessions, firstAdminCreatorTier),
  };
}

describe('AccountsService (fake repositories)', () => {
  it('one-box: the first account registered is the admin, the next is not; elsewhere nobody is', async () => {
    const box = world(true);
    const first = await box.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' });
    const second = await box.accounts.register({ email: 'b@x', password: 'correct horse', displayName: 'B' });
    expect(first.user.roles).toContain('admin');
    expect(second.user.roles).toEqual(['buyer', 'creator']);
    const server = world(false);
    expect((await server.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' })).user.roles).toEqual([
      'buyer',
      'creator',
    ]);
  });

  it('the first admin may sell: the one-box first account and a bootstrapped admin get the Creator tier, unless the policy is off', async () => {
    const box = world(true);
    const first = await box.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' });
    const second = await box.accounts.register({ email: 'b@x', password: 'correct horse', displayName: 'B' });
    expect(first.user.creatorTier).toBe(true);
    expect(second.user.creatorTier).toBe(false);

    const srv = world(false);
    const op = await srv.accounts.register({ email: 'op@x', password: 'correct horse', displayName: 'Op' });
    expect(op.user.creatorTier).toBe(false);
    await srv.accounts.prepareBootstrap('secret-token-long');
    expect((await srv.accounts.bootstrapAdmin(srv.users.get(op.user.id) as UserRow, 'secret-token-long')).creatorTier).toBe(true);

    const vetted = world(true, false);
    const admin = await vetted.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' });
    expect(admin.user.roles).toContain('admin');
    expect(admin.user.creatorTier).toBe(false);
    const vettedSrv = world(false, false);
    const op2 = await vettedSrv.accounts.register({ email: 'op@x', password: 'correct horse', displayName: 'Op' });
    await vettedSrv.accounts.prepareBootstrap('secret-token-long');
    expect((await vettedSrv.accounts.bootstrapAdmin(vettedSrv.users.get(op2.user.id) as UserRow, 'secret-token-long')).creatorTier).toBe(
      false,
    );
  });

  it('a taken e-mail is a 409 naming the field', async () => {
    const w = world(false);
    await w.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' });
    await expect(w.accounts.register({ email: 'a@x', password: 'other pass', displayName: 'A2' })).rejects.toMatchObject({
      code: 'email_taken',
      field: 'email',
      status: 409,
    });
  });

  it('sign-in: the right password opens a session; a wrong one and a missing account fail alike', async () => {
    const w = world(false);
    await w.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' });
    const s = await w.accounts.login({ email: 'a@x', password: 'correct horse' });
    expect(s.user.email).toBe('a@x');
    expect(w.sessions).toHaveLength(2);
    for (const attempt of [
      { email: 'a@x', password: 'wrong horse' },
      { email: 'nobody@x', password: 'correct horse' },
    ])
      await expect(w.accounts.login(attempt)).rejects.toMatchObject({ code: 'invalid_credentials', status: 401 });
  });

  it('the bootstrap token makes one admin, once, and is audited; none is issued once an admin exists', async () => {
    const w = world(false);
    const { user } = await w.accounts.register({ email: 'op@x', password: 'correct horse', displayName: 'Op' });
    const token = await w.accounts.prepareBootstrap('secret-token');
    expect(token).toBe('secret-token');
    const row = w.users.get(user.id) as UserRow;
    await expect(w.accounts.bootstrapAdmin(row, 'wrong')).rejects.toMatchObject({ code: 'invalid_bootstrap_token', status: 403 });
    expect((await w.accounts.bootstrapAdmin(row, 'secret-token')).roles).toContain('admin');
    expect(w.audits).toEqual(['admin_bootstrapped']);
    await expect(w.accounts.bootstrapAdmin(row, 'secret-token')).rejects.toMatchObject({ code: 'already_bootstrapped' });
    expect(await w.accounts.prepareBootstrap()).toBeNull();
    expect(w.tokens.size).toBe(0);
  });

  it('a staff change to a user is audited; an unknown user is a 404', async () => {
    const w = world(false);
    const { user } = await w.accounts.register({ email: 'a@x', password: 'correct horse', displayName: 'A' });
    expect((await w.accounts.updateUser(user.id, { verified: true })).verified).toBe(true);
    expect((await w.accounts.updateUser(user.id, { sellingBanned: true })).sellingBanned).toBe(true);
    expect(w.audits).toEqual(['user_updated', 'user_updated']);
    await expect(w.accounts.updateUser('missing', { verified: true })).rejects.toMatchObject({ status: 404 });
  });
});
