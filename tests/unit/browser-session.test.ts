// @vitest-environment jsdom
/**
 * Browser mode without a session: the app says it is not connected (and how to connect) instead of
 * showing an empty library with a "missing or wrong session token" toast; a fresh launch link
 * opened in the same tab (only the URL fragment changes, so the page does not reload) connects it
 * and the library loads, and its push stream opens at once. The real App runs in jsdom against a
 * stub of the studio's HTTP routes.
 */
import { act, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TOKEN = 'session-token';
const codes = new Set(['fresh-code']);
const calls: string[] = [];
let tickets = 0;
const VALUES: Record<string, unknown> = {
  'app.info': { version: 'test', mode: 'browser', dataDir: '/tmp/x', creatorId: 'c1', counts: {} },
  'library.list': [],
  'drafts.list': [],
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
  const path = String(url);
  if (path === '/session') {
    const { code } = JSON.parse(String(init?.body)) as { code: string };
    if (!codes.delete(code)) return json(401, { error: { code: 'bad_code', message: 'this link was already used or has expired' } });
    return json(200, { token: TOKEN });
  }
  const auth = new Headers(init?.headers).get('authorization');
  if (auth !== `Bearer ${TOKEN}`) return json(401, { error: { code: 'unauthorized', message: 'missing or wrong session token' } });
  if (path === '/push/ticket') {
    tickets++;
    return json(200, { ticket: 'ticket' });
  }
  const method = path.replace(/^\/api\//, '');
  calls.push(method);
  return json(200, { value: VALUES[method] ?? null });
});
vi.stubGlobal(
  'ResizeObserver',
  class {
    observe() {}
    unobserve() {}
    disconnect() {}
  },
);
vi.stubGlobal(
  'EventSource',
  class {
    close() {}
  },
);

let root: Root;
let host: HTMLElement;
const settle = () => act(async () => new Promise((r) => setTimeout(r, 50)));

beforeAll(async () => {
  sessionStorage.clear();
  const { App } = await import('../../renderer/src/App.tsx');
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root.render(createElement(App)));
  await settle();
});

afterAll(async () => {
  await act(async () => root.unmount());
  vi.unstubAllGlobals();
});

describe('browser mode without a session', () => {
  it('says it is not connected and how to connect, not that the library is empty', async () => {
    const { useStudio } = await import('../../renderer/src/state/store.ts');
    expect(host.querySelector('h1')?.textContent).toBe('Not connected');
    expect(host.textContent).toContain('Open the link printed in the terminal');
    expect(host.textContent).toContain('restart the studio');
    expect(host.textContent).not.toContain('Your library is empty');
    expect(host.textContent).not.toMatch(/session token/i);
    expect(useStudio.getState().items).toEqual([]);
  });

  it('a spent link says why', async () => {
    await act(async () => {
      window.location.hash = '#code=spent-code';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await settle();
    expect(host.querySelector('h1')?.textContent).toBe('Not connected');
    expect(host.textContent).toContain('This link was already used or has expired');
  });

  it('a fresh link opened in the same tab connects it: the library loads, and the code leaves the address bar', async () => {
    calls.length = 0;
    await act(async () => {
      window.location.hash = '#code=fresh-code';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await settle();
    expect(host.querySelector('h1')?.textContent).not.toBe('Not connected');
    expect(calls).toContain('library.list');
    expect(host.textContent).toContain('Create your first character');
    expect(window.location.hash).toBe('');
    expect(sessionStorage.getItem('originals.token')).toBe(TOKEN);
    // The push stream opens at once with the new session, not after the back-off it reached while disconnected.
    expect(tickets).toBe(1);
  });
});
