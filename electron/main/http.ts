/**
 * Browser mode: the studio API served over HTTP on 127.0.0.1 to the same renderer in any browser.
 *
 * - binds to the loopback address only, on a random port;
 * - a per-launch secret token is required on every API request (Authorization: Bearer) and every
 *   image request (?t=), compared in constant time;
 * - the Host header must name this loopback address and port, and an Origin header, when sent,
 *   must be this origin (defeats DNS rebinding and cross-site requests); no CORS headers are sent;
 * - the renderer's files are served with a strict Content-Security-Policy.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { type Handlers, dispatch } from './handlers.ts';
import type { ImageStore } from './services/images.ts';

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const MAX_BODY = 80 * 1024 * 1024;

export interface BrowserModeOptions {
  handlers: Handlers;
  images: ImageStore;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  port?: number;
  host?: '127.0.0.1';
  /** Fixed token (tests); a random one is generated otherwise. */
  token?: string;
}

export interface BrowserModeServer {
  url: string;
  /** URL with the token in the fragment: open this in a browser. */
  openUrl: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' || Buffer.isBuffer(body) ? 'text/plain; charset=utf-8' : 'application/json',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(data);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserModeServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  let port = 0;
  const staticRoot = resolve(opts.staticDir);

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer(async (req, res) => {
    try {
      // DNS-rebinding and cross-origin defences come first, for every path.
      if (!allowedHosts().has(req.headers.host ?? ''))
        return send(res, 403, { error: { code: 'bad_host', message: 'requests must be addressed to the studio on 127.0.0.1' } });
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().has(origin))
        return send(res, 403, { error: { code: 'bad_origin', message: 'cross-origin requests are not allowed' } });
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);

      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed', message: 'use POST' } }, { allow: 'POST' });
        const auth = req.headers.authorization ?? '';
        if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7), token)) {
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        }
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          return send(res, 415, { error: { code: 'unsupported_media_type', message: 'send application/json' } });
        }
        let input: unknown;
        try {
          const body = await readBody(req);
          input = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch (err) {
          const status = (err as { status?: number }).status ?? 400;
          return send(res, status, { error: { code: status === 413 ? 'too_large' : 'malformed_json', message: (err as Error).message } });
        }
        const r = await dispatch(opts.handlers, decodeURIComponent(url.pathname.slice(5)), input);
        return r.ok ? send(res, 200, { value: r.value }) : send(res, r.status, { error: r.error });
      }

      if (url.pathname.startsWith('/files/image/')) {
        if (req.method !== 'GET') return send(res, 405, 'GET only');
        if (!sameSecret(url.searchParams.get('t') ?? '', token))
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        const m = /^\/files\/image\/([0-9a-f]{64})(\.thumb)?\.webp$/.exec(url.pathname);
        if (!m) return send(res, 404, 'not found');
        const path = opts.images.path(m[1] as string, Boolean(m[2]));
        if (!existsSync(path)) return send(res, 404, 'not found');
        return send(res, 200, readFileSync(path), {
          'content-type': 'image/webp',
          'cache-control': 'private, max-age=31536000, immutable',
        });
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only');
      // Static renderer files; unknown paths fall back to index.html (client-side routes).
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
      let file = resolve(staticRoot, rel);
      if (!file.startsWith(staticRoot + sep) && file !== staticRoot) return send(res, 403, 'forbidden');
      if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticRoot, 'index.html');
      if (!existsSync(file)) return send(res, 503, 'the studio UI is not built yet: run `npm run build`');
      const type = MIME[extname(file)] ?? 'application/octet-stream';
      const headers: Record<string, string> = {
        'content-type': type,
        'cache-control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=300',
      };
      if (type.startsWith('text/html')) {
        headers['content-security-policy'] = CSP;
        headers['x-frame-options'] = 'DENY';
      }
      return send(res, 200, readFileSync(file), headers);
    } catch (err) {
      console.error('[browser-mode] request failed:', err);
      if (!res.headersSent) send(res, 500, { error: { code: 'internal', message: 'internal error' } });
    }
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    token,
    port,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
