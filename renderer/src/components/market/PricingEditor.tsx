/**
 * Pricing: model, price validated inline against the policy (on integers; shown once typed in, left
 * or submitted), the recommendation with its reasoning, and what one sale pays in whole cents. An
 * asset not submitted yet is priced the same way: the price waits in the outbox and its first
 * submission takes it to the listing.
 */
import { useEffect, useId, useState } from 'react';
import type { ApiOutput, OutboxOpView } from '@shared/api.ts';
import { MONEY_POLICY, type MoneyPolicy, type PricingModel, saleInCents, splitSale } from '@shared/policy/money.ts';
import { usdFromCents } from '@shared/format.ts';
import { recommend, setPricing, usePolicy, usePricing } from '../../data/market.ts';
import { checkPriceText } from '../../market.ts';
import { useAction } from './common.tsx';

type Model = 'one_time' | 'subscription' | 'per_use';
const MODEL_LABEL: Record<Model, string> = {
  one_time: 'One-time purchase',
  subscription: 'Subscription',
  per_use: 'Per use (prepaid balance)',
};

/** A deduction: the minus sign and its amount as one unbreakable piece ("−$1.50", never "−" alone on a line). */
const minus = (cents: number) => <span className="amount">−{usdFromCents(cents)}</span>;

export function PricingEditor({
  assetId,
  hasParent,
  listed,
  published,
  ops,
}: {
  assetId: string;
  hasParent: boolean;
  /** The asset has its marketplace listing (submitted at least once). */
  listed: boolean;
  /** The asset is live on the marketplace (its price applies now), not still in review. */
  published: boolean;
  ops: OutboxOpView[];
}) {
  const { busy, run } = useAction();
  // Read again when a price reaches the marketplace, or (not submitted yet) when one is queued.
  const current = usePricing(assetId, ops.filter((o) => o.kind === 'pricing' && (listed ? o.state === 'done' : true)).length);
  const [model, setModel] = useState<Model>('one_time');
  const [price, setPrice] = useState('');
  const [interval, setInterval_] = useState<'month' | 'year'>('month');
  const [rec, setRec] = useState<ApiOutput<'market.recommend'> | null>(null);
  // The price box is shown invalid only once typed in, left or submitted — never while untouched.
  const [touched, setTouched] = useState(false);
  const errorId = useId();
  const saveHintId = useId();
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

  const check = checkPriceText(model, price, policy);
  const cents = check.ok ? check.cents : null;
  const showError = !check.ok && (price !== '' || touched);
  // Why "Save price" is disabled, said next to it (not only by a dead button).
  const saveHint = busy || check.ok ? null : price.trim() === '' ? 'Enter a price to save it' : 'Correct the price to save it';
  const b = cents !== null ? saleInCents(splitSale(cents * 10_000, { hasParent, cardCharge: model !== 'per_use' }, policy)) : null;
  const pending = ops.find((o) => o.kind === 'pricing' && o.state === 'pending');

  return (
    <form
      className="pricing"
      aria-label="Pricing"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (cents === null) return;
        void run(
          () =>
            setPricing({
              assetId,
              pricing: { model, priceCents: cents, ...(model === 'subscription' ? { interval } : {}) },
            }),
          listed ? 'Price saved (sent to the marketplace)' : 'Price saved: the first submission takes it to the marketplace',
        );
      }}
    >
      <h3>Pricing</h3>
      {current.data?.model ? (
        <p className="hint" data-testid="current-price">
          {published ? 'On the marketplace: ' : 'Price set: '}
          {MODEL_LABEL[current.data.model]} at {usdFromCents(current.data.priceCents ?? 0)}
          {current.data.interval ? ` per month, billed ${current.data.interval === 'year' ? 'yearly' : 'monthly'}` : ''}
          {published ? '' : listed ? ' — buyers see it once the asset is published' : ' — the first submission takes it to the marketplace'}
        </p>
      ) : (
        !listed && <p className="hint">Set the price now if you like: the first submission takes it to the marketplace.</p>
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
        <div className={`field${showError ? ' has-error' : ''}`}>
          <label htmlFor="pricing-price">
            Price (USD{model === 'subscription' ? ' per month' : model === 'per_use' ? ' per use' : ''})
          </label>
          <input
            id="pricing-price"
            inputMode="decimal"
            value={price}
            onChange={(e) => setPrice(e.target.value)}
            onBlur={() => setTouched(true)}
            aria-invalid={showError}
            aria-describedby={showError ? errorId : undefined}
          />
          {showError && (
            <div className="field-error" role="alert" id={errorId}>
              {check.message}
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
        <button
          type="submit"
          disabled={busy || !check.ok}
          aria-describedby={saveHint ? [saveHintId, ...(showError ? [errorId] : [])].join(' ') : undefined}
        >
          Save price
        </button>
        {saveHint && (
          <span className="hint save-hint" id={saveHintId}>
            {saveHint}
          </span>
        )}
      </div>
      {pending && listed && <p className="hint">Waiting to reach the marketplace: {pending.lastError ?? 'sending…'}</p>}
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
              <td>{usdFromCents(b.gross)}</td>
            </tr>
            <tr>
              <th>Platform fee ({platformPct} %)</th>
              <td>{minus(b.platformFee)}</td>
            </tr>
            {b.processorFee > 0 && (
              <tr>
                <th className="hint">of which card processing (the platform pays it; not taken from you)</th>
                <td className="hint">({usdFromCents(b.processorFee)})</td>
              </tr>
            )}
            {b.parentRoyalty > 0 && (
              <tr>
                <th>Royalty to the parent’s creator (10 % of your share)</th>
                <td>{minus(b.parentRoyalty)}</td>
              </tr>
            )}
            <tr className="total">
              <th>You receive</th>
              <td data-testid="creator-net">{usdFromCents(b.creatorNet)}</td>
            </tr>
          </tbody>
        </table>
      )}
      {b && (
        <p className="hint">
          Shown in whole cents. Your balance is credited your exact share, to a millionth of a dollar, and payouts are whole cents: a
          fraction of a cent waits in your balance for the next one. Here that fraction is counted in the fee so the rows add up to the
          price.
        </p>
      )}
    </form>
  );
}
