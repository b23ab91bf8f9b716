/**
 * Browser mode: the studio API served over HTTP on 127.0.0.1 to the same renderer in any browser.
 *
 * - binds to the loopback address only, on a random port;
 * - a per-launch secret token is required on every API request (Authorization: Bearer) and every
 *   image request (?t=), compared in constant time;
 * - the browser is launched with a one-time code in the URL, never the token (a command line is
 *   visible to every local user in `ps`): the page exchanges the code once (POST /session) for the
 *   token, which it keeps in its tab's sessionStorage; the code is then invalid, and expires unused;
 * - bodies over the limit are refused from Content-Length before anything is buffered (413, then
 *   the connection is closed cleanly); malformed percent-encoding is a 400;
 * - audio/video files arrive as a raw streamed POST to /upload/media (never base64 JSON), written
 *   to disk as they stream, within the media policy's size limit (413 from Content-Length before
 *   a byte is read, or as soon as a chunked body passes it; nothing is stored on any failure);
 *   their preview images (strip, poster, frames) are served from /files/media/ with the token;
 * - an API call or preview image whose request closes early is aborted: the media work it waited
 *   for stops once no other caller waits for it (FFmpeg killed, nothing cached);
 * - a marketplace version's audio/video file is streamed from /files/market-media/ with the token
 *   (the marketplace session stays in this process; one Range header is passed through);
 * - a purchase's saved files (card, license, image, audio/video) download from /files/purchases/
 *   with the token;
 * - the Host header must name this loopback address and port, and an Origin header, when sent,
 *   must be this origin (defeats DNS rebinding and cross-site requests); no CORS headers are sent;
 * - push events stream as Server-Sent Events from /push, opened with a one-time ticket that the
 *   page gets from POST /push/ticket with its token (push-sse.ts), never with the token in the URL;
 * - the renderer's files are served with a strict Content-Security-Policy.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { MEDIA_UPLOAD_PATH, MediaUploadQuery, parseMarketMediaPath, parseMediaImageUrl } from '../../shared/media-files.ts';
import { ApiError } from '../../shared/api.ts';
import { fromEngineError } from '../../shared/errors.ts';
import { parsePurchaseFilePath } from '../../shared/purchase-delivery.ts';
import { type Handlers, dispatch } from './handlers.ts';
import type { ImageStore } from './services/images.ts';
import { proxyMarketMedia } from './services/market-media.ts';
import type { StudioMedia } from './services/media.ts';
import { OneTimeSecrets, sameSecret } from './one-time.ts';
import type { PushEmitter } from './push.ts';
import { PUSH_STREAM_PATH, PUSH_TICKET_PATH, PushStreams } from './push-sse.ts';

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

export const MAX_BODY = 80 * 1024 * 1024;
/** How long a one-time code in a launch URL stays valid if it is never used. */
export const CODE_TTL_MS = 10 * 60_000;

export interface BrowserModeOptions {
  handlers: Handlers;
  images: ImageStore;
  /** The audio/video service: streamed uploads and preview images. */
  media: StudioMedia;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  port?: number;
  host?: '127.0.0.1';
  /** Fixed token (tests); a random one is generated otherwise. */
  token?: string;
  /** The studio's push events, streamed to the page from /push (absent: no push routes). */
  push?: PushEmitter;
}

export interface BrowserModeServer {
  url: string;
  /** URL with a one-time code in the fragment: open this in a browser (the code works once). */
  openUrl: string;
  /** A fresh one-time URL (the first may have been used or have expired). */
  newOpenUrl(): string;
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

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tooLarge = () => new HttpError(413, 'too_large', `the request body is over the ${MAX_BODY / 1024 / 1024} MiB limit`);

/**
 * Reads a body of at most MAX_BODY bytes. A declared Content-Length over the limit is refused
 * before anything is read; a body that grows past it (chunked) is refused when it does.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
      else if (chunks.length) {
        chunks.length = 0;
        reject(tooLarge());
      }
    });
    req.on('end', () => (size > MAX_BODY ? reject(tooLarge()) : resolvePromise(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/**
 * Answers 413 at once and closes the connection after the reply. What is left of the body is read
 * and thrown away, so the client finishes sending and reads the reply instead of a reset; a client
 * that sends more than 4 × the limit is cut off.
 */
function refuseAndClose(req: IncomingMessage, res: ServerResponse, e: HttpError): void {
  send(res, e.status, { error: { code: e.code, message: e.message } }, { connection: 'close' });
  let discarded = 0;
  req.on('data', (c: Buffer) => {
    discarded += c.length;
    if (discarded > 4 * MAX_BODY) req.destroy();
  });
  req.resume();
}

function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new HttpError(400, 'bad_path', 'the path has malformed percent-encoding');
  }
}

