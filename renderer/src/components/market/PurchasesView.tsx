/**
 * What the signed-in user bought: licenses with keys, terms in plain language and validity,
 * subscriptions, the files (card, license, image, audio/video) to download, adding the card to the
 * library, refunds inside the window (the form closes on the refunded state), disputes after it.
 */
import { useEffect, useState } from 'react';
import type { PurchaseFilesView } from '@shared/contracts/studio/purchases.ts';
import { type PurchaseView, TopUpInput } from '@shared/payments.ts';
import { REFUND_REASONS } from '@shared/policy/money.ts';
import { usdFromCents, usdFromMicros } from '@shared/format.ts';
import { dispute, getPurchase, onPurchaseSettled, refund, topUp, useBalance, useDownloads, usePurchases } from '../../data/market.ts';
import { useCheckout } from '../../data/push.ts';
import { parseDollars } from '../../market.ts';
import { Problem, Screen, useAction } from './common.tsx';
import { Delivery, LicenseWords } from './PurchaseDelivery.tsx';
import { plural } from '../../words.ts';

const REASONS = REFUND_REASONS.filter((r) => r !== 'copyright_takedown' && r !== 'dispute_resolution');

function Row({ p, saved, reload }: { p: PurchaseView; saved: PurchaseFilesView | undefined; reload: () => void }) {
  const { busy, run } = useAction();
  const [reason, setReason] = useState<string>('not_as_described');
  const [details, setDetails] = useState('');
  const [open, setOpen] = useState<'refund' | 'dispute' | null>(null);
  const refundable = p.refundableUntil && new Date(p.refundableUntil).getTime() > Date.now();
  return (
    <li className="card purchase" aria-label={`Purchase of ${p.assetName ?? 'balance'}`}>
      <div className="row">
        <strong>{p.assetName ?? 'Prepaid balance top-up'}</strong>
        <span>{p.kind.replace('_', '-')}</span>
        <span>{usdFromCents(p.amountCents)}</span>
        <span className={`badge ${p.status}`} data-testid="purchase-status">
          {p.status}
        </span>
        <span className="hint">{p.processor === 'local_test' ? 'test payment' : ''}</span>
      </div>
      {p.licenseKey && (
        <p>
          License key{p.status === 'refunded' ? ' (no longer valid: refunded)' : ''}: <code className="key">{p.licenseKey}</code>{' '}
          <button type="button" className="link" onClick={() => void navigator.clipboard?.writeText(p.licenseKey as string)}>
            Copy
          </button>
          {p.terms && (
            <span className="hint">
              {' '}
              · {p.licenseExpiresAt ? `valid until ${new Date(p.licenseExpiresAt).toLocaleDateString()}` : 'perpetual'} ·{' '}
              {p.terms.maxImpressions
                ? `${p.impressionsUsed}/${p.terms.maxImpressions} impressions`
                : plural(p.impressionsUsed, 'impression')}
            </span>
          )}
        </p>
      )}
      {p.kind !== 'top_up' && p.status === 'paid' && <LicenseWords p={p} />}
      {p.status === 'paid' && p.kind !== 'top_up' && <Delivery p={p} saved={saved} onChange={reload} />}
      {p.subscription && (
        <p>
          Subscription {p.subscription.status}
          {p.subscription.currentPeriodEnd
            ? ` · current period ends ${new Date(p.subscription.currentPeriodEnd).toLocaleDateString()}`
            : ''}{' '}
          {p.subscription.status === 'active' && (
            <button type="button" disabled={busy} onClick={() => void run(() => getPurchase(p.id).then(reload))}>
              Refresh
            </button>
          )}
        </p>
      )}
      {p.status === 'refunded' && <p className="hint">Refunded ({p.refundReason?.replace(/_/g, ' ')})</p>}
      {p.status === 'paid' && (
        <div className="row">
          {refundable ? (
            <button type="button" onClick={() => setOpen(open === 'refund' ? null : 'refund')}>
              Request refund (until {new Date(p.refundableUntil as string).toLocaleDateString()})
            </button>
          ) : (
            p.kind !== 'subscription' && (
              <button type="button" onClick={() => setOpen(open === 'dispute' ? null : 'dispute')}>
                Open a dispute
              </button>
            )
          )}
        </div>
      )}
      {open === 'refund' && p.status === 'paid' && (
        <form
          className="row"
          aria-label="Refund request"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => refund({ id: p.id, reason, ...(details ? { details } : {}) }), 'Refunded').then((r) => {
              // The refunded purchase shows its state; the form is done.
              if (r) setOpen(null);
              reload();
            });
          }}
        >
          <div className="field">
            <label htmlFor={`rr-${p.id}`}>Reason</label>
            <select id={`rr-${p.id}`} value={reason} onChange={(e) => setReason(e.target.value)}>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {r.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor={`rd-${p.id}`}>Details (optional)</label>
            <input id={`rd-${p.id}`} value={details} onChange={(e) => setDetails(e.target.value)} />
          </div>
          <button type="submit" disabled={busy}>
            Confirm refund
          </button>
        </form>
      )}
      {open === 'dispute' && p.status === 'paid' && (
        <form
          className="row"
          aria-label="Dispute"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => dispute(p.id, details), 'Dispute opened: a moderator will decide').then((r) => {
              if (r) setOpen(null);
              reload();
            });
          }}
        >
          <div className="field grow">
            <label htmlFor={`dd-${p.id}`}>What went wrong?</label>
            <input id={`dd-${p.id}`} value={details} onChange={(e) => setDetails(e.target.value)} />
          </div>
          <button type="submit" disabled={busy}>
            Open dispute
          </button>
        </form>
      )}
    </li>
  );
}

