/**
 * An asset's history: every save as a revision (with every changed field named), two compared side
 * by side — the image, then each field by its name with the removed and added words marked, all
 * fields or only the changed ones — and restore.
 */
import { useMemo, useState } from 'react';
import { fieldLabel } from '@shared/card-fields.ts';
import { imageUrl, useRevisionPair } from '../data/assets.ts';
import { selectCurrent, selectRevisions } from '../state/editor.ts';
import { useStudio } from '../state/store.ts';
import { selectToast } from '../state/toasts.ts';
import { compareCards } from './revision-diff.ts';
import { DiffTable } from './RevisionDiffTable.tsx';

export function Revisions() {
  const revs = useStudio(selectRevisions);
  const current = useStudio(selectCurrent);
  const restore = useStudio((s) => s.restore);
  const toast = useStudio(selectToast);
  // The revisions compared: the person's picks, or until they pick (or after they clear both) the
  // latest two. Derived at render, so a click always toggles what the boxes show: set from an
  // effect, the default could land between a box's render and its click and undo the click.
  const [picks, setPicks] = useState<number[]>([]);
  const [onlyChanges, setOnlyChanges] = useState(true);
  const picked = useMemo(
    () => (picks.length > 0 || revs.length < 2 ? picks : [revs[1]?.rev as number, revs[0]?.rev as number]),
    [picks, revs],
  );

  const pair = useRevisionPair(current?.id, picked, (message) => toast(message, 'error'));

  const toggle = (rev: number) => setPicks(picked.includes(rev) ? picked.filter((x) => x !== rev) : [...picked, rev].slice(-2));
  const rows = useMemo(() => (pair ? compareCards(pair[0].card, pair[1].card) : []), [pair]);

  return (
    <div className="revisions">
      <table className="rev-list">
        <caption>Every save is a revision. Pick two to compare; restoring saves the old content as a new revision.</caption>
        <thead>
          <tr>
            <th scope="col">Compare</th>
            <th scope="col">Revision</th>
            <th scope="col">Saved</th>
            <th scope="col">Changed</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {revs.map((r) => (
            <tr key={r.rev}>
              <td>
                <input
                  type="checkbox"
                  checked={picked.includes(r.rev)}
                  onChange={() => toggle(r.rev)}
                  aria-label={`Compare revision ${r.rev}`}
                />
              </td>
              <td>
                {r.rev} — {r.name}
              </td>
              <td>{new Date(r.createdAt).toLocaleString()}</td>
              <td>{r.changed.map(fieldLabel).join(', ') || '—'}</td>
              <td>
                {r.rev !== current?.rev && (
                  <button type="button" onClick={() => void restore(r.rev)}>
                    Restore revision {r.rev}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {pair && (
        <section className="compare" aria-label={`Compare revision ${pair[0].rev} with revision ${pair[1].rev}`}>
          <h3>
            Revision {pair[0].rev} ↔ revision {pair[1].rev}
          </h3>
          <div className="side-by-side big">
            {pair.map((r) => (
              <figure key={r.rev}>
                {r.imageSha ? (
                  <img src={imageUrl(r.imageSha)} alt={`Image in revision ${r.rev}`} />
                ) : (
                  <div className="no-image">No image</div>
                )}
                <figcaption>Revision {r.rev}</figcaption>
              </figure>
            ))}
          </div>
          <p className="diff-toggle">
            <label>
              <input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} /> Only changes
            </label>
          </p>
          <DiffTable rows={rows} older={pair[0].rev} newer={pair[1].rev} onlyChanges={onlyChanges} />
        </section>
      )}
    </div>
  );
}