export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserModeServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const host = opts.host ?? '127.0.0.1';
  let port = 0;
  const staticRoot = resolve(opts.staticDir);

  const codes = new OneTimeSecrets(CODE_TTL_MS);
  const issueCode = () => codes.issue();
  const redeem = (code: string) => codes.redeem(code);
  const streams = opts.push ? new PushStreams(opts.push) : null;
  const bearer = (req: IncomingMessage) => {
    const auth = req.headers.authorization ?? '';
    return auth.startsWith('Bearer ') && sameSecret(auth.slice(7), token);
  };

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
      const pathname = decodePath(url.pathname);

      if (pathname === '/session') {
        // The launch URL's one-time code, exchanged once for the session token.
        if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed', message: 'use POST' } }, { allow: 'POST' });
        if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
          return send(res, 415, { error: { code: 'unsupported_media_type', message: 'send application/json' } });
        const body = await readBody(req);
        let code: unknown;
        try {
          code = (JSON.parse(body.toString('utf8')) as { code?: unknown }).code;
        } catch {
          return send(res, 400, { error: { code: 'malformed_json', message: 'the request body is not valid JSON' } });
        }
        if (typeof code !== 'string' || !redeem(code))
          return send(res, 401, {
            error: {
              code: 'bad_code',
              message:
                'this link was already used or has expired: open the newest link the studio printed (press Enter where it runs for a new one)',
            },
          });
        return send(res, 200, { token });
      }

      if (streams && pathname === PUSH_TICKET_PATH) {
        if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed', message: 'use POST' } }, { allow: 'POST' });
        if (!bearer(req)) return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        return send(res, 200, { ticket: streams.ticket() });
      }

      if (streams && pathname === PUSH_STREAM_PATH) {
        if (req.method !== 'GET') return send(res, 405, 'GET only');
        if (!streams.redeem(url.searchParams.get('ticket') ?? ''))
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing, used or expired push ticket' } });
        if (!streams.open(req, res))
          return send(res, 503, { error: { code: 'too_many_streams', message: 'too many push streams are open' } });
        return;
      }

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
          if (err instanceof HttpError) throw err;
          return send(res, 400, { error: { code: 'malformed_json', message: (err as Error).message } });
        }
        // A request closed early (page closed or reloaded, fetch aborted) aborts the call: its media
        // work (waveform, check fingerprint, probe) stops once no other caller waits for it.
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        const r = await dispatch(opts.handlers, pathname.slice(5), input, { signal: gone.signal });
        if (res.destroyed) return;
        if (r.ok) return send(res, 200, { value: r.value });
        // 401 from this API means one thing: the studio does not know this page's session token
        // (the page shows "Not connected" until it gets a new link). A method refused because the
        // *marketplace* account is signed out, or its password is wrong, is answered 403 with its
        // own code and message, so the page stays connected and shows them.
        return send(res, r.status === 401 ? 403 : r.status, { error: r.error });
      }

      if (pathname === MEDIA_UPLOAD_PATH) {
        if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed', message: 'use POST' } }, { allow: 'POST' });
        const auth = req.headers.authorization ?? '';
        if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7), token))
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        const q = MediaUploadQuery.safeParse({ name: url.searchParams.get('name') ?? '' });
        if (!q.success)
          return send(res, 400, { error: { code: 'invalid_input', message: 'name: the file name is required', field: 'name' } });
        const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
        const max = opts.media.store.limits.maxBytes;
        if (declared !== undefined && declared > max)
          throw new HttpError(
            413,
            'file_too_large',
            `${q.data.name}: audio and video files are limited to ${Math.round(max / 1024 / 1024)} MB`,
          );
        // A page that goes away (closed, or the upload aborted) stops the import: nothing is stored.
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        try {
          return send(res, 200, { value: await opts.media.ingest(req, q.data.name, { declaredBytes: declared, signal: gone.signal }) });
        } catch (err) {
          if (err instanceof ApiError && err.status === 413) throw new HttpError(413, err.code, err.message);
          if (err instanceof ApiError) return send(res, err.status, { error: err.toBody() }, req.complete ? {} : { connection: 'close' });
          throw err;
        }
      }

      if (url.pathname.startsWith('/files/media/')) {
        if (req.method !== 'GET') return send(res, 405, 'GET only');
        if (!sameSecret(url.searchParams.get('t') ?? '', token))
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        // `c=`: the view asking (media.cancel with its token stops this image too).
        const r = parseMediaImageUrl(url);
        if (!r) return send(res, 404, 'not found');
        // An image the page no longer waits for (scrolled away, page closed) stops its FFmpeg once no one else waits for it.
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        try {
          const { path } = await opts.media.imageFile(r, gone.signal);
          return send(res, 200, readFileSync(path), {
            'content-type': 'image/webp',
            'cache-control': 'private, max-age=31536000, immutable',
          });
        } catch (thrown) {
          // Engine errors too (a preview cancelled by its view's media.cancel is a 503, not a 500).
          const err = fromEngineError(thrown);
          if (res.destroyed) return;
          if (err instanceof ApiError) return send(res, err.status, { error: err.toBody() });
          throw err;
        }
      }

      if (url.pathname.startsWith('/files/market-media/')) {
        if (req.method !== 'GET') return send(res, 405, 'GET only');
        if (!sameSecret(url.searchParams.get('t') ?? '', token))
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        const r = parseMarketMediaPath(url.pathname);
        if (!r) return send(res, 404, 'not found');
        const src = await dispatch(opts.handlers, 'market.mediaSource', r, { internal: true });
        if (!src.ok) return send(res, src.status, { error: src.error });
        const gone = new AbortController();
        res.once('close', () => gone.abort());
        const up = await proxyMarketMedia(src.value as { url: string; authorization: string | null }, req.headers.range, gone.signal);
        res.writeHead(up.status, { 'referrer-policy': 'no-referrer', ...Object.fromEntries(up.headers) });
        if (!up.body) return res.end();
        await pipeline(Readable.fromWeb(up.body as import('node:stream/web').ReadableStream<Uint8Array>), res).catch(() => undefined);
        return;
      }

      if (url.pathname.startsWith('/files/purchases/')) {
        // A purchase's saved files (card, license, image, audio/video), as a download.
        if (req.method !== 'GET') return send(res, 405, 'GET only');
        if (!sameSecret(url.searchParams.get('t') ?? '', token))
          return send(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
        const r = parsePurchaseFilePath(url.pathname);
        if (!r) return send(res, 404, 'not found');
        const f = await dispatch(opts.handlers, 'market.purchaseFile', r, { internal: true });
        if (!f.ok) return send(res, f.status, { error: f.error });
        const { path, contentType } = f.value as { path: string; contentType: string };
        res.writeHead(200, {
          'content-type': contentType,
          'content-length': String(statSync(path).size),
          'content-disposition': `attachment; filename="${r.name}"`,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        });
        await pipeline(createReadStream(path), res).catch(() => undefined);
        return;
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
      const rel = normalize(pathname).replace(/^([/\\])+/, '');
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
      if (err instanceof HttpError) {
        if (res.headersSent) return;
        return err.status === 413
          ? refuseAndClose(req, res, err)
          : send(res, err.status, { error: { code: err.code, message: err.message } });
      }
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
    openUrl: `${url}#code=${issueCode()}`,
    newOpenUrl: () => `${url}#code=${issueCode()}`,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((ok) => {
        streams?.close();
        server.close(() => ok());
      }),
  };
}
