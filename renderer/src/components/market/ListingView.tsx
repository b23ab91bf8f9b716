/**
 * One listing: the whole card (character sheet, tags, age rating), its price and license offers in
 * plain language, checkout through the processor's page — and, instead of Buy, "You own this" for a
 * buyer who holds it and "This is yours — edit" for its creator.
 */
import { useState } from 'react';
import { LICENSE_WORDS, PURCHASE_WORDS, termsInWords } from '@shared/license-words.ts';
import type { PurchaseView } from '@shared/payments.ts';
import { usdFromCents } from '@shared/format.ts';
import { buy as buyAsset, buyLicense, useListing } from '../../data/market.ts';
import { useCheckout } from '../../data/push.ts';
import { useBadges } from '../../data/trust.ts';
import { selectUser } from '../../state/market.ts';
import { selectGo } from '../../state/router.ts';
import { useStudio } from '../../state/store.ts';
import { cardFacts } from './browse.ts';
import { MarketImage, Problem, Screen, useAction } from './common.tsx';
import { ReportDialog } from './ReportDialog.tsx';

export function ListingView({ remoteId }: { remoteId: string }) {
  const me = useStudio(selectUser);
  const go = useStudio(selectGo);
  const { busy, run } = useAction();
  const l = useListing(remoteId);
  const checkout = useCheckout();
  const [reporting, setReporting] = useState(false);
  const badges = useBadges(remoteId);
  const a = l.data?.asset;
  const mine = Boolean(a && me && a.creatorId === me.id);
  const owned = l.data?.owned ?? null;
  const buy = (fn: () => Promise<PurchaseView>) => void run(fn).then((p) => p && checkout.start(p));
  const model = l.data?.pricing.model;
  const facts = a ? cardFacts(a.card) : [];
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
            {facts.length > 0 && (
              <dl className="facts" aria-label="About this card">
                {facts.map((f) => (
                  <div key={f.label}>
                    <dt>{f.label}</dt>
                    <dd>{f.value}</dd>
                  </div>
                ))}
              </dl>
            )}
            {mine && (
              <p className="banner" role="status">
                <strong>This is yours</strong>
                {l.data.localAssetId ? (
                  <>
                    {' — '}
                    <button type="button" className="link" onClick={() => go({ name: 'editor', id: l.data?.localAssetId ?? null })}>
                      edit
                    </button>
                  </>
                ) : (
                  ' (published from another studio: edit it there)'
                )}
              </p>
            )}
            {owned && (
              <p className="banner" role="status">
                <strong>You own this</strong>
                {owned.kind === 'license' && owned.licenseType
                  ? ` (${LICENSE_WORDS[owned.licenseType].title.toLowerCase()} license)`
                  : ''}{' '}
                —{' '}
                <button type="button" className="link" onClick={() => go({ name: 'purchases' })}>
                  download it and see the license in Purchases
                </button>
              </p>
            )}
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
            {model && l.data.pricing.priceCents !== null && (
              <div className="card">
                <strong>
                  {model === 'subscription'
                    ? `${usdFromCents(l.data.pricing.priceCents)} per month${l.data.pricing.interval === 'year' ? ', billed yearly' : ''}`
                    : model === 'per_use'
                      ? `${usdFromCents(l.data.pricing.priceCents)} per use, from your prepaid balance`
                      : usdFromCents(l.data.pricing.priceCents)}
                </strong>{' '}
                {model !== 'per_use' && !mine && !owned && (
                  <button type="button" className="primary" disabled={busy || !me} onClick={() => buy(() => buyAsset(remoteId))}>
                    {model === 'subscription' ? 'Subscribe' : 'Buy'}
                  </button>
                )}
                {model !== 'per_use' && (
                  <p className="hint">
                    <strong>{PURCHASE_WORDS[model].title}:</strong> {PURCHASE_WORDS[model].summary}
                  </p>
                )}
              </div>
            )}
            <h2>Licenses</h2>
            {l.data.offers.length === 0 && <p className="hint">No license offers.</p>}
            <ul className="offers">
              {l.data.offers.map((o) => {
                const words = LICENSE_WORDS[o.licenseType];
                const held = owned?.kind === 'license' && owned.licenseType === o.licenseType;
                return (
                  <li key={o.id} className="card">
                    <strong>{words.title} license</strong> · {usdFromCents(o.priceCents)}
                    <p>{words.summary}</p>
                    <ul className="terms">
                      {termsInWords(o.terms).map((t) => (
                        <li key={t}>{t}</li>
                      ))}
                      <li>{words.derivatives ? 'Derivatives allowed (declare this listing as their parent).' : 'No derivatives.'}</li>
                    </ul>
                    {!mine && !held && (
                      <button type="button" disabled={busy || !me} onClick={() => buy(() => buyLicense(o.id))}>
                        Buy license
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          </div>
        </div>
      )}
    </Screen>
  );
}
