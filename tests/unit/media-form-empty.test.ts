// @vitest-environment jsdom
/**
 * A new media asset before a file is chosen: no Format or Size fields prefilled with "webp" and 0
 * to edit — the form says the details come from the file; once a file is attached the file field
 * shows them (the form is gone). The real editor runs in jsdom.
 */
import { act, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Editor } from '../../renderer/src/components/Editor.tsx';
import { blankCard } from '../../renderer/src/state/cards.ts';
import { useStudio } from '../../renderer/src/state/store.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root;
let host: HTMLElement;
const labels = () => [...host.querySelectorAll('label')].map((l) => l.textContent);

beforeEach(async () => {
  useStudio.setState({ view: { name: 'editor', id: null }, draft: blankCard('media', 1), imageSha: null, dirty: true, draftId: null });
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root.render(createElement(Editor)));
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
  useStudio.setState({ draft: null });
});

describe('media editor before a file is chosen', () => {
  it('has no editable Format or Size, and says the details come from the file', () => {
    expect(labels()).not.toContain('Format');
    expect(labels()).not.toContain('Size (bytes)');
    expect(host.querySelector('input[value="webp"]')).toBeNull();
    const details = [...host.querySelectorAll('fieldset')].find((f) => f.querySelector('legend')?.textContent === 'Media details');
    expect(details?.textContent).toContain('kind, format and size come from the file');
    expect(details?.querySelectorAll('input, select')).toHaveLength(0);
  });

  it('with a file attached, the details fieldset goes (the file field shows them)', async () => {
    await act(async () =>
      useStudio.getState().updateDraft({ media: { type: 'video', format: 'mp4', size: 1234, sha256: 'a'.repeat(64) } }),
    );
    expect([...host.querySelectorAll('legend')].map((l) => l.textContent)).not.toContain('Media details');
  });
});
