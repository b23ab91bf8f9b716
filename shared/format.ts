/**
 * Formatting shared by the server, the studio and the renderer, with the unit in the name: money
 * from micro-dollars or from cents (integers in, nothing rounded away), the one rounding rule for
 * amounts shown to people (`usd`, whole cents), and timestamps as ISO text.
 */
import { MICROS_PER_CENT } from './policy/money.ts';

/** Micro-dollars (1e-6 USD) as dollars: cents when exact, otherwise up to six decimals (nothing rounded away). */
export function usdFromMicros(micros: number): string {
  const neg = micros < 0;
  const m = Math.abs(micros);
  const whole = Math.floor(m / 1_000_000);
  const frac = String(m % 1_000_000).padStart(6, '0');
  const shown = /0000$/.test(frac) ? frac.slice(0, 2) : frac.replace(/0+$/, '').padEnd(2, '0');
  return `${neg ? '−' : ''}$${whole.toLocaleString('en-US')}.${shown}`;
}

/**
 * The one rounding rule for amounts shown to people: to the nearest cent, a half cent rounding
 * away from zero (0.5¢ → 1¢, −0.5¢ → −1¢). The ledger, the API and the CSV export keep the exact
 * micro-dollars; only what a person reads is rounded, and a details view shows the exact amount.
 */
export const ROUNDING_RULE =
  'Amounts are rounded to the nearest cent (half a cent rounds away from zero). The ledger and the CSV export keep the exact amount, to a millionth of a dollar.';

/** Micro-dollars rounded to whole cents by ROUNDING_RULE (integers only, no floating-point error). */
export function centsFromMicros(micros: number): number {
  if (!Number.isSafeInteger(micros)) throw new Error('micro-dollars must be a safe integer');
  const m = Math.abs(micros);
  const cents = Math.floor(m / MICROS_PER_CENT) + (m % MICROS_PER_CENT >= MICROS_PER_CENT / 2 ? 1 : 0);
  return micros < 0 && cents > 0 ? -cents : cents;
}

/** Whether an amount is a whole number of cents (nothing is rounded when it is shown). */
export const isWholeCents = (micros: number): boolean => micros % MICROS_PER_CENT === 0;

/** An amount for people: micro-dollars as dollars rounded to the cent ("$13.99" for 13.993 dollars). */
export const usd = (micros: number): string => usdFromMicros(centsFromMicros(micros) * MICROS_PER_CENT);

/** Cents as dollars ("$4.99"). */
export const usdFromCents = (cents: number): string => usdFromMicros(cents * MICROS_PER_CENT);

/** A database timestamp (Date or text) as ISO 8601 text; null for none. */
export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
