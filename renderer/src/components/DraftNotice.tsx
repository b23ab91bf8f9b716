/**
 * The editor's draft line: "Draft restored · Discard draft" when the editor opened on kept work,
 * whether the current edits are kept yet, and (browser mode) a question before the page is left
 * while an edit is not yet kept.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { asksBeforeLeaving } from '../data/drafts.ts';
import { selectDraftStatus } from '../state/drafts.ts';
import { useStudio } from '../state/store.ts';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Keeps the draft when the page goes away, and asks first while an edit is not kept yet. */
function useKeepOnLeave() {
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      const st = useStudio.getState();
      const unkept = st.dirty && (st.draftState === 'pending' || st.draftState === 'error');
      void st.flushDraft();
      if (unkept && asksBeforeLeaving()) e.preventDefault();
    };
    const onHide = () => void useStudio.getState().flushDraft();
    window.addEventListener('beforeunload', onLeave);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('beforeunload', onLeave);
      window.removeEventListener('pagehide', onHide);
    };
  }, []);
}

/** The header's short draft state: kept, being kept, or not kept (with why). */
export function DraftState() {
  const { state, error } = useStudio(useShallow(selectDraftStatus));
  if (state === 'pending') return <span className="draft-state">· keeping draft…</span>;
  if (state === 'kept') return <span className="draft-state">· draft kept</span>;
  if (state === 'error') return <span className="draft-state error">· draft not kept: {error}</span>;
  return null;
}

export function DraftNotice() {
  const { notice, savedRev, discard } = useStudio(useShallow(selectDraftStatus));
  useKeepOnLeave();
  if (!notice) return null;
  return (
    <div className="banner info draft-notice" role="status">
      <span>
        Draft restored · unsaved changes from {when(notice.updatedAt)}
        {notice.baseRev && savedRev && notice.baseRev !== savedRev
          ? ` (started from revision ${notice.baseRev}; revision ${savedRev} was saved since; saving this draft makes it revision ${savedRev + 1})`
          : ''}
      </span>
      <button type="button" className="link" onClick={() => void discard()}>
        Discard draft
      </button>
    </div>
  );
}
