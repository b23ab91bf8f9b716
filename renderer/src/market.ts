/**
 * For the marketplace screens: a typed dollar amount read as integer cents, "how long ago", and
 * saving text as a file (money is shown with shared/format.ts). The connected studio's state is the
 * market slice (state/market.ts).
 */
import { plural } from './words.ts';

/** "4.99" → 499, on the string (never floats); null when it is not a dollar amount with at most two decimals. */
export function parseDollars(text: string): number | null {
  const m = /^\s*\$?(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const ago = (iso: string | null) => {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return `${Math.max(0, s)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${plural(Math.round(s / 86_400), 'day')} ago`;
};

/** Saves text as a file in the browser (CSV export). */
export function download(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
