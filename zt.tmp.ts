import { serve } from '@hono/node-server';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './server/server.ts';
const s = await startServer({ dataDir: mkdtempSync(join(tmpdir(), 'x-')), inMemory: true, serve, firstUserAdmin: true });
const tries: [string, RequestInit][] = [
  ['v1/me/payouts', { method: 'POST', headers: { authorization: 'Bearer \u00ff not a token', 'content-type': 'multipart/form-data; boundary=x' }, body: 'abc' }],
  ['v1/moderation/items/%00/decision', { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '12345678901' }],
  ['v1/me/purchases', { method: 'GET' }],
  ['v1/purchases/' + 'a'.repeat(300), { method: 'GET', headers: { 'content-type': 'application/json; charset=latin1' } }],
  ['v1/me/purchases', { method: 'GET' }],
  ['v1/me/purchases', { method: 'GET', headers: { 'x-forwarded-for': '::1, 10.0.0.1', 'idempotency-key': 'k'.repeat(300) } }],
  ['v1/me/purchases', { method: 'GET' }],
  ['v1/assets/%/image', { method: 'GET' }],
  ['v1/me/purchases', { method: 'GET' }],
];
for (const [p, init] of tries) {
  try {
    const r = await fetch(s.url + p, init);
    console.log(p.slice(0, 40), r.status, r.headers.get('connection'), (await r.text()).slice(0, 100));
  } catch (e) { console.log(p.slice(0, 40), 'ERR', String((e as {cause?: unknown}).cause)); }
}
await s.stop();
