/**
 * Everything that moves a cent, behind one facade: pricing, license offers, checkout, fulfilment,
 * prepaid balances and per-use charges, license keys and usage royalties, refunds with transfer
 * reversals, payouts, disputes and creator earnings. The work is done by the services in
 * server/services/money/ (SQL in server/repos/money/, the processor behind server/payments/processor.ts);
 * notifications and reputation follow the money domain's events.
 *
 * The rules: the processor is the source of truth for what was paid, and every handler re-reads
 * the processor's object before acting, so repeated or out-of-order webhook deliveries converge
 * on the same state; every outbound call carries an idempotency key derived from our own ids;
 * every ledger posting carries one too (a repeated posting returns the first); purchases change
 * state under a row lock; an exclusive license is held by a unique index, not by a read-then-write.
 */
import { MONEY_POLICY, type MoneyPolicy } from '../shared/policy/money.ts';
import type { Database } from './db.ts';
import type { PaymentProcessor } from './payments/processor.ts';
import { moneyRepos } from './repos/money/index.ts';
import { type MoneyServices, moneyServices } from './services/money/container.ts';
import type { MoneyContext } from './services/money/context.ts';
import type { DisputeModeration } from './services/money/disputes.ts';
import type { KeySigner } from './services/money/licenses.ts';
import { moneyBus } from './services/money/events.ts';
import { type Notify, subscribeMoneyNotices } from './services/notifications/money-notices.ts';
import { subscribeMoneyReputation } from './services/trust/money-reputation.ts';

export interface PaymentsConfig {
  /** The payment processor (Stripe, or the local test processor). */
  processor: PaymentProcessor;
  /** The marketplace's public URL (default return page after checkout). */
  publicUrl: string;
}

/** What the money domain takes from the rest of the marketplace (read when used: the container assigns them in turn). */
export interface MoneyOutside {
  readonly db: Database;
  readonly signer: KeySigner;
  readonly moderation: DisputeModeration;
  readonly notify: Notify;
}

export class Money {
  /** The money domain's event bus (notifications and reputation subscribe to it). */
  readonly events = moneyBus();
  readonly services: MoneyServices;

  constructor(
    mp: MoneyOutside,
    readonly payments: PaymentsConfig,
    readonly policy: MoneyPolicy = MONEY_POLICY,
  ) {
    const ctx: MoneyContext = {
      // Read when used: the container may assign the database after constructing Money.
      get db() {
        return mp.db;
      },
      processor: payments.processor,
      policy,
      get publicUrl() {
        return payments.publicUrl;
      },
      events: this.events,
      repos: moneyRepos,
    };
    // Notices first, then reputation: the order the inline calls had.
    subscribeMoneyNotices(this.events, (sql, userId, kind, payload) => mp.notify(sql, userId, kind, payload));
    subscribeMoneyReputation(this.events);
    this.services = moneyServices(ctx, { signer: () => mp.signer, moderation: () => mp.moderation });
    const s = this.services;
    this.pricingView = s.pricing.pricingView.bind(s.pricing);
    this.pricing = s.pricing.pricing.bind(s.pricing);
    this.setPricing = s.pricing.setPricing.bind(s.pricing);
    this.recommendation = s.pricing.recommendation.bind(s.pricing);
    this.createOffer = s.offers.createOffer.bind(s.offers);
    this.updateOffer = s.offers.updateOffer.bind(s.offers);
    this.withdrawOffer = s.offers.withdrawOffer.bind(s.offers);
    this.offers = s.offers.offers.bind(s.offers);
    this.offerPurchases = s.offers.offerPurchases.bind(s.offers);
    this.buyAsset = s.checkout.buyAsset.bind(s.checkout);
    this.buyLicense = s.checkout.buyLicense.bind(s.checkout);
    this.topUp = s.checkout.topUp.bind(s.checkout);
    this.syncCheckout = s.fulfilment.syncCheckout.bind(s.fulfilment);
    this.expireAbandonedCheckouts = s.fulfilment.expireAbandonedCheckouts.bind(s.fulfilment);
    this.cancelSubscription = s.subscriptions.cancelSubscription.bind(s.subscriptions);
    this.endSubscriptionNow = s.subscriptions.endSubscriptionNow.bind(s.subscriptions);
    this.webhook = s.webhooks.webhook.bind(s.webhooks);
    this.refundableUntil = s.purchases.refundableUntil.bind(s.purchases);
    this.requestRefund = s.refunds.requestRefund.bind(s.refunds);
    this.refund = s.refunds.refund.bind(s.refunds);
    this.connectPayoutAccount = s.payouts.connectPayoutAccount.bind(s.payouts);
    this.payCreator = s.payouts.payCreator.bind(s.payouts);
    this.reconcilePayouts = s.payouts.reconcilePayouts.bind(s.payouts);
    this.requestPayout = s.payouts.requestPayout.bind(s.payouts);
    this.payouts = s.payouts.payouts.bind(s.payouts);
    this.balanceOf = s.balance.balanceOf.bind(s.balance);
    this.use = s.balance.use.bind(s.balance);
    this.isLicenseValid = s.licenses.isLicenseValid.bind(s.licenses);
    this.recordUsage = s.licenses.recordUsage.bind(s.licenses);
    this.verifyKey = s.licenses.verifyKey.bind(s.licenses);
    this.purchaseView = s.purchases.purchaseView.bind(s.purchases);
    this.purchase = s.purchases.purchase.bind(s.purchases);
    this.myPurchases = s.purchases.myPurchases.bind(s.purchases);
    this.openDispute = s.disputes.openDispute.bind(s.disputes);
    this.disputes = s.disputes.disputes.bind(s.disputes);
    this.resolveDispute = s.disputes.resolveDispute.bind(s.disputes);
    this.earnings = s.earnings.earnings.bind(s.earnings);
    this.sales = s.earnings.sales.bind(s.earnings);
    this.csv = s.earnings.csv.bind(s.earnings);
  }

