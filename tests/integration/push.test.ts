/**
 * The push channel end to end in browser mode: the emitter validates every event against the push
 * contract, the Server-Sent Events stream refuses a missing or wrong token or ticket, and real
 * studio changes — an asset submitted through the outbox, a review decision pulled by the
 * background sync, a checkout paid on the marketplace — reach a stream subscriber without it
 * asking for anything.
 */
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushEvent, PushPayload, PushType } from '../../shared/contracts/studio/push.ts';
import { type Handlers, dispatch } from '../../electron/main/handlers.ts';
import { type BrowserModeServer, startBrowserMode } from '../../electron/main/http.ts';
import { OneTimeSecrets } from '../../electron/main/one-time.ts';
import { PushEmitter } from '../../electron/main/push.ts';
import type { Connected } from '../../electron/main/services/connected.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { moneyWorld, uniqueCard } from '../helpers/money.ts';
import { openConnectedStudio } from '../helpers/connected-studio.ts';

type World = Awaited<ReturnType<typeof moneyWorld>>;
let world: World;
let studio: Studio;
let connected: Connected;
let handlers: Handlers;
let bm: BrowserModeServer;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call<T = any>(method: string, input: unknown = {}): Promise<T> {
  const r = await dispatch(handlers, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  world = await moneyWorld();
  const dir = mkdtempSync(join(tmpdir(), 'studio-push-'));
  // The backend's own background sync; the subscriber below never asks.
  ({ studio, connected, handlers } = await openConnectedStudio(dir, { syncIntervalMs: 1000 }));
  const staticDir = mkdtempSync(join(tmpdir(), 'static-'));
  bm = await startBrowserMode({ handlers, images: studio.images, media: studio.media, push: studio.push, staticDir });
}, 60_000);

afterAll(async () => {
  // Closing must end open event streams, or server.close() would wait for them forever.
  await bm.close();
  await connected.close();
  await studio.close();
  await world.stop();
});

