/** How long a review item has waited, in words (renderer market/review/waiting.ts). */
import { describe, expect, it } from 'vitest';
import { waitingFor } from '../../renderer/src/components/market/review/waiting.ts';

const now = Date.parse('2026-11-22T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('waitingFor', () => {
  it('says minutes, hours and days, singular and plural', () => {
    expect(waitingFor(ago(20_000), now)).toBe('less than a minute');
    expect(waitingFor(ago(60_000), now)).toBe('1 minute');
    expect(waitingFor(ago(59 * 60_000), now)).toBe('59 minutes');
    expect(waitingFor(ago(3_600_000), now)).toBe('1 hour');
    expect(waitingFor(ago(47 * 3_600_000), now)).toBe('47 hours');
    expect(waitingFor(ago(3 * 86_400_000), now)).toBe('3 days');
  });
  it('a clock slightly behind the server never says a negative time', () => {
    expect(waitingFor(ago(-5_000), now)).toBe('less than a minute');
  });
});
