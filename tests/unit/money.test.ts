import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MICROS_PER_CENT,
  MONEY_POLICY,
  SPLIT_PRESETS,
  checkPrice,
  recommendPrice,
  splitSale,
  usageRoyaltyMicros,
} from '../../shared/policy/money.ts';

const cents = (c: number) => c * MICROS_PER_CENT;

describe('money policy', () => {
  it('validates prices on integers within each model’s bounds', () => {
    expect(checkPrice('one_time', 99)).toEqual({ ok: true });
    expect(checkPrice('one_time', 9999)).toEqual({ ok: true });
    expect(checkPrice('one_time', 98)).toMatchObject({ ok: false, message: 'priceCents: one-time prices range from $0.99 to $99.99' });
    expect(checkPrice('one_time', 10000)).toMatchObject({ ok: false });
    expect(checkPrice('one_time', 1.5)).toMatchObject({ ok: false, message: expect.stringContaining('whole number of cents') });
    expect(checkPrice('one_time', 0.1 + 0.2)).toMatchObject({ ok: false });
    expect(checkPrice('subscription', 199)).toEqual({ ok: true });
    expect(checkPrice('subscription', 3000)).toMatchObject({ ok: false });
    expect(checkPrice('per_use', 1)).toEqual({ ok: true });
    expect(checkPrice('per_use', 101)).toMatchObject({ ok: false });
    expect(checkPrice('one_time', 0)).toMatchObject({ ok: false, message: expect.stringContaining('free listings') });
    expect(checkPrice('license', 0)).toMatchObject({ ok: false });
    expect(checkPrice('license', 0, { ...MONEY_POLICY, allowFreeLicenses: true })).toEqual({ ok: true });
  });

  it('reproduces the licensing spec’s $9.99 license under the 70/30 policy, in micro-dollars', () => {
    // The spec shows $6.99 / $3.00 (cents); the ledger keeps the exact split: $6.993000 / $2.997000.
    const s = splitSale(cents(999), { hasParent: false, cardCharge: true });
    expect(s).toEqual({
      gross: 9_990_000,
      creatorShare: 6_993_000,
      platformFee: 2_997_000,
      parentRoyalty: 0,
      creatorNet: 6_993_000,
      processorFee: 590_000,
      platformNet: 2_407_000,
    });
  });

  it('reproduces the Shadowveil derivative example under the 85/15 micro-use preset', () => {
    const policy = { ...MONEY_POLICY, preset: 'micro_use' as const, split: SPLIT_PRESETS.micro_use };
    // 50 uses of the $0.15 derivative, paid from prepaid balances (no card fee per use).
    const one = splitSale(cents(15), { hasParent: true, cardCharge: false }, policy);
    expect(one).toMatchObject({ gross: 150_000, platformFee: 22_500, creatorShare: 127_500, parentRoyalty: 12_750, creatorNet: 114_750 });
    // Spec: platform $1.13, derivative creator $6.38, original creator $0.64 (rounded); exact here:
    expect(one.platformFee * 50).toBe(1_125_000); // $1.125
    expect(one.creatorShare * 50).toBe(6_375_000); // $6.375 before the parent's share
    expect(one.parentRoyalty * 50).toBe(637_500); // $0.6375 to the original creator
    expect(one.creatorNet * 50).toBe(5_737_500);
    // And the original at $0.25 × 100 uses: platform $3.75, creator $21.25.
    const orig = splitSale(cents(25), { hasParent: false, cardCharge: false }, policy);
    expect([orig.platformFee * 100, orig.creatorShare * 100]).toEqual([3_750_000, 21_250_000]);
  });

  it('never creates or loses a micro-dollar in a split', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('standard', 'micro_use'),
        (gross, hasParent, cardCharge, preset) => {
          const s = splitSale(gross, { hasParent, cardCharge }, { ...MONEY_POLICY, split: SPLIT_PRESETS[preset as 'standard'] });
          expect(s.creatorNet + s.parentRoyalty + s.platformFee).toBe(gross);
          expect(s.platformNet + s.processorFee).toBe(s.platformFee);
          for (const v of Object.values(s)) expect(Number.isSafeInteger(v)).toBe(true);
          expect(s.creatorNet).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('prices usage royalties at the licensing spec’s base rates', () => {
    expect(usageRoyaltyMicros('impression', 10)).toBe(100); // $0.0001 per view
    expect(usageRoyaltyMicros('download', 10)).toBe(1_000); // $0.001
    expect(usageRoyaltyMicros('embed', 10)).toBe(500); // $0.0005
    expect(() => usageRoyaltyMicros('impression', 51)).toThrow();
  });

  it('recommends a price from type, quality and reputation, clamped, with its reasoning', () => {
    const r = recommendPrice({ assetType: 'character', quality: 5, reputation: 1 });
    expect(r.recommendedCents).toBe(Math.round((((499 * 14000) / 10000) * 13000) / 10000));
    expect(r.reasoning.join('\n')).toMatch(/base price for a character.*\$4\.99/);
    expect(recommendPrice({ assetType: 'item', model: 'per_use', quality: 1, reputation: 0 }).recommendedCents).toBeGreaterThanOrEqual(1);
    const clamped = recommendPrice({ assetType: 'room_template', model: 'subscription', quality: 5, reputation: 1 });
    expect(clamped.recommendedCents).toBeLessThanOrEqual(2999);
    expect(recommendPrice({ assetType: 'item' }).reasoning[1]).toBe('no ratings yet: quality multiplier ×1.00');
  });
});
