/**
 * Corpus and copy generators for scripts/measure-passages.ts: texts from Debian's `fortunes`
 * package (/usr/share/games/fortunes), split into library and held-out pools, and the edits a
 * copier makes (keep a passage inside new text, keep most and write a new ending, delete or insert
 * words, reorder sentences, reformat, move to another field), each with randomised parameters.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetCard } from '../shared/asset.ts';

const DIR = '/usr/share/games/fortunes';
const FILES = ['fortunes', 'literature', 'wisdom', 'people', 'humorists', 'politics', 'science', 'work', 'love', 'pratchett'];
const MORE = ['platitudes', 'education', 'computers', 'miscellaneous', 'men-women', 'law', 'medicine', 'pets', 'sports', 'food'];

import { type Rng, rng } from '../engine/rng.ts';

export { type Rng, rng };
export const pick = <T>(r: Rng, a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
export const between = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export function shuffle<T>(r: Rng, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/**
 * Prose fortunes of 12–150 words, whitespace collapsed, attributions ("-- Walt Kelly") cut, and
 * near-duplicates dropped: a fortune sharing any run of 8 words with an earlier one is a variant of
 * the same quote, which would make "unrelated" pairs real copies.
 */
export function loadFortunes(): { texts: string[]; variants: number } {
  if (!existsSync(DIR)) throw new Error(`${DIR} not found: install Debian's "fortunes" package`);
  const seen = new Set<string>();
  const grams = new Set<string>();
  const out: string[] = [];
  let variants = 0;
  for (const f of [...FILES, ...MORE]) {
    const p = join(DIR, f);
    if (!existsSync(p)) continue;
    for (const raw of readFileSync(p, 'latin1').split(/\n%\n/)) {
      if (/[|_\\/]{3}|^\s{8}/m.test(raw)) continue; // ASCII art, verse laid out with indentation
      const t = raw
        .replace(/\s+/g, ' ')
        .replace(/\s--\s.*$/, '')
        .trim();
      const n = t.split(' ').length;
      const key = t.toLowerCase().replace(/[^a-z0-9]+/g, '');
      if (n < 12 || n > 150 || seen.has(key)) continue;
      seen.add(key);
      const w = t
        .toLowerCase()
        .split(/[^a-z0-9']+/)
        .filter(Boolean);
      const mine = w.slice(0, -7).map((_, i) => w.slice(i, i + 8).join(' '));
      if (mine.some((g) => grams.has(g))) {
        variants++;
        continue;
      }
      for (const g of mine) grams.add(g);
      out.push(t);
    }
  }
  return { texts: out, variants };
}

export function sentences(t: string): string[] {
  return (
    t
      .match(/[^.!?]+[.!?]+["')]*\s*|[^.!?]+$/g)
      ?.map((s) => s.trim())
      .filter(Boolean) ?? [t]
  );
}

const words = (t: string) => t.split(/\s+/).filter(Boolean);

export function itemCard(name: string, description: string): AssetCard {
  return { asset_type: 'item', name, description, tags: ['curio'] };
}

/** New text of about n words from held-out fortunes. */
export function freshText(r: Rng, pool: string[], n: number): string {
  const out: string[] = [];
  while (out.length < n) out.push(...words(pick(r, pool)));
  return out
    .slice(0, n)
    .join(' ')
    .replace(/[.!?]*$/, '.');
}

export type Edit = (r: Rng, text: string, fresh: (n: number) => string) => string;

export const deleteWords =
  (lo: number, hi: number): Edit =>
  (r, t) => {
    const p = lo + r() * (hi - lo);
    return words(t)
      .filter(() => r() >= p)
      .join(' ');
  };

export const insertWords =
  (lo: number, hi: number): Edit =>
  (r, t, fresh) => {
    const w = words(t);
    const extra = words(fresh(Math.ceil(w.length * (lo + r() * (hi - lo)))));
    for (const x of extra) w.splice(Math.floor(r() * (w.length + 1)), 0, x.replace(/[.!?]$/, ''));
    return w.join(' ');
  };

export const reorder: Edit = (r, t) => {
  const s = sentences(t);
  if (s.length < 2) {
    const w = words(t);
    const cut = Math.floor(w.length / 2);
    return [...w.slice(cut), ...w.slice(0, cut)].join(' ');
  }
  let o = shuffle(r, [...s]);
  if (o.join(' ') === s.join(' ')) o = [...s.slice(1), s[0] as string];
  return o.join(' ');
};

export const reformat: Edit = (r, t) => {
  const kind = between(r, 0, 3);
  if (kind === 0)
    return sentences(t)
      .map((s) => `- ${s}`)
      .join('\n');
  if (kind === 1)
    return sentences(t)
      .map((s, i) => `${i + 1}. **${s.replace(/[.!?]+$/, '')}**`)
      .join('\n');
  if (kind === 2) return t.toUpperCase();
  return t.replace(/[.]/g, ';').replace(/,/g, ' —').replace(/'/g, '’').replace(/\s+/g, '\n');
};

export const keepMost: Edit = (r, t, fresh) => {
  const w = words(t);
  const keep = Math.max(8, Math.round(w.length * (0.6 + r() * 0.3)));
  return `${w.slice(0, keep).join(' ')} ${fresh(between(r, 10, 40))}`;
};

/** A run of 15–25 words of the text, inside new sentences. */
export const passageInside: Edit = (r, t, fresh) => {
  const w = words(t);
  const len = Math.min(w.length, between(r, 15, 25));
  const at = between(r, 0, w.length - len);
  return `${fresh(between(r, 15, 60))} ${w.slice(at, at + len).join(' ')} ${fresh(between(r, 15, 60))}`;
};

/** A short card that is a passage of a longer library text, with a few new words. */
export const shortPassage: Edit = (r, t, fresh) => {
  const w = words(t);
  const len = Math.min(w.length, between(r, 15, 25));
  const at = between(r, 0, w.length - len);
  return `${w.slice(at, at + len).join(' ')} ${fresh(between(r, 1, 5))}`;
};
