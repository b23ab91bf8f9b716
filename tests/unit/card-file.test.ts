/**
 * A dropped card file that cannot be imported is told why in people's words: where its JSON breaks
 * (line and column, not the parser's character count), that it is empty, or each field's problem —
 * and a card naming its type `type` is told the field's name, not that its type must be one of a
 * list that holds it (the walkthrough's finding). A damaged card bundle is told which entry and
 * which field is wrong, not the schema's messages; a bundle's good cards come in and each refused
 * one is named.
 */
import { describe, expect, it } from 'vitest';
import { bundleOutcome, cardRefusal, readCardBundle, readCardJson } from '../../renderer/src/state/card-file.ts';
import { parseCardShape } from '../../shared/asset.ts';
import { cardBundle } from '../../shared/card-bundle.ts';

describe('reading a dropped card file', () => {
  it('reads a card, and names the line and column where broken JSON breaks', () => {
    expect(readCardJson('{"name": "Sword"}')).toEqual({ name: 'Sword' });
    expect(() => readCardJson('{\n  "name": "Sword",\n}')).toThrow('this is not an asset card: its JSON is broken at line 3, column 1');
    expect(() => readCardJson('{"name": "Sw')).toThrow(
      /^this is not an asset card: its JSON (ends before it is complete|is broken at line 1)/,
    );
    expect(() => readCardJson('  \n')).toThrow('the file is empty, not an asset card');
  });

  it('a card with "type" instead of "asset_type" is told the field’s name; one without either that it is required', () => {
    const typed = parseCardShape({ type: 'item', name: 'Sword', description: 'A sword', tags: [] });
    expect(typed.ok).toBe(false);
    if (typed.ok) return;
    expect(typed.issues).toEqual([
      { field: 'asset_type', message: 'Asset type is missing: this card has “type”, which asset cards call “asset_type”' },
    ]);
    const bare = parseCardShape({ name: 'Sword', description: 'A sword', tags: [] });
    expect(!bare.ok && bare.issues).toEqual([{ field: 'asset_type', message: 'Asset type is required' }]);
    // A type that is not one of the list is still told the list.
    const wrong = parseCardShape({ asset_type: 'weapon', name: 'Sword', description: 'A sword', tags: [] });
    expect(!wrong.ok && wrong.issues?.[0]?.message).toMatch(/^Asset type must be one of: character, location, item/);
  });

  it('a refused card says every field’s problem in people’s words, else the error’s message', () => {
    const err = Object.assign(new Error('Name is required'), {
      issues: [
        { field: 'card.name', message: 'Name is required' },
        { field: 'card.asset_type', message: 'Asset type is required' },
      ],
    });
    expect(cardRefusal(err)).toBe('Name is required; Asset type is required');
    expect(cardRefusal(new Error('the image is too large'))).toBe('the image is too large');
  });

  it('a damaged card bundle names the entry and the field, never the schema’s own words', () => {
    const good = cardBundle([{ fileName: 'sword.json', card: { name: 'Sword' } }], new Date('2026-12-05T00:00:00Z'));
    expect(readCardBundle(good)).toEqual([{ fileName: 'sword.json', card: { name: 'Sword' } }]);
    const refused = (x: unknown) => {
      try {
        readCardBundle(x);
      } catch (e) {
        return (e as Error).message;
      }
      return 'read';
    };
    const inner = good.originals_card_bundle;
    expect(refused({ originals_card_bundle: { ...inner, cards: [] } })).toBe(
      'this card bundle is damaged: it holds no cards; nothing was imported',
    );
    expect(refused({ originals_card_bundle: { ...inner, version: 2 } })).toBe(
      'this card bundle is damaged: it is version 2; this studio reads version 1; nothing was imported',
    );
    expect(
      refused({ originals_card_bundle: { ...inner, cards: [inner.cards[0], { card: {} }, { fileName: 'x.json', card: {}, image: 42 }] } }),
    ).toBe(
      "this card bundle is damaged: card 2's file name is missing; card 3's image is not what a card bundle holds there; nothing was imported",
    );
    expect(refused({ originals_card_bundle: 'x' })).toBe(
      'this card bundle is damaged: its “originals_card_bundle” is not an object; nothing was imported',
    );
    const many = refused({ originals_card_bundle: { ...inner, cards: [1, 2, 3, 4, 5] } });
    expect(many).toBe(
      'this card bundle is damaged: card 1 is not a card entry; card 2 is not a card entry; card 3 is not a card entry (and 2 more); nothing was imported',
    );
    expect(many).not.toMatch(/Invalid input|expected/);
  });

  it('a bundle’s outcome counts the cards that came in and names each refused one', () => {
    expect(bundleOutcome('cards.json', 1, [])).toBe('Imported 1 card from cards.json');
    expect(bundleOutcome('cards.json', 3, [])).toBe('Imported 3 cards from cards.json');
    expect(bundleOutcome('cards.json', 3, [{ entry: 2, fileName: 'axe.json', reason: 'Name is required' }])).toBe(
      'cards.json: imported 2 of 3 cards; card 2 (axe.json): Name is required',
    );
    const five = [1, 2, 3, 4, 5].map((entry) => ({ entry, fileName: `c${entry}.json`, reason: 'Name is required' }));
    expect(bundleOutcome('cards.json', 9, five)).toBe(
      'cards.json: imported 4 of 9 cards; card 1 (c1.json): Name is required; card 2 (c2.json): Name is required; card 3 (c3.json): Name is required; and 2 more refused',
    );
  });
});
