/** The creator's reputation, in the open: each component with its inputs and what would raise it, level, badges, strikes, takedowns with their appeal, history. */
import { useState } from 'react';
import type { CaseView } from '@shared/api.ts';
import { appealTakedown, useMyCases, useReputation } from '../../data/trust.ts';
import { Problem, Screen, useAction } from './common.tsx';

const COMPONENT_LABEL: Record<string, string> = {
  assetQuality: 'Asset quality',
  salesPerformance: 'Sales performance',
  communityContribution: 'Community contribution',
  behavior: 'Behaviour',
};

function Takedown({ c, reload }: { c: CaseView; reload: () => void }) {
  const { busy, run } = useAction();
  const [reason, setReason] = useState('');
  return (
    <li className="card" aria-label={`Takedown of ${c.assetName ?? 'a listing'}`}>
      <p>
        <strong>{c.assetName ?? 'A listing'}</strong> was taken down ({c.kind}) on{' '}
        {c.decidedAt ? new Date(c.decidedAt).toLocaleDateString() : ''}: <em>{c.reason}</em>
      </p>
      {c.appeal ? (
        <p data-testid="appeal-state">
          Appeal {c.appeal.state === 'pending' ? 'pending — a different moderator will decide' : c.appeal.state}
          {c.appeal.decisionReason ? `: ${c.appeal.decisionReason}` : ''}
        </p>
      ) : (
        <form
          className="row"
          aria-label="Appeal"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => appealTakedown(c.id, reason).then(reload), 'Appeal sent');
          }}
        >
          <div className="field grow">
            <label htmlFor={`appeal-${c.id}`}>Why is this takedown wrong?</label>
            <input id={`appeal-${c.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button type="submit" disabled={busy}>
            Appeal
          </button>
        </form>
      )}
    </li>
  );
}

export function ReputationView() {
  const rep = useReputation();
  const cases = useMyCases();
  const r = rep.data;
  return (
    <Screen title="Reputation">
      <Problem error={rep.error} />
      {r && (
        <>
          {r.sellingBanned && (
            <p className="banner error" role="alert">
              Selling is suspended: {r.strikes} upheld strikes. Appeal a takedown below; an overturned strike lifts the suspension.
            </p>
          )}
          <dl className="stats" aria-label="Reputation summary">
            <div>
              <dt>Reputation</dt>
              <dd data-testid="reputation-total">{r.total.toFixed(3)}</dd>
            </div>
            <div>
              <dt>Level</dt>
              <dd>{r.level}</dd>
            </div>
            <div>
              <dt>Strikes</dt>
              <dd data-testid="strikes">{r.strikes}</dd>
            </div>
            <div>
              <dt>Badges</dt>
              <dd>{r.badges.length ? r.badges.join(', ') : 'none yet'}</dd>
            </div>
          </dl>
          <table className="table" aria-label="Reputation components">
            <thead>
              <tr>
                <th>Component</th>
                <th>Weight</th>
                <th>Score</th>
                <th>How it is computed</th>
                <th>What would raise it</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(r.components).map(([k, c]) => (
                <tr key={k}>
                  <td>{COMPONENT_LABEL[k] ?? k}</td>
                  <td>{Math.round(c.weight * 100)} %</td>
                  <td>
                    <meter min={0} max={1} value={c.score} aria-label={`${COMPONENT_LABEL[k] ?? k} ${c.score.toFixed(2)}`} />{' '}
                    {c.score.toFixed(3)}
                  </td>
                  <td className="hint">{c.explanation}</td>
                  <td className="hint">{c.toRaise}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Strikes</h2>
          {r.strikeHistory.length === 0 ? (
            <p className="hint">No strikes.</p>
          ) : (
            <ul>
              {r.strikeHistory.map((s) => (
                <li key={`${s.caseId}-${s.at}`}>
                  {new Date(s.at).toLocaleDateString()} · {s.asset ?? 'listing'} · {s.reason} ·{' '}
                  {s.active ? 'active' : `lifted ${s.liftedAt ? new Date(s.liftedAt).toLocaleDateString() : ''}`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <h2>Takedowns</h2>
      {cases.data && cases.data.length === 0 && <p className="hint">None of your listings was taken down.</p>}
      <ul className="queue">
        {(cases.data ?? []).map((c) => (
          <Takedown key={c.id} c={c} reload={() => (cases.reload(), rep.reload())} />
        ))}
      </ul>
      {r && (
        <>
          <h2>History</h2>
          <ul className="hint">
            {r.history.map((h) => (
              <li key={h.at}>
                {new Date(h.at).toLocaleString()} · {h.total.toFixed(3)} ({h.level}) · {h.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </Screen>
  );
}
