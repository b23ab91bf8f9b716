/**
 * How long ago, as the account screen and the sync lines say it: "never" without a time, "just now"
 * for the first seconds (not "0 s ago"), then seconds, minutes, hours and days.
 */
import { describe, expect, it } from 'vitest';
import { ago } from '../../renderer/src/market.ts';

const before = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('ago', () => {
  it('says never, just now, then seconds, minutes, hours and days', () => {
    expect(ago(null)).toBe('never');
    expect(ago(before(0))).toBe('just now');
    expect(ago(before(-5_000))).toBe('just now'); // a clock a little ahead
    expect(ago(before(30_000))).toBe('30 s ago');
    expect(ago(before(5 * 60_000))).toBe('5 min ago');
    expect(ago(before(3 * 3_600_000))).toBe('3 h ago');
    expect(ago(before(2 * 86_400_000))).toBe('2 days ago');
  });
});
