// @vitest-environment jsdom
/**
 * Validation problems in people's words (shared/form-errors.ts): the form's own labels, the field's
 * own bounds (never zod's safe-integer bound, never its wording or the field's path), every field at
 * once; `invalidInput` and a refused card keep the path for programs and carry the sentences for
 * people, which is what the studio's errors show.
 */
import { describe, expect, it } from 'vitest';
import { AssetCard, parseCardShape } from '../../shared/asset.ts';
import { invalidInput } from '../../shared/errors.ts';
import { count, fieldErrors } from '../../shared/form-errors.ts';
import { RegisterInput } from '../../shared/marketplace.ts';
import { LicenseOfferInput } from '../../shared/payments.ts';
import { StudioError } from '../../renderer/src/api.ts';

const character = (c: Record<string, unknown>) => ({ asset_type: 'character', name: 'Wendel', character: c });
const cardErrors = (c: Record<string, unknown>) => {
  const r = AssetCard.safeParse(character(c));
  if (r.success) throw new Error('expected a refusal');
  return fieldErrors(r.error.issues, { schema: AssetCard });
};

describe('field errors in plain words', () => {
  it('a number field says its own range, whatever was wrong (too small, huge, a fraction)', () => {
    for (const level of [-1, 1e20, 1.5, 2000]) {
      expect(cardErrors({ level })).toEqual({ 'character.level': 'Level must be a whole number from 0 to 1000' });
    }
  });

  it('a long text says its limit in characters, grouped for reading; no path, no zod wording', () => {
    const e = cardErrors({ backstory_summary: 'x'.repeat(20_001) });
    expect(e).toEqual({ 'character.backstory_summary': 'Backstory can be at most 20\u00a0000 characters' });
    expect(count(1000)).toBe('1000');
  });

  it('sign-up: every field at once, with the form labels', () => {
    const r = RegisterInput.safeParse({ email: 'frog', password: 'short', displayName: '  ' });
    expect(r.success).toBe(false);
    expect(fieldErrors(r.error?.issues ?? [], { schema: RegisterInput })).toEqual({
      email: 'Email must be an email address, like name@example.com',
      password: 'Password must be at least 10 characters',
      displayName: 'Display name is required',
    });
  });

  it('a license offer: every term at once; a positive whole number says "1 or more"', () => {
    const r = LicenseOfferInput.safeParse({
      licenseType: 'rights_managed',
      priceCents: 999,
      terms: { usageRights: ['web'], territory: ['worldwide'], durationDays: 0, maxImpressions: 1.5, royaltyPercent: 60 },
    });
    expect(fieldErrors(r.error?.issues ?? [], { schema: LicenseOfferInput })).toEqual({
      'terms.durationDays': 'Duration must be a whole number from 1 to 36\u00a0500',
      'terms.maxImpressions': 'Max impressions must be a whole number of 1 or more',
      'terms.royaltyPercent': 'Royalty must be a whole number from 0 to 50',
    });
  });

  it('a missing field is required; a label given by the form wins', () => {
    const r = RegisterInput.safeParse({ email: 'a@b.co', password: 'long enough password' });
    expect(fieldErrors(r.error?.issues ?? [], { label: (p) => (p === 'displayName' ? 'Your name' : p) })).toEqual({
      displayName: 'Your name is required',
    });
  });
});

describe('errors that cross the transports', () => {
  it('invalidInput keeps the path for programs and carries every field in plain words', () => {
    const schema = RegisterInput;
    const r = schema.safeParse({ email: 'frog', password: 'short', displayName: '' });
    const body = invalidInput(r.error as never, { schema }).toBody();
    expect(body.field).toBe('email');
    expect(body.message).toMatch(/^email: /);
    expect(body.details).toEqual({
      issues: [
        { field: 'email', message: 'Email must be an email address, like name@example.com' },
        { field: 'password', message: 'Password must be at least 10 characters' },
        { field: 'displayName', message: 'Display name is required' },
      ],
    });
    // What a person sees in the studio: the sentence, never "email: Invalid email address".
    const shown = new StudioError(body);
    expect(shown.message).toBe('Email must be an email address, like name@example.com');
    expect(shown.field).toBe('email');
    expect(shown.issues).toHaveLength(3);
  });

  it('a refused card names every field in plain words', () => {
    const r = parseCardShape(character({ level: 1e20, backstory_summary: 'x'.repeat(20_001) }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe('character.level');
    expect(r.issues).toEqual([
      { field: 'character.level', message: 'Level must be a whole number from 0 to 1000' },
      { field: 'character.backstory_summary', message: 'Backstory can be at most 20\u00a0000 characters' },
    ]);
  });
});
