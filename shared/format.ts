/**
 * Formatting shared by the server, the studio and the renderer, with the unit in the name: money
 * from micro-dollars or from cents (integers in, nothing rounded away), and timestamps as ISO text.
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

/** Cents as dollars ("$4.99"). */
export const usdFromCents = (cents: number): string => usdFromMicros(cents * MICROS_PER_CENT);

/** A database timestamp (Date or text) as ISO 8601 text; null for none. */
export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
