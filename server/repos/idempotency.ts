/** SQL for idempotency keys: claim a (account, key) pair, read what it holds, store its first response, forget it. */
import type { Sql } from '../db.ts';

export interface IdempotencyRow {
  path: string;
  state: string;
  status: number;
  body: unknown;
}

/** Claims the key for a running request; false when it was already claimed. */
export async function claimKey(sql: Sql, userId: string, key: string, path: string): Promise<boolean> {
  const r = await sql.query(
    `INSERT INTO idempotency_keys (user_id, key, method, path, state) VALUES ($1, $2, 'POST', $3, 'running') ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, path],
  );
  return r.rows.length > 0;
}

export async function findKey(sql: Sql, userId: string, key: string): Promise<IdempotencyRow | undefined> {
  return (await sql.query<IdempotencyRow>('SELECT * FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key])).rows[0];
}

/** Stores the first response (status and JSON text) under the key. */
export async function storeResponse(sql: Sql, userId: string, key: string, status: number, body: string): Promise<void> {
  await sql.query(`UPDATE idempotency_keys SET state = 'done', status = $3, body = $4 WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
    status,
    body,
  ]);
}

/** Forgets the key so a retry runs again. */
export async function forgetKey(sql: Sql, userId: string, key: string): Promise<void> {
  await sql.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
}
