/** An asset's history: every save as a revision, two compared side by side (image and fields), and restore. */
import { useEffect, useState } from 'react';
import { imageUrl, useRevisionPair } from '../data/assets.ts';
import { selectCurrent, selectRevisions } from '../state/editor.ts';
import { useStudio } from '../state/store.ts';
import { selectToast } from '../state/toasts.ts';

function flatten(v: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (v !== undefined) out[prefix] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

export function Revisions() {
  const revs = useStudio(selectRevisions);
  const current = useStudio(selectCurrent);
  const restore = useStudio((s) => s.restore);
  const toast = useStudio(selectToast);
  const [picked, setPicked] = useState<number[]>([]);

  useEffect(() => {
    if (revs.length >= 2 && picked.length === 0) setPicked([revs[1]?.rev as number, revs[0]?.rev as number]);
  }, [revs, picked.length]);

  const pair = useRevisionPair(current?.id, picked, (message) => toast(message, 'error'));

  const toggle = (rev: number) => setPicked((p) => (p.includes(rev) ? p.filter((x) => x !== rev) : [...p, rev].slice(-2)));
  const fa = pair ? flatten(pair[0].card) : {};
  const fb = pair ? flatten(pair[1].card) : {};
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].sort();

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
              <td>{r.changed.join(', ') || '—'}</td>
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
          <table className="diff">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Revision {pair[0].rev}</th>
                <th scope="col">Revision {pair[1].rev}</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const changed = fa[k] !== fb[k];
                return (
                  <tr key={k} className={changed ? 'changed' : undefined}>
                    <th scope="row">{k}</th>
                    <td>{changed ? <del>{fa[k] ?? '—'}</del> : (fa[k] ?? '—')}</td>
                    <td>{changed ? <ins>{fb[k] ?? '—'}</ins> : (fb[k] ?? '—')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
