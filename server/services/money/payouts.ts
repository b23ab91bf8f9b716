/** Payouts: connecting a creator's payout account, transferring what they are owed, reversing a refunded sale's transfer, reconciliation, listing. */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/api.ts';
import type { UserRow } from '../../auth.ts';
import { payoutEntries } from '../../repos/ledger.ts';
import { type MoneyContext, iso } from './context.ts';

/** The charge a payout may be funded from (a sale's), so the transfer waits for it to settle. */
export interface PayoutSource {
  purchaseId?: string | undefined;
  chargeId?: string | undefined;
  chargeCents?: number | undefined;
}

export class PayoutsService {
  constructor(private readonly ctx: MoneyContext) {}

  async connectPayoutAccount(user: UserRow, returnUrl?: string) {
    const { payouts } = this.ctx.repos;
    let accountId = await payouts.payoutAccount(this.ctx.db, user.id);
    if (!accountId) {
      const acct = await this.ctx.processor.createPayoutAccount({ email: user.email, userId: user.id }, `account:${user.id}`);
      accountId = acct.id;
      await payouts.setPayoutAccount(this.ctx.db, user.id, accountId);
    }
    const back = returnUrl ?? `${this.ctx.publicUrl}checkout/complete`;
    const link = await this.ctx.processor.onboardingLink(accountId, back);
    await this.payCreator(user.id, {});
    return { accountId, onboardingUrl: link.url };
  }

  /** Transfers whole cents of what the creator is owed to their Connect account (after each sale, and on request). */
  async payCreator(userId: string, ctx: PayoutSource) {
    const { payouts, ledger } = this.ctx.repos;
    const acct = await payouts.payoutAccount(this.ctx.db, userId);
    if (!acct) return null;
    const po = await this.ctx.db.tx(async (sql) => {
      await payouts.lockName(sql, `payout:${userId}`);
      const cents = await ledger.payableCents(sql, userId);
      if (cents < 1) return null;
      const id = randomUUID();
      const r = await ledger.post(sql, {
        kind: 'payout',
        idempotencyKey: `payout:${id}`,
        ref: id,
        purchaseId: ctx.purchaseId ?? null,
        entries: payoutEntries(userId, cents),
      });
      await payouts.insertPayout(sql, {
        id,
        userId,
        cents,
        purchaseId: ctx.purchaseId ?? null,
        transferGroup: ctx.purchaseId ? `purchase_${ctx.purchaseId}` : null,
        ledgerTxId: r.txId,
      });
      return { id, cents };
    });
    if (!po) return null;
    await this.sendTransfer(po.id, acct, ctx);
    return po;
  }

  private async sendTransfer(payoutId: string, destination: string, ctx: PayoutSource) {
    const { payouts, ledger } = this.ctx.repos;
    const po = (await payouts.findPayout(this.ctx.db, payoutId)) as NonNullable<Awaited<ReturnType<typeof payouts.findPayout>>>;
    try {
      const tr = await this.ctx.processor.createTransfer(
        {
          amountCents: po.amount_cents,
          destination,
          transferGroup: po.transfer_group,
          sourceChargeId: ctx.chargeId && ctx.chargeCents !== undefined && po.amount_cents <= ctx.chargeCents ? ctx.chargeId : null,
          payoutId,
        },
        `transfer:${payoutId}`,
      );
      await payouts.markSent(this.ctx.db, payoutId, tr.id);
    } catch (e) {
      await this.ctx.db.tx(async (sql) => {
        await ledger.post(sql, {
          kind: 'payout_reversal',
          idempotencyKey: `payout_failed:${payoutId}`,
          ref: payoutId,
          entries: payoutEntries(po.user_id, po.amount_cents).map((x) => ({ ...x, amount: -x.amount })),
        });
        await payouts.markFailed(sql, payoutId, (e as Error).message);
      });
    }
  }

  /** Takes a refunded sale's transfer back from the creator's Connect account; if it was already paid out to their bank, their balance stays negative and later earnings recover it. */
  async reverseTransfer(payoutId: string) {
    const { payouts, ledger } = this.ctx.repos;
    const po = await payouts.findPayout(this.ctx.db, payoutId);
    if (!po) return;
    const cents = po.amount_cents - po.reversed_cents;
    try {
      await this.ctx.processor.reverseTransfer(po.transfer_id as string, cents, payoutId, `reversal:${payoutId}`);
    } catch (e) {
      await this.ctx.db.tx((tx) => this.ctx.events.emit('payout.reversal_failed', { tx, userId: po.user_id, error: (e as Error).message }));
      return;
    }
    await this.ctx.db.tx(async (sql) => {
      await ledger.post(sql, {
        kind: 'payout_reversal',
        idempotencyKey: `reversal:${payoutId}`,
        ref: payoutId,
        purchaseId: po.purchase_id,
        entries: payoutEntries(po.user_id, cents).map((e) => ({ ...e, amount: -e.amount })),
      });
      await payouts.markReversed(sql, payoutId);
    });
    await this.payCreator(po.user_id, {});
  }

  /** Re-sends transfers left pending by a crash between the ledger posting and the processor call (same idempotency key). */
  async reconcilePayouts(): Promise<number> {
    const rows = await this.ctx.repos.payouts.stalePending(this.ctx.db);
    for (const p of rows) await this.sendTransfer(p.id, p.payout_account_id, {});
    return rows.length;
  }

  async requestPayout(user: UserRow) {
    if (!(await this.ctx.repos.payouts.payoutAccount(this.ctx.db, user.id)))
      throw new ApiError('no_payout_account', 'connect a payout account first (POST /v1/me/payout-account)', undefined, 409);
    const po = await this.payCreator(user.id, {});
    if (!po) throw new ApiError('nothing_to_pay', 'your balance is under one cent', undefined, 409);
    return (await this.payouts(user)).find((x) => x.id === po.id);
  }

  async payouts(user: UserRow) {
    const rows = await this.ctx.repos.payouts.payoutsOf(this.ctx.db, user.id);
    return rows.map((p) => ({
      id: p.id,
      amountCents: p.amount_cents,
      reversedCents: p.reversed_cents,
      status: p.status,
      transferId: p.transfer_id,
      transferGroup: p.transfer_group,
      createdAt: iso(p.created_at) as string,
    }));
  }
}
