// @vitest-environment jsdom
/**
 * Signing up: the whole form is checked at once with the marketplace's own schema — every field's
 * problem next to it, in plain words (aria-invalid, aria-describedby), nothing sent — so it never
 * takes one try per field; a studio refusal with several fields is shown the same way.
 */
import { act, createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { reactRoot } from '../helpers/react-root.ts';

const calls: string[] = [];
let refuse: unknown = null;
(window as { originals?: unknown }).originals = {
  invoke: (method: string) => {
    calls.push(method);
    if (method === 'account.signUp' && refuse) return Promise.resolve({ ok: false, error: refuse });
    const value =
      method === 'account.status'
        ? { url: 'http://local', local: true, online: true, user: null, tokenProtection: 'test' }
        : method === 'settings.get'
          ? { marketplaceUrl: null }
          : null;
    return Promise.resolve({ ok: true, value });
  },
};
const { AccountView } = await import('../../renderer/src/components/market/AccountView.tsx');

const dom = reactRoot();
const input = (label: string) => {
  const l = [...dom.host.querySelectorAll('label')].find((x) => x.textContent === label);
  return document.getElementById(l?.htmlFor ?? '') as HTMLInputElement;
};
const setValue = (el: HTMLInputElement, v: string) =>
  act(async () => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(el, v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
const submit = async () => {
  await act(async () => (dom.host.querySelector('form') as HTMLFormElement).requestSubmit());
  await act(async () => new Promise((r) => setTimeout(r, 10)));
};
const described = (el: HTMLInputElement) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent;

describe('sign-up errors', () => {
  it('every field at once, next to it, in plain words; nothing is sent', async () => {
    await dom.render(createElement(AccountView));
    await act(async () => new Promise((r) => setTimeout(r, 10)));
    await setValue(input('Email'), 'frog');
    await setValue(input('Password'), 'short');
    await submit();
    expect(calls).not.toContain('account.signUp');
    for (const [label, message] of [
      ['Display name', 'Display name is required'],
      ['Email', 'Email must be an email address, like name@example.com'],
      ['Password', 'Password must be at least 10 characters'],
    ] as const) {
      expect(input(label).getAttribute('aria-invalid')).toBe('true');
      expect(described(input(label))).toBe(message);
    }
    expect(dom.host.textContent).not.toMatch(/displayName|Too small/);
  });

  it('a refusal from the studio naming several fields is shown next to each', async () => {
    refuse = {
      code: 'invalid_input',
      message: 'email: Invalid email address',
      field: 'email',
      details: {
        issues: [
          { field: 'email', message: 'Email is already taken' },
          { field: 'displayName', message: 'Display name can be at most 80 characters' },
        ],
      },
    };
    await dom.render(createElement(AccountView));
    await act(async () => new Promise((r) => setTimeout(r, 10)));
    await setValue(input('Display name'), 'Ada');
    await setValue(input('Email'), 'ada@example.com');
    await setValue(input('Password'), 'long enough password');
    await submit();
    expect(calls).toContain('account.signUp');
    expect(described(input('Email'))).toBe('Email is already taken');
    expect(described(input('Display name'))).toBe('Display name can be at most 80 characters');
  });
});
