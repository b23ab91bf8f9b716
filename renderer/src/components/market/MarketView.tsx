/** Browse the marketplace and buy: search, a listing with its price and license offers, checkout through the processor's page. */
import { useState } from 'react';
import type { PurchaseView } from '@shared/payments.ts';
import { usdFromCents } from '@shared/format.ts';
import { buy as buyAsset, buyLicense, useListing, useSearch } from '../../data/market.ts';
import { useCheckout } from '../../data/push.ts';
import { report, useBadges } from '../../data/trust.ts';
import { selectUser } from '../../state/market.ts';
import { selectGo } from '../../state/router.ts';
import { useStudio } from '../../state/store.ts';
import { MarketImage, Problem, Screen, useAction } from './common.tsx';
import { plural } from '../../words.ts';

export function MarketView() {
  const go = useStudio(selectGo);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const r = useSearch(query);
  return (
    <Screen title="Marketplace">
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q.trim());
        }}
      >
        <label htmlFor="mq" className="sr-only">
          Search the marketplace
        </label>
        <input id="mq" type="search" placeholder="Search published assets" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      <Problem error={r.error} />
      <ul className="market-grid">
        {(r.data?.items ?? []).map((a) => (
          <li key={a.id}>
            <button type="button" className="tile" onClick={() => go({ name: 'listing', remoteId: a.id })}>
              <MarketImage path={a.imageUrl} alt={`Image of ${a.name}`} />
              <strong>{a.name}</strong>
              <span className="sub">
                {a.creatorName} · {a.priceCents !== null ? usdFromCents(a.priceCents) : 'licenses'}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {r.data && r.data.items.length === 0 && <p className="empty">Nothing published matches.</p>}
    </Screen>
  );
}

type ReportKind = 'spam' | 'misrepresentation' | 'copyright' | 'offensive';

/** Report a listing to the moderators (anyone signed in). */
function ReportDialog({ remoteId, onDone }: { remoteId: string; onDone: () => void }) {
  const { busy, run } = useAction();
  const [kind, setKind] = useState<ReportKind>('copyright');
  const [details, setDetails] = useState('');
  return (
    <form
      className="card form"
      role="dialog"
      aria-label="Report this listing"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => report({ remoteId, kind, details }), 'Reported: a moderator will look at it').then((r) => r && onDone());
      }}
    >
      <h2>Report this listing</h2>
      <div className="field">
        <label htmlFor="report-kind">What is wrong?</label>
        <select id="report-kind" value={kind} onChange={(e) => setKind(e.target.value as ReportKind)}>
          <option value="copyright">It copies someone else’s work (copyright)</option>
          <option value="misrepresentation">The description does not match the content</option>
          <option value="spam">Spam</option>
          <option value="offensive">Offensive content</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="report-details">Details for the moderators</label>
        <textarea id="report-details" rows={3} value={details} onChange={(e) => setDetails(e.target.value)} />
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Send report
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function ListingView({ remoteId }: { remoteId: string }) {
  const me = useStudio(selectUser);
  const go = useStudio(selectGo);
  const { busy, run } = useAction();
  const l = useListing(remoteId);
  const checkout = useCheckout();
  const [reporting, setReporting] = useState(false);
  const badges = useBadges(remoteId);
  const a = l.data?.asset;
  const mine = a && me && a.creatorId === me.id;
  const buy = (fn: () => Promise<PurchaseView>) => void run(fn).then((p) => p && checkout.start(p));
  return (
    <Screen
      title={a?.name ?? 'Listing'}
      label="Listing"
      actions={
        <button type="button" onClick={() => go({ name: 'market' })}>
          Back to the marketplace
        </button>
      }
    >
      <Problem error={l.error} />
      {a && l.data && (
        <div className="listing">
          <figure>
            <MarketImage path={a.imageUrl} alt={`Image of ${a.name}`} />
          </figure>
          <div>
            <p className="sub">
              {a.assetType.replace('_', ' ')} by {a.creatorName} · version {a.publishedVersion}
              {a.parentAssetId ? ' · derivative (its parent’s creator earns a royalty)' : ''}
            </p>
            {a.status === 'taken_down' && (
              <p className="banner error" role="alert">
                Taken down by the moderators{a.takedown?.reason ? `: ${a.takedown.reason}` : ''}.
              </p>
            )}
            {badges.data && badges.data.badges.length > 0 && (
              <p>
                {badges.data.badges.map((b) => (
                  <span key={b} className="badge approved" title={badges.data?.rules[b]}>
                    {b.replace('_', ' ')}
                  </span>
                ))}
              </p>
            )}
            <p>{String(a.card.description ?? '')}</p>
            {!me && <p className="banner">Sign in to buy.</p>}
            {me && !mine && a.status !== 'taken_down' && !reporting && (
              <button type="button" className="link" onClick={() => setReporting(true)}>
                Report this listing
              </button>
            )}
            {reporting && <ReportDialog remoteId={remoteId} onDone={() => setReporting(false)} />}
            {checkout.waiting && (
              <p className="banner" role="status">
                Waiting for the payment to complete in the checkout window…
              </p>
            )}
            {l.data.pricing.model && l.data.pricing.priceCents !== null && (
              <div className="card">
                <strong>
                  {l.data.pricing.model === 'subscription'
                    ? `${usdFromCents(l.data.pricing.priceCents)} per month${l.data.pricing.interval === 'year' ? ', billed yearly' : ''}`
                    : l.data.pricing.model === 'per_use'
                      ? `${usdFromCents(l.data.pricing.priceCents)} per use, from your prepaid balance`
                      : usdFromCents(l.data.pricing.priceCents)}
                </strong>{' '}
                {l.data.pricing.model !== 'per_use' && (
                  <button
                    type="button"
                    className="primary"
                    disabled={busy || !me || Boolean(mine)}
                    onClick={() => buy(() => buyAsset(remoteId))}
                  >
                    {l.data.pricing.model === 'subscription' ? 'Subscribe' : 'Buy'}
                  </button>
                )}
              </div>
            )}
            <h2>Licenses</h2>
            {l.data.offers.length === 0 && <p className="hint">No license offers.</p>}
            <ul className="offers">
              {l.data.offers.map((o) => (
                <li key={o.id} className="card">
                  <strong>{o.licenseType.replace('_', ' ')} license</strong> · {usdFromCents(o.priceCents)}
                  <p className="hint">
                    {o.terms.usageRights.join(', ')} · {o.terms.territory.join(', ')} ·{' '}
                    {o.terms.durationDays ? plural(o.terms.durationDays, 'day') : 'perpetual'} ·{' '}
                    {o.terms.maxImpressions ? plural(o.terms.maxImpressions, 'impression') : 'unlimited impressions'}
                    {o.terms.royaltyPercent ? ` · ${o.terms.royaltyPercent} % royalty per use` : ''}
                    {o.terms.requiresAttribution ? ' · attribution required' : ''} · AI training{' '}
                    {o.terms.allowsAiTraining ? 'allowed' : 'not allowed'}
                  </p>
                  <button type="button" disabled={busy || !me || Boolean(mine)} onClick={() => buy(() => buyLicense(o.id))}>
                    Buy license
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </Screen>
  );
}
