// @vitest-environment jsdom
/**
 * Submitting an asset the latest check calls a copy, or one never checked, is confirmed first: the
 * Submit step shows the verdict and asks (MARKETPLACE_POLICY.submitOnCopy, 'confirm' by default;
 * 'refuse' refuses), and offers the price and licenses before the first submission. The real panel
 * runs in jsdom against a stub bridge that records the submissions.
 */
import { act, createElement } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE_POLICY, submitStep } from '@shared/policy/marketplace.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const submitted: unknown[] = [];
(window as { originals?: unknown }).originals = {
  invoke: (method: string, input: unknown) => {
    if (method === 'market.submit') submitted.push(input);
    // Never submitted: no listing, nothing queued.
    if (method === 'market.track')
      return Promise.resolve({
        ok: true,
        value: { assetId: 'a1', remoteId: null, remote: null, remoteStatus: null, conflict: null, ops: [] },
      });
    return Promise.resolve({ ok: true, value: null });
  },
};

type Store = typeof import('../../renderer/src/state/store.ts').useStudio;
let useStudio: Store;
let PublishPanel: typeof import('../../renderer/src/components/market/PublishPanel.tsx').PublishPanel;
let root: Root;
let host: HTMLElement;

const check = (status: string) => ({
  status,
  reason: status === 'duplicate_self' ? '98% similar to your asset “Vesna”.' : 'Nothing close found.',
  action: '',
  layers: {},
  matches: [],
  metadataHash: 'x',
  policyVersion: 1,
  elapsedMs: 1,
});
const button = (name: string) => [...host.querySelectorAll('button')].find((b) => b.textContent === name);

beforeAll(async () => {
  ({ useStudio } = await import('../../renderer/src/state/store.ts'));
  ({ PublishPanel } = await import('../../renderer/src/components/market/PublishPanel.tsx'));
});

beforeEach(() => {
  submitted.length = 0;
  useStudio.setState({ account: { user: { id: 'u1', displayName: 'Ada' } } as never, dirty: false, checkError: null });
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

async function render() {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root.render(createElement(PublishPanel, { assetId: 'a1' })));
}

describe('the Submit step', () => {
  it('an asset the check calls a duplicate: shows the verdict and submits only once confirmed', async () => {
    useStudio.setState({ check: check('duplicate_self') as never });
    await render();
    await act(async () => button('Submit to marketplace')?.click());
    expect(submitted).toEqual([]);
    const dialog = host.querySelector('[role=alertdialog]');
    expect(dialog?.textContent).toContain('The latest check says:');
    expect(dialog?.querySelector('.badge')?.className).toContain('duplicate_self');
    expect(dialog?.textContent).toContain('98% similar to your asset “Vesna”.');
    await act(async () => button('Cancel')?.click());
    expect(host.querySelector('[role=alertdialog]')).toBeNull();
    expect(submitted).toEqual([]);

    await act(async () => button('Submit to marketplace')?.click());
    await act(async () => button('Submit anyway')?.click());
    expect(submitted).toEqual([{ assetId: 'a1' }]);
  });

  it('an asset never checked says so first', async () => {
    useStudio.setState({ check: null });
    await render();
    await act(async () => button('Submit to marketplace')?.click());
    expect(submitted).toEqual([]);
    expect(host.querySelector('[role=alertdialog]')?.textContent).toContain('This asset has not been checked yet.');
  });

  it('an original goes straight on, and the panel offers its price and licenses before the first submission', async () => {
    useStudio.setState({ check: check('approved') as never });
    await render();
    expect(host.querySelector('form[aria-label="Pricing"]')).not.toBeNull();
    expect(host.textContent).toContain('Set the price now if you like: the first submission takes it to the marketplace.');
    expect(host.querySelector('form[aria-label="New license offer"]')).not.toBeNull();
    await act(async () => button('Submit to marketplace')?.click());
    expect(host.querySelector('[role=alertdialog]')).toBeNull();
    expect(submitted).toEqual([{ assetId: 'a1' }]);
  });

  it('the policy: copies are confirmed by default, and a marketplace may refuse them instead', () => {
    expect(MARKETPLACE_POLICY.submitOnCopy.action).toBe('confirm');
    for (const s of ['duplicate_self', 'flagged_plagiarism', 'derivative_potential'])
      expect(submitStep({ status: s })).toEqual({ step: 'confirm', why: 'copy' });
    expect(submitStep({ status: 'approved' })).toEqual({ step: 'go', why: null });
    expect(submitStep(null)).toEqual({ step: 'confirm', why: 'unchecked' });
    expect(submitStep({ status: 'duplicate_self' }, { statuses: ['duplicate_self'], action: 'refuse' })).toEqual({
      step: 'refuse',
      why: 'copy',
    });
  });
});
