/**
 * The review queue for moderators: each item with the similarity evidence side by side (for audio
 * and video, the matched ranges on timelines of both files, and both files playable), claim, and a
 * decision with a reason.
 */
import { useState } from 'react';
import { MatchEvidenceDetails, type QueueItem } from '@shared/marketplace.ts';
import { PassageList, describeRegion } from '../evidence.tsx';
import { decide as sendDecision, useQueue } from '../../data/market.ts';
import { CasesView } from './CasesView.tsx';
import { MediaPlayers } from './MediaPlayers.tsx';
import { MediaRanges } from './MediaRanges.tsx';
import { MarketImage, Problem, Screen, useAction } from './common.tsx';
import { TabPanel, Tabs } from '../Tabs.tsx';

function Item({ item, reload }: { item: QueueItem; reload: () => void }) {
  const { busy, run } = useAction();
  const [reason, setReason] = useState('');
  const decide = (decision: 'approve' | 'reject' | 'request_changes' | 'overturn' | 'uphold') =>
    void run(async () => {
      await sendDecision(item.id, decision === 'approve' ? { decision, ...(reason ? { reason } : {}) } : { decision, reason });
      reload();
    }, 'Decision recorded; the creator is notified');
  const appeal = item.kind === 'appeal';
  return (
    <li className="card queue-item" aria-label={`Review ${item.asset.name}`}>
      <div className="row">
        <strong>{item.asset.name}</strong>
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
      <p>{String(item.asset.card.description ?? '')}</p>
      <div className="evidence">
        <figure>
          <MarketImage path={item.asset.imageUrl} alt={`Submitted image of ${item.asset.name}`} />
          <figcaption>Submitted</figcaption>
        </figure>
        {item.evidence.map((e, i) => {
          const d = MatchEvidenceDetails.safeParse(e.details);
          const region = d.success ? d.data.region : undefined;
          return (
            <figure key={`${e.matchedAssetId ?? i}`}>
              <MarketImage path={e.matchedImageUrl} alt={`Image of the match ${e.matchedName ?? ''}`} box={region?.match} />
              <figcaption>
                {e.matchedName ?? 'match'} {e.combined !== null ? `· ${Math.round(e.combined * 100)}% similar` : ''}
              </figcaption>
            </figure>
          );
        })}
        {item.evidence.length === 0 && <p className="hint">No similar published assets were found.</p>}
      </div>
      {item.evidence.map((e, i) => {
        const d = MatchEvidenceDetails.safeParse(e.details);
        if (!d.success || (!d.data.summary && !d.data.region && !d.data.passages?.length && !d.data.media?.length)) return null;
        const name = e.matchedName ?? 'the match';
        return (
          <div key={`why-${e.matchedAssetId ?? i}`} className="evidence-detail">
            {d.data.summary && <p className="match-summary">{d.data.summary}</p>}
            {d.data.region && (
              <div className="side-by-side">
                <figure>
                  <MarketImage
                    path={item.asset.imageUrl}
                    alt={`Submitted image, matched region outlined`}
                    box={d.data.region.query}
                    outline={d.data.region.outline}
                  />
                  <figcaption>Submitted (region outlined)</figcaption>
                </figure>
                <figure>
                  <MarketImage path={e.matchedImageUrl} alt={`${name}, matched region outlined`} box={d.data.region.match} />
                  <figcaption>{name}</figcaption>
                </figure>
                <p className="hint">Matched region: {describeRegion(d.data.region)}</p>
              </div>
            )}
            {d.data.passages && d.data.passages.length > 0 && <PassageList passages={d.data.passages} matchName={name} />}
            {d.data.media?.map((m, k) => (
              <MediaRanges
                key={`${m.method}-${k}`}
                media={m}
                matchName={name}
                querySeconds={e.mediaSeconds?.query ?? null}
                matchSeconds={e.mediaSeconds?.match ?? null}
              />
            ))}
            {d.data.media && d.data.media.length > 0 && (
              <MediaPlayers
                kind={d.data.media.some((m) => m.kind === 'video') ? 'video' : 'audio'}
                submitted={{ assetId: item.assetId, version: item.version }}
                matched={
                  e.matchedAssetId
                    ? { assetId: e.matchedAssetId, ...(e.matchedVersion !== null ? { version: e.matchedVersion } : {}) }
                    : null
                }
                matchName={name}
                ranges={d.data.media.flatMap((m) => m.ranges)}
              />
            )}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={`reason-${item.id}`}>Reason (sent to the creator; required to reject or request changes)</label>
        <input id={`reason-${item.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="row">
        {appeal ? (
          <>
            <button type="button" className="primary" disabled={busy || reason.length < 3} onClick={() => decide('overturn')}>
              Overturn (publish)
            </button>
            <button type="button" disabled={busy || reason.length < 3} onClick={() => decide('uphold')}>
              Uphold the decision
            </button>
          </>
        ) : (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => decide('approve')}>
              Approve
            </button>
            <button type="button" disabled={busy || reason.length < 3} onClick={() => decide('request_changes')}>
              Request changes
            </button>
            <button type="button" className="danger" disabled={busy || reason.length < 3} onClick={() => decide('reject')}>
              Reject
            </button>
          </>
        )}
      </div>
    </li>
  );
}

export function QueueView() {
  const q = useQueue();
  const [tab, setTab] = useState<'submissions' | 'open' | 'appeals'>('submissions');
  return (
    <Screen title="Review queue" actions={<button onClick={q.reload}>Refresh</button>}>
      <Tabs
        label="Queues"
        idBase="queue"
        value={tab}
        onChange={setTab}
        tabs={[
          { id: 'submissions', label: 'Submissions' },
          { id: 'open', label: 'Reports and detections' },
          { id: 'appeals', label: 'Takedown appeals' },
        ]}
      />
      <TabPanel idBase="queue" value={tab}>
        {tab !== 'submissions' ? <CasesView state={tab} /> : null}
        <Problem error={q.error} />
        {tab === 'submissions' && (
          <>
            <ul className="queue">
              {(q.data ?? []).map((i) => (
                <Item key={i.id} item={i} reload={q.reload} />
              ))}
            </ul>
            {q.data && q.data.length === 0 && <p className="empty">Nothing waiting for review.</p>}
          </>
        )}
      </TabPanel>
    </Screen>
  );
}
