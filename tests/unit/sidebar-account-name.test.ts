// @vitest-environment jsdom
/**
 * The sidebar's account item: a long display name stays on one line and ends in an ellipsis (the
 * studio's own stylesheet, applied in jsdom: the styles that keep it inside the sidebar, as jsdom
 * lays nothing out), with the full name in the item's title; the button's accessible name is still "Account · <name>".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountStatus } from '@shared/api.ts';
import { Sidebar } from '../../renderer/src/components/Sidebar.tsx';
import { useStudio } from '../../renderer/src/state/store.ts';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();
const LONG = 'Marguerite-Anastasia Vandenberghe-Oyelaran, Principal Illustrator of the Salt Marsh Guild';

const account = (displayName: string): AccountStatus => ({
  url: null,
  local: true,
  server: null,
  online: true,
  lastError: null,
  tokenProtection: 'os',
  user: {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'marguerite@example.com',
    displayName,
    roles: ['creator'],
    creatorTier: false,
    verified: true,
    sellingBanned: false,
    reputation: 0,
  },
});

const style = document.createElement('style');
beforeAll(() => {
  style.textContent = readFileSync(join(import.meta.dirname, '../../renderer/src/styles.css'), 'utf8');
  document.head.append(style);
});
afterAll(() => {
  style.remove();
  useStudio.setState({ account: null });
});

const accountButton = () =>
  [...dom.host.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent?.startsWith('Account')) as HTMLButtonElement;

describe('the sidebar account item (jsdom)', () => {
  it('a long name is one line ending in an ellipsis, the full name in its title', async () => {
    useStudio.setState({ account: account(LONG) });
    await dom.render(createElement(Sidebar));
    const button = accountButton();
    expect(button.textContent).toBe(`Account · ${LONG}`);
    expect(button.title).toBe(LONG);

    const label = button.querySelector('.nav-label') as HTMLElement;
    expect(label.textContent).toBe(`Account · ${LONG}`);
    const cs = getComputedStyle(label);
    expect([cs.whiteSpace, cs.overflow, cs.textOverflow, parseFloat(cs.minWidth)]).toEqual(['nowrap', 'hidden', 'ellipsis', 0]);
    // The button lets its label shrink below the label's text width (a flex row with min-width 0).
    const bs = getComputedStyle(button);
    expect([bs.display, parseFloat(bs.minWidth)]).toEqual(['flex', 0]);
  });

  it('signed out, the item says "Sign in" with no title', async () => {
    useStudio.setState({ account: { ...account(LONG), user: null } });
    await dom.render(createElement(Sidebar));
    const signIn = [...dom.host.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent === 'Sign in');
    expect(signIn).toBeDefined();
    expect(signIn?.hasAttribute('title')).toBe(false);
  });
});
