/**
 * A reused passage's surrounding text as the uniqueness panel shows it: the engine cuts each side
 * at 60 characters, often inside a word; the panel drops that partial word behind an ellipsis
 * (a newcomer read "…k is a retired toad knight" as a typo) and leaves uncut context as it is.
 */
import { describe, expect, it } from 'vitest';
import { contextShown } from '../../renderer/src/components/evidence.tsx';

describe('passage context', () => {
  it('drops the partial word at a cut and marks it with an ellipsis', () => {
    const before = 'k is a retired toad knight who sings in the swamp at night and '; // 60+ characters, cut inside "Croak"
    const after = ' and he never forgets a debt, never forgives a broken oath, ne'; // cut inside "never"
    expect(before.length).toBeGreaterThanOrEqual(60);
    expect(after.length).toBeGreaterThanOrEqual(60);
    expect(contextShown(before, after)).toEqual([
      '…is a retired toad knight who sings in the swamp at night and ',
      ' and he never forgets a debt, never forgives a broken oath,…',
    ]);
  });

  it('leaves context the engine did not cut as it is, and a cut without spaces whole', () => {
    expect(contextShown('Croak is ', ' the end.')).toEqual(['Croak is ', ' the end.']);
    const word = 'x'.repeat(60);
    expect(contextShown(word, word)).toEqual([`…${word}`, `${word}…`]);
  });
});