  // pricing and offers
  readonly pricingView: MoneyServices['pricing']['pricingView'];
  readonly pricing: MoneyServices['pricing']['pricing'];
  readonly setPricing: MoneyServices['pricing']['setPricing'];
  readonly recommendation: MoneyServices['pricing']['recommendation'];
  readonly createOffer: MoneyServices['offers']['createOffer'];
  readonly updateOffer: MoneyServices['offers']['updateOffer'];
  readonly withdrawOffer: MoneyServices['offers']['withdrawOffer'];
  readonly offers: MoneyServices['offers']['offers'];
  readonly offerPurchases: MoneyServices['offers']['offerPurchases'];
  // checkout, fulfilment, subscriptions, webhooks
  readonly buyAsset: MoneyServices['checkout']['buyAsset'];
  readonly buyLicense: MoneyServices['checkout']['buyLicense'];
  readonly topUp: MoneyServices['checkout']['topUp'];
  readonly syncCheckout: MoneyServices['fulfilment']['syncCheckout'];
  readonly expireAbandonedCheckouts: MoneyServices['fulfilment']['expireAbandonedCheckouts'];
  readonly cancelSubscription: MoneyServices['subscriptions']['cancelSubscription'];
  readonly endSubscriptionNow: MoneyServices['subscriptions']['endSubscriptionNow'];
  readonly webhook: MoneyServices['webhooks']['webhook'];
  // refunds and payouts
  readonly refundableUntil: MoneyServices['purchases']['refundableUntil'];
  readonly requestRefund: MoneyServices['refunds']['requestRefund'];
  readonly refund: MoneyServices['refunds']['refund'];
  readonly connectPayoutAccount: MoneyServices['payouts']['connectPayoutAccount'];
  readonly payCreator: MoneyServices['payouts']['payCreator'];
  readonly reconcilePayouts: MoneyServices['payouts']['reconcilePayouts'];
  readonly requestPayout: MoneyServices['payouts']['requestPayout'];
  readonly payouts: MoneyServices['payouts']['payouts'];
  // balance and licenses
  readonly balanceOf: MoneyServices['balance']['balanceOf'];
  readonly use: MoneyServices['balance']['use'];
  readonly isLicenseValid: MoneyServices['licenses']['isLicenseValid'];
  readonly recordUsage: MoneyServices['licenses']['recordUsage'];
  readonly verifyKey: MoneyServices['licenses']['verifyKey'];
  // purchases, disputes, earnings
  readonly purchaseView: MoneyServices['purchases']['purchaseView'];
  readonly purchase: MoneyServices['purchases']['purchase'];
  readonly myPurchases: MoneyServices['purchases']['myPurchases'];
  readonly openDispute: MoneyServices['disputes']['openDispute'];
  readonly disputes: MoneyServices['disputes']['disputes'];
  readonly resolveDispute: MoneyServices['disputes']['resolveDispute'];
  readonly earnings: MoneyServices['earnings']['earnings'];
  readonly sales: MoneyServices['earnings']['sales'];
  readonly csv: MoneyServices['earnings']['csv'];
}
