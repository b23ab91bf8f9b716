/** Error responses: thrown errors as the JSON error body `{ error: { code, message, field } }` (a zod failure becomes an ApiError through shared/errors.ts invalidInput). */
import type { Context } from 'hono';
import { ApiError } from '../../shared/api.ts';

/** The response for an error a route threw: its own status for an ApiError, 500 (logged) for anything else. */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    const retry = err.details?.retryAfterSeconds;
    if (err.status === 429 && typeof retry === 'number') c.header('Retry-After', String(retry));
    // The refused body is not read: the connection is closed after the answer rather than reused mid-body.
    if (err.status === 413) c.header('Connection', 'close');
    return c.json({ error: err.toBody() }, err.status as 400);
  }
  if (err instanceof URIError) return c.json({ error: { code: 'malformed_path', message: 'the path is not valid percent-encoding' } }, 400);
  console.error('[server] unhandled', err);
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}

export const notFoundResponse = (c: Context): Response =>
  c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404);
