/**
 * A dropped card file that cannot be imported is told why in people's words: where its JSON breaks
 * (line and column, not the parser's character count), that it is empty, or each field's problem —
 * and a card naming its type `type` is told the field's name, not that its type must be one of a
 * list that holds it (the walkthrough's finding).
 */
import { describe, expect, it } from 'vitest';
import { cardRefusal, readCardJson } from '../../renderer/src/state/card-file.ts';
import { parseCardShape } from '../../shared/asset.ts';

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
});
