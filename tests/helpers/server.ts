/**
 * A marketplace server on loopback for tests, and a small client. The store is an in-memory
 * PGlite, or — when ORIGINALS_TEST_DATABASE_URL points at a PostgreSQL server (`npm run test:pg`)
 * — a fresh database on that server, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { serve } from '@hono/node-server';
import pg from 'pg';
import { type Database, openDatabase } from '../../server/db.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../server/server.ts';

export const PG_URL = process.env.ORIGINALS_TEST_DATABASE_URL;

/** A new, empty database on the test PostgreSQL server, and a function that drops it. */
export async function freshPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `originals_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL as string);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A fresh store for tests that need only the database: in-memory PGlite, or a new PostgreSQL database. */
export async function testDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  if (!PG_URL) {
    const db = await openDatabase({});
    return { db, drop: () => db.close() };
  }
  const fresh = await freshPgDatabase();
  const db = await openDatabase({ url: fresh.url });
  return {
    db,
    async drop() {
      await db.close();
      await fresh.drop();
    },
  };
}

/**
 * Test accounts that become admins: the first one registered through `client(url).user()` redeems
 * the server's one-time bootstrap token (as an operator would), the next ones are granted the
 * roles by that admin. The server itself never grants a role by e-mail address.
 */
const ADMINS = new Map<string, { emails: Set<string>; bootstrapToken: string | null; adminToken?: string }>();

export function rememberAdmins(srv: { url: string; bootstrapToken: string | null }, emails: string[]): void {
  ADMINS.set(new URL(srv.url).origin, { emails: new Set(emails), bootstrapToken: srv.bootstrapToken });
}

export async function testServer(adminEmails = ['admin@test.dev'], extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const base = { dataDir: mkdtempSync(join(tmpdir(), 'mp-')), serve, ...extra };
  if (!PG_URL) {
    const srv = await startServer({ ...base, inMemory: true });
    rememberAdmins(srv, adminEmails);
    return srv;
  }
  const fresh = await freshPgDatabase();
  const srv = await startServer({ ...base, databaseUrl: fresh.url });
  rememberAdmins(srv, adminEmails);
  return {
    ...srv,
    async stop() {
      await srv.stop();
      await fresh.drop();
    },
  };
}

export interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function client(base: string) {
  const call = async (
    method: string,
    path: string,
    opts: { token?: string | undefined; json?: unknown; form?: FormData; headers?: Record<string, string> } = {},
  ): Promise<Res> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: BodyInit | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) body = opts.form;
    const send = () => fetch(new URL(path, base), { method, headers, ...(body !== undefined ? { body } : {}) });
    // A kept-alive connection can be closed by the server just as it is reused after a long idle
    // (benchmarks load for minutes between requests): retry reads once on a fresh connection.
    const res = await send().catch((err: Error & { cause?: { code?: string } }) => {
      if (method === 'GET' && err.cause?.code === 'ECONNRESET') return send();
      throw err;
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* binary or text */
    }
    return { status: res.status, body: parsed };
  };
  const form = (card: unknown, image?: Buffer, parentAssetId?: string) => {
    const f = new FormData();
    f.set('card', JSON.stringify(card));
    if (image) f.set('image', new Blob([new Uint8Array(image)]), 'image.png');
    if (parentAssetId) f.set('parentAssetId', parentAssetId);
    return f;
  };
  const ok = (what: string, r: Res) => {
    if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  /** Admin update of an account (Creator tier, roles, verified); throws unless it succeeds. */
  const grant = async (adminToken: string, userId: string, patch: Record<string, unknown>) =>
    ok(`grant ${JSON.stringify(patch)}`, await call('POST', `/v1/admin/users/${userId}`, { token: adminToken, json: patch }));
  /** A moderator claims and approves the open review item of an asset; throws unless both succeed. */
  const approve = async (modToken: string, assetId: string) => {
    const q = ok('queue', await call('GET', '/v1/moderation/queue', { token: modToken }));
    const item = (q.body as { id: number; assetId: string }[]).find((i) => i.assetId === assetId);
    if (!item) throw new Error(`no open review item for ${assetId}`);
    ok('claim', await call('POST', `/v1/moderation/items/${item.id}/claim`, { token: modToken }));
    ok('approve', await call('POST', `/v1/moderation/items/${item.id}/decision`, { token: modToken, json: { decision: 'approve' } }));
    return item;
  };
  return {
    call,
    form,
    grant,
    approve,
    async user(email: string, name = email.split('@')[0] as string) {
      const r = await call('POST', '/v1/auth/register', { json: { email, password: 'a long enough password', displayName: name } });
      if (r.status !== 201) throw new Error(`register ${email}: ${JSON.stringify(r.body)}`);
      const u = { id: r.body.user.id as string, token: r.body.token as string };
      const admins = ADMINS.get(new URL(base).origin);
      if (admins?.emails.has(email)) {
        if (!admins.adminToken) {
          ok('bootstrap', await call('POST', '/v1/admin/bootstrap', { token: u.token, json: { token: admins.bootstrapToken } }));
          admins.adminToken = u.token;
        } else await grant(admins.adminToken, u.id, { roles: ['buyer', 'creator', 'moderator', 'admin'] });
      }
      return u;
    },
  };
}

/** A media submission's multipart form: the card as JSON and the file (named `name`, its own name by default). */
export function mediaForm(card: unknown, file: string, name = basename(file)): FormData {
  const f = new FormData();
  f.set('card', JSON.stringify(card));
  f.set('media', new Blob([new Uint8Array(readFileSync(file))]), name);
  return f;
}

/** Streamed uploads still in the temporary folder (a finished or refused submission leaves none). */
export const uploadsLeft = (): number => readdirSync(tmpdir()).filter((n) => n.startsWith('originals-upload-')).length;

/** Blobs a marketplace data folder holds (`blobs/<prefix>/<sha>`). */
export function blobCount(dataDir: string): number {
  const root = `${dataDir}/blobs`;
  return existsSync(root) ? readdirSync(root).reduce((n, d) => n + readdirSync(`${root}/${d}`).length, 0) : 0;
}
