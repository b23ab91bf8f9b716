/**
 * Passwords (scrypt, per-user salt, constant-time compare) and opaque bearer tokens (32 random
 * bytes; only their SHA-256 is stored; expiring and revocable).
 */
import { createHash, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Role, UserView } from '../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../shared/policy/marketplace.ts';
import type { Sql } from './db.ts';

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pw, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
  return timingSafeEqual(key, expected);
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  roles: Role[];
  creator_tier: boolean;
  verified: boolean;
  selling_banned: boolean;
  reputation: number;
}

export function userView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    roles: u.roles,
    creatorTier: u.creator_tier,
    verified: u.verified,
    sellingBanned: u.selling_banned,
    reputation: Number(u.reputation),
  };
}

export async function createSession(sql: Sql, userId: string): Promise<{ token: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + MARKETPLACE_POLICY.sessionDays * 86_400_000);
  await sql.query('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    tokenHash(token),
    userId,
    expires.toISOString(),
  ]);
  return { token, expiresAt: expires.toISOString() };
}

export async function userForToken(sql: Sql, token: string): Promise<UserRow | null> {
  const r = await sql.query<UserRow>(
    `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [tokenHash(token)],
  );
  return r.rows[0] ?? null;
}

export async function revokeSession(sql: Sql, token: string): Promise<void> {
  await sql.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash(token)]);
}

export const newId = () => randomUUID();
