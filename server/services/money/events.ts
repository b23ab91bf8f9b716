/** The money domain's events: what other domains (notifications, reputation) learn about sales, refunds, subscriptions, payouts and disputes. */
import type { Sql } from '../../db.ts';
import { EventBus } from '../events.ts';

/** Every event carries the transaction it happened in: subscribers write in it. */
interface InTx {
  tx: Sql;
}

export interface MoneyEvents {
  /** A card sale or a subscription period was posted to the ledger (once per posting). */
  'sale.posted': InTx & {
    assetId: string;
    name: string;
    purchaseId: string;
    kind: string;
    creatorId: string;
    grossMicros: number;
    creatorNetMicros: number;
    /** The parent asset's creator, when the sale owes a derivative royalty. */
    parentCreatorId: string | null;
    parentRoyaltyMicros: number;
  };
  /** A purchase (or a subscription's current period) was refunded and the sale reversed. */
  'refund.posted': InTx & {
    purchaseId: string;
    buyerId: string;
    creatorId: string | null;
    assetId: string | null;
    name: string | null;
    amountCents: number;
    reason: string;
    /** A subscription period refunded at a takedown (the creator is not sent a separate notice). */
    subscription: boolean;
  };
  'purchase.completed': InTx & { buyerId: string; assetId: string; name: string; purchaseId: string; licenseKey: string | null };
  /** A payment arrived for something no longer deliverable; it is refunded in full. */
  'purchase.unfulfilled': InTx & { buyerId: string; purchaseId: string; assetId: string | null };
  'balance.topped_up': InTx & { buyerId: string; purchaseId: string; amountCents: number };
  'subscription.ended': InTx & { buyerId: string; purchaseId: string };
  /** A refunded sale's transfer could not be taken back from the creator's payout account. */
  'payout.reversal_failed': InTx & { userId: string; error: string };
  'dispute.opened': InTx & {
    disputeId: number;
    purchaseId: string;
    name: string | null;
    openedBy: string;
    side: string;
    otherParty: string | null;
  };
  'dispute.resolved': InTx & { disputeId: number; outcome: string; resolution: string; parties: (string | null)[] };
}

export type MoneyBus = EventBus<MoneyEvents>;
export const moneyBus = (): MoneyBus => new EventBus<MoneyEvents>();
