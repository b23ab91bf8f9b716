/**
 * One review queue item: what it is and who made it, its flags, the appeal's reason, the whole card,
 * the uniqueness evidence, and the decision with a reason. On the moderator's own submission every
 * decision is disabled and the reason is shown (the server refuses it too, 403 conflict_of_interest).
 */
import { useState } from 'react';
import type { QueueItem } from '@shared/marketplace.ts';
import { decide as sendDecision } from '../../../data/market.ts';
import { useAction } from '../common.tsx';
import { ReviewCard } from './ReviewCard.tsx';
import { ReviewEvidence } from './ReviewEvidence.tsx';

type DecisionName = 'approve' | 'reject' | 'request_changes' | 'overturn' | 'uphold';

export function ReviewItem({ item, reload }: { item: QueueItem; reload: () => void }) {
  const { busy, run } = useAction();
  const [reason, setReason] = useState('');
  const decide = (decision: DecisionName) =>
    void run(async () => {
      await sendDecision(item.id, decision === 'approve' ? { decision, ...(reason ? { reason } : {}) } : { decision, reason });
      reload();
    }, 'Decision recorded; the creator is notified');
  const appeal = item.kind === 'appeal';
  const own = item.conflict !== null;
  const conflictId = `conflict-${item.id}`;
  const blocked = busy || own;
  const needsReason = blocked || reason.length < 3;
  const why = own ? { 'aria-describedby': conflictId } : {};
  return (
    <li className={`card queue-item${own ? ' own' : ''}`} aria-label={`Review ${item.asset.name}`}>
      <div className="row">
        <h2 className="queue-title">{item.asset.name}</h2>
        <span className="sub">
          {item.kind} · {item.asset.assetType.replace('_', ' ')} by {item.asset.creatorName} · version {item.version}
        </span>
        {item.flags.map((f) => (
          <span key={f} className="badge flagged_plagiarism">
            {f.replace(/_/g, ' ')}
          </span>
        ))}
      </div>
      {appeal && <p className="banner">Appeal: {item.appealReason}</p>}
      <ReviewCard item={item} />
      <ReviewEvidence item={item} />
      {own && (
        <p className="banner" id={conflictId} data-testid="review-conflict">
          You cannot decide this item: {item.conflict}. Another moderator reviews it — an admin can make any account a moderator on the
          Users screen.
        </p>
      )}
      <div className="field">
        <label htmlFor={`reason-${item.id}`}>Reason (sent to the creator; required to reject or request changes)</label>
        <input id={`reason-${item.id}`} value={reason} disabled={own} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="row">
        {appeal ? (
          <>
            <button type="button" className="primary" disabled={needsReason} {...why} onClick={() => decide('overturn')}>
              Overturn (publish)
            </button>
            <button type="button" disabled={needsReason} {...why} onClick={() => decide('uphold')}>
              Uphold the decision
            </button>
          </>
        ) : (
          <>
            <button type="button" className="primary" disabled={blocked} {...why} onClick={() => decide('approve')}>
              Approve
            </button>
            <button type="button" disabled={needsReason} {...why} onClick={() => decide('request_changes')}>
              Request changes
            </button>
            <button type="button" className="danger" disabled={needsReason} {...why} onClick={() => decide('reject')}>
              Reject
            </button>
          </>
        )}
      </div>
    </li>
  );
}
