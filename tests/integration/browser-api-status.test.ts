/**
 * Browser mode's API answers 401 only when it does not know the page's session token — the one
 * status the page reads as "Not connected". A studio method refused because the marketplace account
 * is signed out (its own 401) is answered 403 with its code and message: in a newcomer's
 * walkthrough, the signed-out Marketplace screen's purchases call (and a wrong marketplace
 * password) replaced the whole studio with "Not connected", and the screen remounted and called
 * again, about 15 times a second.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../electron/main/handlers.ts';
import { type BrowserModeServer, startBrowserMode } from '../../electron/main/http.ts';
import type { Connected } from '../../electron/main/services/connected.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { openConnectedStudio } from '../helpers/connected-studio.ts';

let studio: Studio;
let connected: Connected;
let bm: BrowserModeServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-api-status-'));
  let handlers: Handlers;
  ({ studio, connected, handlers } = await openConnectedStudio(dir));
  const staticDir = mkdtempSync(join(tmpdir(), 'static-'));
  bm = await startBrowserMode({ handlers, images: studio.images, media: studio.media, staticDir });
}, 60_000);

afterAll(async () => {
  await bm.close();
  await connected.close();
  await studio.close();
});

async function post(
  method: string,
  token: string,
  input: unknown = {},
): Promise<{ status: number; body: { value?: unknown; error?: { code: string; message: string } } }> {
  const res = await fetch(new URL(`/api/${method}`, bm.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe('browser-mode API statuses', () => {
  it('answers a method refused for a signed-out marketplace account 403, with its code and message', async () => {
    // A marketplace is set (nothing listens there: the call is refused before it is sent).
    expect((await post('settings.set', bm.token, { marketplaceUrl: 'http://127.0.0.1:9' })).status).toBe(200);
    const r = await post('market.purchases', bm.token);
    expect(r.status).toBe(403);
    expect(r.body.error).toEqual({ code: 'signed_out', message: 'sign in to the marketplace first' });
  });

  it('keeps 401 for a wrong session token, and answers the same page normally with the right one', async () => {
    const wrong = await post('market.purchases', 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.code).toBe('unauthorized');
    const ok = await post('account.status', bm.token);
    expect(ok.status).toBe(200);
    expect(ok.body.value).toMatchObject({ user: null });
  });
});
