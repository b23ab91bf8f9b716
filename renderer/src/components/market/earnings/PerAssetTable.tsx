/** The earnings per asset: sales, refunds, gross and net; says so when nothing has sold yet. */
import type { EarningsSummary } from '@shared/payments.ts';
import { usd } from '@shared/format.ts';

export function PerAssetTable({ rows }: { rows: EarningsSummary['perAsset'] }) {
  return (
    <table className="table" aria-label="Per asset">
      <thead>
        <tr>
          <th scope="col">Asset</th>
          <th scope="col">Sales</th>
          <th scope="col">Refunds</th>
          <th scope="col">Gross</th>
          <th scope="col">Net to you</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={5} className="empty-row">
              No sales yet. Each asset’s sales and what they earned you show here once it sells.
            </td>
          </tr>
        ) : (
          rows.map((a) => (
            <tr key={a.assetId}>
              <td>{a.name}</td>
              <td>{a.sales}</td>
              <td>{a.refunds}</td>
              <td>{usd(a.grossSales)}</td>
              <td>{usd(a.net)}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
