// @vitest-environment jsdom
/**
 * The uniqueness panel in a real React tree (jsdom) from the store: while a new check runs, the
 * last verdict is marked as the previous result and greyed, never shown as the answer beside
 * "Checking…"; a match comes right under the verdict (before the layer list); and a result with
 * another verdict brings the panel back to its top, while a re-check with the same verdict leaves
 * the creator's scroll alone.
 */
import { act, createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult, LayerName, Match } from '../../shared/check.ts';
import { UniquenessPanel } from '../../renderer/src/components/UniquenessPanel.tsx';
import { blankCard } from '../../renderer/src/state/cards.ts';
import { type Studio, useStudio } from '../../renderer/src/state/store.ts';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();

const LAYERS: LayerName[] = ['exact', 'visual', 'local', 'media', 'passage', 'text', 'code', 'semantic_image', 'semantic_text'];
const result = (status: CheckResult['status'], matches: Match[] = []): CheckResult => ({
  status,
  reason: status === 'approved' ? 'No similar assets found' : 'A copy of its text',
  action: status === 'approved' ? 'Ready to submit' : 'Change it before you submit it',
  layers: Object.fromEntries(LAYERS.map((k) => [k, { state: 'ran' }])) as CheckResult['layers'],
  matches,
  metadataHash: 'h',
  policyVersion: 1,
  elapsedMs: 7,
});
const harbour: Match = {
  assetId: 'a1',
  creatorId: 'me',
  name: 'Harbour at dawn',
  assetType: 'location',
  imageSha: null,
  combined: 0.97,
  metadata: 0.97,
  visualScore: null,
  layers: { text: 0.97 },
  copySignals: ['copied text'],
  differences: { fields: ['name'], transform: [] },
};

const panel = () => dom.host.querySelector<HTMLElement>('aside.uniqueness');
const badge = () => dom.host.querySelector('.verdict .badge')?.textContent;
const note = () => dom.host.querySelector('.stale-note')?.textContent ?? null;
const set = (p: Partial<Studio>) => act(async () => useStudio.setState(p));

async function show(check: CheckResult | null, checking: boolean) {
  const draft = { ...blankCard('location', 1), name: 'Harbour at noon', description: 'A harbour town at noon.' };
  await set({ view: { name: 'editor', id: 'a2' }, draft, draftId: 'a2', dirty: false, check, checking, checkError: null });
  await dom.render(createElement(UniquenessPanel));
}

afterEach(() => set({ check: null, checking: false, draft: null, draftId: null }));

describe('uniqueness panel', () => {
  it('marks the last verdict as the previous result while a new check runs', async () => {
    await show(result('approved'), false);
    expect(badge()).toBe('Original');
    expect(note()).toBeNull();
    expect(dom.host.querySelector('.check-result.stale')).toBeNull();

    await set({ checking: true });
    expect(dom.host.querySelector('.spinner')?.textContent).toBe('Checking…');
    expect(note()).toBe('Previous result — out of date until this check finishes');
    // The old verdict is inside the greyed, out-of-date block, not standing as the answer.
    expect(dom.host.querySelector('.check-result.stale .verdict .badge')?.textContent).toBe('Original');

    await set({ check: result('duplicate_self', [harbour]), checking: false });
    expect(note()).toBeNull();
    expect(dom.host.querySelector('.check-result.stale')).toBeNull();
    expect(badge()).toBe('Duplicate of yours');
  });

  it('a first check of a card shows no previous result', async () => {
    await show(null, true);
    expect(dom.host.querySelector('.spinner')?.textContent).toBe('Checking…');
    expect(note()).toBeNull();
    expect(badge()).toBeUndefined();
  });

  it('puts the matches right under the verdict, before the layers', async () => {
    await show(result('duplicate_self', [harbour]), false);
    expect([...dom.host.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Closest matches', 'Layers']);
    expect(dom.host.querySelector('.matches')?.textContent).toContain('Harbour at dawn');
  });

  it('brings the verdict back into view when a result with another verdict arrives, not on a re-check with the same one', async () => {
    await show(result('approved'), false);
    const aside = panel()!;
    aside.scrollTop = 400;
    await set({ checking: true });
    await set({ check: result('approved'), checking: false });
    expect(aside.scrollTop).toBe(400);

    await set({ checking: true });
    await set({ check: result('duplicate_self', [harbour]), checking: false });
    expect(aside.scrollTop).toBe(0);

    // Another card opened in the same editor (a match's "Open" link) starts at its verdict too.
    aside.scrollTop = 250;
    await set({ draftId: 'a1', check: result('duplicate_self', [harbour]) });
    expect(aside.scrollTop).toBe(0);
  });
});
