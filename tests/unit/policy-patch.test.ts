/** tests/helpers/policy.ts: a policy variant changes only the fields it names, at any depth, and leaves the default policy as it was. */
import { describe, expect, it } from 'vitest';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { localWith, patched, policyWith } from '../helpers/policy.ts';

describe('policy variants for tests', () => {
  it('replaces a field three levels down and keeps every other field', () => {
    const before = JSON.stringify(UNIQUENESS_POLICY);
    const p = policyWith({ local: { appearance: { refine: { affineMaxStretch: 0 } } } });
    expect(p.local.appearance.refine.affineMaxStretch).toBe(0);
    expect(p.local.appearance.refine.iterations).toBe(UNIQUENESS_POLICY.local.appearance.refine.iterations);
    expect(p.local.appearance.minScore).toBe(UNIQUENESS_POLICY.local.appearance.minScore);
    expect(p.visual).toBe(UNIQUENESS_POLICY.visual);
    // Only that field differs: setting it back gives the default policy.
    const back = patched(p, {
      local: { appearance: { refine: { affineMaxStretch: UNIQUENESS_POLICY.local.appearance.refine.affineMaxStretch } } },
    });
    expect(back).toEqual(UNIQUENESS_POLICY);
    expect(JSON.stringify(UNIQUENESS_POLICY)).toBe(before);
  });

  it('patches two branches at once and replaces arrays whole', () => {
    const p = policyWith({ visual: { reliable: { on: false } }, local: { tilt: { factors: [1.5] } } });
    expect(p.visual.reliable.on).toBe(false);
    expect(p.local.tilt.factors).toEqual([1.5]);
    expect(localWith({ aligned: { candidates: 0 } }).aligned.candidates).toBe(0);
    expect(localWith({}).aligned).toEqual(UNIQUENESS_POLICY.local.aligned);
  });

  it('refuses a field the policy does not have', () => {
    expect(() => patched({ a: { b: 1 } }, { a: { c: 2 } } as never)).toThrow('no field "c"');
  });
});
