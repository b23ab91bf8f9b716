// @vitest-environment jsdom
/**
 * Signing in from an asset's Marketplace tab returns to that tab: the Account screen remembers where
 * the creator came from, offers the way back, and goes there once signed in; the editor opens on
 * the tab the link names. The real screens run in jsdom against a stub bridge.
 */
import { act, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let signedIn = false;
const USER = { id: 'u1', email: 'a@b.c', displayName: 'Ada', roles: ['creator'], creatorTier: true, verified: false, reputation: 1 };
(window as { originals?: unknown }).originals = {
  invoke: (method: string) => {
    if (method === 'account.signIn') signedIn = true;
    const value =
      method === 'account.status'
        ? { url: 'http://local', local: true, online: true, user: signedIn ? USER : null, tokenProtection: 'test' }
        : method === 'settings.get'
          ? { marketplaceUrl: null }
          : null;
    return Promise.resolve({ ok: true, value });
  },
};

type Store = typeof import('../../renderer/src/state/store.ts').useStudio;
let useStudio: Store;
let root: Root;
let host: HTMLElement;

beforeAll(async () => {
  ({ useStudio } = await import('../../renderer/src/state/store.ts'));
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

async function render(component: () => unknown) {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root.render(createElement(component as never)));
}

const setValue = (el: HTMLInputElement, v: string) => {
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, v);
  el.dispatchEvent(new Event('input', { bubbles: true }));
};

/** Opens the Account screen's sign-in tab and types the stub account's email and password. */
async function fillSignInForm() {
  const tab = [...host.querySelectorAll('[role=tab]')].find((b) => b.textContent === 'I have an account') as HTMLElement;
  await act(async () => tab.click());
  const input = (label: string) => {
    const l = [...host.querySelectorAll('label')].find((x) => x.textContent === label);
    return document.getElementById(l?.htmlFor ?? '') as HTMLInputElement;
  };
  await act(async () => {
    setValue(input('Email'), 'a@b.c');
    setValue(input('Password'), 'secret-password');
  });
}

describe('signing in from an asset’s Marketplace tab', () => {
  it('offers the way back, and returns to the Marketplace tab once signed in', async () => {
    const { AccountView } = await import('../../renderer/src/components/market/AccountView.tsx');
    const back = { name: 'editor' as const, id: 'a1', tab: 'market' as const };
    useStudio.setState({ view: { name: 'account', back } });
    await render(AccountView);
    await act(async () => new Promise((r) => setTimeout(r, 10)));
    expect([...host.querySelectorAll('button')].some((b) => b.textContent === '← Back to the asset')).toBe(true);

    await fillSignInForm();
    const form = host.querySelector('form') as HTMLFormElement;
    await act(async () => form.requestSubmit());
    await act(async () => new Promise((r) => setTimeout(r, 10)));
    expect(signedIn).toBe(true);
    expect(useStudio.getState().view).toEqual(back);
  });

  it('a "Signed out" still showing from the last account goes once the next sign-in succeeds', async () => {
    const { AccountView } = await import('../../renderer/src/components/market/AccountView.tsx');
    signedIn = false;
    useStudio.setState({ view: { name: 'account' }, toasts: [] });
    useStudio.getState().toast('Signed out');
    useStudio.getState().toast('Price saved');
    await render(AccountView);
    await act(async () => new Promise((r) => setTimeout(r, 10)));
    await fillSignInForm();
    expect(useStudio.getState().toasts.map((t) => t.text)).toEqual(['Signed out', 'Price saved']);
    await act(async () => (host.querySelector('form') as HTMLFormElement).requestSubmit());
    await act(async () => new Promise((r) => setTimeout(r, 10)));
    expect(signedIn).toBe(true);
    expect(useStudio.getState().toasts.map((t) => t.text)).toEqual(['Price saved']);
  });

  it('the editor opens on the tab the link names', async () => {
    const { Editor } = await import('../../renderer/src/components/Editor.tsx');
    const card = { asset_type: 'character', name: 'Ada', description: '', tags: [] };
    useStudio.setState({
      view: { name: 'editor', id: 'a1', tab: 'market' },
      current: { id: 'a1', rev: 1, card, imageSha: null } as never,
      draft: card as never,
    });
    await render(Editor);
    expect(host.querySelector('[role=tab][aria-selected=true]')?.textContent).toBe('Marketplace');
  });
});
