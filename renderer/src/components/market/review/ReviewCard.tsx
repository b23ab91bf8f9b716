/**
 * The whole submitted card in the review queue: image, every field by its human name, the price
 * and pricing model, the age rating, and when it was submitted with how long it has waited.
 */
import { useEffect, useState } from 'react';
import { byCardOrder, fieldLabel, flattenCard } from '@shared/card-fields.ts';
import { usdFromCents } from '@shared/format.ts';
import type { QueueItem } from '@shared/marketplace.ts';
import { MarketImage } from '../common.tsx';
import { waitingFor } from './waiting.ts';

const MODEL: Record<string, string> = { one_time: 'one-time purchase', subscription: 'subscription', per_use: 'per use' };
/** Shown elsewhere: the name and type in the item's header, the age rating among the facts. */
const APART = new Set(['name', 'age_rating', 'asset_type']);

function price(a: QueueItem['asset']): string {
  if (a.priceCents === null) return 'not priced yet (not for sale until its creator prices it)';
  const per = a.pricingModel === 'subscription' && a.billingInterval ? ` per ${a.billingInterval}` : '';
  return `${usdFromCents(a.priceCents)}${per} · ${MODEL[a.pricingModel ?? 'one_time'] ?? a.pricingModel}`;
}

/** Re-renders every minute so the waiting time stays true. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function ReviewCard({ item }: { item: QueueItem }) {
  const now = useNow();
  const a = item.asset;
  const fields = flattenCard(a.card);
  const keys = Object.keys(fields)
    .filter((k) => !APART.has(k))
    .sort(byCardOrder);
  const rating = typeof a.card.age_rating === 'string' ? a.card.age_rating : null;
  return (
    <div className="review-card">
      <figure>
        {a.imageUrl || a.assetType !== 'media' ? (
          <MarketImage path={a.imageUrl} alt={`Submitted image of ${a.name}`} />
        ) : (
          // An audio or video submission has no picture: its players and matched ranges are below.
          <div className="no-image">Audio or video: players below</div>
        )}
        <figcaption>Submitted</figcaption>
      </figure>
      <div>
        <dl className="review-facts">
          <dt>Price</dt>
          <dd data-testid="review-price">{price(a)}</dd>
          <dt>Age rating</dt>
          <dd data-testid="review-age-rating">{rating ?? 'not rated'}</dd>
          <dt>Submitted</dt>
          <dd>
            <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString()}</time>
          </dd>
          <dt>Waiting</dt>
          <dd data-testid="review-waiting">{waitingFor(item.createdAt, now)}</dd>
        </dl>
        <dl className="review-fields" aria-label={`Card of ${a.name}`}>
          {keys.map((k) => (
            <div key={k}>
              <dt>{fieldLabel(k)}</dt>
              <dd>{fields[k]}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
