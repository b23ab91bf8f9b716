/**
 * The library's bulk bar, shown while cards are selected: submit them to the marketplace (queued
 * in the outbox), set one price on those already submitted or queued, export them to one file,
 * delete them (with undo), or clear the selection.
 */
import { useState } from 'react';
import { ASSET_PRICING_MODELS, type PricingInput } from '@shared/payments.ts';
import { checkPriceText } from '../market.ts';

type Model = (typeof ASSET_PRICING_MODELS)[number];
const MODEL_LABEL: Record<Model, string> = { one_time: 'One-time purchase', subscription: 'Subscription', per_use: 'Per use' };

function PriceForm({ count, onApply, onCancel }: { count: number; onApply: (p: PricingInput) => void; onCancel: () => void }) {
  const [model, setModel] = useState<Model>('one_time');
  const [price, setPrice] = useState('');
  const [interval, setInterval_] = useState<'month' | 'year'>('month');
  const check = checkPriceText(model, price);
  return (
    <form
      className="bulk-price"
      aria-label="One price for the selected assets"
      onSubmit={(e) => {
        e.preventDefault();
        if (check.ok) onApply({ model, priceCents: check.cents, ...(model === 'subscription' ? { interval } : {}) });
      }}
    >
      <label>
        <span className="sr-only">Pricing model</span>
        <select value={model} onChange={(e) => setModel(e.target.value as Model)}>
          {ASSET_PRICING_MODELS.map((m) => (
            <option key={m} value={m}>
              {MODEL_LABEL[m]}
            </option>
          ))}
        </select>
      </label>
      {model === 'subscription' && (
        <label>
          <span className="sr-only">Billing</span>
          <select value={interval} onChange={(e) => setInterval_(e.target.value as 'month' | 'year')}>
            <option value="month">Monthly</option>
            <option value="year">Yearly</option>
          </select>
        </label>
      )}
      <label>
        <span className="sr-only">Price in dollars</span>
        <input
          type="text"
          inputMode="decimal"
          placeholder="4.99"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          aria-invalid={price !== '' && !check.ok}
          aria-describedby="bulk-price-hint"
        />
      </label>
      <button type="submit" className="primary" disabled={!check.ok}>
        Set price on {count}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <span id="bulk-price-hint" className="hint">
        {price !== '' && !check.ok ? check.message : 'Only assets already submitted or queued get the price'}
      </span>
    </form>
  );
}

export function BulkBar({
  selected,
  onSubmit,
  onPrice,
  onExport,
  onDelete,
  onClear,
}: {
  selected: string[];
  onSubmit: () => Promise<void>;
  onPrice: (p: PricingInput) => Promise<void>;
  onExport: () => Promise<void>;
  onDelete: () => Promise<void>;
  onClear: () => void;
}) {
  const [pricing, setPricing] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = (fn: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };
  const n = selected.length;
  return (
    <div className="bulk-bar" role="region" aria-label="Selected assets">
      <strong>{n} selected</strong>
      <button type="button" disabled={busy} onClick={() => void run(onSubmit)()}>
        Submit {n} to the marketplace
      </button>
      <button type="button" disabled={busy} aria-expanded={pricing} onClick={() => setPricing(!pricing)}>
        Set price…
      </button>
      <button type="button" disabled={busy} onClick={() => void run(onExport)()}>
        Export {n}
      </button>
      <button type="button" className="danger" disabled={busy} onClick={() => void run(onDelete)()}>
        Delete {n} selected
      </button>
      <button type="button" className="link" onClick={onClear}>
        Clear selection
      </button>
      {pricing && (
        <PriceForm
          count={n}
          onCancel={() => setPricing(false)}
          onApply={(p) => {
            setPricing(false);
            void run(() => onPrice(p))();
          }}
        />
      )}
    </div>
  );
}
