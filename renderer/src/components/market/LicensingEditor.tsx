/** License offers of an asset (every field of the licensing spec, each type explained in plain language) and who bought each. */
import { useState } from 'react';
import type { OutboxOpView } from '@shared/api.ts';
import { LICENSE_WORDS } from '@shared/license-words.ts';
import { LICENSE_TYPES, USAGE_RIGHTS } from '@shared/payments.ts';
import { usdFromCents } from '@shared/format.ts';
import { createOffer, useOfferPurchases, useOffers, withdrawOffer } from '../../data/market.ts';
import { parseDollars } from '../../market.ts';
import { Problem, useAction } from './common.tsx';
import { plural } from '../../words.ts';

type LicenseType = (typeof LICENSE_TYPES)[number];

function Purchases({ offerId }: { offerId: string }) {
  const p = useOfferPurchases(offerId);
  if (p.error) return <Problem error={p.error} />;
  if (!p.data) return <p className="hint">Loading…</p>;
  if (!p.data.length) return <p className="hint">No purchases yet.</p>;
  return (
    <ul>
      {p.data.map((x) => (
        <li key={x.purchaseId}>
          {x.buyer}
          {x.companyName ? ` (${x.companyName})` : ''} · {x.status} · {x.paidAt ? new Date(x.paidAt).toLocaleDateString() : ''} ·{' '}
          {plural(x.impressionsUsed, 'impression')}
        </li>
      ))}
    </ul>
  );
}

export function LicensingEditor({ assetId, ops }: { assetId: string; ops: OutboxOpView[] }) {
  const { busy, run } = useAction();
  const done = ops.filter((o) => o.kind === 'offer' && o.state === 'done').length;
  const offers = useOffers(assetId, done);
  const [open, setOpen] = useState<string | null>(null);
  const [type, setType] = useState<LicenseType>('royalty_free');
  const [price, setPrice] = useState('9.99');
  const [rights, setRights] = useState<string[]>(['web']);
  const [territory, setTerritory] = useState('worldwide');
  const [duration, setDuration] = useState('');
  const [impressions, setImpressions] = useState('');
  const [royalty, setRoyalty] = useState('0');
  const [attribution, setAttribution] = useState(false);
  const [aiTraining, setAiTraining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = ops.filter((o) => o.kind === 'offer' && o.state !== 'done');

  function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const cents = parseDollars(price);
    if (cents === null) return setError('Price: enter dollars and cents, e.g. 9.99');
    const n = (s: string) => (s.trim() === '' ? null : Number(s));
    void run(async () => {
      try {
        await createOffer({
          assetId,
          offer: {
            licenseType: type,
            priceCents: cents,
            terms: {
              usageRights: rights as (typeof USAGE_RIGHTS)[number][],
              territory: territory
                .split(',')
                .map((t) => t.trim())
                .filter(Boolean),
              durationDays: n(duration),
              maxImpressions: n(impressions),
              royaltyPercent: Number(royalty) || 0,
              requiresAttribution: attribution,
              allowsAiTraining: aiTraining,
            },
          },
        });
        offers.reload();
      } catch (x) {
        setError((x as Error).message);
      }
    });
  }

  return (
    <div className="licensing">
      <h3>Licenses</h3>
      {offers.error ? (
        <Problem error={offers.error} />
      ) : (
        <table className="table" aria-label="License offers">
          <thead>
            <tr>
              <th>Type</th>
              <th>Price</th>
              <th>Terms</th>
              <th>Sold</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(offers.data ?? []).map((o) => (
              <tr key={o.id}>
                <td>
                  {LICENSE_WORDS[o.licenseType].title}
                  {o.soldOut ? ' (sold)' : !o.active ? ' (withdrawn)' : ''}
                </td>
                <td>{usdFromCents(o.priceCents)}</td>
                <td className="hint">
                  {o.terms.usageRights.join(', ')} · {o.terms.territory.join(', ')} ·{' '}
                  {o.terms.durationDays ? plural(o.terms.durationDays, 'day') : 'perpetual'} ·{' '}
                  {o.terms.maxImpressions ? plural(o.terms.maxImpressions, 'impression') : 'unlimited'}
                  {o.terms.royaltyPercent ? ` · ${o.terms.royaltyPercent} % royalty` : ''}
                  {o.terms.requiresAttribution ? ' · attribution' : ''}
                  {o.terms.allowsAiTraining ? ' · AI training allowed' : ''}
                </td>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(open === o.id ? null : o.id)}>
                    {o.purchases} ({usdFromCents(o.revenueCents)})
                  </button>
                  {open === o.id && <Purchases offerId={o.id} />}
                </td>
                <td>
                  {o.active && (
                    <button type="button" disabled={busy} onClick={() => void run(() => withdrawOffer(o.id).then(offers.reload))}>
                      Withdraw
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending.map((p) => (
        <p key={p.id} className={p.state === 'failed' ? 'banner error' : 'hint'}>
          Offer{' '}
          {p.state === 'failed' ? `refused: ${p.lastError}` : `waiting to reach the marketplace${p.lastError ? `: ${p.lastError}` : ''}`}
        </p>
      ))}
      <details>
        <summary>New license offer</summary>
        <form className="form" aria-label="New license offer" onSubmit={create}>
          <div className="row">
            <div className="field">
              <label htmlFor="lic-type">Type</label>
              <select id="lic-type" value={type} onChange={(e) => setType(e.target.value as LicenseType)} aria-describedby="lic-type-words">
                {LICENSE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {LICENSE_WORDS[t].title}
                  </option>
                ))}
              </select>
              <p id="lic-type-words" className="hint">
                {LICENSE_WORDS[type].summary} {LICENSE_WORDS[type].derivatives ? 'Buyers may publish derivatives.' : ''}
              </p>
            </div>
            <div className="field">
              <label htmlFor="lic-price">Price (USD)</label>
              <input id="lic-price" value={price} onChange={(e) => setPrice(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="lic-territory">Territory (comma-separated)</label>
              <input id="lic-territory" value={territory} onChange={(e) => setTerritory(e.target.value)} />
            </div>
          </div>
          <fieldset>
            <legend>Usage rights</legend>
            {USAGE_RIGHTS.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  checked={rights.includes(r)}
                  onChange={(e) => setRights(e.target.checked ? [...rights, r] : rights.filter((x) => x !== r))}
                />{' '}
                {r.replace('_', ' ')}
              </label>
            ))}
          </fieldset>
          <div className="row">
            <div className="field">
              <label htmlFor="lic-duration">Duration in days (empty = perpetual)</label>
              <input id="lic-duration" inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="lic-impr">Max impressions (empty = unlimited)</label>
              <input id="lic-impr" inputMode="numeric" value={impressions} onChange={(e) => setImpressions(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="lic-royalty">Royalty % (rights-managed, 0–50)</label>
              <input
                id="lic-royalty"
                inputMode="numeric"
                value={royalty}
                onChange={(e) => setRoyalty(e.target.value)}
                disabled={type !== 'rights_managed'}
              />
            </div>
          </div>
          <label className="check">
            <input type="checkbox" checked={attribution} onChange={(e) => setAttribution(e.target.checked)} /> Attribution required
          </label>
          <label className="check">
            <input type="checkbox" checked={aiTraining} onChange={(e) => setAiTraining(e.target.checked)} /> Allows AI training
          </label>
          <Problem error={error} />
          <button type="submit" disabled={busy}>
            Create offer
          </button>
        </form>
      </details>
    </div>
  );
}
