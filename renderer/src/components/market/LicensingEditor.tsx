/**
 * License offers of an asset (every field of the licensing spec, each type explained to the creator
 * in plain language) and who bought each. A new offer is checked whole before it is sent — every
 * field's problem next to it at once — and the form starts over once the offer is queued. Offers
 * made before the asset's first submission are kept for it (the submission takes them to the listing).
 */
import { type ReactNode, useId, useState } from 'react';
import type { OutboxOpView } from '@shared/api.ts';
import { LICENSE_WORDS } from '@shared/license-words.ts';
import { LICENSE_TYPES, LicenseOfferInput, USAGE_RIGHTS } from '@shared/payments.ts';
import { type FieldErrors, fieldErrors } from '@shared/form-errors.ts';
import { usdFromCents } from '@shared/format.ts';
import { createOffer, useOfferPurchases, useOffers, withdrawOffer } from '../../data/market.ts';
import { asFieldError } from '../../state/types.ts';
import { checkPriceText } from '../../market.ts';
import { Problem, useAction } from './common.tsx';
import { operationWords } from './outbox-words.ts';
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

type Usage = (typeof USAGE_RIGHTS)[number];

/** The form's fields as typed (text as typed, before it is read as numbers). */
interface OfferForm {
  type: LicenseType;
  price: string;
  rights: Usage[];
  territory: string;
  duration: string;
  impressions: string;
  royalty: string;
  attribution: boolean;
}
const EMPTY_OFFER: OfferForm = {
  type: 'royalty_free',
  price: '9.99',
  rights: ['web'],
  territory: 'worldwide',
  duration: '',
  impressions: '',
  royalty: '0',
  attribution: false,
};

/** The form's field of each offer path (`terms.territory.1` is the Territory box). */
const FIELD_OF: Record<string, keyof OfferForm> = {
  licenseType: 'type',
  priceCents: 'price',
  'terms.usageRights': 'rights',
  'terms.allowsAiTraining': 'rights',
  'terms.territory': 'territory',
  'terms.durationDays': 'duration',
  'terms.maxImpressions': 'impressions',
  'terms.royaltyPercent': 'royalty',
  'terms.requiresAttribution': 'attribution',
};
const LABEL: Record<keyof OfferForm, string> = {
  type: 'Type',
  price: 'Price',
  rights: 'Usage rights',
  territory: 'Territory',
  duration: 'Duration',
  impressions: 'Max impressions',
  royalty: 'Royalty',
  attribution: 'Attribution',
};
const fieldOf = (path: string): keyof OfferForm | undefined =>
  FIELD_OF[path] ?? FIELD_OF[path.replace(/^offer\./, '').replace(/\.\d+$/, '')];

/** A number box's text as the offer's number: empty is none (perpetual, unlimited); anything else is checked by the schema. */
const numberOrNull = (s: string) => (s.trim() === '' ? null : Number(s.trim()));

/**
 * The offer a form describes and every field's problem at once (keyed by the form's fields), read
 * with the same schema the marketplace applies. "AI training" is one control: the usage right, which
 * also sets `allowsAiTraining` (the spec's two fields for one fact).
 */
export function readOffer(f: OfferForm): { offer: LicenseOfferInput | null; errors: Partial<Record<keyof OfferForm, string>> } {
  const price = checkPriceText('license', f.price);
  const raw = {
    licenseType: f.type,
    priceCents: price.ok ? price.cents : 0,
    terms: {
      usageRights: f.rights,
      territory: f.territory
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
        .map((t) => (t.toLowerCase() === 'worldwide' ? 'worldwide' : t.toUpperCase())),
      durationDays: numberOrNull(f.duration),
      maxImpressions: numberOrNull(f.impressions),
      royaltyPercent: f.type === 'rights_managed' ? (numberOrNull(f.royalty) ?? 0) : 0,
      requiresAttribution: f.attribution,
      allowsAiTraining: f.rights.includes('ai_training'),
    },
  };
  const r = LicenseOfferInput.safeParse(raw);
  const errors: Partial<Record<keyof OfferForm, string>> = {};
  if (!price.ok) errors.price = price.message;
  const byPath: FieldErrors = r.success
    ? {}
    : fieldErrors(r.error.issues, { schema: LicenseOfferInput, label: (p) => LABEL[fieldOf(p) ?? 'type'] });
  for (const [path, message] of Object.entries(byPath)) {
    const k = fieldOf(path);
    if (k && !errors[k]) errors[k] = message;
  }
  return { offer: r.success && price.ok ? r.data : null, errors };
}

