/** Report a listing to the moderators (anyone signed in). */
import { useState } from 'react';
import { report } from '../../data/trust.ts';
import { useAction } from './common.tsx';

type ReportKind = 'spam' | 'misrepresentation' | 'copyright' | 'offensive';

export function ReportDialog({ remoteId, onDone }: { remoteId: string; onDone: () => void }) {
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
