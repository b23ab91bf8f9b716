/**
 * The review queue screen for moderators: submissions (each a ReviewItem: the whole card, price,
 * age rating, time waiting, the uniqueness evidence, and the decision), reports and detections, and
 * takedown appeals.
 */
import { useState } from 'react';
import { useQueue } from '../../data/market.ts';
import { CasesView } from './CasesView.tsx';
import { Problem, Screen } from './common.tsx';
import { ReviewItem } from './review/ReviewItem.tsx';
import { TabPanel, Tabs } from '../Tabs.tsx';

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
                <ReviewItem key={i.id} item={i} reload={q.reload} />
              ))}
            </ul>
            {q.data && q.data.length === 0 && <p className="empty">Nothing waiting for review.</p>}
          </>
        )}
      </TabPanel>
    </Screen>
  );
}
