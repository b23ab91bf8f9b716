/** Error mapping: validation failures to 400s naming the field, thrown errors to the JSON error body `{ error: { code, message, field } }`. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../../shared/api.ts';

/** A zod failure as a 400 naming the first offending field. */
export function fieldError(err: z.ZodError, prefix = ''): ApiError {
  const issue = err.issues[0];
  const field = `${prefix}${issue?.path.join('.') ?? ''}` || '(body)';
  return new ApiError('invalid_input', `${field}: ${issue?.message ?? 'invalid'}`, field, 400);
}

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
