/**
 * Words shown to people: counts with the right plural form ("1 asset", "2 assets", "3 matches") and
 * messages that start with a capital letter (the studio's and the marketplace's errors included)
 * or end with their stop.
 */

/** The noun for `n`: `one` for exactly one, else `many` (default: `one` + "s"). */
export function pluralWord(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** `n` and its noun: plural(1, 'asset') is "1 asset", plural(0, 'asset') is "0 assets". */
export function plural(n: number, one: string, many?: string): string {
  return `${n} ${pluralWord(n, one, many)}`;
}

/**
 * The message with its first letter capitalised ("the server is down" → "The server is down"),
 * unless it starts with a name that must keep its case: a file name, a field or code identifier
 * ("corrupt.png: …", "priceCents: …", "card.name: …").
 */
export function sentence(message: string): string {
  const first = /^\S*/.exec(message)?.[0] ?? '';
  if (!/^[a-z]+[:,]?$/.test(first)) return message;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** The text ending with its stop ("… the same image file as X" → "… as X."), so a sentence after it does not run on. */
export function withStop(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}
