/** Earnings: a creator's summary for a period, their sale lines and CSV exports — all derived from the ledger, so they always equal it. */
import type { EarningsSummary, SaleLine } from '../../../shared/payments.ts';
import { MICROS_PER_CENT } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import { toCsv } from '../../csv.ts';
import { creatorAccount } from '../../repos/ledger.ts';
import { DAY, type MoneyContext, iso } from './context.ts';
import type { PayoutsService } from './payouts.ts';

/** Micro-dollars as a CSV amount: dollars with six decimals, no currency sign (exact, for spreadsheets). */
const csvDollarsFromMicros = (micros: number) => {
  const neg = micros < 0;
  const m = Math.abs(micros);
  return `${neg ? '-' : ''}${Math.floor(m / 1_000_000)}.${String(m % 1_000_000).padStart(6, '0')}`;
};

export class EarningsService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly payouts: Pick<PayoutsService, 'payouts'>,
  ) {}

  private creatorLines(userId: string, since: Date | null) {
    return this.ctx.repos.ledger.accountLines(this.ctx.db, creatorAccount(userId), since);
  }

  /** get_creator_earnings_summary: derived from the ledger, so it always equals it. */
  async earnings(userId: string, period: EarningsSummary['period']): Promise<EarningsSummary> {
    const days = { '7d': 7, '30d': 30, '90d': 90, all: null }[period];
    const since = days ? new Date(Date.now() - days * DAY) : null;
    const lines = await this.creatorLines(userId, since);
    const t = {
      grossSales: 0,
      creatorShare: 0,
      parentRoyaltiesPaid: 0,
      derivativeRoyaltiesEarned: 0,
      refunds: 0,
      net: 0,
      payouts: 0,
      sales: 0,
      refundCount: 0,
      uniqueBuyers: 0,
    };
    const buyers = new Set<string>();
    const perAsset = new Map<string, { assetId: string; name: string; sales: number; refunds: number; grossSales: number; net: number }>();
    const daily = new Map<string, { day: string; net: number; sales: number }>();
    for (const l of lines) {
      const earned = 0 - Number(l.amount_micros); // a credit to the creator is money earned
      const mine = l.creator_id === userId;
      const b = l.memo?.breakdown;
      if (l.kind === 'payout' || l.kind === 'payout_reversal') {
        t.payouts -= earned;
        continue;
      }
      const day = new Date(l.created_at).toISOString().slice(0, 10);
      const d = daily.get(day) ?? { day, net: 0, sales: 0 };
      daily.set(day, d);
      d.net += earned;
      t.net += earned;
      const pa =
        l.asset_id && mine
          ? (perAsset.get(l.asset_id) ??
            perAsset
              .set(l.asset_id, { assetId: l.asset_id, name: l.asset_name ?? '', sales: 0, refunds: 0, grossSales: 0, net: 0 })
              .get(l.asset_id))
          : undefined;
      if (pa) pa.net += earned;
      if (l.kind === 'sale' || l.kind === 'usage') {
        if (!mine) {
          t.derivativeRoyaltiesEarned += earned;
          continue;
        }
        t.sales += 1;
        d.sales += 1;
        t.grossSales += b?.gross ?? 0;
        t.creatorShare += b?.creatorShare ?? 0;
        t.parentRoyaltiesPaid += b?.parentRoyalty ?? 0;
        if (l.buyer_id) buyers.add(l.buyer_id);
        if (pa) {
          pa.sales += 1;
          pa.grossSales += b?.gross ?? 0;
        }
      } else if (l.kind === 'refund') {
        t.refunds -= earned;
        if (!mine) {
          t.derivativeRoyaltiesEarned += earned;
          continue;
        }
        t.refundCount += 1;
        if (pa) pa.refunds += 1;
      }
    }
    t.uniqueBuyers = buyers.size;
    return {
      period,
      since: iso(since),
      totals: t,
      balanceMicros: await this.ctx.repos.ledger.creatorBalance(this.ctx.db, userId),
      payableCents: await this.ctx.repos.ledger.payableCents(this.ctx.db, userId),
      payoutAccount: (await this.ctx.repos.payouts.payoutAccount(this.ctx.db, userId)) !== null,
      perAsset: [...perAsset.values()].sort((a, b) => b.net - a.net),
      daily: [...daily.values()].sort((a, b) => a.day.localeCompare(b.day)),
    };
  }

  /** Every sale (and refund) credited or debited to the creator, with its fee breakdown. */
  async sales(userId: string, limit = 100) {
    const lines = await this.creatorLines(userId, null);
    return lines
      .filter((l) => ['sale', 'usage', 'refund'].includes(l.kind))
      .slice(-limit)
      .reverse()
      .map((l) => {
        const b = l.memo?.breakdown;
        const sign = l.kind === 'refund' ? -1 : 1;
        return {
          txId: Number(l.id),
          at: iso(l.created_at) as string,
          kind: l.kind,
          assetId: l.asset_id,
          assetName: l.asset_name,
          purchaseId: l.purchase_id,
          purchaseKind: (l.purchase_kind ?? null) as SaleLine['purchaseKind'],
          licenseType: (l.license_type ?? null) as SaleLine['licenseType'],
          refundReason: l.kind === 'refund' ? l.refund_reason : null,
          role: (l.creator_id === userId ? 'creator' : 'parent') as 'creator' | 'parent',
          gross: sign * (b?.gross ?? 0),
          processorFee: b?.processorFee ?? 0,
          platformFee: sign * (b?.platformFee ?? 0),
          parentRoyalty: sign * (b?.parentRoyalty ?? 0),
          amount: 0 - Number(l.amount_micros),
        };
      });
  }

  /** CSV of every sale or every payout, amounts in dollars with six decimals (exact micro-dollars). */
  async csv(user: UserRow, kind: 'sales' | 'payouts'): Promise<string> {
    const rows: unknown[][] = [];
    if (kind === 'sales') {
      rows.push([
        'date',
        'kind',
        'asset_id',
        'asset',
        'purchase_id',
        'role',
        'gross_usd',
        'processor_fee_usd',
        'platform_fee_usd',
        'parent_royalty_usd',
        'your_amount_usd',
      ]);
      for (const s of (await this.sales(user.id, 1_000_000)).reverse())
        rows.push([
          s.at,
          s.kind,
          s.assetId,
          s.assetName,
          s.purchaseId,
          s.role,
          csvDollarsFromMicros(s.gross),
          csvDollarsFromMicros(s.processorFee),
          csvDollarsFromMicros(s.platformFee),
          csvDollarsFromMicros(s.parentRoyalty),
          csvDollarsFromMicros(s.amount),
        ]);
    } else {
      rows.push(['date', 'payout_id', 'amount_usd', 'reversed_usd', 'status', 'transfer_id', 'transfer_group']);
      for (const p of (await this.payouts.payouts(user)).reverse())
        rows.push([
          p.createdAt,
          p.id,
          csvDollarsFromMicros(p.amountCents * MICROS_PER_CENT),
          csvDollarsFromMicros(p.reversedCents * MICROS_PER_CENT),
          p.status,
          p.transferId,
          p.transferGroup,
        ]);
    }
    return toCsv(rows);
  }
}
