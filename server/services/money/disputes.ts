/** Disputes: a buyer or creator opens one about a paid purchase; an impartial moderator resolves it (refund or not), audited. */
import { ApiError } from '../../../shared/api.ts';
import type { DisputeView } from '../../../shared/payments.ts';
import type { UserRow } from '../../auth.ts';
import { type Parties, isStaff } from '../../authz.ts';
import type { Sql } from '../../db.ts';
import type { DisputeRow } from '../../repos/money/disputes.ts';
import { type MoneyContext, iso } from './context.ts';
import type { RefundsService } from './refunds.ts';

/** What resolving a dispute needs from moderation: the conflict-of-interest check and the audit log. */
export interface DisputeModeration {
  impartial(staff: UserRow, target: { type: string; id: string }, attempted: string, parties: Parties): Promise<void>;
  audit(
    sql: Sql,
    actor: UserRow,
    action: string,
    target: { type: string; id: string },
    reason: string,
    details: Record<string, unknown>,
  ): Promise<void>;
}

function disputeView(d: DisputeRow): DisputeView {
  return {
    id: Number(d.id),
    purchaseId: d.purchase_id,
    assetId: d.asset_id,
    assetName: d.asset_name,
    source: d.source,
    reason: d.reason,
    state: d.state,
    outcome: d.outcome,
    resolution: d.resolution,
    amountCents: d.amount_cents,
    createdAt: iso(d.created_at) as string,
    resolvedAt: iso(d.resolved_at),
  };
}

export class DisputesService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly refunds: Pick<RefundsService, 'refund'>,
    private readonly moderation: () => DisputeModeration,
  ) {}

  async openDispute(user: UserRow, purchaseId: string, reason: string): Promise<DisputeView> {
    const { purchases, disputes } = this.ctx.repos;
    const p = await purchases.findPurchase(this.ctx.db, purchaseId);
    const side = p?.buyer_id === user.id ? 'buyer' : p?.creator_id === user.id ? 'creator' : null;
    if (!p || !side) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    if (p.status !== 'paid') throw new ApiError('not_disputable', `this purchase is ${p.status}`, 'id', 409);
    return this.ctx.db.tx(async (sql) => {
      if (await disputes.hasOpenDispute(sql, purchaseId))
        throw new ApiError('dispute_open', 'a dispute about this purchase is already open', 'id', 409);
      const id = await disputes.insertDispute(sql, { purchaseId, openedBy: user.id, source: side, reason });
      const other = side === 'buyer' ? p.creator_id : p.buyer_id;
      await this.ctx.events.emit('dispute.opened', {
        tx: sql,
        disputeId: id,
        purchaseId,
        name: p.asset_name,
        openedBy: user.id,
        side,
        otherParty: other,
      });
      return disputeView((await disputes.findDispute(sql, id)) as DisputeRow);
    });
  }

  async disputes(user: UserRow): Promise<DisputeView[]> {
    const staff = isStaff(user);
    const rows = await this.ctx.repos.disputes.listDisputes(this.ctx.db, staff ? null : user.id);
    return rows.map(disputeView);
  }

  async resolveDispute(mod: UserRow, id: number, input: { outcome: 'refund' | 'no_refund'; resolution: string }): Promise<DisputeView> {
    const { disputes } = this.ctx.repos;
    const d = await disputes.findDispute(this.ctx.db, id);
    if (!d) throw new ApiError('not_found', 'no such dispute', 'id', 404);
    const moderation = this.moderation();
    await moderation.impartial(mod, { type: 'dispute', id: String(id) }, `dispute_${input.outcome}`, {
      buyerId: d.buyer_id,
      creatorId: d.creator_id,
    });
    if (d.state !== 'open') throw new ApiError('dispute_resolved', 'this dispute is already resolved', 'id', 409);
    if (input.outcome === 'refund') await this.refunds.refund(d.purchase_id, 'dispute_resolution', input.resolution);
    await this.ctx.db.tx(async (sql) => {
      await disputes.resolveDispute(sql, id, { outcome: input.outcome, resolution: input.resolution, by: mod.id });
      await this.ctx.events.emit('dispute.resolved', {
        tx: sql,
        disputeId: id,
        outcome: input.outcome,
        resolution: input.resolution,
        parties: [d.buyer_id, d.creator_id],
      });
      await moderation.audit(sql, mod, 'dispute_resolved', { type: 'dispute', id: String(id) }, input.resolution, {
        outcome: input.outcome,
        purchaseId: d.purchase_id,
      });
    });
    return disputeView((await disputes.findDispute(this.ctx.db, id)) as DisputeRow);
  }
}
