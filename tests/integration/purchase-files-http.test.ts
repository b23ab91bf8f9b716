/**
 * Browser mode serves a purchase's saved files as downloads from /files/purchases/<id>/<name>: only
 * with the session token, only the file names the studio saves (never delivery.json or a path out
 * of the folder), and the internal method behind it is not callable from the page.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStudio, runBrowserMode } from '../../electron/main/browser-mode.ts';

let s: RunningStudio;
const id = '3f2c8a4e-1b7d-4c55-9a0e-7d1f2b3c4d5e';
const root = mkdtempSync(join(tmpdir(), 'bm-purchases-'));

beforeAll(async () => {
  const staticDir = join(root, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  mkdirSync(join(root, 'data', 'purchases', id), { recursive: true });
  writeFileSync(join(root, 'data', 'purchases', id, 'license.txt'), 'Royalty-free license — Bell (version 1)\n');
  writeFileSync(join(root, 'data', 'purchases', id, 'delivery.json'), '{}');
  s = await runBrowserMode({ dataDir: join(root, 'data'), staticDir });
});
afterAll(() => s.stop());

const get = (path: string) => fetch(new URL(path, `http://127.0.0.1:${s.port}`));

describe('purchase files in browser mode', () => {
  it('downloads a saved file with the session token only', async () => {
    expect((await get(`/files/purchases/${id}/license.txt`)).status).toBe(401);
    expect((await get(`/files/purchases/${id}/license.txt?t=wrong`)).status).toBe(401);
    const ok = await get(`/files/purchases/${id}/license.txt?t=${encodeURIComponent(s.token)}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(ok.headers.get('content-disposition')).toBe('attachment; filename="license.txt"');
    expect(await ok.text()).toBe('Royalty-free license — Bell (version 1)\n');
  });

  it('serves only the names it saves, from the purchase’s own folder', async () => {
    const t = `?t=${encodeURIComponent(s.token)}`;
    expect((await get(`/files/purchases/${id}/delivery.json${t}`)).status).toBe(404);
    expect((await get(`/files/purchases/${id}/card.json${t}`)).status).toBe(404); // not saved
    expect((await get(`/files/purchases/${id}/..%2F..%2Flibrary.sqlite${t}`)).status).toBe(404);
    expect((await get(`/files/purchases/not-a-uuid/license.txt${t}`)).status).toBe(404);
    const internal = await fetch(new URL('/api/market.purchaseFile', `http://127.0.0.1:${s.port}`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
      body: JSON.stringify({ purchaseId: id, name: 'license.txt' }),
    });
    expect(internal.status).toBe(404);
  });
});
