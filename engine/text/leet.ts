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

/** A run of letters and digits that holds both a letter and a digit read as one. */
const MIXED = /[\p{L}\p{N}]*(?:\p{L}[\p{L}\p{N}]*[0134578]|[0134578][\p{L}\p{N}]*\p{L})[\p{L}\p{N}]*/gu;
const LEET_DIGIT = /[0134578]/g;

/** `s` with the digits of each mixed run of letters and digits read as the letters they stand for. */
export function unleet(s: string): string {
  if (!/[0134578]/.test(s)) return s;
  return s.replace(MIXED, (run) => run.replace(LEET_DIGIT, (d) => DIGIT_LETTER[d] as string));
}

/** Runs of "@" and "$" with a letter just before or just after them. */
const SYMBOLS = /(?<=\p{L})[@$]+|[@$]+(?=\p{L})/gu;

/** `s` with each "@" and "$" that touches a letter read as a and s; the same length as `s`. */
export function unsymbol(s: string): string {
  if (!/[@$]/.test(s)) return s;
  return s.replace(SYMBOLS, (run) => run.replace(/@/g, 'a').replace(/\$/g, 's'));
}
