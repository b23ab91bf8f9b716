/**
 * Payouts: what can be paid out now, connecting a payout account (explained in plain words when
 * there is none, never an API route or error code), paying out, and the list of payouts with
 * column headers — refetched after every payout action so a new payout shows at once.
 */
import { useState } from 'react';
import type { PayoutView } from '@shared/payments.ts';
import { usdFromCents } from '@shared/format.ts';
import { connectPayoutAccount, payoutNow } from '../../../data/market.ts';
import { useAction } from '../common.tsx';

type Payout = PayoutView;

const STATUS: Record<string, string> = {
  pending: 'sending',
  paid: 'sent to your payout account',
  failed: 'failed (the amount went back to your balance)',
};

/** The words shown when a payout needs an account: what is missing and how to set it up. */
export const NEEDS_ACCOUNT =
  'To be paid you need a payout account: the bank account the marketplace sends your earnings to. Choose “Set up payout account”, then enter your bank details on the payment provider’s page that opens. Until then your earnings stay safely in your balance.';

export function PayoutsPanel(props: {
  payableCents: number;
  payoutAccount: boolean;
  payouts: readonly Payout[] | null;
  /** Refetches the earnings and the payouts after an action. */
  reload: () => void;
}) {
  const { busy, run } = useAction();
  const [explain, setExplain] = useState(false);
  const [sentNote, setSentNote] = useState<string | null>(null);
  const connect = () =>
    void run(async () => {
      const r = await connectPayoutAccount();
      // The payment provider's onboarding page, where the creator enters bank details.
      if (r.onboardingUrl && /^https?:\/\//.test(r.onboardingUrl)) window.open(r.onboardingUrl, '_blank', 'noopener');
      setExplain(false);
      props.reload();
    }, 'Payout account connected');
  const payOut = () => {
    if (!props.payoutAccount) {
      setExplain(true);
      return;
    }
    void run(async () => {
      const po = await payoutNow();
      setSentNote(po ? `Payout of ${usdFromCents(po.amountCents)} sent.` : 'Nothing to pay out: your balance is under one cent.');
      props.reload();
    });
  };
  return (
    <section className="payouts" aria-labelledby="payouts-title">
      <h2 id="payouts-title">Payouts</h2>
      <div className="row">
        <button type="button" disabled={busy || props.payableCents < 1} aria-describedby="payout-help" onClick={payOut}>
          Pay out {usdFromCents(props.payableCents)} now
        </button>
        <button type="button" disabled={busy} onClick={connect}>
          {props.payoutAccount ? 'Payout account settings' : 'Set up payout account'}
        </button>
      </div>
      <p id="payout-help" className="hint" data-testid="payout-help">
        {props.payoutAccount ? 'Payouts go to your connected payout account. ' : 'No payout account yet: set one up to be paid. '}
        {/* Said either way: the net shown per sale is rounded to the cent, the payout is whole cents. */}
        Whole cents are paid; a fraction of a cent stays in your balance for the next payout.
      </p>
      {explain && (
        <p className="banner" role="status" data-testid="payout-explanation">
          {NEEDS_ACCOUNT}
        </p>
      )}
      {sentNote && (
        <p className="hint" role="status">
          {sentNote}
        </p>
      )}
      <table className="table" aria-label="Payouts">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Reference</th>
          </tr>
        </thead>
        <tbody>
          {(props.payouts ?? []).map((p) => (
            <tr key={p.id}>
              <td>{new Date(p.createdAt).toLocaleString()}</td>
              <td>{usdFromCents(p.amountCents)}</td>
              <td>{p.reversedCents ? `${usdFromCents(p.reversedCents)} taken back after a refund` : (STATUS[p.status] ?? p.status)}</td>
              <td className="hint">{p.transferGroup ?? p.id.slice(0, 8)}</td>
            </tr>
          ))}
          {props.payouts && !props.payouts.length && (
            <tr>
              <td colSpan={4}>No payouts yet.</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
