/**
 * Idempotent POSTs: a request is run once per (account, Idempotency-Key). The first response
 * (success or client error) is stored and replayed for every retry with the same key; a retry
 * while the first is still running gets 409; a server error forgets the key so the retry runs again.
 */
import { ApiError } from '../../shared/api.ts';
import type { Sql } from '../db.ts';
import { claimKey, findKey, forgetKey, storeResponse } from '../repos/idempotency.ts';

export async function idempotent(db: Sql, userId: string, key: string, path: string, run: () => Promise<Response>): Promise<Response> {
  if (key.length > 200) throw new ApiError('invalid_input', 'Idempotency-Key: at most 200 characters', 'Idempotency-Key', 400);
  if (!(await claimKey(db, userId, key, path))) {
    const prior = await findKey(db, userId, key);
    if (prior?.path !== path)
      throw new ApiError('idempotency_key_reused', 'this Idempotency-Key was used for a different request', 'Idempotency-Key', 422);
    if (prior.state !== 'done')
      throw new ApiError(
        'idempotency_in_progress',
        'the first request with this Idempotency-Key is still running; retry shortly',
        'Idempotency-Key',
        409,
      );
    return new Response(JSON.stringify(prior.body), {
      status: prior.status,
      headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
    });
  }
  let res: Response;
  try {
    res = await run();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status >= 500) {
      await forgetKey(db, userId, key);
      throw err;
    }
    res = new Response(JSON.stringify({ error: err.toBody() }), { status: err.status, headers: { 'content-type': 'application/json' } });
  }
  if (res.status >= 500 || !(res.headers.get('content-type') ?? '').includes('json')) {
    await forgetKey(db, userId, key);
    return res;
  }
  await storeResponse(db, userId, key, res.status, await res.clone().text());
  return res;
}
