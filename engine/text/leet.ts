/**
 * Leetspeak undone before word and character matching: a copy that writes digits or symbols for the
 * letters they resemble ("7h3 5h4d0w", "$hadow @rmour", "w3 5a11 h!gh") hashes every such word
 * differently.
 * - unleet: in a run of letters and digits that holds at least one letter, the digits 0, 1, 3, 4, 5,
 *   7 and 8 are read as o, i, e, a, s, t and b; a 4 or a 1 standing alone is read as the one-letter
 *   word it is written for ("4 lantern", "1 watched": a and I; a count of four or one reads the same
 *   on both sides of a comparison); any other run of digits alone (a number, a year) is left as it
 *   is. Then every l is read as i: a 1 is written for an i as often as for an l, and a capital I
 *   for an l ("Iantern") or an l for an I, so the two letters are one class on both sides of every
 *   comparison (the one ASCII fold made; words differing only there, "lid"/"iid", are rare).
 * - unsymbol: "@" and "$" touching a letter are read as a and s, and "!" before a letter as i, one
 *   character for one, so that offsets into the raw text stay valid (words.ts tokenises the
 *   result); standing alone, beside digits or ending a word ("$5", "@ the inn", "Halt!") they stay
 *   punctuation.
 * Both sides of every comparison are folded alike, so a word that really mixes letters and digits
 * ("3d", "mp3") still matches itself.
 */

const DIGIT_LETTER: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b' };
/** Digits that, standing alone, are written for a one-letter word (a, I). A Map: a run such as "constructor" must not read an object's inherited key. */
const DIGIT_WORD: ReadonlyMap<string, string> = new Map([
  ['4', 'a'],
  ['1', 'i'],
]);

/** A run of letters and digits (no nested repetition: linear in the text, whatever it holds). */
const RUN = /[\p{L}\p{N}]+/gu;
const LETTER = /\p{L}/u;
const LEET_DIGIT = /[0134578]/g;
const HAS_LEET_DIGIT = /[0134578]/;

/**
 * `s` (lower case) with the digits of each run of letters and digits that holds a letter read as the
 * letters they stand for, a lone 4 or 1 as the word a or i, and l read as i.
 */
export function unleet(s: string): string {
  const read = HAS_LEET_DIGIT.test(s)
    ? s.replace(
        RUN,
        (run) =>
          DIGIT_WORD.get(run) ??
          (HAS_LEET_DIGIT.test(run) && LETTER.test(run) ? run.replace(LEET_DIGIT, (d) => DIGIT_LETTER[d] as string) : run),
      )
    : s;
  return read.replace(/l/g, 'i');
}

/** Runs of "@", "$" and "!" (each looked at once: linear in the text). */
const SYMBOLS = /[@$!]+/g;
/** A letter, or a letter and an apostrophe ("it'$"), just before a run. */
const ENDS_WITH_LETTER = /\p{L}['’]?$/u;
const STARTS_WITH_LETTER = /^\p{L}/u;

/**
 * `s` with each run of "@" and "$" that touches a letter read as a and s, and each run of "!" that a
 * letter follows ("h!gh", "!nto") as i; the same length as `s`. A "!" that ends a word ("Halt!")
 * stays punctuation.
 */
export function unsymbol(s: string): string {
  if (!/[@$!]/.test(s)) return s;
  return s.replace(SYMBOLS, (run: string, at: number) => {
    // Up to three code units before (a letter outside the Basic Multilingual Plane is a surrogate
    // pair, then an apostrophe), two after.
    const before = ENDS_WITH_LETTER.test(s.slice(Math.max(0, at - 3), at));
    const after = STARTS_WITH_LETTER.test(s.slice(at + run.length, at + run.length + 2));
    if (!before && !after) return run;
    return run.replace(/[@$!]/g, (c) => (c === '@' ? 'a' : c === '$' ? 's' : after ? 'i' : '!'));
  });
}
