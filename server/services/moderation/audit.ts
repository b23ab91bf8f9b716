/**
 * The append-only audit log of staff actions, and the conflict-of-interest check (server/authz.ts)
 * whose refusals it records. Other services take it as the small `AuditLog` interface.
 */
import { iso } from '../../../shared/format.ts';
import type { UserRow } from '../../auth.ts';
import { type Parties, assertImpartial } from '../../authz.ts';
import { toCsv } from '../../csv.ts';
import type { Database, Sql } from '../../db.ts';
import type * as moderationRepo from '../../repos/moderation.ts';

export type Target = { type: string; id: string };

/** What services that act on behalf of staff need from the audit log. */
export interface AuditLog {
  audit(
    sql: Sql,
    actor: UserRow | null,
    action: string,
    target: Target,
    reason: string | null,
    details?: Record<string, unknown>,
  ): Promise<void>;
  /** Call before the decision's transaction: a refusal is written to the log and must stay there. */
  impartial(staff: UserRow, target: Target, attempted: string, parties: Parties): Promise<void>;
}

export type AuditRepo = Pick<typeof moderationRepo, 'insertAudit' | 'auditSince'>;

export class AuditService implements AuditLog {
  constructor(
    private readonly db: Database,
    private readonly repo: AuditRepo,
  ) {}

  impartial(staff: UserRow, target: Target, attempted: string, parties: Parties): Promise<void> {
    return assertImpartial(staff, parties, (why) => this.audit(this.db, staff, 'conflict_of_interest_refused', target, why, { attempted }));
  }

  async audit(
    sql: Sql,
    actor: UserRow | null,
    action: string,
    target: Target,
    reason: string | null,
    details: Record<string, unknown> = {},
  ) {
    await this.repo.insertAudit(sql, {
      actorId: actor?.id ?? null,
      actorName: actor?.display_name ?? 'system',
      action,
      targetType: target.type,
      targetId: target.id,
      reason,
      details,
    });
  }

  async auditLog(since?: string) {
    return (await this.repo.auditSince(this.db, since ?? null)).map((x) => ({
      id: Number(x.id),
      at: iso(x.created_at) as string,
      actorId: x.actor_id,
      actor: x.actor_name,
      action: x.action,
      targetType: x.target_type,
      targetId: x.target_id,
      reason: x.reason,
      details: x.details as Record<string, unknown>,
    }));
  }

  async auditCsv(since?: string): Promise<string> {
    const rows = [['id', 'at', 'actor_id', 'actor', 'action', 'target_type', 'target_id', 'reason', 'details']];
    for (const e of await this.auditLog(since))
      rows.push([
        e.id.toString(),
        e.at,
        e.actorId ?? '',
        e.actor,
        e.action,
        e.targetType,
        e.targetId,
        e.reason ?? '',
        JSON.stringify(e.details),
      ]);
    return toCsv(rows);
  }
}
