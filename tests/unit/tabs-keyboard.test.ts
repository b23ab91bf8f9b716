// @vitest-environment jsdom
/**
 * The renderer's small accessibility pieces in a real React tree (jsdom): the Tabs component's
 * WAI-ARIA keyboard behaviour (arrows wrap and skip disabled tabs, Home/End, roving tabindex,
 * aria-controls naming the one tabpanel labelled by the selected tab); a field's error shown only
 * after touch, submit or a tried save; identical toasts not stacked; plural forms; capitalised messages.
 */
import { act, createElement, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { TabPanel, Tabs, nextTab } from '../../renderer/src/components/Tabs.tsx';
import { ShowFieldErrors, TextInput, errorShown } from '../../renderer/src/components/fields.tsx';
import { plural, sentence, withStop } from '../../renderer/src/words.ts';
import { useStudio } from '../../renderer/src/state/store.ts';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();

const TABS = [
  { id: 'a', label: 'Alpha' },
  { id: 'b', label: 'Beta', disabled: true },
  { id: 'c', label: 'Gamma' },
  { id: 'd', label: 'Delta' },
] as const;
type Id = (typeof TABS)[number]['id'];

function Demo() {
  const [v, setV] = useState<Id>('a');
  return createElement(
    'div',
    null,
    createElement(Tabs<Id>, { label: 'Demo', idBase: 'demo', tabs: TABS, value: v, onChange: setV }),
    createElement(TabPanel, { idBase: 'demo', value: v, children: `content ${v}` }),
  );
}

const tabs = () => [...dom.host.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
const selected = () => tabs().find((t) => t.getAttribute('aria-selected') === 'true');
async function press(key: string) {
  const el = document.activeElement as HTMLElement;
  await act(async () => void el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true })));
}

describe('Tabs (WAI-ARIA tabs pattern)', () => {
  it('nextTab wraps, skips disabled tabs and knows Home/End', () => {
    expect(nextTab(TABS, 'a', 'ArrowRight')).toBe('c');
    expect(nextTab(TABS, 'd', 'ArrowRight')).toBe('a');
    expect(nextTab(TABS, 'a', 'ArrowLeft')).toBe('d');
    expect(nextTab(TABS, 'c', 'ArrowLeft')).toBe('a');
    expect(nextTab(TABS, 'c', 'Home')).toBe('a');
    expect(nextTab(TABS, 'a', 'End')).toBe('d');
    expect(nextTab(TABS, 'a', 'Enter')).toBeNull();
    expect(nextTab([{ id: 'x', label: 'X', disabled: true }], 'x', 'ArrowRight')).toBeNull();
  });

  it('arrow keys, Home and End move focus and selection; only the selected tab is in the Tab order', async () => {
    await act(async () => dom.root.render(createElement(Demo)));
    expect(dom.host.querySelector('[role="tablist"]')?.getAttribute('aria-label')).toBe('Demo');
    expect(tabs().map((t) => t.tabIndex)).toEqual([0, -1, -1, -1]);
    tabs()[0]?.focus();
    await press('ArrowRight');
    expect(selected()?.textContent).toBe('Gamma');
    expect(document.activeElement).toBe(selected());
    expect(tabs().map((t) => t.tabIndex)).toEqual([-1, -1, 0, -1]);
    expect(dom.host.querySelector('[role="tabpanel"]')?.textContent).toBe('content c');
    await press('End');
    expect(selected()?.textContent).toBe('Delta');
    expect(document.activeElement).toBe(selected());
    await press('ArrowRight');
    expect(selected()?.textContent).toBe('Alpha');
    await press('ArrowLeft');
    expect(selected()?.textContent).toBe('Delta');
    await press('Home');
    expect(selected()?.textContent).toBe('Alpha');
    expect(document.activeElement).toBe(selected());
    // Other keys are left alone (Tab moves on to the panel as usual).
    await press('x');
    expect(selected()?.textContent).toBe('Alpha');
  });

  it('every tab controls the one panel, which is labelled by the selected tab and focusable', async () => {
    await act(async () => dom.root.render(createElement(Demo)));
    const panel = dom.host.querySelector<HTMLElement>('[role="tabpanel"]');
    expect(panel?.id).toBe('demo-panel');
    expect(tabs().every((t) => t.getAttribute('aria-controls') === 'demo-panel')).toBe(true);
    expect(panel?.getAttribute('aria-labelledby')).toBe(selected()?.id);
    expect(panel?.tabIndex).toBe(0);
    await act(async () => tabs()[3]?.click());
    expect(panel?.getAttribute('aria-labelledby')).toBe('demo-tab-d');
    expect(tabs()[1]?.disabled).toBe(true);
  });
});

