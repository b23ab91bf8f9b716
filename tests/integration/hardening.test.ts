/**
 * The server's hardening: body limits before parsing (413), path and query parameters validated
 * in the route table (never a 500), the client address behind a configured number of proxies,
 * sign-in lockouts per account and address with Retry-After, scrypt parameters and the rehash at
 * sign-in, the first admin from a one-time token (never by e-mail address), a valid OpenAPI
 * document, and what survives a restart (abandoned checkouts expired, the test processor's port,
 * rotated provenance keys that keep verifying their records).
 */
import { generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/create-app.ts';
import { clientAddress } from '../../server/http/client-address.ts';
import { type RunningServer, startServer } from '../../server/server.ts';
import { verifyProof } from '../../shared/provenance.ts';
import { artwork } from '../helpers/images.ts';
import { client, testServer } from '../helpers/server.ts';
import { setPasswordHash, strandedTopUp } from '../helpers/seed.ts';

let srv: RunningServer;
let api: ReturnType<typeof client>;
let admin: { id: string; token: string };
const raw = (path: string, init: RequestInit = {}) => fetch(new URL(path, srv.url), init);

/** POSTs `total` bytes of JSON-ish filler with chunked transfer encoding (no Content-Length); resolves with the status. */
function chunkedPost(path: string, total: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, srv.url), { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // The server may close the connection once it has answered: the upload being cut is expected.
    req.on('error', (e) => setTimeout(() => reject(e), 1000));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  srv = await testServer(['admin@hard.dev']);
  api = client(srv.url);
  admin = await api.user('admin@hard.dev');
});
afterAll(() => srv.stop());

