/** Neutral pseudo-word names for generated cards, so that card text never matches by accident. */
import type { Rng } from './rng.ts';

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'gl', 'kr', 'st', 'th', 'tr', 'sh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'th', 'k', 'm', 'x'];

function word(rng: Rng, syllables: number): string {
  let w = '';
  for (let i = 0; i < syllables; i++) w += rng.pick(ONSETS) + rng.pick(VOWELS) + (i === syllables - 1 ? rng.pick(CODAS) : '');
  return w[0]?.toUpperCase() + w.slice(1);
}

/** Draws two-word names that have not been handed out by this generator before. */
export class NameGenerator {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  next(): string {
    for (;;) {
      const n = `${word(this.rng, this.rng.int(2, 3))} ${word(this.rng, this.rng.int(2, 3))}`;
      const key = n.toLowerCase();
      const parts = key.split(' ');
      // Distinct as whole names and word by word, so no two cards share a name word.
      if (this.used.has(key) || parts.some((p) => this.used.has(p))) continue;
      this.used.add(key);
      for (const p of parts) this.used.add(p);
      return n;
    }
  }
}
