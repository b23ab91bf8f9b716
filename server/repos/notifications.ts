/** SQL for a user's notifications. */
import type { Sql } from '../db.ts';

export interface NotificationRow {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
}

export async function insert(sql: Sql, userId: string, kind: string, payload: Record<string, unknown>): Promise<void> {
  await sql.query('INSERT INTO notifications (user_id, kind, payload) VALUES ($1, $2, $3)', [userId, kind, JSON.stringify(payload)]);
}

export async function latest(sql: Sql, userId: string): Promise<NotificationRow[]> {
  return (await sql.query<NotificationRow>('SELECT * FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 200', [userId])).rows;
}

export async function markRead(sql: Sql, userId: string, id: number): Promise<number> {
  const r = await sql.query('UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL', [id, userId]);
  return r.rowCount;
}
