/**
 * For the marketplace screens: a typed dollar amount read as integer cents, "how long ago", and
 * saving text as a file (money is shown with shared/format.ts). The connected studio's state is the
 * market slice (state/market.ts).
 */
import { MONEY_POLICY, type MoneyPolicy, type PricingModel, checkPrice } from '@shared/policy/money.ts';
import { usdFromCents } from '@shared/format.ts';
import { plural, sentence } from './words.ts';

/** "4.99" → 499, on the string (never floats); null when it is not a dollar amount with at most two decimals. */
export function parseDollars(text: string): number | null {
  const m = /^\s*\$?(\d{1,6})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const MODEL_WORDS: Record<PricingModel, string> = {
  one_time: 'One-time',
  subscription: 'Subscription',
  per_use: 'Per-use',
  license: 'License',
};

/** "One-time prices range from $0.99 to $99.99": the range a price must be in, for its model. */
export function priceRange(model: PricingModel, policy: MoneyPolicy = MONEY_POLICY): string {
  const b = policy.pricing[model];
  return `${MODEL_WORDS[model]} prices range from ${usdFromCents(b.minCents)} to ${usdFromCents(b.maxCents)}`;
}

/**
 * A typed price checked against the model's range: its cents, or what to fix in people's words.
 * Any amount out of range — negative, zero, too high, however many digits — says the range; only
 * text that is not an amount at all (or has fractions of a cent) asks for dollars and cents.
 */
export function checkPriceText(
  model: PricingModel,
  text: string,
  policy: MoneyPolicy = MONEY_POLICY,
): { ok: true; cents: number } | { ok: false; message: string } {
  const cents = parseDollars(text);
  if (cents !== null) {
    const c = checkPrice(model, cents, policy);
    if (c.ok) return { ok: true, cents };
    if (cents === 0 && c.message.includes('free'))
      return { ok: false, message: `Free listings are not allowed. ${priceRange(model, policy)}` };
    return { ok: false, message: sentence(priceRange(model, policy)) };
  }
  const amount = /^\s*[-−]?\s*\$?\s*[-−]?\d+(?:\.(\d*))?\s*$/.exec(text);
  if (amount && (amount[1]?.length ?? 0) <= 2) return { ok: false, message: priceRange(model, policy) };
  if (amount) return { ok: false, message: 'Enter whole cents: at most two digits after the point, e.g. 4.99' };
  return { ok: false, message: 'Enter a price in dollars and cents, e.g. 4.99' };
}

export const ago = (iso: string | null) => {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
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
