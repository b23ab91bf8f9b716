// @vitest-environment jsdom
/**
 * The library card and the match card rendered by React (jsdom) from real data: a library card
 * shows its marketplace line from the store (state, price, sales) and opens from its title; a match
 * card leads with its verdict and strongest reason, names the other
 * creator, offers the listing, words the differences, and never shows an internal id or a combined
 * percentage.
 */
import { act, createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { AssetSummary } from '../../shared/api.ts';
import type { Match } from '../../shared/check.ts';
import { summarizeListing } from '../../shared/listings.ts';
import { groupMatches } from '../../shared/matches.ts';
import { LibraryCard } from '../../renderer/src/components/LibraryCard.tsx';
import { MatchCard } from '../../renderer/src/components/MatchCard.tsx';
import { useStudio } from '../../renderer/src/state/store.ts';
import { reactRoot } from '../helpers/react-root.ts';

const dom = reactRoot();

const LISTING = '55555555-5555-4555-8555-555555555555';

describe('LibraryCard', () => {
  it('shows the marketplace state, price and sales, and opens from its title', async () => {
    const a: AssetSummary = {
      id: 'a1',
      name: 'Vesna',
      assetType: 'character',
      imageSha: null,
      rev: 2,
      updatedAt: '',
      status: 'approved',
      tags: [],
    };
    const remote = { remoteId: LISTING, remote: null, remoteStatus: 'published' };
    const listing = summarizeListing('a1', remote, [], 3);
    useStudio.setState({ listings: { a1: { ...listing, priceCents: 499, pricingModel: 'one_time' } } });
    const opened: string[] = [];
    await act(async () =>
      dom.root.render(
        createElement(LibraryCard, { a, selected: false, style: {}, onOpen: (id) => opened.push(id), onToggle: () => undefined }),
      ),
    );
    expect(dom.host.querySelector('.market-line')?.textContent).toBe('Published$4.993 sales');
    expect(dom.host.querySelector('.listing-state')?.textContent).toBe('Published');
    const title = dom.host.querySelector<HTMLButtonElement>('h3 .title-link');
    expect(title?.textContent).toBe('Vesna');
    await act(async () => title?.click());
    expect(opened).toEqual(['a1']);
  });
});

describe('MatchCard', () => {
  it('leads a match with its verdict and strongest reason, names the creator and words the differences', async () => {
    // A match as the engine reports copied text from a marketplace listing (the engine's own output
    // is exercised in match-cards.test.ts; its worker threads do not start under jsdom).
    const engineMatch: Match = {
      assetId: `mp:${LISTING}`,
      creatorId: 'mp:ada',
      name: 'Bellwater Light',
      assetType: 'location',
      imageSha: null,
      combined: 0.93,
      metadata: 0.93,
      visualScore: null,
      layers: { text: 0.93, passage: 0.97 },
      copySignals: ['reused passage', 'copied text'],
      differences: { fields: ['name'], transform: [] },
    };
    const [m] = groupMatches([{ ...engineMatch, creatorName: 'Ada Quill' }], []);
    await act(async () => dom.root.render(createElement('ul', null, createElement(MatchCard, { m: m!, mine: null, yours: false }))));
    const head = dom.host.querySelector('.match-head');
    expect(head?.firstElementChild?.textContent).toBe('Likely copy');
    expect(dom.host.querySelector('.match-reason')?.textContent).toBe('Its text, copied');
    expect(dom.host.querySelector('.match-who')?.textContent).toBe('Bellwater Light by Ada Quill');
    expect(dom.host.querySelector('.match-links button')?.textContent).toBe('View the listing “Bellwater Light”');
    expect([...dom.host.querySelectorAll('.diffs li')].map((li) => li.textContent)).toEqual(['another name']);
    expect(dom.host.textContent).not.toContain('mp:');
    expect(dom.host.textContent).not.toContain('combined');
    expect(dom.host.querySelector('details.scores')?.hasAttribute('open')).toBe(false);
  });
});
