/** Purchases as the buyer sees them: one purchase (re-read from the processor while pending), a buyer's list, the refund window. */
import { ApiError } from '../../../shared/api.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import type { UserRow } from '../../auth.ts';
import { isStaff } from '../../authz.ts';
import type { PurchaseRow } from '../../repos/money/purchases.ts';
import { DAY, type MoneyContext, iso } from './context.ts';

export class PurchasesService {
  constructor(
    private readonly ctx: MoneyContext,
    /** Re-reads a checkout session from the processor and applies it (fulfilment). */
    private readonly syncCheckout: (sessionId: string) => Promise<void>,
  ) {}

  /** The buyer's own purchase; 404 for anyone else. */
  async ownPurchase(user: UserRow, purchaseId: string): Promise<PurchaseRow> {
    const p = await this.ctx.repos.purchases.findPurchase(this.ctx.db, purchaseId);
    if (!p || p.buyer_id !== user.id) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    return p;
  }

  refundableUntil(p: Pick<PurchaseRow, 'kind' | 'status' | 'paid_at'>): Date | null {
    if (p.status !== 'paid' || !p.paid_at || (p.kind !== 'one_time' && p.kind !== 'license')) return null;
    return new Date(new Date(p.paid_at).getTime() + this.ctx.policy.refundWindowDays * DAY);
  }

  private async subscriptionOf(id: string | null) {
    if (!id) return null;
    const s = await this.ctx.repos.subscriptions.findSubscription(this.ctx.db, id);
    return s ? { id: s.id, status: s.status, interval: s.interval, currentPeriodEnd: iso(s.current_period_end) } : null;
  }

  async purchaseView(id: string): Promise<PurchaseView> {
    const p = await this.ctx.repos.purchases.findPurchase(this.ctx.db, id);
    if (!p) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    return {
      id: p.id,
      kind: p.kind,
      status: p.status,
      assetId: p.asset_id,
      assetName: p.asset_name,
      version: p.version,
      amountCents: p.amount_cents,
      checkoutUrl: p.status === 'pending' ? p.checkout_url : null,
      processor: this.ctx.processor.kind,
      licenseType: p.license_type,
      licenseKey: p.license_key,
      terms: p.license_terms,
      licenseExpiresAt: iso(p.license_expires_at),
      impressionsUsed: Number(p.impressions_used),
      subscription: await this.subscriptionOf(p.subscription_id),
      refundableUntil: iso(this.refundableUntil(p)),
      refundReason: p.refund_reason,
      createdAt: iso(p.created_at) as string,
      paidAt: iso(p.paid_at),
      refundedAt: iso(p.refunded_at),
    };
  }

  /** A buyer's purchase; a pending one is re-read from the processor first, so returning from checkout shows the result even before the webhook. */
  async purchase(user: UserRow, id: string): Promise<PurchaseView> {
    const p = await this.ctx.repos.purchases.findPurchase(this.ctx.db, id);
    const staff = isStaff(user);
    if (!p || (p.buyer_id !== user.id && !staff)) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    if (p.status === 'pending' && p.checkout_session_id) await this.syncCheckout(p.checkout_session_id);
    return this.purchaseView(id);
  }

  async myPurchases(user: UserRow): Promise<PurchaseView[]> {
    const ids = await this.ctx.repos.purchases.purchaseIdsOf(this.ctx.db, user.id);
    return Promise.all(ids.map((id) => this.purchaseView(id)));
  }
}
