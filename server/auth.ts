/**
 * Passwords (scrypt at OWASP's minimum N=2^17, r=8, p=1; per-user salt; the parameters stored with
 * the hash, so older hashes still verify and are upgraded at the next sign-in; constant-time
 * compare) and opaque bearer tokens (32 random bytes; only their SHA-256 is stored; expiring and revocable).
 */
import { createHash, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Role, UserView } from '../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../shared/policy/marketplace.ts';
import type { Sql } from './db.ts';
import * as accounts from './repos/accounts.ts';

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;
/** The parameters new hashes get (OWASP: N=2^17, r=8, p=1 — 128 MiB per hash, so maxmem is raised above it). */
export const PASSWORD_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const MAXMEM = 256 * 1024 * 1024;

export async function hashPassword(pw: string): Promise<string> {
  const { N, r, p } = PASSWORD_PARAMS;
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, 32, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A stored hash made with other parameters than PASSWORD_PARAMS (to be rehashed at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const [alg, n, r, p] = stored.split('$');
  return alg !== 'scrypt' || Number(n) !== PASSWORD_PARAMS.N || Number(r) !== PASSWORD_PARAMS.r || Number(p) !== PASSWORD_PARAMS.p;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // Parameters from the database, bounded: never more work than the current ones allow.
  if (![params.N, params.r, params.p].every(Number.isInteger) || params.N > 2 ** 20 || params.r > 16 || params.p > 4) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(pw, Buffer.from(salt, 'base64'), expected.length, { ...params, maxmem: MAXMEM * 4 });
  return timingSafeEqual(key, expected);
}

/** A hash no password matches, with the current parameters: signing in to a missing account costs the same. */
export const DUMMY_HASH = `scrypt$${PASSWORD_PARAMS.N}$${PASSWORD_PARAMS.r}$${PASSWORD_PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`;

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
  await accounts.insertSession(sql, tokenHash(token), userId, expires.toISOString());
  return { token, expiresAt: expires.toISOString() };
}

export async function userForToken(sql: Sql, token: string): Promise<UserRow | null> {
  return accounts.userForSession(sql, tokenHash(token));
}

export async function revokeSession(sql: Sql, token: string): Promise<void> {
  await accounts.revokeSession(sql, tokenHash(token));
}

export const newId = () => randomUUID();