describe('request bodies', () => {
  it('refuses a 100 MB JSON body with 413 before reading it, with or without Content-Length', async () => {
    const big = Buffer.alloc(100 * 1024 * 1024, 0x20);
    const t0 = Date.now();
    const r = await raw('/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe('too_large');
    expect(Date.now() - t0).toBeLessThan(20_000);
    // No Content-Length (chunked): the stream is cut once it runs over.
    for (const path of ['/v1/auth/login', '/v1/webhooks/stripe']) expect(await chunkedPost(path, 3 * 1024 * 1024), path).toBe(413);
  }, 60_000);

  it('stops even while a client stalls mid-body: the connection left is cut after the grace period', async () => {
    const box = await testServer([]);
    const socket = connect(box.port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    // Declares 1000 bytes, sends one, then says nothing: a dropped upload.
    socket.write('POST /v1/auth/login HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{');
    const cut = new Promise<void>((r) => socket.once('close', () => r()));
    await box.stop();
    await cut;
    expect(socket.destroyed).toBe(true);
  }, 30_000);

  it('still takes a normal body', async () => {
    const r = await api.call('POST', '/v1/auth/login', { json: { email: 'nobody@hard.dev', password: 'wrong password here' } });
    expect(r.status).toBe(401);
  });
});

describe('parameters', () => {
  it('answers 400 naming the field for a malformed id on every route with a path parameter, never 500', async () => {
    const { routes } = createApp(srv.marketplace);
    const bad: string[] = [];
    let checked = 0;
    for (const r of routes.filter((x) => x.path.includes('{'))) {
      for (const value of ['not-an-id', '0', '-1', '99999999999999999999', '1e3', '%ZZ']) {
        const path = r.path.replace(/\{\w+\}/g, value);
        const res = await raw(path, {
          method: r.method.toUpperCase(),
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
          ...(r.method === 'post' ? { body: '{}' } : {}),
        });
        checked++;
        const body = (await res.json()) as { error?: { code: string; field?: string } };
        if (res.status !== 400 || !body.error?.field) bad.push(`${r.method} ${path}: ${res.status} ${JSON.stringify(body)}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(bad).toEqual([]);
  }, 120_000);

  it('refuses query values beyond what the database holds, a malformed percent-encoding, and an image sent as text', async () => {
    const r = await api.call('GET', '/v1/search?minPrice=99999999999');
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('minPrice');
    for (const p of ['/%ZZ', '/v1/%ZZ/x', '/v1/search?q=%ZZ']) expect((await raw(p)).status, p).toBeLessThan(500);
    const creator = await api.user('img-text@hard.dev');
    await api.grant(admin.token, creator.id, { creatorTier: true });
    const form = new FormData();
    form.set('card', JSON.stringify({ asset_type: 'item', name: 'Text image', description: 'an image field that is text' }));
    form.set('image', 'this is not an image');
    const s = await api.call('POST', '/v1/submissions', { token: creator.token, form });
    expect(s.status).toBe(400);
    expect(s.body.error.field).toBe('image');
  });

  it('refuses text holding the NUL character (PostgreSQL cannot store it) with 400 naming the field', async () => {
    // Found by the fuzz test: GET /v1/creators?q=%00 reached the database and answered 500.
    for (const path of ['/v1/creators?q=%00', '/v1/search?q=a%00b']) {
      const r = await api.call('GET', path);
      expect(r.status, path).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_text', field: 'q' });
    }
    const login = await api.call('POST', '/v1/auth/login', { json: { email: 'nul\u0000@hard.dev', password: 'a password here' } });
    expect(login.status).toBe(400);
    expect(login.body.error.field).toBe('email');
    const creator = await api.user('nul-card@hard.dev');
    await api.grant(admin.token, creator.id, { creatorTier: true });
    const form = new FormData();
    form.set('card', JSON.stringify({ asset_type: 'item', name: 'Nul', description: 'before\u0000after', tags: ['ok'] }));
    form.set('image', new Blob([new Uint8Array(await artwork(1))], { type: 'image/png' }), 'a.png');
    const s = await api.call('POST', '/v1/submissions', { token: creator.token, form });
    expect(s.status).toBe(400);
    expect(s.body.error).toMatchObject({ code: 'invalid_text', field: 'card.description' });
  });
});

describe('client address and sign-in lockout', () => {
  it('takes the address the trusted proxy appended, never the client-supplied first entry', () => {
    expect(clientAddress('10.0.0.9', '6.6.6.6', 0)).toBe('10.0.0.9');
    expect(clientAddress('10.0.0.9', '6.6.6.6, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.9', '6.6.6.6, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.9', undefined, 1)).toBe('10.0.0.9');
  });

  it('counts a spoofed X-Forwarded-For against the real address, locks per account and address, and sends Retry-After', async () => {
    const limits = {
      auth: { perAccount: { max: 3, windowSeconds: 600 }, perIp: { max: 6, windowSeconds: 600 } },
      submissions: { perAccount: { max: 20, windowSeconds: 3600 }, perIp: { max: 200, windowSeconds: 3600 } },
      reports: { perAccount: { max: 20, windowSeconds: 3600 }, perIp: { max: 100, windowSeconds: 3600 } },
    };
    // No proxy configured: a rotating spoofed header changes nothing.
    const direct = await testServer([], { rateLimits: limits });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await fetch(new URL('/v1/auth/login', direct.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
          body: JSON.stringify({ email: `spoof${i}@hard.dev`, password: 'wrong password here' }),
        });
        statuses.push(r.status);
        if (r.status === 429) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses.slice(0, 6).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(6)).toEqual([429, 429]);
    } finally {
      await direct.stop();
    }
    // Behind one proxy: the entry it appended is the address; an attacker elsewhere cannot lock the owner out.
    const proxied = await testServer([], { rateLimits: limits, trustProxyHops: 1 });
    try {
      const pc = client(proxied.url);
      await pc.user('owner@hard.dev');
      const login = (from: string, password: string, spoof = '6.6.6.6') =>
        fetch(new URL('/v1/auth/login', proxied.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `${spoof}, ${from}` },
          body: JSON.stringify({ email: 'owner@hard.dev', password }),
        });
      const attacker: number[] = [];
      for (let i = 0; i < 5; i++) attacker.push((await login('203.0.113.66', 'guess guess guess', `6.6.6.${i}`)).status);
      expect(attacker).toEqual([401, 401, 401, 429, 429]);
      const locked = await login('203.0.113.66', 'a long enough password');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login('192.0.2.10', 'a long enough password')).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  }, 240_000);
});

describe('passwords and the first admin', () => {
  it('hashes with scrypt N=2^17 and upgrades an older hash at the next sign-in', async () => {
    const u = await api.user('rehash@hard.dev');
    const row = async () =>
      (await srv.marketplace.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [u.id])).rows[0]
        ?.password_hash as string;
    expect(await row()).toMatch(/^scrypt\$131072\$8\$1\$/);
    const salt = randomBytes(16);
    const old = scryptSync('a long enough password', salt, 32, { N: 16384, r: 8, p: 1 });
    await setPasswordHash(srv.marketplace.db, u.id, `scrypt$16384$8$1$${salt.toString('base64')}$${old.toString('base64')}`);
    expect((await api.call('POST', '/v1/auth/login', { json: { email: 'rehash@hard.dev', password: 'wrong password here' } })).status).toBe(
      401,
    );
    expect(await row()).toMatch(/^scrypt\$16384\$/);
    expect(
      (await api.call('POST', '/v1/auth/login', { json: { email: 'rehash@hard.dev', password: 'a long enough password' } })).status,
    ).toBe(200);
    expect(await row()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(
      (await api.call('POST', '/v1/auth/login', { json: { email: 'rehash@hard.dev', password: 'a long enough password' } })).status,
    ).toBe(200);
  }, 120_000);

  it('grants no role by e-mail address; the one-time token makes the first admin once', async () => {
    const fresh = await testServer([]);
    try {
      expect(fresh.bootstrapToken).toMatch(/^[\w-]{20,}$/);
      const fc = client(fresh.url);
      const a = await fc.user('admin@test.dev');
      expect((await fc.call('GET', '/v1/me', { token: a.token })).body.roles).toEqual(['buyer', 'creator']);
      const wrong = await fc.call('POST', '/v1/admin/bootstrap', { token: a.token, json: { token: 'x'.repeat(32) } });
      expect([wrong.status, wrong.body.error.code]).toEqual([403, 'invalid_bootstrap_token']);
      const ok = await fc.call('POST', '/v1/admin/bootstrap', { token: a.token, json: { token: fresh.bootstrapToken } });
      expect(ok.status).toBe(200);
      expect(ok.body.roles).toEqual(['buyer', 'creator', 'moderator', 'admin']);
      const b = await fc.user('second@test.dev');
      const again = await fc.call('POST', '/v1/admin/bootstrap', { token: b.token, json: { token: fresh.bootstrapToken } });
      expect([again.status, again.body.error.code]).toEqual([409, 'already_bootstrapped']);
      const log = (await fc.call('GET', '/v1/admin/audit-log', { token: a.token })).body as { action: string }[];
      expect(log.some((e) => e.action === 'admin_bootstrapped')).toBe(true);
    } finally {
      await fresh.stop();
    }
    // The one-box studio's option: its first account is the admin, and no token is issued.
    const box = await testServer([], { firstUserAdmin: true });
    try {
      expect(box.bootstrapToken).toBeNull();
      const bc = client(box.url);
      const first = await bc.user('me@box.dev');
      const second = await bc.user('you@box.dev');
      expect((await bc.call('GET', '/v1/me', { token: first.token })).body.roles).toContain('admin');
      expect((await bc.call('GET', '/v1/me', { token: second.token })).body.roles).toEqual(['buyer', 'creator']);
    } finally {
      await box.stop();
    }
  }, 240_000);
});

describe('the OpenAPI document', () => {
  it('passes a real OpenAPI 3.1 validator, with shared components and no dangling references', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const res = await new Validator().validate(doc);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    const text = JSON.stringify(doc);
    expect(text).not.toContain('"$schema"');
    expect(text).not.toContain('#/$defs/');
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      expect(doc.components.schemas[ref as string], ref).toBeDefined();
    expect(doc.components.schemas.Error.properties.error.properties.details).toBeDefined();
    expect(Object.keys(doc.paths['/v1/admin/audit-log'].get.responses['200'].content)).toEqual(['application/json', 'text/csv']);
  });
});

describe('restarts', () => {
  it('expires a purchase a crash left pending without a checkout, keeps the processor port, and keeps verifying records of a rotated key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mp-restart-'));
    const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const keyA = pem();
    const first = await startServer({ dataDir, serve, provenanceKeyPem: keyA });
    let assetId = '';
    let processorPort = 0;
    let buyerId = '';
    try {
      processorPort = first.processor?.port ?? 0;
      const c = client(first.url);
      const u = await c.user('root@restart.dev');
      await c.call('POST', '/v1/admin/bootstrap', { token: u.token, json: { token: first.bootstrapToken } });
      const maker = await c.user('maker@restart.dev');
      await c.grant(u.token, maker.id, { creatorTier: true });
      const s = await c.call('POST', '/v1/submissions', {
        token: maker.token,
        form: c.form({ asset_type: 'item', name: 'Before the rotation', description: 'signed with key A' }, await artwork(901)),
      });
      assetId = s.body.assetId;
      await c.approve(u.token, assetId);
      buyerId = (await c.user('buyer@restart.dev')).id;
      // What a crash between recording a top-up and the processor's answer leaves behind.
      await strandedTopUp(first.marketplace.db, buyerId, 1000);
    } finally {
      await first.stop();
    }
    const second = await startServer({ dataDir, serve, provenanceKeyPem: pem() });
    try {
      expect(second.processor?.port).toBe(processorPort);
      const left = await second.marketplace.db.query<{ status: string }>('SELECT status FROM purchases WHERE buyer_id = $1', [buyerId]);
      expect(left.rows.map((r) => r.status)).toEqual(['expired']);
      const c = client(second.url);
      const keys = (await c.call('GET', '/v1/provenance/keys')).body.keys as {
        keyId: string;
        spkiBase64: string;
        validFrom: string;
        validUntil: string | null;
      }[];
      expect(keys).toHaveLength(2);
      expect(keys[0]?.validUntil).not.toBeNull();
      expect(keys[1]?.validUntil).toBeNull();
      const proof = (await c.call('GET', `/v1/assets/${assetId}/provenance`)).body;
      expect(proof.record.record.keyId).toBe(keys[0]?.keyId);
      expect(await verifyProof(proof, keys)).toEqual({ ok: true });
      // A record dated after key A was retired does not verify with it (a leaked old key cannot sign new records).
      const { ProvenanceSigner } = await import('../../server/provenance.ts');
      const late = new ProvenanceSigner(keyA).sign({ ...proof.record.record, publishedAt: new Date(Date.now() + 60_000).toISOString() });
      expect(await verifyProof({ ...proof, record: late }, keys)).toMatchObject({ ok: false, reason: expect.stringContaining('validity') });
    } finally {
      await second.stop();
    }
  }, 240_000);
});
