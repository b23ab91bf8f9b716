/**
 * The rounding rule for amounts shown to people (shared/format.ts): micro-dollars to the nearest
 * cent, halves away from zero, in integers; exact amounts stay available through usdFromMicros.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUNDING_RULE, centsFromMicros, isWholeCents, usd, usdFromMicros } from '../../shared/format.ts';

describe('people-facing amounts: rounded to the cent by one rule', () => {
  it('rounds to the nearest cent, a half cent away from zero', () => {
    expect(centsFromMicros(13_993_000)).toBe(1399); // $13.993 → $13.99
    expect(centsFromMicros(13_995_000)).toBe(1400); // half a cent up
    expect(centsFromMicros(13_994_999)).toBe(1399);
    expect(centsFromMicros(-13_995_000)).toBe(-1400); // away from zero below zero too
    expect(centsFromMicros(-4_999)).toBe(0); // never “−0”
    expect(centsFromMicros(5_000)).toBe(1);
    expect(centsFromMicros(0)).toBe(0);
  });

  it('formats with a dollar sign and exactly two decimals', () => {
    expect(usd(13_993_000)).toBe('$13.99');
    expect(usd(6_993_000)).toBe('$6.99');
    expect(usd(1_234_567_890)).toBe('$1,234.57');
    expect(usd(-13_993_000)).toBe('−$13.99');
    expect(usd(-1)).toBe('$0.00');
    // The exact figure stays available for the details view.
    expect(usdFromMicros(13_993_000)).toBe('$13.993');
  });

  it('never moves an amount by more than half a cent, and leaves whole cents alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (m) => {
        const c = centsFromMicros(m);
        expect(Number.isInteger(c)).toBe(true);
        expect(Math.abs(c * 10_000 - m)).toBeLessThanOrEqual(5_000);
        if (isWholeCents(m)) expect(c * 10_000).toBe(m);
        expect(centsFromMicros(-m) + c).toBe(0); // symmetric around zero
      }),
    );
  });

  it('refuses non-integer micro-dollars and documents the rule', () => {
    expect(() => centsFromMicros(1.5)).toThrow(/safe integer/);
    expect(ROUNDING_RULE).toMatch(/nearest cent/);
  });
});
