/**
 * The passage layer through the engine: a reused passage inside new text is flagged (both
 * directions, and hidden by invisible characters or lookalike letters), reported with offsets and
 * context in both cards, and survives persistence.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import type { AssetCard } from '../../shared/asset.ts';

const quote =
  'The lighthouse keeper counted the drowned bells every winter night, and each bell he counted rang once more beneath the grey water of the bay.';
const original: AssetCard = {
  asset_type: 'location',
  name: 'Bellwater Light',
  description: `A tall white tower on the northern cliffs. ${quote} Sailors leave salt on the steps for luck.`,
  tags: ['lighthouse', 'coast'],
};
const copier: AssetCard = {
  asset_type: 'location',
  name: 'Grey Harbour Beacon',
  description: `Fishermen from three villages still argue about who built this place and why it was abandoned so quickly. ${quote} Nobody climbs the stairs after dusk, and the lamp has been dark for a hundred years.`,
  tags: ['beacon', 'ruin'],
};
const unrelated: AssetCard = {
  asset_type: 'item',
  name: 'Copper Kettle of Whispers',
  description:
    'A dented kettle that hums old lullabies when the water boils; tea brewed in it makes the drinker speak only the truth until sunrise.',
  tags: ['kettle', 'curse'],
};

const open = (path = ':memory:') => UniquenessEngine.open({ dbPath: path });

describe('passage layer in the engine', () => {
  it('tells a creator who reuses a passage of their own card that it is theirs to reuse, not a duplicate to update', async () => {
    const e = open();
    await e.index({ id: 'bell', creatorId: 'alice', card: original });
    const own = await e.check({ card: copier, creatorId: 'alice' });
    expect(own.status).toBe('duplicate_self');
    expect(own.matches[0]?.copySignals).toEqual(['reused passage']);
    expect(own.action).toBe('Reusing part of your own “Bellwater Light” is allowed; change it if buyers should see two distinct assets');
    // The whole card again is a duplicate to update.
    const again = await e.check({ card: original, creatorId: 'alice' });
    expect(again.action).toBe('Update the existing asset instead of creating a duplicate');
    e.close();
  });

  it('flags a verbatim passage kept inside new sentences, with offsets and context in both cards', async () => {
    const e = open();
    await e.index({ id: 'bell', creatorId: 'alice', card: original });
    await e.index({ id: 'kettle', creatorId: 'alice', card: unrelated });
    const r = await e.check({ card: copier, creatorId: 'bob' });
    expect(r.status).toBe('flagged_plagiarism');
    expect(r.layers.passage).toEqual({ state: 'ran' });
    const m = r.matches[0];
    expect(m?.assetId).toBe('bell');
    expect(m?.copySignals).toContain('reused passage');
    expect(m?.summary).toMatch(/reuses .*Bellwater Light.*description/);
    const p = m?.passages?.[0];
    expect(p?.queryField).toBe('description');
    expect(p?.matchField).toBe('description');
    const q = copier.description ?? '';
    const o = original.description ?? '';
    expect(q.slice(p?.query[0], p?.query[1])).toContain('counted the drowned bells every winter night');
    expect(o.slice(p?.match[0], p?.match[1])).toContain('counted the drowned bells every winter night');
    expect(p?.context?.match[0]).toContain('northern cliffs');
    expect(p?.context?.query[0]).toContain('abandoned so quickly');
    expect(r.matches.find((x) => x.assetId === 'kettle')).toBeUndefined();
    e.close();
  });

  /**
   * The quote, disguised, inside new sentences of another creator's card: found as a reused passage
   * of the original's description, highlighted as typed; the unrelated card never matches.
   */
  async function expectDisguisedQuoteFound(disguised: string): Promise<void> {
    const e = open();
    await e.index({ id: 'bell', creatorId: 'alice', card: original });
    await e.index({ id: 'kettle', creatorId: 'alice', card: unrelated });
    const description = `Fishermen from three villages still argue about who built this place. ${disguised} Nobody climbs the stairs after dusk.`;
    expect(description).not.toContain('drowned bells');
    const r = await e.check({ card: { ...copier, description }, creatorId: 'bob' });
    expect(r.status).toBe('flagged_plagiarism');
    const m = r.matches[0];
    expect(m?.assetId).toBe('bell');
    expect(m?.copySignals).toContain('reused passage');
    const p = m?.passages?.find((x) => x.queryField === 'description');
    // The highlight covers the characters as typed (invisible ones, digits and symbols included).
    expect(description.slice(p?.query[0], p?.query[1])).toContain(disguised.slice(0, 40));
    expect(r.matches.find((x) => x.assetId === 'kettle')).toBeUndefined();
    e.close();
  }

  it('sees through zero-width characters, soft hyphens and lookalike letters, and highlights the raw text', async () => {
    const lookalike: Record<string, string> = { a: '\u0430', e: '\u0435', o: '\u043E', p: '\u0440', c: '\u0441' };
    const masked = quote
      .replace(/[aeopc]/g, (ch, i: number) => (i % 3 === 0 ? (lookalike[ch] as string) : ch))
      .replace(/(\p{L}{2})(?=\p{L})/gu, (m, _g, i: number) => (i % 4 === 0 ? `${m}\u200B` : `${m}\u00AD`));
    await expectDisguisedQuoteFound(masked);
  });

  it('sees through digits and symbols written for letters, and highlights the passage as typed', async () => {
    // A 1 written for an l as well as for an i; "!" for an i.
    const leet: Record<string, string> = { a: '4', e: '3', o: '0', s: '5', t: '7', i: '1', l: '1' };
    const symbol: Record<string, string> = { a: '@', s: '$', i: '!' };
    // Each letter that has a stand-in, in turn: a digit, then "@", "$" or "!" where there is one, then as typed.
    const seen: Record<string, number> = {};
    const disguised = quote.replace(/[aeostil]/g, (ch) => {
      const turn = (seen[ch] = (seen[ch] ?? -1) + 1) % 3;
      return turn === 0 ? (leet[ch] as string) : turn === 1 ? (symbol[ch] ?? ch) : ch;
    });
    expect(disguised).toMatch(/[@$]/);
    expect(disguised).toMatch(/!\p{L}/u);
    expect(disguised).toMatch(/\p{L}1|1\p{L}/u);
    await expectDisguisedQuoteFound(disguised);
  });

  it('finds the other direction too: the library card holds a passage of a longer query', async () => {
    const e = open();
    await e.index({ id: 'beacon', creatorId: 'alice', card: copier });
    const r = await e.check({ card: original, creatorId: 'bob' });
    expect(r.status).toBe('flagged_plagiarism');
    expect(r.matches[0]?.copySignals).toContain('reused passage');
    e.close();
  });

  it('unrelated cards and short stock phrases pass', async () => {
    const e = open();
    await e.index({ id: 'bell', creatorId: 'alice', card: original });
    const r = await e.check({ card: unrelated, creatorId: 'bob' });
    expect(r.status).toBe('approved');
    const short = await e.check({
      card: { asset_type: 'item', name: 'A tall white tower', description: 'On the northern cliffs.', tags: [] },
      creatorId: 'bob',
    });
    expect(short.matches.every((m) => !m.copySignals.includes('reused passage'))).toBe(true);
    e.close();
  });

  it('the passage index persists with the library', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pass-')), 'lib.sqlite');
    const a = open(path);
    await a.index({ id: 'bell', creatorId: 'alice', card: original });
    a.close();
    const b = open(path);
    expect((await b.check({ card: copier, creatorId: 'bob' })).matches[0]?.copySignals).toContain('reused passage');
    b.remove('bell');
    b.close();
    const c = open(path);
    expect((await c.check({ card: copier, creatorId: 'bob' })).status).toBe('approved');
    c.close();
  });
});
