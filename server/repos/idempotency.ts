/** SQL for Idempotency-Key replays: one row per (account, key) while the first request runs, then its stored response. */
import type { Sql } from '../db.ts';

/** Claims the key for a running request; false when the key already exists. */
export async function claim(sql: Sql, userId: string, key: string, path: string): Promise<boolean> {
  const r = await sql.query(
    `INSERT INTO idempotency_keys (user_id, key, method, path, state) VALUES ($1, $2, 'POST', $3, 'running') ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, path],
  );
  return r.rows.length > 0;
}

export async function find(
  sql: Sql,
  userId: string,
  key: string,
): Promise<{ path: string; state: string; status: number; body: unknown } | undefined> {
  return (
    await sql.query<{ path: string; state: string; status: number; body: unknown }>(
      'SELECT * FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    )
  ).rows[0];
}

export async function forget(sql: Sql, userId: string, key: string): Promise<void> {
  await sql.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key]);
}

export async function complete(sql: Sql, userId: string, key: string, status: number, body: string): Promise<void> {
  await sql.query(`UPDATE idempotency_keys SET state = 'done', status = $3, body = $4 WHERE user_id = $1 AND key = $2`, [
    userId,
    key,
    status,
    body,
  ]);
}
