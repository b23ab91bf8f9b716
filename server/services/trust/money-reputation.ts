/** Reputation follows money: a creator's reputation is recomputed when a sale is posted or refunded (in the event's transaction). */
import { recomputeReputation } from './reputation.ts';
import type { MoneyBus } from '../money/events.ts';

export function subscribeMoneyReputation(bus: MoneyBus): void {
  bus.on('sale.posted', (e) => recomputeReputation(e.tx, e.creatorId, 'a sale'));
  bus.on('refund.posted', (e) =>
    e.creatorId
      ? recomputeReputation(e.tx, e.creatorId, e.subscription ? 'a subscription was refunded' : 'a sale was refunded')
      : undefined,
  );
}
