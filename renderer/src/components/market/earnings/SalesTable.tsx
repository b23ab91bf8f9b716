/**
 * The creator's sale lines: each labelled (asset sale, license sale with its type, royalty,
 * refund with its reason), amounts rounded to the cent, and an expandable details row with the
 * exact ledger amounts in micro-dollars and the rounding rule.
 */
import { Fragment, useState } from 'react';
import type { SaleLine } from '@shared/payments.ts';
import { ROUNDING_RULE, isWholeCents, usd, usdFromMicros } from '@shared/format.ts';
import { saleLabel } from './chart-data.ts';

const PARTS = [
  ['gross', 'Gross (what the buyer paid)'],
  ['platformFee', 'Platform fee'],
  ['processorFee', 'Card fee (paid by the platform)'],
  ['parentRoyalty', 'Royalty to the parent asset'],
  ['amount', 'To you'],
] as const;

export function SalesTable({ lines }: { lines: readonly SaleLine[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <table className="table sales-table" aria-label="Sales">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Asset</th>
          <th scope="col">Kind</th>
          <th scope="col">Gross</th>
          <th scope="col">Platform fee</th>
          <th scope="col">Parent royalty</th>
          <th scope="col">You</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 && (
          <tr>
            <td colSpan={8} className="empty-row">
              No sales yet. Each sale, license and refund shows here, with what the platform and any parent asset took.
            </td>
          </tr>
        )}
        {lines.map((x) => {
          const key = `${x.txId}-${x.role}`;
          const shown = open === key;
          const rounded = PARTS.some(([k]) => !isWholeCents(x[k]));
          return (
            <Fragment key={key}>
              <tr>
                <td>{new Date(x.at).toLocaleString()}</td>
                <td>{x.assetName}</td>
                <td data-testid="sale-kind">{saleLabel(x)}</td>
                <td>{usd(x.gross)}</td>
                <td>{usd(x.platformFee)}</td>
                <td>{usd(x.parentRoyalty)}</td>
                <td>{usd(x.amount)}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-expanded={shown}
                    aria-controls={`sale-${key}`}
                    onClick={() => setOpen(shown ? null : key)}
                  >
                    {shown ? 'Hide' : 'Exact amounts'}
                    <span className="sr-only">
                      {' '}
                      of the {saleLabel(x).toLowerCase()} on {new Date(x.at).toLocaleString()}
                    </span>
                  </button>
                </td>
              </tr>
              {shown && (
                <tr id={`sale-${key}`} className="details-row">
                  <td colSpan={8}>
                    <dl className="exact" aria-label="Exact amounts">
                      {PARTS.map(([k, label]) => (
                        <div key={k}>
                          <dt>{label}</dt>
                          <dd>
                            {usdFromMicros(x[k])} <span className="hint">({x[k].toLocaleString('en-US')} millionths of a dollar)</span>
                          </dd>
                        </div>
                      ))}
                    </dl>
                    <p className="hint">
                      {rounded ? 'Some of these amounts are not whole cents, so the table shows them rounded. ' : ''}
                      {ROUNDING_RULE}
                    </p>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
