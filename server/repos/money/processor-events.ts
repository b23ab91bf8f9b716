/** SQL for processor (webhook) events: claim one for processing once, mark it done or failed. */
import type { Sql } from '../../db.ts';

/** Claims an event; false when it was handled (or is being handled) already. A failed one may be claimed again. */
export async function claimEvent(sql: Sql, id: string, type: string): Promise<boolean> {
  const claimed = await sql.query(
    `INSERT INTO processor_events (id, type, state) VALUES ($1, $2, 'processing')
     ON CONFLICT (id) DO UPDATE SET state = 'processing', error = NULL WHERE processor_events.state = 'failed' RETURNING id`,
    [id, type],
  );
  return claimed.rows.length > 0;
}

export async function markEventDone(sql: Sql, id: string): Promise<void> {
  await sql.query(`UPDATE processor_events SET state = 'done', processed_at = now() WHERE id = $1`, [id]);
}

export async function markEventFailed(sql: Sql, id: string, error: string): Promise<void> {
  await sql.query(`UPDATE processor_events SET state = 'failed', error = $2 WHERE id = $1`, [id, error]);
}
