/**
 * Text the database cannot store: PostgreSQL text holds no U+0000 (a query carrying one fails inside
 * the database), so a query value, JSON body or submitted card holding it is refused at the boundary
 * with a 400 naming the field.
 */
import { ApiError } from '../../shared/errors.ts';

/** The first string (or object key) in `value` that holds U+0000, as a field path, or null. */
export function fieldWithNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = fieldWithNul(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return path ? `${path}.${k}` : k;
      const hit = fieldWithNul(v, path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return null;
}

/** Throws a 400 naming the first field (under `prefix`) whose text holds U+0000. */
export function refuseNul(value: unknown, prefix = ''): void {
  const found = fieldWithNul(value);
  const field = found && prefix ? (found === '(body)' ? prefix : `${prefix}.${found}`) : found;
  if (field) throw new ApiError('invalid_text', `${field}: text cannot contain the NUL character (U+0000)`, field, 400);
}
