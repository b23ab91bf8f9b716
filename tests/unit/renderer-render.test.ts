// @vitest-environment jsdom
/**
 * Render counts of the real editor in a real React tree (jsdom): a toast, or a sync status pushed
 * into the market slice, re-renders the toasts and not the editor; an edit re-renders the editor (the counter works).
 */
import { Profiler, act, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import type { SyncStatusView } from '@shared/api.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Editor } from '../../renderer/src/components/Editor.tsx';
import { Toasts } from '../../renderer/src/components/Toasts.tsx';
import { blankCard } from '../../renderer/src/state/cards.ts';
import { useStudio } from '../../renderer/src/state/store.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLElement;
let editorCommits = 0;
let toastCommits = 0;

beforeEach(async () => {
  editorCommits = 0;
  toastCommits = 0;
  useStudio.setState({ view: { name: 'editor', id: null }, draft: blankCard('character', 1), dirty: true, toasts: [] });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () =>
    root.render(
      createElement(
        'div',
        null,
        createElement(Profiler, { id: 'editor', onRender: () => void editorCommits++ }, createElement(Editor)),
        createElement(Profiler, { id: 'toasts', onRender: () => void toastCommits++ }, createElement(Toasts)),
      ),
    ),
  );
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
  // Drop the draft so the check an edit scheduled finds nothing to check.
  useStudio.setState({ draft: null, toasts: [] });
});

describe('renderer state: selectors keep screens apart', () => {
  it('renders the editor with its character form', () => {
    expect(host.querySelector('h1')?.textContent).toBe('Untitled character 1');
    expect([...host.querySelectorAll('legend')].map((l) => l.textContent)).toEqual(['Basics', 'Image', 'Character']);
    expect(editorCommits).toBeGreaterThan(0);
  });

  it('a toast re-renders the toasts, not the editor', async () => {
    const before = editorCommits;
    const toastsBefore = toastCommits;
    await act(async () => useStudio.getState().toast('Saved “Ser Aldric” (revision 2)'));
    expect(host.querySelector('.toasts')?.textContent).toContain('Saved “Ser Aldric” (revision 2)');
    expect(toastCommits).toBeGreaterThan(toastsBefore);
    expect(editorCommits).toBe(before);
    await act(async () => useStudio.getState().dismiss(useStudio.getState().toasts[0]?.id ?? -1));
    expect(host.querySelector('.toasts')?.textContent).toBe('');
    expect(editorCommits).toBe(before);
  });

  it('a pushed sync status does not re-render the editor', async () => {
    const before = editorCommits;
    for (const unread of [1, 2]) {
      const sync = { unread, outbox: [], conflicts: [], lastPullAt: null, lastError: null, index: { count: unread, syncedAt: null } };
      await act(async () => useStudio.getState().receiveSync(sync as unknown as SyncStatusView));
    }
    expect(useStudio.getState().sync?.unread).toBe(2);
    expect(editorCommits).toBe(before);
  });

  it('an edit re-renders the editor (the counter counts)', async () => {
    const before = editorCommits;
    await act(async () => useStudio.getState().updateDraft({ name: 'Ser Aldric' }));
    expect(host.querySelector('h1')?.textContent).toBe('Ser Aldric');
    expect(editorCommits).toBeGreaterThan(before);
  });
});
