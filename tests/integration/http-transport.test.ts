import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(s.openUrl).toBe(`http://127.0.0.1:${s.port}/#token=${s.token}`);
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
});
