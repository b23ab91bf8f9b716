/**
 * Leetspeak undone before word and character matching: a copy that writes digits or symbols for the
 * letters they resemble ("7h3 5h4d0w", "$hadow @rmour") hashes every such word differently.
 * - unleet: in a run of letters and digits that holds at least one letter, the digits 0, 1, 3, 4, 5,
 *   7 and 8 are read as o, i, e, a, s, t and b; a run of digits alone (a number, a year) is left as
 *   it is.
 * - unsymbol: "@" and "$" touching a letter are read as a and s, one character for one, so that
 *   offsets into the raw text stay valid (words.ts tokenises the result); standing alone or beside
 *   digits ("$5", "@ the inn") they stay punctuation.
 * Both sides of every comparison are folded alike, so a word that really mixes letters and digits
 * ("3d", "mp3") still matches itself. A 1 written for an l reads as i and keeps such words apart.
 */

const DIGIT_LETTER: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b' };

/** A run of letters and digits (no nested repetition: linear in the text, whatever it holds). */
const RUN = /[\p{L}\p{N}]+/gu;
const LETTER = /\p{L}/u;
const LEET_DIGIT = /[0134578]/g;
const HAS_LEET_DIGIT = /[0134578]/;

/** `s` with the digits of each run of letters and digits that holds a letter read as the letters they stand for. */
export function unleet(s: string): string {
  if (!HAS_LEET_DIGIT.test(s)) return s;
  return s.replace(RUN, (run) =>
    HAS_LEET_DIGIT.test(run) && LETTER.test(run) ? run.replace(LEET_DIGIT, (d) => DIGIT_LETTER[d] as string) : run,
  );
}

/** Runs of "@" and "$" (each looked at once: linear in the text). */
const SYMBOLS = /[@$]+/g;
const ENDS_WITH_LETTER = /\p{L}$/u;
const STARTS_WITH_LETTER = /^\p{L}/u;

/** `s` with each run of "@" and "$" that touches a letter read as a and s; the same length as `s`. */
export function unsymbol(s: string): string {
  if (!/[@$]/.test(s)) return s;
  return s.replace(SYMBOLS, (run: string, at: number) => {
    // Two code units either side: a letter outside the Basic Multilingual Plane is a surrogate pair.
    const touches =
      ENDS_WITH_LETTER.test(s.slice(Math.max(0, at - 2), at)) || STARTS_WITH_LETTER.test(s.slice(at + run.length, at + run.length + 2));
    return touches ? run.replace(/@/g, 'a').replace(/\$/g, 's') : run;
  });
}
