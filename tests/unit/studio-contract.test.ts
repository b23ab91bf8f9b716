// The studio's contract composed from its domains (no method lost or defined twice), the one
// engine→API error mapping, and money formatting with the unit in the name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accountInputs } from '../../shared/contracts/studio/account.ts';
import { adminInputs } from '../../shared/contracts/studio/admin.ts';
import { appInputs } from '../../shared/contracts/studio/app.ts';
import { checkInputs } from '../../shared/contracts/studio/check.ts';
import { draftInputs } from '../../shared/contracts/studio/drafts.ts';
import { API_METHODS, INTERNAL_METHODS, apiInputs } from '../../shared/contracts/studio/index.ts';
import { libraryInputs } from '../../shared/contracts/studio/library.ts';
import { marketInputs } from '../../shared/contracts/studio/market.ts';
import { mediaInputs } from '../../shared/contracts/studio/media.ts';
import { modelInputs } from '../../shared/contracts/studio/models.ts';
import { moneyInputs } from '../../shared/contracts/studio/money.ts';
import { revisionInputs } from '../../shared/contracts/studio/revisions.ts';
import { syncInputs } from '../../shared/contracts/studio/sync.ts';
import { trustInputs } from '../../shared/contracts/studio/trust.ts';
import { ApiError, EngineError, HOST_ENGINE_ERRORS, fromEngineError, invalidInput } from '../../shared/errors.ts';
import { iso, usdFromCents, usdFromMicros } from '../../shared/format.ts';
import { EngineError as EngineErrorFromEngine } from '../../engine/errors.ts';

const DOMAINS = [
  appInputs,
  libraryInputs,
  revisionInputs,
  mediaInputs,
  checkInputs,
  draftInputs,
  modelInputs,
  accountInputs,
  adminInputs,
  syncInputs,
  marketInputs,
  moneyInputs,
  trustInputs,
];

describe('the studio contract', () => {
  it('is the union of its domains, each method defined by exactly one domain', () => {
    const all = DOMAINS.flatMap((d) => Object.keys(d));
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(apiInputs).sort()).toEqual([...all].sort());
    for (const d of DOMAINS) for (const [m, schema] of Object.entries(d)) expect(apiInputs[m as keyof typeof apiInputs]).toBe(schema);
  });

  it('exposes to the page every method but the internal ones', () => {
    expect(API_METHODS.length).toBe(Object.keys(apiInputs).length - INTERNAL_METHODS.size);
    for (const m of INTERNAL_METHODS) expect(API_METHODS).not.toContain(m);
  });
});

describe('engine errors to API errors', () => {
  it('engine/errors.ts and shared/errors.ts are one class', () => {
    expect(new EngineErrorFromEngine('x', 'y')).toBeInstanceOf(EngineError);
  });

  it('keeps the code, names the input, and answers sizes with 413 and cancelled work with 503', () => {
    const big = fromEngineError(new EngineError('too_many_pixels', '8000×8000 is too large'), { field: 'image', prefix: 'huge.png' });
    expect(big).toBeInstanceOf(ApiError);
    expect((big as ApiError).toBody()).toEqual({ code: 'too_many_pixels', message: 'huge.png: 8000×8000 is too large', field: 'image' });
    expect((big as ApiError).status).toBe(413);
    expect((fromEngineError(new EngineError('cancelled', 'stopped')) as ApiError).status).toBe(503);
    expect((fromEngineError(new EngineError('not_an_image', 'no')) as ApiError).status).toBe(400);
  });

  it('keeps the engine’s field unless told otherwise, and renames it through a function', () => {
    expect((fromEngineError(new EngineError('bad', 'm', 'card.name')) as ApiError).field).toBe('card.name');
    const rename = (f: string | undefined) => (f === 'file' ? 'card.media' : (f ?? 'image'));
    expect((fromEngineError(new EngineError('bad', 'm', 'file'), { field: rename }) as ApiError).field).toBe('card.media');
    expect((fromEngineError(new EngineError('bad', 'm'), { field: rename }) as ApiError).field).toBe('image');
  });

  it('returns anything else unchanged, and host faults too where the caller keeps them internal', () => {
    const other = new Error('disk on fire');
    expect(fromEngineError(other)).toBe(other);
    for (const code of HOST_ENGINE_ERRORS) {
      const e = new EngineError(code, 'missing');
      expect(fromEngineError(e, { hostFaultsInternal: true })).toBe(e);
      expect(fromEngineError(e)).toBeInstanceOf(ApiError);
    }
  });

  it('names the first offending field of a failed zod parse', () => {
    const r = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(invalidInput(r.error).toBody()).toMatchObject({ code: 'invalid_input', field: 'a.b' });
    expect(invalidInput(r.error, { prefix: 'body.' }).field).toBe('body.a.b');
  });
});

describe('money and time formatting', () => {
  it('formats micro-dollars exactly: cents when exact, otherwise the decimals that are there', () => {
    expect(usdFromMicros(4_990_000)).toBe('$4.99');
    expect(usdFromMicros(1_234)).toBe('$0.001234');
    expect(usdFromMicros(-1_500_000)).toBe('−$1.50');
    expect(usdFromMicros(123_456_780_000)).toBe('$123,456.78');
  });

  it('formats cents as the same amount in micro-dollars, as whole dollars and two digits below $1000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (c) => {
        expect(usdFromCents(c)).toBe(usdFromMicros(c * 10_000));
        expect(usdFromCents(c)).toBe(`$${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
      }),
    );
  });

  it('turns database timestamps into ISO text, and none into null', () => {
    expect(iso('2026-01-02T03:04:05Z')).toBe('2026-01-02T03:04:05.000Z');
    expect(iso(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(iso(null)).toBeNull();
    expect(iso(undefined)).toBeNull();
  });
});