/** A labelled box of the offer form with its problem next to it (aria-invalid, aria-describedby). */
function OfferField(props: {
  label: string;
  error: string | undefined;
  hint?: string;
  children: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${props.error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': Boolean(props.error), ...(described ? { 'aria-describedby': described } : {}) })}
      {props.hint && (
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      {props.error && (
        <div className="field-error" id={`${id}-error`}>
          {props.error}
        </div>
      )}
    </div>
  );
}

export function LicensingEditor({
  assetId,
  listed = true,
  ops,
}: {
  assetId: string;
  /** The asset has its marketplace listing; before that, offers are kept for its first submission. */
  listed?: boolean;
  ops: OutboxOpView[];
}) {
  const { busy, run } = useAction();
  const done = ops.filter((o) => o.kind === 'offer' && o.state === 'done').length;
  const offers = useOffers(assetId, done);
  const [open, setOpen] = useState<string | null>(null);
  const [form, setForm] = useState<OfferForm>(EMPTY_OFFER);
  const [errors, setErrors] = useState<Partial<Record<keyof OfferForm, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState(false);
  const rightsId = useId();
  const pending = ops.filter((o) => o.kind === 'offer' && o.state !== 'done');
  /** Changes one field; its problem goes until the next "Create offer". */
  const set = <K extends keyof OfferForm>(k: K, v: OfferForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => ({ ...e, [k]: undefined }));
    setCreated(false);
  };

  function create(e: React.FormEvent) {
    e.preventDefault();
    if (created) return; // the offer just queued, unchanged since
    setError(null);
    const { offer, errors: found } = readOffer(form);
    setErrors(found);
    if (!offer) return;
    void run(async () => {
      try {
        await createOffer({ assetId, offer });
        // Queued: the form starts over and waits for a change, so a second click cannot send the same offer again.
        setForm(EMPTY_OFFER);
        setCreated(true);
        offers.reload();
      } catch (x) {
        const issues = asFieldError(x).issues ?? [];
        const next: Partial<Record<keyof OfferForm, string>> = {};
        for (const i of issues) {
          const k = fieldOf(i.field);
          if (k && !next[k]) next[k] = i.message;
        }
        if (Object.keys(next).length) setErrors(next);
        else setError(asFieldError(x).message);
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
      {pending.map((p) =>
        !listed && p.state === 'pending' ? (
          <p key={p.id} className="hint">
            Kept for the first submission: {operationWords(p)}
          </p>
        ) : (
          <p key={p.id} className={p.state === 'failed' ? 'banner error' : 'hint'}>
            Offer{' '}
            {p.state === 'failed' ? `refused: ${p.lastError}` : `waiting to reach the marketplace${p.lastError ? `: ${p.lastError}` : ''}`}
          </p>
        ),
      )}
      <details>
        <summary>New license offer</summary>
        <form className="form" aria-label="New license offer" onSubmit={create} noValidate>
          <div className="row">
            <OfferField
              label="Type"
              error={errors.type}
              hint={`${LICENSE_WORDS[form.type].offered}${LICENSE_WORDS[form.type].derivatives ? ' Buyers may publish derivatives.' : ''}`}
            >
              {(a) => (
                <select {...a} value={form.type} onChange={(e) => set('type', e.target.value as LicenseType)}>
                  {LICENSE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {LICENSE_WORDS[t].title}
                    </option>
                  ))}
                </select>
              )}
            </OfferField>
            <OfferField label="Price (USD)" error={errors.price}>
              {(a) => <input {...a} inputMode="decimal" value={form.price} onChange={(e) => set('price', e.target.value)} />}
            </OfferField>
            <OfferField label="Territory" error={errors.territory} hint="“worldwide”, or country codes separated by commas (US, DE, FR)">
              {(a) => <input {...a} value={form.territory} onChange={(e) => set('territory', e.target.value)} />}
            </OfferField>
          </div>
          <fieldset aria-invalid={Boolean(errors.rights)} aria-describedby={errors.rights ? rightsId : undefined}>
            <legend>Usage rights</legend>
            {USAGE_RIGHTS.map((r) => (
              <label key={r} className="check">
                <input
                  type="checkbox"
                  checked={form.rights.includes(r)}
                  onChange={(e) => set('rights', e.target.checked ? [...form.rights, r] : form.rights.filter((x) => x !== r))}
                />{' '}
                {r === 'ai_training' ? 'AI training (buyers may train AI models on it)' : r.replace(/_/g, ' ')}
              </label>
            ))}
            {errors.rights && (
              <div className="field-error" id={rightsId}>
                {errors.rights}
              </div>
            )}
          </fieldset>
          <div className="row">
            <OfferField label="Duration in days (empty = perpetual)" error={errors.duration}>
              {(a) => <input {...a} inputMode="numeric" value={form.duration} onChange={(e) => set('duration', e.target.value)} />}
            </OfferField>
            <OfferField label="Max impressions (empty = unlimited)" error={errors.impressions}>
              {(a) => <input {...a} inputMode="numeric" value={form.impressions} onChange={(e) => set('impressions', e.target.value)} />}
            </OfferField>
            <OfferField label="Royalty % (rights-managed, 0–50)" error={errors.royalty}>
              {(a) => (
                <input
                  {...a}
                  inputMode="numeric"
                  value={form.royalty}
                  onChange={(e) => set('royalty', e.target.value)}
                  disabled={form.type !== 'rights_managed'}
                />
              )}
            </OfferField>
          </div>
          <label className="check">
            <input type="checkbox" checked={form.attribution} onChange={(e) => set('attribution', e.target.checked)} /> Attribution required
          </label>
          <Problem error={error} />
          {created && (
            <p className="hint" role="status">
              Offer queued for the marketplace. Change the form to make another one.
            </p>
          )}
          <button type="submit" disabled={busy || created}>
            Create offer
          </button>
        </form>
      </details>
    </div>
  );
}
