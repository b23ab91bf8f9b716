/**
 * The payment processor behind a narrow interface: the only file that imports `stripe`. The money
 * services see checkout sessions, charges, subscriptions, refunds, transfers and webhook events in
 * the marketplace's own terms (cents, ids, settled fees); `createProcessor` points the SDK at Stripe
 * or at the local test processor.
 */
import Stripe from 'stripe';

/** A card charge the processor settled: what was paid and what the processor kept. */
export interface SettledCharge {
  paymentIntentId: string;
  chargeId: string;
  amountCents: number;
  feeCents: number;
  currency: string;
}

export interface CheckoutRequest {
  purchaseId: string;
  kind: string;
  subscription: boolean;
  amountCents: number;
  label: string;
  interval: 'month' | 'year';
  customerEmail: string;
  successUrl: string;
  cancelUrl: string;
  /** Set for exclusive holds: the session may not outlive the hold. */
  expiresAt: Date | null;
}

export interface CheckoutState {
  id: string;
  purchaseId: string | null;
  expired: boolean;
  paid: boolean;
  subscription: boolean;
  subscriptionId: string;
  /** The settled charge of a paid one-off checkout; null otherwise. */
  charge: SettledCharge | null;
}

export interface SubscriptionState {
  id: string;
  interval: string;
  currentPeriodEnd: Date | null;
}

export interface InvoiceState {
  id: string;
  subscriptionId: string | null;
  purchaseId: string | null;
  paymentIntentId: string | null;
}

export interface ChargeState {
  id: string;
  paymentIntentId: string | null;
  purchaseId: string | null;
  amountCents: number;
  amountRefundedCents: number;
}

/** The marketplace's reading of one webhook event. */
export type ProcessorEvent = { id: string; type: string } & (
  | { action: 'checkout_changed'; sessionId: string }
  | { action: 'charge_refunded'; chargeId: string }
  | { action: 'invoice_paid'; invoiceId: string }
  | { action: 'subscription_ended'; subscriptionId: string }
  | { action: 'none' }
);

export interface PaymentProcessor {
  readonly kind: 'stripe' | 'local_test';
  createCheckout(req: CheckoutRequest, idempotencyKey: string): Promise<{ id: string; url: string | null }>;
  expireCheckout(sessionId: string, idempotencyKey: string): Promise<void>;
  retrieveCheckout(sessionId: string): Promise<CheckoutState>;
  checkoutsForPaymentIntent(paymentIntentId: string): Promise<string[]>;
  retrieveSubscription(id: string): Promise<SubscriptionState>;
  cancelSubscriptionAtPeriodEnd(id: string, idempotencyKey: string): Promise<void>;
  cancelSubscriptionNow(id: string, idempotencyKey: string): Promise<void>;
  retrieveInvoice(id: string): Promise<InvoiceState>;
  retrievePaymentCharge(paymentIntentId: string): Promise<SettledCharge>;
  retrieveCharge(id: string): Promise<ChargeState>;
  /** The reason code our own refund of this charge carried (null when refunded elsewhere). */
  refundReasonCode(chargeId: string): Promise<string | null>;
  /** Refunds a payment in full; 'already_refunded' when the processor had refunded it before. */
  createRefund(
    r: { paymentIntentId: string; reasonCode: string; purchaseId: string },
    idempotencyKey: string,
  ): Promise<'refunded' | 'already_refunded'>;
  createTransfer(
    t: { amountCents: number; destination: string; transferGroup: string | null; sourceChargeId: string | null; payoutId: string },
    idempotencyKey: string,
  ): Promise<{ id: string }>;
  reverseTransfer(transferId: string, amountCents: number, payoutId: string, idempotencyKey: string): Promise<void>;
  createPayoutAccount(a: { email: string; userId: string }, idempotencyKey: string): Promise<{ id: string }>;
  onboardingLink(accountId: string, returnUrl: string): Promise<{ url: string }>;
  /** Verifies the signature on the raw body; null when it does not match. */
  parseWebhook(raw: string, signature: string | undefined): ProcessorEvent | null;
}

