// @vitest-environment jsdom
/**
 * Toasts that are about one asset leave with it (jsdom, the real store and Toasts component, a fake
 * bridge for the backend): "Saved “Harbour at dawn”" goes the moment the user goes to the library or
 * to another asset, not 4 s later over someone else's work; coming back to the same asset keeps it,
 * and a toast about no screen in particular stays. Success toasts go after 4 s, errors after 8 s; the
 * same message said again is shown once and stays its full time from the second saying; a newer
 * save of the same asset replaces the older "Saved …", while an error about it stays.
 */
import { act, createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Studio } from '../../renderer/src/state/types.ts';
import { reactRoot } from '../helpers/react-root.ts';

const calls: string[] = [];
const detail = (id: string, name: string, rev: number) => ({
  id,
  name,
  rev,
  assetType: 'media',
  status: null,
  imageSha: null,
  updatedAt: '2026-11-23T17:00:00Z',
  createdAt: '2026-11-23T17:00:00Z',
  card: { asset_type: 'media', name, description: '', tags: [] },
});

// The backend as the preload bridge would answer it: a save makes asset "a1"; a check never finishes here.
(globalThis as { window: { originals?: unknown } }).window.originals = {
  invoke: (method: string, input: { card?: { name?: string } }) => {
    calls.push(method);
    if (method === 'check.run') return new Promise(() => {});
    if (method === 'assets.create') return Promise.resolve({ ok: true, value: detail('a1', input.card?.name ?? '', 1) });
    return Promise.resolve({ ok: true, value: [] });
  },
};

let store: { getState(): Studio; setState(p: Partial<Studio>): void };
let Toasts: () => unknown;
let blankCard: (typeof import('../../renderer/src/state/cards.ts'))['blankCard'];
beforeAll(async () => {
  ({ useStudio: store } = await import('../../renderer/src/state/store.ts'));
  ({ Toasts } = await import('../../renderer/src/components/Toasts.tsx'));
  ({ blankCard } = await import('../../renderer/src/state/cards.ts'));
});

const dom = reactRoot();
const shown = () => [...dom.host.querySelectorAll('.toast span')].map((s) => s.textContent);

afterEach(async () => {
  vi.useRealTimers();
  await act(async () => store.setState({ toasts: [], draft: null, current: null, view: { name: 'library' } }));
});

/** A new media asset, saved: the editor is on asset a1 with its "Saved …" toast showing. */
async function saveNewAsset() {
  await dom.render(createElement(Toasts as () => null));
  const draft = { ...blankCard('media', 1), name: 'Harbour at dawn' };
  await act(async () =>
    store.setState({ view: { name: 'editor', id: null }, draft, current: null, dirty: true, draftId: null, toasts: [] }),
  );
  await act(async () => void (await store.getState().save()));
  expect(calls).toContain('assets.create');
  expect(store.getState().view).toEqual({ name: 'editor', id: 'a1' });
  expect(shown()).toEqual(['Saved “Harbour at dawn” (revision 1)']);
}

describe('toasts about an asset', () => {
  it('go as soon as the user leaves the asset for the library; others stay', async () => {
    await saveNewAsset();
    await act(async () => store.getState().toast('Signed in as Ada'));
    // No time passes: leaving is what takes the saved toast away.
    await act(async () => store.getState().go({ name: 'library' }));
    expect(shown()).toEqual(['Signed in as Ada']);
  });

  it('stay while the user is on the same asset, and go when another asset opens', async () => {
    await saveNewAsset();
    await act(async () => store.setState({ view: { name: 'editor', id: 'a1' } }));
    expect(shown()).toEqual(['Saved “Harbour at dawn” (revision 1)']);
    await act(async () => store.setState({ view: { name: 'editor', id: null } }));
    expect(shown()).toEqual([]);
  });

  it('a success toast goes after 4 s, an error after 8 s, without any navigation', async () => {
    vi.useFakeTimers();
    await dom.render(createElement(Toasts as () => null));
    await act(async () => {
      store.getState().toast('Exported harbour.json');
      store.getState().toast('The studio process is not reachable', 'error');
    });
    await act(async () => void vi.advanceTimersByTime(4_000));
    expect(shown()).toEqual(['The studio process is not reachable']);
    await act(async () => void vi.advanceTimersByTime(4_000));
    expect(shown()).toEqual([]);
  });

  it('the same message said again is shown once and stays 4 s from the second time', async () => {
    vi.useFakeTimers();
    await dom.render(createElement(Toasts as () => null));
    await act(async () => store.getState().toast('Signed out'));
    await act(async () => void vi.advanceTimersByTime(3_000));
    await act(async () => store.getState().toast('Signed out'));
    expect(shown()).toEqual(['Signed out']);
    // The first one's time is up; the second saying keeps it on screen.
    await act(async () => void vi.advanceTimersByTime(2_000));
    expect(shown()).toEqual(['Signed out']);
    await act(async () => void vi.advanceTimersByTime(2_000));
    expect(shown()).toEqual([]);
  });

  it('a newer save of the same asset replaces the older saved toast; an error and other screens stay', async () => {
    await saveNewAsset();
    await act(async () => store.getState().toast('The image is too large', 'error', undefined, 'editor:a1'));
    await act(async () => store.getState().toast('Saved “Harbour at dusk” (revision 2)', 'info', undefined, 'editor:a1'));
    expect(shown()).toEqual(['The image is too large', 'Saved “Harbour at dusk” (revision 2)']);
    await act(async () => {
      store.getState().toast('Exported harbour.json');
      store.getState().toast('Saved “Harbour at night” (revision 3)', 'info', undefined, 'editor:a1');
    });
    expect(shown()).toEqual(['The image is too large', 'Exported harbour.json', 'Saved “Harbour at night” (revision 3)']);
  });
});
