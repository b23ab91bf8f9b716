// @vitest-environment jsdom
/**
 * A card the check refuses (a script in a CSS/HTML module, an over-long field) is explained once in
 * the uniqueness panel — in its verdict, announced as an alert — not in a banner and again in the
 * verdict below it — and the last result (an earlier version of the card) is not shown under it as
 * if this one had been checked; nor are a blank card's matches (two default names alike) listed
 * under "Nothing to check yet" (jsdom, the real store and panel).
 */
import { act, createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/check.ts';
import { UniquenessPanel } from '../../renderer/src/components/UniquenessPanel.tsx';
import { blankCard } from '../../renderer/src/state/cards.ts';
import { useStudio } from '../../renderer/src/state/store.ts';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();
const MESSAGE = 'custom_module.code: custom modules are CSS/HTML only, on an allowlist; 1 problem: line 1, column 24: a <script> element';

afterEach(async () => {
  await act(async () => useStudio.setState({ check: null, checkError: null, checking: false, draft: null }));
});

describe('the uniqueness panel on a refused card', () => {
  it('says why once, in the verdict, as an alert', async () => {
    const draft = { ...blankCard('custom_module', 1), description: 'A banner module' };
    await act(async () =>
      useStudio.setState({ draft, check: null, checking: false, checkError: { field: 'card.custom_module.code', message: MESSAGE } }),
    );
    await dom.render(createElement(UniquenessPanel));
    const text = dom.host.textContent ?? '';
    expect(text.split(MESSAGE).length - 1).toBe(1);
    const alerts = [...dom.host.querySelectorAll('[role="alert"]')];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.className).toContain('verdict');
    expect(alerts[0]?.textContent).toContain('Not checked');
    expect(alerts[0]?.textContent).toContain(MESSAGE);
  });

  it('shows no earlier check\'s matches or layers under "Not checked"', async () => {
    const draft = { ...blankCard('character', 1), name: '', description: 'A ferryman.' };
    const earlier: CheckResult = {
      status: 'approved',
      reason: 'No similar assets found',
      action: 'Ready to submit',
      layers: { exact: { state: 'ran' } } as CheckResult['layers'],
      matches: [],
      metadataHash: 'h',
      policyVersion: 1,
      elapsedMs: 12,
      compared: 3,
    };
    await act(async () =>
      useStudio.setState({ draft, check: earlier, checking: false, checkError: { field: 'card.name', message: 'Name is required' } }),
    );
    await dom.render(createElement(UniquenessPanel));
    const text = dom.host.textContent ?? '';
    expect(text).toContain('Not checked');
    expect(text).not.toContain('Checked in');
    expect(text).not.toContain('Closest matches');
    expect(dom.host.querySelector('ul.layers')).toBeNull();
    // Fixed, the card's next result is shown again.
    await act(async () => useStudio.setState({ checkError: null }));
    expect(dom.host.textContent).toContain('Checked in 12 ms against 3 other assets · policy v1');
  });

  it('lists no matches or layers under a blank card\'s "Nothing to check yet"', async () => {
    // A new card's default name is close to another untitled card's: a match of two templates.
    const draft = blankCard('character', 3);
    const namesAlike: CheckResult = {
      status: 'approved',
      reason: 'No similar assets found',
      action: 'Ready to submit',
      layers: { exact: { state: 'ran' }, text: { state: 'ran' } } as CheckResult['layers'],
      matches: [
        {
          assetId: 'a2',
          creatorId: 'me',
          name: 'Untitled character 2',
          assetType: 'character',
          imageSha: null,
          combined: 0.39,
          metadata: 0.39,
          visualScore: null,
          layers: { text: 0.39 },
          copySignals: [],
          differences: { fields: ['name'], transform: [] },
        },
      ],
      metadataHash: 'h',
      policyVersion: 1,
      elapsedMs: 9,
      compared: 1,
    };
    await act(async () => useStudio.setState({ draft, imageSha: null, check: namesAlike, checking: false, checkError: null }));
    await dom.render(createElement(UniquenessPanel));
    const text = dom.host.textContent ?? '';
    expect(text).toContain('Nothing to check yet');
    expect(text).not.toContain('Untitled character 2');
    expect(text).not.toContain('Closest matches');
    expect(dom.host.querySelector('ul.layers')).toBeNull();
    // Once the card holds something, its result is shown.
    await act(async () => useStudio.setState({ draft: { ...draft, description: 'A ferryman who counts coins.' } }));
    expect(dom.host.textContent).toContain('Closest matches');
    expect(dom.host.textContent).toContain('Untitled character 2');
  });

  it('is no alert once the card is fine again', async () => {
    const draft = { ...blankCard('custom_module', 1), description: 'A banner module' };
    await act(async () => useStudio.setState({ draft, check: null, checking: false, checkError: null }));
    await dom.render(createElement(UniquenessPanel));
    expect(dom.host.querySelectorAll('[role="alert"]')).toHaveLength(0);
  });
});