/** Maps our refund reason codes onto the processor's three. */
const REFUND_REASON: Record<string, Stripe.RefundCreateParams.Reason> = {
  duplicate_purchase: 'duplicate',
  accidental_purchase: 'requested_by_customer',
  not_as_described: 'requested_by_customer',
  technical_problem: 'requested_by_customer',
  copyright_takedown: 'requested_by_customer',
  dispute_resolution: 'requested_by_customer',
  other: 'requested_by_customer',
};

const idOf = (x: string | { id: string } | null | undefined) => (typeof x === 'string' ? x : (x?.id ?? null));

function settled(pi: Stripe.PaymentIntent): SettledCharge {
  const ch = pi.latest_charge as Stripe.Charge;
  const bt = ch.balance_transaction as Stripe.BalanceTransaction;
  return { paymentIntentId: pi.id, chargeId: ch.id, amountCents: ch.amount, feeCents: bt.fee, currency: ch.currency };
}

/** The processor through the real `stripe` SDK (Stripe itself, or the local test processor speaking its API). */
export class StripeProcessor implements PaymentProcessor {
  private readonly stripe: Stripe;

  constructor(
    readonly kind: 'stripe' | 'local_test',
    secretKey: string,
    private readonly webhookSecret: string,
    local?: { port: number },
  ) {
    this.stripe = new Stripe(
      secretKey,
      local ? { host: '127.0.0.1', port: local.port, protocol: 'http', maxNetworkRetries: 2 } : { maxNetworkRetries: 2 },
    );
  }

