/** Schemas of path parameters shared by the route tables — row ids (bigserial) and UUIDs — and the one parse of a row id. */
import { z } from 'zod';
import { ApiError } from '../shared/errors.ts';

/** A database row id in a path (bigserial): a positive integer the database can hold. */
export const IntId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer');
/** A UUID in a path (assets, accounts, purchases, license offers). */
export const UuidId = z.uuid('must be an id (UUID)');

/** A row id from a path parameter as a number: 400 naming `field` when it is not a positive integer. */
export function positiveId(v: string | undefined, field: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ApiError('invalid_input', `${field}: must be a positive integer`, field, 400);
  return n;
}
