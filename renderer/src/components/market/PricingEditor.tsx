/** Pricing: model, price validated inline against the policy (on integers), the recommendation with its reasoning, and what one sale pays. */
import { useEffect, useState } from 'react';
import type { ApiOutput, OutboxOpView } from '@shared/api.ts';
import { MONEY_POLICY, type MoneyPolicy, type PricingModel, checkPrice, splitSale } from '@shared/policy/money.ts';
import { usdFromCents, usdFromMicros } from '@shared/format.ts';
import { recommend, setPricing, usePolicy, usePricing } from '../../data/market.ts';
import { parseDollars } from '../../market.ts';
import { useAction } from './common.tsx';

type Model = 'one_time' | 'subscription' | 'per_use';
const MODEL_LABEL: Record<Model, string> = {
  one_time: 'One-time purchase',
  subscription: 'Subscription',
  per_use: 'Per use (prepaid balance)',
};

export function PricingEditor({ assetId, hasParent, ops }: { assetId: string; hasParent: boolean; ops: OutboxOpView[] }) {
  const { busy, run } = useAction();
  const current = usePricing(assetId, ops.filter((o) => o.kind === 'pricing' && o.state === 'done').length);
  const [model, setModel] = useState<Model>('one_time');
  const [price, setPrice] = useState('');
  const [interval, setInterval_] = useState<'month' | 'year'>('month');
  const [rec, setRec] = useState<ApiOutput<'market.recommend'> | null>(null);
  // The marketplace's own policy (its split may be a different preset); the shared default until it loads.
  const pol = usePolicy();
  const policy = ((pol.data?.money as MoneyPolicy | undefined) ?? MONEY_POLICY) as MoneyPolicy;
  const platformPct = 100 - policy.split.creatorBasisPoints / 100;

  useEffect(() => {
    const c = current.data;
    if (c?.model) {
      setModel(c.model);
      setPrice(((c.priceCents ?? 0) / 100).toFixed(2));
      if (c.interval) setInterval_(c.interval);
    }
  }, [current.data]);
  useEffect(() => {
    void recommend(assetId, model as PricingModel)
      .then(setRec)
      .catch(() => setRec(null));
  }, [assetId, model]);

  const cents = parseDollars(price);
  const check =
    cents === null ? { ok: false as const, message: 'Enter a price in dollars and cents, e.g. 4.99' } : checkPrice(model, cents, policy);
  const b = check.ok && cents !== null ? splitSale(cents * 10_000, { hasParent, cardCharge: model !== 'per_use' }, policy) : null;
  const pending = ops.find((o) => o.kind === 'pricing' && o.state === 'pending');

  return (
    <form
      className="pricing"
      aria-label="Pricing"
      onSubmit={(e) => {
        e.preventDefault();
        if (!check.ok || cents === null) return;
        void run(
          () =>
            setPricing({
              assetId,
              pricing: { model, priceCents: cents, ...(model === 'subscription' ? { interval } : {}) },
            }),
          'Price saved (sent to the marketplace)',
        );
      }}
    >
      <h3>Pricing</h3>
      {current.data?.model && (
        <p className="hint">
          On the marketplace: {MODEL_LABEL[current.data.model]} at {usdFromCents(current.data.priceCents ?? 0)}
          {current.data.interval ? ` per month, billed ${current.data.interval === 'year' ? 'yearly' : 'monthly'}` : ''}
        </p>
      )}
      <div className="row">
        <div className="field">
          <label htmlFor="pricing-model">Model</label>
          <select id="pricing-model" value={model} onChange={(e) => setModel(e.target.value as Model)}>
            {(Object.keys(MODEL_LABEL) as Model[]).map((k) => (
              <option key={k} value={k}>
                {MODEL_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${check.ok ? '' : ' has-error'}`}>
          <label htmlFor="pricing-price">
            Price (USD{model === 'subscription' ? ' per month' : model === 'per_use' ? ' per use' : ''})
          </label>
          <input id="pricing-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} aria-invalid={!check.ok} />
          {!check.ok && price !== '' && (
            <div className="field-error" role="alert">
              {check.message.replace(/^priceCents: /, '')}
            </div>
          )}
        </div>
        {model === 'subscription' && (
          <div className="field">
            <label htmlFor="pricing-interval">Billing</label>
            <select id="pricing-interval" value={interval} onChange={(e) => setInterval_(e.target.value as 'month' | 'year')}>
              <option value="month">Monthly</option>
              <option value="year">Yearly (12 × the monthly price)</option>
            </select>
          </div>
        )}
        <button type="submit" disabled={busy || !check.ok}>
          Save price
        </button>
      </div>
      {pending && <p className="hint">Waiting to reach the marketplace: {pending.lastError ?? 'sending…'}</p>}
      {rec && (
        <div className="recommendation">
          <strong>Recommended: {usdFromCents(rec.recommendedCents)}</strong>{' '}
          <button type="button" className="link" onClick={() => setPrice((rec.recommendedCents / 100).toFixed(2))}>
            Use it
          </button>
          <ul className="hint">
            {rec.reasoning.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {b && (
        <table className="table breakdown" aria-label="What one sale pays">
          <tbody>
            <tr>
              <th>Buyer pays</th>
              <td>{usdFromMicros(b.gross)}</td>
            </tr>
            <tr>
              <th>Platform fee ({platformPct} %)</th>
              <td>−{usdFromMicros(b.platformFee)}</td>
            </tr>
            {b.processorFee > 0 && (
              <tr>
                <th>Card processing (paid by the platform out of its fee)</th>
                <td className="hint">{usdFromMicros(b.processorFee)}</td>
              </tr>
            )}
            {b.parentRoyalty > 0 && (
              <tr>
                <th>Royalty to the parent’s creator (10 % of your share)</th>
                <td>−{usdFromMicros(b.parentRoyalty)}</td>
              </tr>
            )}
            <tr className="total">
              <th>You receive</th>
              <td data-testid="creator-net">{usdFromMicros(b.creatorNet)}</td>
            </tr>
          </tbody>
        </table>
      )}
    </form>
  );
}
