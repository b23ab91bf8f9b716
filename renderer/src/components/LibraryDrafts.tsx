/**
 * The library's view of kept drafts: a row of never-saved new assets (each opens its draft), and
 * the "Unsaved draft" marker a stored asset's card shows while it has one.
 */
import { TYPE_LABELS } from '../state/cards.ts';
import { selectDrafts } from '../state/drafts.ts';
import { useStudio } from '../state/store.ts';

export function NewDrafts() {
  const drafts = useStudio(selectDrafts).filter((d) => !d.assetId);
  const openDraft = useStudio((s) => s.openDraft);
  if (drafts.length === 0) return null;
  return (
    <section className="new-drafts" aria-label="Unsaved new assets">
      <h2>Unsaved drafts</h2>
      <ul>
        {drafts.map((d) => (
          <li key={d.id}>
            <button type="button" onClick={() => void openDraft(d.id)} aria-label={`Open ${d.name} (unsaved draft)`}>
              <strong>{d.name}</strong>
              <span className="sub">
                {TYPE_LABELS[d.assetType]} · never saved · <span className="draft-mark">unsaved draft</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Shown on a stored asset's card while it has a kept draft. */
export function DraftMark({ assetId }: { assetId: string }) {
  const has = useStudio((s) => s.drafts.some((d) => d.assetId === assetId));
  return has ? <span className="draft-mark">Unsaved draft</span> : null;
}
