/**
 * Words shown to people: counts with the right plural form ("1 asset", "2 assets", "3 matches") and
 * messages that start with a capital letter (the studio's and the marketplace's errors included).
 */

/** The noun for `n`: `one` for exactly one, else `many` (default: `one` + "s"). */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `n` and its noun: plural(1, 'asset') is "1 asset", plural(0, 'asset') is "0 assets". */
export function plural(n: number, one: string, many?: string): string {
  return `${n} ${pluralWord(n, one, many)}`;
}

/** The message with its first letter capitalised ("the server is down" → "The server is down"). */
export function sentence(message: string): string {
  return message.charAt(0).toLocaleUpperCase() + message.slice(1);
}
