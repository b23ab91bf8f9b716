/** SQL for accounts: users, sessions and the one-time admin bootstrap tokens. */
import type { UserRow } from '../auth.ts';
import type { Sql } from '../db.ts';

export async function hasAdmin(sql: Sql): Promise<boolean> {
  return (await sql.query(`SELECT 1 FROM users WHERE 'admin' = ANY(roles) LIMIT 1`)).rows.length > 0;
}

export async function countUsers(sql: Sql): Promise<number> {
  return Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]?.n);
}

export async function insertUser(
  sql: Sql,
  u: { id: string; email: string; displayName: string; passwordHash: string; roles: string[]; creatorTier: boolean },
): Promise<void> {
  await sql.query('INSERT INTO users (id, email, display_name, password_hash, roles, creator_tier) VALUES ($1,$2,$3,$4,$5,$6)', [
    u.id,
    u.email,
    u.displayName,
    u.passwordHash,
    u.roles,
    u.creatorTier,
  ]);
}

export type ListedUserRow = UserRow & { strikes: number; created_at: Date | string; total: string };

/**
 * A page of accounts, newest first: `q` matches the e-mail or display name (case-insensitive,
 * LIKE wildcards taken literally), `role` one of the roles, `tier` the Creator tier. Each row
 * carries the total count of matching accounts.
 */
export async function listUsers(
  sql: Sql,
  f: { q: string | null; role: string | null; tier: boolean | null; limit: number; offset: number },
): Promise<{ rows: ListedUserRow[]; total: number }> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = (
    await sql.query<ListedUserRow>(
      `SELECT *, count(*) OVER () AS total FROM users
       WHERE ($1::text IS NULL OR email ILIKE $1 OR display_name ILIKE $1)
         AND ($2::text IS NULL OR $2 = ANY(roles))
         AND ($3::boolean IS NULL OR creator_tier = $3)
       ORDER BY created_at DESC, id
       LIMIT $4 OFFSET $5`,
      [like, f.role, f.tier, f.limit, f.offset],
    )
  ).rows;
  // Past the last page there are no rows to carry the total: count it alone.
  if (rows.length === 0 && f.offset > 0) {
    const n = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM users
       WHERE ($1::text IS NULL OR email ILIKE $1 OR display_name ILIKE $1)
         AND ($2::text IS NULL OR $2 = ANY(roles)) AND ($3::boolean IS NULL OR creator_tier = $3)`,
      [like, f.role, f.tier],
    );
    return { rows, total: Number(n.rows[0]?.n ?? 0) };
  }
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function userById(sql: Sql, id: string): Promise<UserRow | undefined> {
  return (await sql.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
}

export async function userByEmail(sql: Sql, email: string): Promise<UserRow | undefined> {
  return (await sql.query<UserRow>('SELECT * FROM users WHERE email = $1', [email])).rows[0];
}

/** Replaces a password hash, only if it is still the one that was verified. */
export async function replacePasswordHash(sql: Sql, id: string, next: string, previous: string): Promise<void> {
  await sql.query('UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [id, next, previous]);
}

export async function updateUser(
  sql: Sql,
  id: string,
  patch: { creatorTier: boolean | null; verified: boolean | null; roles: string[] | null; sellingBanned: boolean | null },
): Promise<void> {
  await sql.query(
    `UPDATE users SET creator_tier = COALESCE($2, creator_tier), verified = COALESCE($3, verified), roles = COALESCE($4, roles),
       selling_banned = COALESCE($5, selling_banned), selling_banned_by_admin = COALESCE($5, selling_banned_by_admin) WHERE id = $1`,
    [id, patch.creatorTier, patch.verified, patch.roles, patch.sellingBanned],
  );
}

/** Makes an account admin and moderator; `creatorTier` also grants the Creator tier (never revokes it). */
export async function makeAdmin(sql: Sql, id: string, creatorTier: boolean): Promise<void> {
  await sql.query(
    `UPDATE users SET roles = ARRAY['buyer','creator','moderator','admin'], creator_tier = creator_tier OR $2 WHERE id = $1`,
    [id, creatorTier],
  );
}

/** A creator's standing as moderation sees it. */
export async function standing(
  sql: Sql,
  id: string,
): Promise<{ strikes: number; selling_banned: boolean; reputation: number } | undefined> {
  return (
    await sql.query<{ strikes: number; selling_banned: boolean; reputation: number }>(
      'SELECT strikes, selling_banned, reputation FROM users WHERE id = $1',
      [id],
    )
  ).rows[0];
}

/** Records a strike recount; an admin's own selling ban stays whatever the count (011_admin_selling_ban.sql). Returns whether selling is banned now. */
export async function setStrikes(sql: Sql, id: string, strikes: number, banned: boolean): Promise<boolean> {
  const r = await sql.query<{ selling_banned: boolean }>(
    'UPDATE users SET strikes = $2, selling_banned = $3 OR selling_banned_by_admin WHERE id = $1 RETURNING selling_banned',
    [id, strikes, banned],
  );
  return r.rows[0]?.selling_banned ?? banned;
}

// ---------------------------------------------------------------- bootstrap tokens

export async function clearBootstrapTokens(sql: Sql): Promise<void> {
  await sql.query('DELETE FROM bootstrap_tokens');
}

export async function addBootstrapToken(sql: Sql, hash: string): Promise<void> {
  await sql.query('INSERT INTO bootstrap_tokens (token_hash) VALUES ($1) ON CONFLICT DO NOTHING', [hash]);
}

/** Spends one token; false when there was no such token. */
export async function takeBootstrapToken(sql: Sql, hash: string): Promise<boolean> {
  return (await sql.query('DELETE FROM bootstrap_tokens WHERE token_hash = $1 RETURNING token_hash', [hash])).rows.length > 0;
}

// ---------------------------------------------------------------- sessions

export async function insertSession(sql: Sql, hash: string, userId: string, expiresAt: string): Promise<void> {
  await sql.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [hash, userId, expiresAt]);
}

export async function userForSession(sql: Sql, hash: string): Promise<UserRow | null> {
  const r = await sql.query<UserRow>(
    `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [hash],
  );
  return r.rows[0] ?? null;
}

export async function revokeSession(sql: Sql, hash: string): Promise<void> {
  await sql.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [hash]);
}
