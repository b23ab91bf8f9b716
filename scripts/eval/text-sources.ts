/**
 * Text sources for the generated eval: prose fortunes from Debian's `fortunes` package, cleaned
 * (attribution lines dropped), deduplicated by their opening and closing words (the same quip
 * appears in several files), shuffled by seed and split into library texts, unrelated texts and
 * filler texts (the new sentences copiers wrap around a kept passage).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from './rng.ts';

export const FORTUNE_ROOT = '/usr/share/games/fortunes';
/** Prose collections (no ASCII art, logs, code or translations). */
export const FORTUNE_FILES = [
  'cookie',
  'computers',
  'definitions',
  'drugs',
  'education',
  'food',
  'fortunes',
  'humorists',
  'kids',
  'law',
  'literature',
  'love',
  'magic',
  'medicine',
  'men-women',
  'miscellaneous',
  'news',
  'people',
  'pets',
  'platitudes',
  'politics',
  'riddles',
  'science',
  'sports',
  'tao',
  'wisdom',
  'work',
] as const;

export interface TextSource {
  /** "file#n": the n-th fortune of the file. */
  id: string;
  text: string;
}

export function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Sentences with their closing punctuation. */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?]+(?:[.!?]+["')\]]*|$)/g) ?? []).map((s) => s.trim()).filter(Boolean);
}

/** One fortune as prose: attribution lines and the lines after them removed, whitespace collapsed. */
export function cleanFortune(raw: string): string {
  const lines: string[] = [];
  for (const line of raw.split('\n')) {
    if (/^\s*(--|―|—)/.test(line)) break;
    lines.push(line.trim());
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim();
}

/** Fortunes usable as card descriptions: 25–120 words, at least two sentences, mostly letters. */
export function usable(text: string): boolean {
  const n = words(text).length;
  if (n < 25 || n > 120 || sentences(text).length < 2) return false;
  const chars = text.replace(/\s/g, '');
  return (chars.match(/[a-z]/gi)?.length ?? 0) / chars.length >= 0.75 && !/[<>|{}[\]\\]/.test(text) && !/^\s*\w+:/m.test(text);
}

export function parseFortunes(file: string, content: string): TextSource[] {
  return content
    .split(/^%$/m)
    .map((raw, i) => ({ id: `${file}#${i}`, text: cleanFortune(raw) }))
    .filter((s) => usable(s.text));
}

const key = (ws: string[]) => ws.join(' ');

/** Drops fortunes whose first or last six words were seen before. */
export function dedupe(sources: readonly TextSource[]): TextSource[] {
  const seen = new Set<string>();
  const out: TextSource[] = [];
  for (const s of sources) {
    const ws = s.text
      .toLowerCase()
      .replace(/[^a-z\s]/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
    const keys = [`h:${key(ws.slice(0, 6))}`, `t:${key(ws.slice(-6))}`];
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(s);
  }
  return out;
}

export function loadFortunes(root = FORTUNE_ROOT): TextSource[] {
  if (!existsSync(root)) throw new Error(`${root} is missing: install it with \`apt-get install -y fortunes\``);
  return dedupe(
    FORTUNE_FILES.filter((f) => existsSync(join(root, f))).flatMap((f) => parseFortunes(f, readFileSync(join(root, f), 'latin1'))),
  );
}

export interface TextPools {
  library: TextSource[];
  unrelated: TextSource[];
  filler: TextSource[];
}

export function splitTexts(
  rng: Rng,
  all: readonly TextSource[],
  counts: { library: number; unrelated: number; filler: number },
): TextPools {
  const want = counts.library + counts.unrelated + counts.filler;
  if (all.length < want) throw new Error(`only ${all.length} usable fortunes, need ${want}`);
  const s = rng.shuffle(all);
  return {
    library: s.slice(0, counts.library),
    unrelated: s.slice(counts.library, counts.library + counts.unrelated),
    filler: s.slice(counts.library + counts.unrelated, want),
  };
}
