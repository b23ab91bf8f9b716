/** A user's notifications: written inside the transaction of what they report, listed newest first, marked read. */
import { iso } from '../../../shared/format.ts';
import type { UserRow } from '../../auth.ts';
import type { Database, Sql } from '../../db.ts';
import type * as notificationsRepo from '../../repos/notifications.ts';

export type NotificationsRepo = Pick<typeof notificationsRepo, 'insert' | 'latest' | 'markRead'>;

export class NotificationsService {
  constructor(
    private readonly db: Database,
    private readonly repo: NotificationsRepo,
  ) {}

  notify(sql: Sql, userId: string, kind: string, payload: Record<string, unknown>): Promise<void> {
    return this.repo.insert(sql, userId, kind, payload);
  }

  async notifications(user: UserRow) {
    return (await this.repo.latest(this.db, user.id)).map((n) => ({
      id: Number(n.id),
      kind: n.kind,
      payload: n.payload,
      createdAt: iso(n.created_at) as string,
      readAt: iso(n.read_at),
    }));
  }

  async markRead(user: UserRow, id: number) {
    return { updated: await this.repo.markRead(this.db, user.id, id) };
  }
}