export function PurchasesView() {
  const list = usePurchases();
  const downloads = useDownloads([list.data]);
  const reload = () => {
    list.reload();
    downloads.reload();
  };
  // A checkout settling (a top-up paid here, a purchase paid from a listing) shows at once.
  const [settled, setSettled] = useState(0);
  useEffect(() => onPurchaseSettled(() => setSettled((n) => n + 1)), []);
  useEffect(() => {
    if (settled) list.reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);
  const checkout = useCheckout();
  // Read again when the list changes and when a checkout (a top-up) settles.
  const balance = useBalance([list.data, checkout.waiting]);
  const { busy, run } = useAction();
  const [amount, setAmount] = useState('10.00');
  const cents = parseDollars(amount);
  // The contract's own bounds, checked before anything is sent ("top-ups start at $5").
  const bounds = cents === null ? null : TopUpInput.shape.amountCents.safeParse(cents);
  const outOfRange = bounds && !bounds.success ? (bounds.error.issues[0]?.message ?? 'not a top-up amount') : null;
  return (
    <Screen title="Purchases">
      <form
        className="card row"
        aria-label="Prepaid balance"
        onSubmit={(e) => {
          e.preventDefault();
          if (cents !== null && !outOfRange) void run(() => topUp(cents)).then((p) => p && checkout.start(p));
        }}
      >
        <div>
          <strong>Prepaid balance: {balance.data ? usdFromMicros(balance.data.availableMicros) : '…'}</strong>
          <div className="hint">Pays per-use assets and rights-managed license royalties.</div>
        </div>
        <div className="field">
          <label htmlFor="topup">Top up (USD)</label>
          <input
            id="topup"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            inputMode="decimal"
            aria-invalid={cents === null || outOfRange !== null}
          />
          {(cents === null || outOfRange) && (
            <div className="field-error" role="alert">
              {cents === null ? 'Enter dollars and cents, e.g. 10.00' : `${outOfRange?.charAt(0).toUpperCase()}${outOfRange?.slice(1)}`}
            </div>
          )}
        </div>
        <button type="submit" disabled={busy || cents === null || outOfRange !== null}>
          Top up
        </button>
      </form>
      {checkout.waiting && <p className="banner">Waiting for the payment…</p>}
      <Problem error={list.error} />
      <ul className="purchases">
        {(list.data ?? [])
          .filter((p) => p.status !== 'pending' && p.kind !== 'top_up')
          .map((p) => (
            <Row key={p.id} p={p} saved={downloads.data?.find((d) => d.purchaseId === p.id)} reload={reload} />
          ))}
      </ul>
      {list.data && list.data.filter((p) => p.kind !== 'top_up').length === 0 && (
        <p className="empty">Nothing bought yet. Find assets in the Marketplace.</p>
      )}
    </Screen>
  );
}
