/**
 * Everything that moves a cent, wired in one place: pricing, license offers, checkout, fulfilment,
 * prepaid balances and per-use charges, license keys and usage royalties, refunds with transfer
 * reversals, payouts, disputes and creator earnings. The work is done by the services in
 * server/services/money/ (`Money.services`, which the routes call; SQL in server/repos/money/, the
 * processor behind server/payments/processor.ts); notifications and reputation follow the money
 * domain's events.
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
  }
}
