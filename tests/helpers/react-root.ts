/**
 * A React root in jsdom for renderer tests: each test gets a fresh host element in the document
 * and a root on it, unmounted and removed after the test. `dom.root` may be replaced inside a test
 * (unmount, then createRoot(dom.host) again) to mount a tree from scratch.
 */
import { type ReactNode, act } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

export interface ReactDom {
  host: HTMLElement;
  root: Root;
  /** Renders `el` into the root and waits for its effects. */
  render(el: ReactNode): Promise<void>;
}

export function reactRoot(): ReactDom {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const dom = {
    render: (el: ReactNode) => act(async () => dom.root.render(el)),
  } as ReactDom;
  beforeEach(() => {
    dom.host = document.createElement('div');
    document.body.append(dom.host);
    dom.root = createRoot(dom.host);
  });
  afterEach(async () => {
    await act(async () => dom.root.unmount());
    dom.host.remove();
  });
  return dom;
}
