/** Counts in words with the right plural form ("1 asset", "2 assets", "1 match", "3 matches"), for every count shown to people. */

/** The noun for `n`: `one` for exactly one, else `many` (default: `one` + "s"). */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `n` and its noun: plural(1, 'asset') is "1 asset", plural(0, 'asset') is "0 assets". */
export function plural(n: number, one: string, many?: string): string {
  return `${n} ${pluralWord(n, one, many)}`;
}
