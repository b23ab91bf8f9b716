/** Variants of the uniqueness policy for tests: the default policy with a few fields changed, however deep they sit. */
import { UNIQUENESS_POLICY, type UniquenessPolicy } from '../../shared/policy/uniqueness.ts';

/** Any subset of a policy's fields, at any depth; arrays and numbers are replaced whole. */
export type PolicyPatch<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: PolicyPatch<T[K]> } : T;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `patch`'s fields in place of its own; objects merged field by field, the base never modified. */
export function patched<T>(base: T, patch: PolicyPatch<T>): T {
  if (!isRecord(base) || !isRecord(patch)) return patch as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!(key in base)) throw new Error(`policy patch: no field "${key}" in the policy`);
    out[key] = patched(base[key], value as PolicyPatch<unknown>);
  }
  return out as T;
}

/** The default uniqueness policy with `patch` applied. */
export const policyWith = (patch: PolicyPatch<UniquenessPolicy>): UniquenessPolicy => patched<UniquenessPolicy>(UNIQUENESS_POLICY, patch);

/** The default local-feature policy (UNIQUENESS_POLICY.local) with `patch` applied. */
export const localWith = (patch: PolicyPatch<UniquenessPolicy['local']>): UniquenessPolicy['local'] =>
  patched<UniquenessPolicy['local']>(UNIQUENESS_POLICY.local, patch);
