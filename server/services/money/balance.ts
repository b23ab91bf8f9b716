/** Prepaid balance: what a buyer has available, and one paid use of a per-use asset charged from it (an idempotency key makes a retry free). */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../../shared/api.ts';
import { MICROS_PER_CENT, splitSale } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import type { Sql } from '../../db.ts';
import { buyerBalanceAccount, saleEntries } from '../../repos/ledger.ts';
import { type MoneyContext, forSale, loadAsset } from './context.ts';

export class BalanceService {
  constructor(private readonly ctx: MoneyContext) {}

  async balanceOf(userId: string, sql: Sql = this.ctx.db) {
    const available = 0 - (await this.ctx.repos.ledger.balance(sql, buyerBalanceAccount(userId)));
    return { availableMicros: available, availableCents: Math.floor(available / MICROS_PER_CENT) };
  }

  /** One use of a per-use asset, paid from the buyer's prepaid balance (an idempotency key makes a retry free). */
  async use(user: UserRow, assetId: string, input: { context?: string | undefined; idempotencyKey?: string | undefined }) {
    const { ledger, payouts, usages, entitlements } = this.ctx.repos;
    const a = await loadAsset(this.ctx, this.ctx.db, assetId);
    const version = forSale(a);
    if (a.pricing_model !== 'per_use' || a.price_cents === null)
      throw new ApiError('not_per_use', 'this asset is not sold per use; buy it instead', 'id', 409);
    if (a.creator_id === user.id) throw new ApiError('own_asset', 'your own asset is not charged', 'id', 409);
    const key = `use:${user.id}:${input.idempotencyKey ?? randomUUID()}`;
    const gross = a.price_cents * MICROS_PER_CENT;
    return this.ctx.db.tx(async (sql) => {
      await payouts.lockName(sql, `balance:${user.id}`);
      const prior = await ledger.postedUnder(sql, key);
      if (!prior) {
        const bal = await this.balanceOf(user.id, sql);
        if (bal.availableMicros < gross)
          throw new ApiError(
            'insufficient_balance',
            `your prepaid balance is too low for this use ($${(gross / 1_000_000).toFixed(2)}): top it up`,
            'balance',
            402,
            { availableMicros: bal.availableMicros, priceMicros: gross },
          );
        const b = splitSale(gross, { hasParent: Boolean(a.parent_creator_id), cardCharge: false }, this.ctx.policy);
        const r = await ledger.post(sql, {
          kind: 'usage',
          idempotencyKey: key,
          assetId,
          buyerId: user.id,
          creatorId: a.creator_id,
          memo: { breakdown: b, usage: 'use' },
          entries: saleEntries(b, { creatorId: a.creator_id, parentCreatorId: a.parent_creator_id, buyerId: user.id, fromBalance: true }),
        });
        await usages.insertUsage(sql, {
          userId: user.id,
          assetId,
          purchaseId: null,
          kind: 'use',
          count: 1,
          amountMicros: gross,
          context: input.context ?? null,
          ledgerTxId: r.txId,
        });
        await entitlements.grant(sql, { userId: user.id, assetId, version, source: 'use', ref: key });
      }
      return { assetId, version, chargedMicros: prior ? 0 : gross, duplicate: prior, balance: await this.balanceOf(user.id, sql) };
    });
  }
}