function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bm.port, method, path, headers: { host: `127.0.0.1:${bm.port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function ticket(token = bm.token): Promise<string> {
  const r = await raw('POST', '/push/ticket', { authorization: `Bearer ${token}` });
  expect(r.status).toBe(200);
  return JSON.parse(r.body).ticket as string;
}

interface Stream {
  events: PushEvent[];
  ids: number[];
  next<T extends PushType>(type: T, pred?: (p: PushPayload<T>) => boolean, timeoutMs?: number): Promise<PushPayload<T>>;
  close(): void;
}

/** An event-stream reader, as a browser's EventSource reads /push (one `data:` line per event). */
function openStream(t: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const events: PushEvent[] = [];
    const ids: number[] = [];
    const waiters = new Set<() => void>();
    const req = request(
      { host: '127.0.0.1', port: bm.port, path: `/push?ticket=${t}`, headers: { host: `127.0.0.1:${bm.port}` } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          let at: number;
          while ((at = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, at);
            buf = buf.slice(at + 2);
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) ids.push(Number(line.slice(4)));
              if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as PushEvent);
            }
            for (const w of waiters) w();
          }
        });
        resolve({
          events,
          ids,
          next<T extends PushType>(type: T, pred: (p: PushPayload<T>) => boolean = () => true, timeoutMs = 20_000) {
            type P = PushPayload<T>;
            return new Promise<P>((ok, fail) => {
              let seen = 0;
              const look = () => {
                for (; seen < events.length; seen++) {
                  const e = events[seen] as PushEvent;
                  if (e.type === type && pred(e.payload as P)) {
                    waiters.delete(look);
                    clearTimeout(timer);
                    return ok(e.payload as P);
                  }
                }
              };
              const timer = setTimeout(() => {
                waiters.delete(look);
                fail(new Error(`no ${type} event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`));
              }, timeoutMs);
              waiters.add(look);
              look();
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the push emitter', () => {
  it('delivers events that match the contract and drops those that do not', () => {
    const push = new PushEmitter();
    const got: PushEvent[] = [];
    const off = push.subscribe((e) => got.push(e));
    expect(push.emit('models.progress', { download: { active: true, file: 'clip/model.onnx', received: 10, total: 100 } })).toBe(true);
    // A payload that breaks the contract never reaches a transport.
    expect(push.emit('models.progress', { download: { active: 'yes' } } as never)).toBe(false);
    expect(push.emit('no.such.event' as never, {} as never)).toBe(false);
    expect(got).toEqual([
      { type: 'models.progress', payload: { download: { active: true, file: 'clip/model.onnx', received: 10, total: 100 } } },
    ]);
    // State events are sent when they change, not on every publication.
    const unread = (n: number) => ({ unread: n, notifications: [] });
    expect(push.emitIfChanged('notifications.changed', unread(1))).toBe(true);
    expect(push.emitIfChanged('notifications.changed', unread(1))).toBe(false);
    expect(push.emitIfChanged('notifications.changed', unread(2))).toBe(true);
    expect(got.map((e) => e.type)).toEqual(['models.progress', 'notifications.changed', 'notifications.changed']);
    off();
    push.emit('notifications.changed', unread(3));
    expect(got).toHaveLength(3);
  });

  it('one-time secrets work once and not after they expire', () => {
    const live = new OneTimeSecrets(60_000);
    const t = live.issue();
    expect(live.redeem(`${t}x`)).toBe(false);
    expect(live.redeem(t)).toBe(true);
    expect(live.redeem(t)).toBe(false);
    const expired = new OneTimeSecrets(0);
    expect(expired.redeem(expired.issue())).toBe(false);
  });
});

describe('the browser-mode event stream', () => {
  it('refuses a ticket request without the session token or with a wrong one, and a stream without a valid ticket', async () => {
    expect((await raw('POST', '/push/ticket')).status).toBe(401);
    expect((await raw('POST', '/push/ticket', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await raw('POST', '/push/ticket', { authorization: `Bearer ${bm.token}x` })).status).toBe(401);
    expect((await raw('GET', '/push/ticket', { authorization: `Bearer ${bm.token}` })).status).toBe(405);
    expect((await raw('GET', '/push')).status).toBe(401);
    expect((await raw('GET', '/push?ticket=')).status).toBe(401);
    expect((await raw('GET', `/push?ticket=${bm.token}`)).status).toBe(401); // the token is not a ticket
    expect((await raw('GET', `/push?ticket=${await ticket()}`, { host: `evil.example:${bm.port}` })).status).toBe(403);
    // A ticket opens one stream, once.
    const t = await ticket();
    const s = await openStream(t);
    expect((await raw('GET', `/push?ticket=${t}`)).status).toBe(401);
    s.close();
  });

  it('streams validated events, numbered, and never one that breaks the contract', async () => {
    const s = await openStream(await ticket());
    studio.push.emit('models.progress', { download: { active: 'no' } } as never);
    studio.push.emit('models.progress', { download: { active: false, done: ['clip-vit-b32/model.onnx'] } });
    const p = await s.next('models.progress');
    expect(p).toEqual({ download: { active: false, done: ['clip-vit-b32/model.onnx'] } });
    expect(s.events.filter((e) => e.type === 'models.progress')).toHaveLength(1);
    expect(s.ids.length).toBe(s.events.length);
    expect([...s.ids].sort((a, b) => a - b)).toEqual(s.ids);
    s.close();
  });

  it('pushes sync and tracking changes: a submission through the outbox, then the review decision from the background sync', async () => {
    const s = await openStream(await ticket());
    await call('settings.set', { marketplaceUrl: world.srv.url });
    const account = await s.next('account.status', (a) => a.url === world.srv.url.replace(/\/?$/, '/') && a.user === null);
    expect(account.local).toBe(false);
    const st = await call('account.signUp', { email: 'pusher@money.dev', password: 'a long enough password', displayName: 'Pusher' });
    await s.next('account.status', (a) => a.user?.email === 'pusher@money.dev' && a.online);
    await world.api.grant(world.admin.token, st.user.id, { creatorTier: true });

    const a = await call('assets.create', { card: uniqueCard('Pushed Lantern', 4242) });
    const op = await call('market.submit', { assetId: a.id });
    // The outbox operation, then its delivery, reach the subscriber as sync status and tracking.
    const sent = await s.next('sync.status', (x) => x.outbox.some((o) => o.id === op.id && o.state === 'done'));
    expect(sent.outbox.find((o) => o.id === op.id)?.kind).toBe('submit');
    const queued = await s.next('market.tracking', (t) => t.assetId === a.id && t.remoteStatus === 'in_review');
    expect(queued.remoteId).toBeTruthy();

    // The moderator approves on the marketplace; the studio's background sync pulls it and pushes it.
    await world.api.approve(world.mod.token, queued.remoteId as string);
    const published = await s.next('market.tracking', (t) => t.assetId === a.id && t.remoteStatus === 'published');
    expect(published.remote?.status).toBe('published');
    s.close();
  }, 60_000);

  it('pushes a checkout started in the studio once the buyer has paid on the marketplace', async () => {
    const maker = await world.creator('pushmaker');
    const listing = await world.publish(maker, { model: 'one_time', priceCents: 499 });
    const s = await openStream(await ticket());
    const pending = await call('market.buy', { remoteId: listing });
    expect(pending.status).toBe('pending');
    expect(connected.sync.purchases.watching).toContain(pending.id);
    await world.pay(pending);
    const { purchase } = await s.next('market.purchaseSettled', (x) => x.purchase.id === pending.id);
    expect(purchase.status).toBe('paid');
    expect(connected.sync.purchases.watching).not.toContain(pending.id);
    s.close();
  }, 60_000);
});

describe('model download progress', () => {
  it('pushes the start, the bytes as they arrive and the end of a download', async () => {
    const weights = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 31) % 251));
    const files = createServer((req, res) => {
      res.writeHead(200, { 'content-length': weights.length });
      // In slices, so the download reports progress more than once.
      let at = 0;
      const more = () => {
        if (at >= weights.length) return void res.end();
        res.write(weights.subarray(at, (at += 256 * 1024)));
        setTimeout(more, 60);
      };
      more();
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'studio-models-'));
    const st = await Studio.open({
      dataDir: dir,
      mode: 'browser',
      version: 'test',
      modelsManifest: {
        version: 1,
        urlTemplate: `${base}/{repo}/{revision}/{path}`,
        models: [
          {
            id: 'm',
            repo: 'org/m',
            revision: 'abc123',
            license: 'MIT',
            files: [{ path: 'onnx/weights.onnx', bytes: weights.length, sha256: createHash('sha256').update(weights).digest('hex') }],
          },
        ],
      },
    });
    try {
      const got: PushEvent[] = [];
      const ended = new Promise<void>((ok) =>
        st.push.subscribe((e) => {
          got.push(e);
          if (e.type === 'models.progress' && !e.payload.download.active) ok();
        }),
      );
      const t0 = Date.now();
      expect(st.fetchModels()).toEqual({ started: true });
      await ended;
      const ms = Date.now() - t0;
      const downloads = got.flatMap((e) => (e.type === 'models.progress' ? [e.payload.download] : []));
      expect(downloads[0]).toEqual({ active: true });
      const during = downloads.filter((d) => d.active && d.file);
      expect(during.length).toBeGreaterThanOrEqual(1);
      // Byte counts are pushed at most every 250 ms (the first one for a file at once).
      expect(during.length).toBeLessThanOrEqual(1 + Math.ceil(ms / 250));
      const received = during.map((d) => d.received ?? 0);
      expect([...received].sort((a, b) => a - b)).toEqual(received);
      expect(during.every((d) => d.total === weights.length)).toBe(true);
      const last = downloads.at(-1);
      expect(last).toEqual({ active: false, done: ['org/m/onnx/weights.onnx'] });
      expect((await st.modelsStatus()).download).toEqual(last);
    } finally {
      await st.close();
      await new Promise<void>((r) => files.close(() => r()));
    }
  }, 60_000);
});
