import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStudio, runBrowserMode } from '../../electron/main/browser-mode.ts';
import { artwork } from '../helpers/images.ts';

let s: RunningStudio;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'bm-'));
  const staticDir = join(root, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  s = await runBrowserMode({ dataDir: join(root, 'data'), staticDir });
});
afterAll(() => s.stop());

/** Raw HTTP so Host and Origin can be set freely (fetch forbids changing Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, method, path, headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const host = () => `127.0.0.1:${s.port}`;
const api = (method: string, body: unknown, extra: Record<string, string> = {}) =>
  raw(
    'POST',
    `/api/${method}`,
    { host: host(), 'content-type': 'application/json', authorization: `Bearer ${s.token}`, ...extra },
    JSON.stringify(body),
  );

describe('browser-mode transport', () => {
  it('binds to loopback on a random port', () => {
    expect((s.server.address() as AddressInfo).address).toBe('127.0.0.1');
    expect(s.openUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${s.port}/#code=[\\w-]{43}$`));
    expect(s.openUrl).not.toContain(s.token);
    expect(s.token.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses API requests without the session token, or with a wrong one', async () => {
    expect((await raw('POST', '/api/app.info', { host: host(), 'content-type': 'application/json' }, '{}')).status).toBe(401);
    expect((await api('app.info', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await api('app.info', {}, { authorization: `Bearer ${s.token}x` })).status).toBe(401);
    const ok = await api('app.info', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).value).toMatchObject({ mode: 'browser', assetCount: 0 });
  });

  it('refuses other Host names (DNS rebinding) and foreign Origins, and sends no CORS headers', async () => {
    expect((await api('app.info', {}, { host: `evil.example:${s.port}` })).status).toBe(403);
    expect((await raw('GET', '/', { host: 'attacker.test' })).status).toBe(403);
    expect((await api('app.info', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('app.info', {}, { origin: `http://localhost:${s.port + 1}` })).status).toBe(403);
    const same = await api('app.info', {}, { origin: `http://127.0.0.1:${s.port}` });
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await raw('OPTIONS', '/api/app.info', {
      host: host(),
      origin: 'http://evil.example',
      'access-control-request-method': 'POST',
    });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the UI with a strict CSP, and images only with the token', async () => {
    const page = await raw('GET', '/', { host: host() });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await raw('GET', '/../../etc/passwd', { host: host() })).body).toContain('<title>studio</title>');
    const img = JSON.parse((await api('images.import', { name: 'a.png', data: (await artwork(5)).toString('base64') })).body).value as {
      sha: string;
    };
    expect((await raw('GET', `/files/image/${img.sha}.webp`, { host: host() })).status).toBe(401);
    const got = await raw('GET', `/files/image/${img.sha}.thumb.webp?t=${encodeURIComponent(s.token)}`, { host: host() });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/webp');
  });

  it('answers bad requests with a stable code and the offending field', async () => {
    expect(
      JSON.parse(
        (
          await raw(
            'POST',
            '/api/app.info',
            { host: host(), 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
            '{oops',
          )
        ).body,
      ).error.code,
    ).toBe('malformed_json');
    expect(
      (await raw('POST', '/api/app.info', { host: host(), 'content-type': 'text/plain', authorization: `Bearer ${s.token}` }, '{}')).status,
    ).toBe(415);
    expect((await raw('GET', '/api/app.info', { host: host(), authorization: `Bearer ${s.token}` })).status).toBe(405);
    const unknown = await api('nope.nothing', {});
    expect(unknown.status).toBe(404);
    const bad = await api('library.list', { sort: 'random' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'invalid_input', field: 'sort' });
  });

  it('launches with a one-time code, exchanged once for the session token, never the token itself', async () => {
    const code = /#code=(.+)$/.exec(s.newOpenUrl())?.[1] as string;
    const exchange = (c: string) =>
      raw('POST', '/session', { host: host(), 'content-type': 'application/json' }, JSON.stringify({ code: c }));
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ token: s.token });
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(JSON.parse(again.body).error.code).toBe('bad_code');
    expect((await exchange('made-up')).status).toBe(401);
    expect((await raw('POST', '/session', { host: 'evil.example', 'content-type': 'application/json' }, '{}')).status).toBe(403);
    expect((await raw('GET', '/session', { host: host() })).status).toBe(405);
  });

  it('answers malformed percent-encoding with 400, not 500', async () => {
    for (const path of ['/%ZZ', '/api/app.%E0%A4%A', '/files/image/%']) {
      const r = path.startsWith('/api/')
        ? await raw('POST', path, { host: host(), 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, '{}')
        : await raw('GET', path, { host: host() });
      expect([path, r.status]).toEqual([path, 400]);
      expect(JSON.parse(r.body).error.code).toBe('bad_path');
    }
  });

  it('refuses an 81 MB body with a 413 reply, read from Content-Length before buffering, and closes cleanly', async () => {
    const size = 81 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const r = await new Promise<{ status: number; connection: string | undefined; body: string; at: number }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: s.port,
          method: 'POST',
          path: '/api/app.info',
          headers: { host: host(), 'content-type': 'application/json', authorization: `Bearer ${s.token}`, 'content-length': size },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, at: sent }));
        },
      );
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(r.status).toBe(413);
    expect(r.connection).toBe('close');
    expect(JSON.parse(r.body).error.code).toBe('too_large');
    // The studio still answers afterwards.
    expect((await api('app.info', {})).status).toBe(200);
  });

  it('keeps its data folder owner-only (0700, files 0600)', () => {
    const dir = s.studio.opts.dataDir;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'library.sqlite')).mode & 0o777).toBe(0o600);
  });
});
