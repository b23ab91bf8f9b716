/**
 * Unicode tricks that hide a copied text from word and character matching, undone before either
 * sees it: invisible characters (zero-width spaces and joiners, soft hyphens, word joiners, byte
 * order marks, variation selectors — Unicode's default-ignorable code points) that split every
 * word, and letters of other scripts that look like Latin ones (Cyrillic "а", "е", "о", "р", Greek
 * "ο", "ν"…) swapped into Latin words. Lookalikes come from Unicode's confusables table (TR39,
 * through the `unhomoglyph` package's copy of confusables.txt): a non-ASCII letter whose skeleton,
 * accents and case folded, is plain ASCII letters or digits becomes that skeleton. ASCII itself is
 * never folded (the table would turn "m" into "rn"), so ordinary Latin text is unchanged.
 */
import { createRequire } from 'node:module';

/** Default-ignorable code points: rendered as nothing, so a copy can hide them anywhere. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

let fold: Map<string, string> | null = null;

/**
 * Lower-case non-ASCII letter → ASCII skeleton, built once from the confusables table. Keyed in
 * lower case so that both cases of a letter fold alike (text is lower-cased first): a lower-case
 * letter's own entry wins; one without an ASCII skeleton of its own takes its capital's (Cyrillic
 * "в", whose own lookalike is a small capital, folds as "В" → "b").
 */
function foldTable(): Map<string, string> {
  if (fold) return fold;
  const table = createRequire(import.meta.url)('unhomoglyph/data.json') as Record<string, string>;
  const own = new Map<string, string>();
  const capitals = new Map<string, string>();
  for (const [from, to] of Object.entries(table)) {
    if ([...from].length !== 1 || /^[\x00-\x7f]$/.test(from)) continue;
    const skeleton = to
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase();
    if (!/^[a-z0-9]{1,2}$/.test(skeleton)) continue;
    const key = from.toLowerCase();
    if ([...key].length !== 1 || /^[\x00-\x7f]$/.test(key)) continue;
    if (key === from) own.set(key, skeleton);
    else if (!capitals.has(key)) capitals.set(key, skeleton);
  }
  fold = new Map([...capitals, ...own]);
  return fold;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `s` as word and character matching both read its letters: compatibility-decomposed, accents
 * (combining marks) dropped, lower-cased, then unmask.
 */
export function foldLetters(s: string): string {
  return unmask(
    s
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase(),
  );
}

/**
 * `s` with invisible characters removed and lookalike letters folded to their Latin skeletons.
 * Expects text already lower-cased and accent-folded (NFKD, marks removed): what is left
 * non-ASCII is then another script's letter or a symbol.
 */
export function unmask(s: string): string {
  if (!NON_ASCII.test(s)) return s;
  const t = foldTable();
  let out = '';
  for (const ch of s.replace(INVISIBLE, '')) out += t.get(ch) ?? ch;
  return out;
}