describe('field errors wait for a touch', () => {
  it('errorShown: content shows it at once, an empty field only once touched or tried', () => {
    expect(errorShown('Name is required', { empty: true, touched: false, tried: false })).toBe(false);
    expect(errorShown('Name is required', { empty: true, touched: true, tried: false })).toBe(true);
    expect(errorShown('Name is required', { empty: true, touched: false, tried: true })).toBe(true);
    expect(errorShown('Too short', { empty: false, touched: false, tried: false })).toBe(true);
    expect(errorShown(undefined, { empty: false, touched: true, tried: true })).toBe(false);
  });

  it('an untouched empty field is not red; leaving it, submitting its form or a tried save makes it so', async () => {
    const field = (tried: boolean) =>
      createElement(
        ShowFieldErrors.Provider,
        { value: tried },
        createElement('form', null, createElement(TextInput, { label: 'Name', value: '', onChange: () => {}, error: 'Name is required' })),
      );
    await act(async () => dom.root.render(field(false)));
    const input = () => dom.host.querySelector('input') as HTMLInputElement;
    expect(dom.host.querySelector('.has-error')).toBeNull();
    expect(input().getAttribute('aria-invalid')).toBe('false');
    await act(async () => {
      input().focus();
      input().blur();
    });
    expect(dom.host.querySelector('.field-error')?.textContent).toBe('Name is required');
    expect(input().getAttribute('aria-invalid')).toBe('true');

    await act(async () => dom.root.unmount());
    dom.root = createRoot(dom.host);
    await act(async () => dom.root.render(field(false)));
    expect(dom.host.querySelector('.has-error')).toBeNull();
    await act(async () => void dom.host.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    expect(dom.host.querySelector('.has-error')).not.toBeNull();

    await act(async () => dom.root.unmount());
    dom.root = createRoot(dom.host);
    await act(async () => dom.root.render(field(true)));
    expect(dom.host.querySelector('.has-error')).not.toBeNull();
  });
});

describe('toasts and counts', () => {
  it('the same message already showing is not stacked again; a different one is', () => {
    useStudio.setState({ toasts: [] });
    useStudio.getState().toast('Signed out');
    useStudio.getState().toast('Signed out');
    expect(useStudio.getState().toasts.map((t) => t.text)).toEqual(['Signed out']);
    useStudio.getState().toast('Signed out', 'error');
    useStudio.getState().toast('Synced');
    expect(useStudio.getState().toasts.map((t) => `${t.kind}:${t.text}`)).toEqual(['info:Signed out', 'error:Signed out', 'info:Synced']);
    useStudio.setState({ toasts: [] });
  });

  it('messages start with a capital, names keep their case', () => {
    expect(sentence('the studio process is not reachable')).toBe('The studio process is not reachable');
    expect(sentence('price: enter dollars')).toBe('Price: enter dollars');
    expect(sentence('corrupt.png: not a readable image')).toBe('corrupt.png: not a readable image');
    expect(sentence('priceCents: must be whole cents')).toBe('priceCents: must be whole cents');
    expect(sentence('Already fine')).toBe('Already fine');
    expect(sentence('')).toBe('');
    // A reason followed by another sentence ends with its stop, once.
    expect(withStop('Uses the same image file as “Brannoc”')).toBe('Uses the same image file as “Brannoc”.');
    expect(withStop('Already a sentence. ')).toBe('Already a sentence.');
    expect(withStop('Really?')).toBe('Really?');
  });

  it('plural forms', () => {
    expect([0, 1, 2].map((n) => plural(n, 'asset'))).toEqual(['0 assets', '1 asset', '2 assets']);
    expect(plural(1, 'match', 'matches')).toBe('1 match');
    expect(plural(3, 'match', 'matches')).toBe('3 matches');
  });
});
