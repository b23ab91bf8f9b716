/** Moderation cases: reports and automatic detections with their evidence next to the asset; take down, dismiss, decide appeals. */
import { useState } from 'react';
import type { CaseView } from '@shared/api.ts';
import { decideAppeal, decideCase, useCases } from '../../data/trust.ts';
import { MarketImage, Problem, useAction } from './common.tsx';
import { plural } from '../../words.ts';

function Evidence({ e }: { e: Record<string, unknown> }) {
  const matches = (e.matches ?? []) as { assetId: string; name: string; signals: string[] }[];
  const block = (e.blocklist ?? []) as { list: string; label: string; signals: string[] }[];
  return (
    <li>
      <strong>{String(e.summary ?? e.source ?? 'evidence')}</strong> <span className="hint">({String(e.source ?? '')})</span>
      {typeof e.details === 'string' && (
        <div>
          “{e.details}” — {String(e.reporter ?? '')}
        </div>
      )}
      {e.clipAgreement !== undefined && <div className="hint">CLIP text↔image agreement: {String(e.clipAgreement)}</div>}
      {matches.length > 0 && (
        <div className="evidence">
          {matches.map((m) => (
            <figure key={m.assetId}>
              <MarketImage path={`/v1/assets/${m.assetId}/image`} alt={`Image of the match ${m.name}`} />
              <figcaption>
                {m.name}: {m.signals.join(', ')}
              </figcaption>
            </figure>
          ))}
        </div>
      )}
      {block.map((b) => (
        <div key={`${b.list}-${b.label}`}>
          Blocklist “{b.list}”: {b.label} ({b.signals.join(', ')})
        </div>
      ))}
    </li>
  );
}

function Case({ c, reload }: { c: CaseView; reload: () => void }) {
  const { busy, run } = useAction();
  const [reason, setReason] = useState('');
  const [strike, setStrike] = useState(true);
  const appeal = c.appeal?.state === 'pending';
  return (
    <li className="card queue-item" aria-label={`Case ${c.id}: ${c.assetName ?? c.creatorName}`}>
      <div className="row">
        <strong>
          {c.kind} · {c.assetName ?? `account of ${c.creatorName}`}
        </strong>
        <span className="sub">
          {c.source} · by {c.creatorName} · {plural(c.creatorStrikes, 'strike')}
          {c.creatorBanned ? ' · banned from selling' : ''} · reputation {c.creatorReputation.toFixed(3)}
        </span>
      </div>
      <div className="evidence">
        {c.asset && (
          <figure>
            <MarketImage path={c.asset.imageUrl} alt={`Image of ${c.asset.name}`} />
            <figcaption>{c.asset.name}</figcaption>
          </figure>
        )}
        <ul className="grow">
          {c.evidence.map((e, i) => (
            <Evidence key={i} e={e} />
          ))}
        </ul>
      </div>
      {appeal && (
        <p className="banner">
          Appeal of the takedown (“{c.reason}”): {c.appeal?.reason}
        </p>
      )}
      <div className="field">
        <label htmlFor={`case-reason-${c.id}`}>Reason (the creator sees it)</label>
        <input id={`case-reason-${c.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="row">
        {appeal ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={busy || reason.length < 3}
              onClick={() =>
                void run(() => decideAppeal({ caseId: c.id, decision: 'overturn', reason }).then(reload), 'Takedown overturned')
              }
            >
              Overturn the takedown
            </button>
            <button
              type="button"
              disabled={busy || reason.length < 3}
              onClick={() => void run(() => decideAppeal({ caseId: c.id, decision: 'uphold', reason }).then(reload), 'Takedown upheld')}
            >
              Uphold it
            </button>
          </>
        ) : (
          <>
            <label className="check">
              <input type="checkbox" checked={strike} onChange={(e) => setStrike(e.target.checked)} /> Add a strike
            </label>
            <button
              type="button"
              className="danger"
              disabled={busy || reason.length < 3 || !c.assetId}
              onClick={() =>
                void run(() => decideCase({ caseId: c.id, action: 'takedown', reason, strike }).then(reload), 'Taken down; buyers refunded')
              }
            >
              Take down and refund buyers
            </button>
            <button
              type="button"
              disabled={busy || reason.length < 3}
              onClick={() => void run(() => decideCase({ caseId: c.id, action: 'dismiss', reason }).then(reload), 'Dismissed')}
            >
              Dismiss
            </button>
          </>
        )}
      </div>
    </li>
  );
}

export function CasesView({ state }: { state: 'open' | 'appeals' }) {
  const q = useCases(state);
  return (
    <>
      <Problem error={q.error} />
      <ul className="queue">
        {(q.data ?? []).map((c) => (
          <Case key={c.id} c={c} reload={q.reload} />
        ))}
      </ul>
      {q.data && q.data.length === 0 && <p className="empty">{state === 'open' ? 'No open cases.' : 'No appeals waiting.'}</p>}
    </>
  );
}
