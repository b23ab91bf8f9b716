/**
 * Watches the checkouts this studio started (a purchase, a license, a balance top-up) until the
 * marketplace settles them, and pushes `market.purchaseSettled` when one leaves `pending`. The
 * marketplace cannot call the studio, so this asks it, every 1.5 s, for the purchases still
 * pending — in the backend, instead of every open screen polling. A watch ends when the purchase
 * settles, after 30 minutes (a checkout session expires well before), or when the marketplace says
 * the purchase is not there or not this account's; while offline it keeps asking.
 */
import { ApiError } from '../../../shared/api.ts';
import type { PurchaseView } from '../../../shared/payments.ts';
import type { PushEmitter } from '../push.ts';
import type { Connection } from './connection.ts';

export interface PurchaseWatchOptions {
  intervalMs?: number;
  maxMs?: number;
}

export class PurchaseWatcher {
  /** Watched purchase ids and when to give up on each. */
  private readonly watched = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly intervalMs: number;
  private readonly maxMs: number;

  constructor(
    private readonly conn: Connection,
    private readonly push: PushEmitter,
    opts: PurchaseWatchOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1500;
    this.maxMs = opts.maxMs ?? 30 * 60_000;
  }

  /** Passes a purchase through; a pending one is watched until it settles. */
  watch(p: PurchaseView): PurchaseView {
    if (p.status === 'pending' && !this.closed) {
      this.watched.set(p.id, Date.now() + this.maxMs);
      this.schedule();
    }
    return p;
  }

  /** Passes a purchase read elsewhere through; a watched one that has settled is pushed at once. */
  seen(p: PurchaseView): PurchaseView {
    if (p.status !== 'pending' && this.watched.delete(p.id)) this.push.emit('market.purchaseSettled', { purchase: p });
    return p;
  }

  get watching(): string[] {
    return [...this.watched.keys()];
  }

  private schedule(): void {
    if (this.timer || this.closed || this.watched.size === 0) return;
    this.timer = setTimeout(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    for (const [id, giveUpAt] of [...this.watched]) {
      if (giveUpAt < Date.now()) {
        this.watched.delete(id);
        continue;
      }
      try {
        this.seen(await this.conn.client.purchases.getPurchase({ params: { id } }));
      } catch (e) {
        // Unreachable, busy or failing: ask again next round. Gone, not ours, signed out: stop.
        const s = e instanceof ApiError ? e.status : 500;
        if (s >= 400 && s < 500 && s !== 408 && s !== 429) this.watched.delete(id);
      }
    }
    this.timer = null;
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watched.clear();
  }
}
