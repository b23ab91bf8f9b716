/**
 * Accounts: registration and sign-in (server/auth.ts hashes passwords and mints sessions), the
 * one-time admin bootstrap (the first admin may sell: shared/policy/marketplace.ts
 * firstAdminCreatorTier), the admin's list of accounts, and staff changes to a user's roles and
 * flags (audited).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../shared/api.ts';
import type { AdminUserView } from '../../../shared/contracts/marketplace/schemas.ts';
import type { Role, UserView } from '../../../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../../../shared/policy/marketplace.ts';
import {
  DUMMY_HASH,
  type UserRow,
  createSession,
  hashPassword,
  needsRehash,
  newId,
  revokeSession,
  tokenHash,
  userView,
  verifyPassword,
} from '../../auth.ts';
import { type Database, isUniqueViolation } from '../../db.ts';
import type * as accountsRepo from '../../repos/accounts.ts';
import type { AuditLog } from '../moderation/audit.ts';

export type AccountsRepo = Pick<
  typeof accountsRepo,
  | 'hasAdmin'
  | 'countUsers'
  | 'insertUser'
  | 'userById'
  | 'userByEmail'
  | 'listUsers'
  | 'replacePasswordHash'
  | 'updateUser'
  | 'makeAdmin'
  | 'clearBootstrapTokens'
  | 'addBootstrapToken'
  | 'takeBootstrapToken'
>;

/** Sessions are minted and revoked by server/auth.ts; a unit test gives its own. */
export interface Sessions {
  create(db: Database, userId: string): Promise<{ token: string; expiresAt: string }>;
  revoke(db: Database, token: string): Promise<void>;
}
const AUTH_SESSIONS: Sessions = { create: createSession, revoke: revokeSession };

export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly repo: AccountsRepo,
    private readonly auditLog: AuditLog,
    /** One-box installs (the studio's local marketplace): the first account registered becomes the admin. */
    private readonly firstUserAdmin: boolean,
    private readonly sessions: Sessions = AUTH_SESSIONS,
    /** shared/policy/marketplace.ts firstAdminCreatorTier: the first admin may sell. */
    private readonly firstAdminCreatorTier: boolean = MARKETPLACE_POLICY.firstAdminCreatorTier,
  ) {}

  /**
   * While the marketplace has no admin: stores a one-time bootstrap token (the given one, else a
   * random one) and returns it, for the operator to redeem with POST /v1/admin/bootstrap. Null once
   * an admin exists. No role is ever granted by e-mail address.
   */
  async prepareBootstrap(token?: string): Promise<string | null> {
    if (await this.repo.hasAdmin(this.db)) {
      await this.repo.clearBootstrapTokens(this.db);
      return null;
    }
    const t = token ?? randomBytes(24).toString('base64url');
    await this.repo.addBootstrapToken(this.db, tokenHash(t));
    return t;
  }

  /**
   * Redeems a bootstrap token: the signed-in account becomes admin and moderator (and receives the
   * Creator tier when the policy's firstAdminCreatorTier says so); every token is spent.
   */
  async bootstrapAdmin(user: UserRow, token: string): Promise<UserView> {
    await this.db.tx(async (sql) => {
      if (await this.repo.hasAdmin(sql))
        throw new ApiError('already_bootstrapped', 'this marketplace already has an admin', undefined, 409);
      if (!(await this.repo.takeBootstrapToken(sql, tokenHash(token))))
        throw new ApiError('invalid_bootstrap_token', 'the bootstrap token is wrong or already used', 'token', 403);
      await this.repo.clearBootstrapTokens(sql);
      await this.repo.makeAdmin(sql, user.id, this.firstAdminCreatorTier);
      await this.auditLog.audit(sql, user, 'admin_bootstrapped', { type: 'user', id: user.id }, 'one-time bootstrap token');
    });
    return userView(await this.user(user.id));
  }

  async register(input: { email: string; password: string; displayName: string }) {
    // Only the one-box studio marketplace (loopback, one person) makes its first account the admin.
    const admin = this.firstUserAdmin && (await this.repo.countUsers(this.db)) === 0;
    const id = newId();
    try {
      await this.repo.insertUser(this.db, {
        id,
        email: input.email,
        displayName: input.displayName,
        passwordHash: await hashPassword(input.password),
        roles: admin ? ['buyer', 'creator', 'moderator', 'admin'] : ['buyer', 'creator'],
        creatorTier: admin && this.firstAdminCreatorTier,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ApiError('email_taken', 'an account with this email already exists', 'email', 409);
      throw err;
    }
    return this.sessionFor(id);
  }

  private async sessionFor(userId: string) {
    const s = await this.sessions.create(this.db, userId);
    return { ...s, user: userView(await this.user(userId)) };
  }

  async login(input: { email: string; password: string }) {
    const u = await this.repo.userByEmail(this.db, input.email);
    // Same work whether or not the account exists, so timing does not reveal it.
    const ok = await verifyPassword(input.password, u?.password_hash ?? DUMMY_HASH);
    if (!u || !ok) throw new ApiError('invalid_credentials', 'wrong email or password', undefined, 401);
    // A hash made with older (weaker) parameters is replaced now that the password is known.
    if (needsRehash(u.password_hash))
      await this.repo.replacePasswordHash(this.db, u.id, await hashPassword(input.password), u.password_hash);
    return this.sessionFor(u.id);
  }

  logout(token: string): Promise<void> {
    return this.sessions.revoke(this.db, token);
  }

  async user(id: string): Promise<UserRow> {
    const u = await this.repo.userById(this.db, id);
    if (!u) throw new ApiError('not_found', 'no such user', 'id', 404);
    return u;
  }

  /** A page of accounts for the admin Users screen (newest first), with the total that match. */
  async listUsers(query: { q?: string | undefined; role?: Role | undefined; tier?: 'creator' | 'none' | undefined; page: number }) {
    const pageSize = MARKETPLACE_POLICY.adminUsersPageSize;
    const { rows, total } = await this.repo.listUsers(this.db, {
      q: query.q ? query.q : null,
      role: query.role ?? null,
      tier: query.tier === undefined ? null : query.tier === 'creator',
      limit: pageSize,
      offset: (query.page - 1) * pageSize,
    });
    const users: AdminUserView[] = rows.map((r) => ({
      ...userView(r),
      strikes: Number(r.strikes),
      createdAt: new Date(r.created_at).toISOString(),
    }));
    return { users, total, page: query.page, pageSize };
  }

  async updateUser(
    id: string,
    patch: {
      creatorTier?: boolean | undefined;
      verified?: boolean | undefined;
      roles?: UserView['roles'] | undefined;
      sellingBanned?: boolean | undefined;
    },
    admin?: UserRow,
  ): Promise<UserView> {
    await this.user(id);
    if (admin) await this.auditLog.impartial(admin, { type: 'user', id }, 'user_update', { subjectId: id });
    await this.db.tx(async (sql) => {
      await this.repo.updateUser(sql, id, {
        creatorTier: patch.creatorTier ?? null,
        verified: patch.verified ?? null,
        roles: patch.roles ?? null,
        sellingBanned: patch.sellingBanned ?? null,
      });
      await this.auditLog.audit(sql, admin ?? null, 'user_updated', { type: 'user', id }, null, patch);
    });
    return userView(await this.user(id));
  }
}
