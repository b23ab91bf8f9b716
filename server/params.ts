/** Schemas of path parameters shared by the route tables: row ids (bigserial) and UUIDs. */
import { z } from 'zod';

/** A database row id in a path (bigserial): a positive integer the database can hold. */
export const IntId = z.string().regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer');
/** A UUID in a path (assets, accounts, purchases, license offers). */
export const UuidId = z.uuid('must be an id (UUID)');
