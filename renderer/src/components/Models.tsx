/**
 * The models screen: which semantic layers can run (a missing one says how to get it here, never a
 * terminal command), download — its size said before it starts, progress, a failure in plain
 * words — import from a folder, and the files.
 */
import { useState } from 'react';
import { pickFolder } from '../data/shell.ts';
import { selectModels, toDownload } from '../state/models.ts';
import { useStudio } from '../state/store.ts';

const fmt = (n: number | null | undefined) =>
  n === null || n === undefined ? 'size unknown' : n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`;

export function Models() {
  const m = useStudio(selectModels);
  const fetchModels = useStudio((s) => s.fetchModels);
  const importModels = useStudio((s) => s.importModels);
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);

  if (!m) return <section className="models">Loading…</section>;
  const d = m.download;
  const pct = d.active && d.total ? Math.round(((d.received ?? 0) / d.total) * 100) : null;
  const need = toDownload(m.files);

  async function importDir(path: string) {
    setBusy(true);
    try {
      await importModels(path);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="models" aria-label="Models">
      <h1>Models</h1>
      <p>
        The exact, visual-copy, text and module layers always run. The semantic layers need model weights (CLIP ViT-B/32,
        BGE-small-en-v1.5), downloaded once and verified against pinned SHA-256 hashes. Without them the check says which layers ran — it
        never makes up a score.
      </p>
      <ul className="layers big">
        {(Object.entries(m.layers) as [string, { available: boolean; reason?: string }][]).map(([k, v]) => (
          <li key={k} className={v.available ? 'ran' : 'unavailable'}>
            <span className="dot" aria-hidden="true" />
            <span>
              {k === 'clip_image' ? 'CLIP image embeddings' : k === 'clip_text' ? 'CLIP text embeddings' : 'BGE metadata embeddings'}
            </span>
            <span className="state">
              {v.available ? 'installed' : 'weights not installed — use Download models below, or import them from a folder'}
            </span>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="primary" disabled={d.active || need.files === 0} onClick={() => void fetchModels()}>
          {d.active
            ? 'Downloading…'
            : need.files === 0
              ? 'All models installed'
              : `Download models (${need.unknown ? 'at least ' : ''}${fmt(need.bytes)})`}
        </button>
        {need.files > 0 && !d.active && (
          <span className="hint">
            {need.files} file{need.files === 1 ? '' : 's'}, {need.unknown ? 'at least ' : ''}
            {fmt(need.bytes)} to download; each is checked against its pinned SHA-256.
          </span>
        )}
      </div>
      {d.active && (
        <div className="progress">
          <progress max={100} value={pct ?? undefined} aria-label="Download progress" />
          <span>
            {d.file ?? 'starting'} {pct !== null ? `${pct}%` : ''}{' '}
            {d.received ? `(${fmt(d.received)}${d.total ? ` of ${fmt(d.total)}` : ''})` : ''}
          </span>
        </div>
      )}
      {d.error && (
        <div className="banner error" role="alert">
          Download failed: {d.error}
        </div>
      )}
      {d.done && !d.active && (
        <div className="banner">Downloaded and verified: {d.done.length ? d.done.join(', ') : 'everything was already installed'}</div>
      )}

      <h2>Import from a folder</h2>
      <p className="hint">
        A folder holding the model files (for example copied from another machine): each file is verified before it is installed.
      </p>
      <div className="row">
        {pickFolder ? (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void pickFolder?.().then((p) => {
                if (p) void importDir(p);
              })
            }
          >
            Choose folder…
          </button>
        ) : (
          <>
            <label className="grow">
              <span className="sr-only">Folder path</span>
              <input type="text" placeholder="/path/to/models" value={dir} onChange={(e) => setDir(e.target.value)} />
            </label>
            <button type="button" disabled={busy || !dir.trim()} onClick={() => void importDir(dir.trim())}>
              Import
            </button>
          </>
        )}
      </div>

      <h2>Files</h2>
      <table className="files">
        <caption className="sr-only">Model files</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Size</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {m.files.map((f) => (
            <tr key={`${f.model}/${f.path}`}>
              <td>
                {f.model}/{f.path}
              </td>
              <td>{fmt(f.expectedBytes)}</td>
              <td className={f.state}>{f.state === 'installed' ? `installed, verified (${f.verifiedBy})` : f.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Folder: {m.dir}</p>
    </section>
  );
}
