/** Posting one card sale of an asset (a purchase, or a subscription's billing period): the split with the processor's real fee, the ledger, the `sale.posted` event. */
import { splitSale } from '../../../shared/policy/money.ts';
import type { Sql } from '../../db.ts';
import { saleEntries } from '../../repos/ledger.ts';
import type { AssetMoneyRow } from '../../repos/money/assets.ts';
import type { MoneyContext } from './context.ts';

export interface CardSale {
  purchaseId: string;
  buyerId: string;
  kind: string;
  grossMicros: number;
  feeMicros: number;
  idempotencyKey: string;
  memo?: Record<string, unknown>;
}

/** Posts the sale once (in `sql`'s transaction); returns whom to pay out, nobody when it was posted already. */
export async function postCardSale(ctx: Pick<MoneyContext, 'policy' | 'repos' | 'events'>, sql: Sql, a: AssetMoneyRow, s: CardSale) {
  const b = splitSale(
    s.grossMicros,
    { hasParent: Boolean(a.parent_creator_id), cardCharge: true, processorFeeMicros: s.feeMicros },
    ctx.policy,
  );
  const r = await ctx.repos.ledger.post(sql, {
    kind: 'sale',
    idempotencyKey: s.idempotencyKey,
    purchaseId: s.purchaseId,
    buyerId: s.buyerId,
    assetId: a.id,
    creatorId: a.creator_id,
    memo: { breakdown: b, purchaseKind: s.kind, ...s.memo },
    entries: saleEntries(b, { creatorId: a.creator_id, parentCreatorId: a.parent_creator_id }),
  });
  if (r.duplicate) return [];
  const parent = b.parentRoyalty && a.parent_creator_id ? a.parent_creator_id : null;
  await ctx.events.emit('sale.posted', {
    tx: sql,
    assetId: a.id,
    name: a.name,
    purchaseId: s.purchaseId,
    kind: s.kind,
    creatorId: a.creator_id,
    grossMicros: b.gross,
    creatorNetMicros: b.creatorNet,
    parentCreatorId: parent,
    parentRoyaltyMicros: b.parentRoyalty,
  });
  return parent ? [a.creator_id, parent] : [a.creator_id];
}
