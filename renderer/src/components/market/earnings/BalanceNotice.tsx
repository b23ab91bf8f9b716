/**
 * The notice shown when a creator's balance is below zero: why (the refunds that took back money
 * already paid out, named with their reason) and how it is recovered (from future sales, before
 * any payout, as the money policy says) — instead of a bare negative number.
 */
import type { SaleLine } from '@shared/payments.ts';
import { usd } from '@shared/format.ts';
import { saleLabel } from './chart-data.ts';

/** How many of the latest refunds the notice names. */
const SHOWN = 5;

export function BalanceNotice({ balanceMicros, lines }: { balanceMicros: number; lines: readonly SaleLine[] }) {
  if (balanceMicros >= 0) return null;
  const refunds = lines.filter((l) => l.kind === 'refund' && l.amount < 0).slice(0, SHOWN);
  return (
    <div className="banner warning" role="status" data-testid="negative-balance">
      <p>
        <strong>Your balance is {usd(balanceMicros)}.</strong> Refunds took back money from sales that had already been paid out to you, so
        the marketplace paid these buyers back before it could recover the amount from you.
      </p>
      {refunds.length > 0 && (
        <ul aria-label="Refunds behind the negative balance">
          {refunds.map((r) => (
            <li key={`${r.txId}-${r.role}`}>
              {new Date(r.at).toLocaleDateString()}: {r.assetName ?? 'an asset'}, {saleLabel(r).toLowerCase()}, {usd(r.amount)}
            </li>
          ))}
        </ul>
      )}
      <p>
        How it is recovered: your next sales first bring the balance back to zero; payouts resume once it is above zero. Nothing is charged
        to your card or bank account.
      </p>
    </div>
  );
}
