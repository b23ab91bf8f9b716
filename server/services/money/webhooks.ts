/** Webhooks: verifies the processor's signature, handles each event once (safe to repeat or reorder), and dispatches it to fulfilment, subscriptions or refunds. */
import { ApiError } from '../../../shared/api.ts';
import type { ProcessorEvent } from '../../payments/processor.ts';
import type { PurchaseRow } from '../../repos/money/purchases.ts';
import type { MoneyContext } from './context.ts';
import type { FulfilmentService } from './fulfilment.ts';
import type { RefundsService } from './refunds.ts';
import type { SubscriptionsService } from './subscriptions.ts';

export class WebhooksService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly deps: {
      fulfilment: Pick<FulfilmentService, 'syncCheckout'>;
      subscriptions: Pick<SubscriptionsService, 'settleInvoice' | 'endSubscription'>;
      refunds: Pick<RefundsService, 'applyRefund' | 'settleUnfulfilled'>;
    },
  ) {}

  /** Verifies the signature on the raw body, handles each event once, and is safe to repeat or reorder. */
  async webhook(raw: string, signature: string | undefined): Promise<{ received: true; duplicate: boolean; type: string }> {
    const { processorEvents } = this.ctx.repos;
    const event = this.ctx.processor.parseWebhook(raw, signature);
    if (!event) throw new ApiError('bad_signature', 'the Stripe-Signature header does not match this payload', 'stripe-signature', 400);
    if (!(await processorEvents.claimEvent(this.ctx.db, event.id, event.type)))
      return { received: true, duplicate: true, type: event.type };
    try {
      await this.handle(event);
      await processorEvents.markEventDone(this.ctx.db, event.id);
    } catch (e) {
      await processorEvents.markEventFailed(this.ctx.db, event.id, String((e as Error).message));
      throw new ApiError('webhook_failed', `event ${event.id} could not be processed; the processor will retry it`, undefined, 500);
    }
    return { received: true, duplicate: false, type: event.type };
  }

  private async handle(event: ProcessorEvent): Promise<void> {
    switch (event.action) {
      case 'checkout_changed':
        return this.deps.fulfilment.syncCheckout(event.sessionId);
      case 'charge_refunded':
        return this.onChargeRefunded(event.chargeId);
      case 'invoice_paid':
        return this.deps.subscriptions.settleInvoice(event.invoiceId);
      case 'subscription_ended':
        return this.deps.subscriptions.endSubscription(event.subscriptionId);
      default:
        return; // events the marketplace does not act on
    }
  }

  /** A refund seen by the processor (ours, or one made in its dashboard), possibly before the payment itself. */
  private async onChargeRefunded(chargeId: string) {
    const { purchases } = this.ctx.repos;
    const ch = await this.ctx.processor.retrieveCharge(chargeId);
    const piId = ch.paymentIntentId;
    let p = await purchases.findByPaymentIntentOrId(this.ctx.db, piId ?? '', ch.purchaseId ?? '');
    if (!p) return;
    if (p.status === 'pending' || p.status === 'expired') {
      // The refund arrived before the payment's own event: settle the payment first.
      for (const s of await this.ctx.processor.checkoutsForPaymentIntent(piId ?? '')) await this.deps.fulfilment.syncCheckout(s);
      p = (await purchases.findPurchase(this.ctx.db, p.id)) as PurchaseRow;
    }
    if (ch.amountRefundedCents < ch.amountCents) return; // partial refunds made outside the marketplace are reconciled by hand
    if (p.status === 'paid') {
      const reason = (await this.ctx.processor.refundReasonCode(ch.id)) ?? 'other';
      await this.deps.refunds.applyRefund(p.id, reason, 'refunded at the payment processor');
    }
    if (p.status === 'unfulfilled') await this.deps.refunds.settleUnfulfilled(p.id, p.amount_cents);
  }
}