  async createCheckout(o: CheckoutRequest, idempotencyKey: string) {
    const s = await this.stripe.checkout.sessions.create(
      {
        mode: o.subscription ? 'subscription' : 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'usd',
              unit_amount: o.amountCents,
              product_data: { name: o.label },
              ...(o.subscription ? { recurring: { interval: o.interval } } : {}),
            },
          },
        ],
        client_reference_id: o.purchaseId,
        customer_email: o.customerEmail,
        metadata: { purchase_id: o.purchaseId, kind: o.kind },
        ...(o.subscription
          ? { subscription_data: { metadata: { purchase_id: o.purchaseId } } }
          : { payment_intent_data: { transfer_group: `purchase_${o.purchaseId}`, metadata: { purchase_id: o.purchaseId } } }),
        success_url: o.successUrl,
        cancel_url: o.cancelUrl,
        ...(o.expiresAt ? { expires_at: Math.floor(o.expiresAt.getTime() / 1000) } : {}),
      },
      { idempotencyKey },
    );
    return { id: s.id, url: s.url };
  }

  async expireCheckout(sessionId: string, idempotencyKey: string) {
    await this.stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey });
  }

  async retrieveCheckout(sessionId: string): Promise<CheckoutState> {
    const s = await this.stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent.latest_charge.balance_transaction'] });
    const paid = s.payment_status === 'paid';
    const subscription = s.mode === 'subscription';
    return {
      id: s.id,
      purchaseId: s.metadata?.purchase_id ?? null,
      expired: s.status === 'expired',
      paid,
      subscription,
      subscriptionId: String(idOf(s.subscription) ?? undefined),
      charge: paid && !subscription && s.status !== 'expired' ? settled(s.payment_intent as Stripe.PaymentIntent) : null,
    };
  }

  async checkoutsForPaymentIntent(paymentIntentId: string) {
    const sessions = await this.stripe.checkout.sessions.list({ payment_intent: paymentIntentId });
    return sessions.data.map((s) => s.id);
  }

  async retrieveSubscription(id: string): Promise<SubscriptionState> {
    const sub = await this.stripe.subscriptions.retrieve(id);
    const item = sub.items.data[0];
    return {
      id: sub.id,
      interval: item?.price.recurring?.interval ?? 'month',
      currentPeriodEnd: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
    };
  }

  async cancelSubscriptionAtPeriodEnd(id: string, idempotencyKey: string) {
    await this.stripe.subscriptions.update(id, { cancel_at_period_end: true }, { idempotencyKey });
  }

  async cancelSubscriptionNow(id: string, idempotencyKey: string) {
    await this.stripe.subscriptions.cancel(id, {}, { idempotencyKey });
  }

  async retrieveInvoice(id: string): Promise<InvoiceState> {
    const inv = await this.stripe.invoices.retrieve(id);
    const details = inv.parent?.subscription_details;
    const payment = inv.payments?.data[0]?.payment;
    return {
      id: inv.id as string,
      subscriptionId: idOf(details?.subscription),
      purchaseId: details?.metadata?.purchase_id ?? null,
      paymentIntentId: idOf(payment?.payment_intent),
    };
  }

  async retrievePaymentCharge(paymentIntentId: string) {
    return settled(await this.stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge.balance_transaction'] }));
  }

  async retrieveCharge(id: string): Promise<ChargeState> {
    const ch = await this.stripe.charges.retrieve(id);
    return {
      id: ch.id,
      paymentIntentId: idOf(ch.payment_intent),
      purchaseId: ch.metadata?.purchase_id ?? null,
      amountCents: ch.amount,
      amountRefundedCents: ch.amount_refunded,
    };
  }

  async refundReasonCode(chargeId: string) {
    const refunds = await this.stripe.refunds.list({ charge: chargeId });
    return refunds.data[0]?.metadata?.reason_code ?? null;
  }

  async createRefund(r: { paymentIntentId: string; reasonCode: string; purchaseId: string }, idempotencyKey: string) {
    try {
      await this.stripe.refunds.create(
        {
          payment_intent: r.paymentIntentId,
          reason: REFUND_REASON[r.reasonCode] ?? 'requested_by_customer',
          metadata: { purchase_id: r.purchaseId, reason_code: r.reasonCode },
        },
        { idempotencyKey },
      );
      return 'refunded' as const;
    } catch (e) {
      if ((e as { code?: string }).code === 'charge_already_refunded') return 'already_refunded' as const;
      throw e;
    }
  }

  async createTransfer(
    t: { amountCents: number; destination: string; transferGroup: string | null; sourceChargeId: string | null; payoutId: string },
    idempotencyKey: string,
  ) {
    const tr = await this.stripe.transfers.create(
      {
        amount: t.amountCents,
        currency: 'usd',
        destination: t.destination,
        ...(t.transferGroup ? { transfer_group: t.transferGroup } : {}),
        ...(t.sourceChargeId ? { source_transaction: t.sourceChargeId } : {}),
        metadata: { payout_id: t.payoutId },
      },
      { idempotencyKey },
    );
    return { id: tr.id };
  }

  async reverseTransfer(transferId: string, amountCents: number, payoutId: string, idempotencyKey: string) {
    await this.stripe.transfers.createReversal(transferId, { amount: amountCents, metadata: { payout_id: payoutId } }, { idempotencyKey });
  }

  async createPayoutAccount(a: { email: string; userId: string }, idempotencyKey: string) {
    const acct = await this.stripe.accounts.create(
      { type: 'express', email: a.email, metadata: { user_id: a.userId } },
      { idempotencyKey },
    );
    return { id: acct.id };
  }

  async onboardingLink(accountId: string, returnUrl: string) {
    const link = await this.stripe.accountLinks.create({
      account: accountId,
      type: 'account_onboarding',
      refresh_url: returnUrl,
      return_url: returnUrl,
    });
    return { url: link.url };
  }

  parseWebhook(raw: string, signature: string | undefined): ProcessorEvent | null {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(raw, signature ?? '', this.webhookSecret);
    } catch {
      return null;
    }
    const base = { id: event.id, type: event.type };
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.expired':
        return { ...base, action: 'checkout_changed', sessionId: event.data.object.id };
      case 'charge.refunded':
        return { ...base, action: 'charge_refunded', chargeId: event.data.object.id };
      case 'invoice.paid':
        return { ...base, action: 'invoice_paid', invoiceId: event.data.object.id as string };
      case 'customer.subscription.deleted':
        return { ...base, action: 'subscription_ended', subscriptionId: event.data.object.id };
      default:
        return { ...base, action: 'none' }; // events the marketplace does not act on
    }
  }
}
