import { useEffect, useMemo, useRef, useState } from 'react';
import { ASSET_TYPES, type AssetType } from '@shared/asset.ts';
import { api, fileToBase64 } from '../api.ts';
import { TYPE_LABELS, useStudio } from '../store.ts';
import { STATUS_TEXT, StatusBadge } from './StatusBadge.tsx';
import { useFileDrop } from './useFileDrop.ts';
import { WaveformIcon } from './media.tsx';

const CARD_W = 196;
const CARD_H = 248;
const GAP = 16;

/** Virtualised grid: only the rows in view (plus a margin) are rendered, so thousands stay smooth. */
function useGridWindow(count: number) {
  // A callback ref: the grid mounts only once the library has items, after the first render.
  const [el, ref] = useState<HTMLDivElement | null>(null);
  const [box, setBox] = useState({ width: 1000, height: 600, top: 0 });
  useEffect(() => {
    if (!el) return;
    const measure = () => setBox({ width: el.clientWidth, height: el.clientHeight, top: el.scrollTop });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [el]);
  const cols = Math.max(1, Math.floor((box.width - GAP) / (CARD_W + GAP)));
  const rows = Math.ceil(count / cols);
  const first = Math.max(0, Math.floor(box.top / (CARD_H + GAP)) - 2);
  const last = Math.min(rows, Math.ceil((box.top + box.height) / (CARD_H + GAP)) + 2);
  return { ref, cols, first, last, total: rows * (CARD_H + GAP) + GAP };
}

export function Library() {
  const s = useStudio();
  const { ref, cols, first, last, total } = useGridWindow(s.items.length);
  const searchRef = useRef<HTMLInputElement>(null);
  const importRef = useRef<HTMLInputElement>(null);
  const [newOpen, setNewOpen] = useState(false);

  useEffect(() => {
    const focus = () => searchRef.current?.focus();
    window.addEventListener('studio:find', focus);
    return () => window.removeEventListener('studio:find', focus);
  }, []);

  const drop = useFileDrop((files) => void importFiles(files));
  const visible = useMemo(() => s.items.slice(first * cols, last * cols), [s.items, first, last, cols]);

  async function importFiles(files: FileList | File[]) {
    const list = [...files];
    const cards = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
    const images = list.filter((f) => !f.name.toLowerCase().endsWith('.json'));
    for (const c of cards) {
      try {
        const card = JSON.parse(await c.text());
        const stem = c.name.replace(/\.json$/i, '');
        const img = images.find((i) => i.name.replace(/\.[^.]+$/, '') === stem);
        if (img) images.splice(images.indexOf(img), 1);
        const a = await api.call('cards.import', { card, ...(img ? { image: await fileToBase64(img), imageName: img.name } : {}) });
        s.toast(`Imported “${a.name}”`);
      } catch (err) {
        s.toast(`${c.name}: ${(err as Error).message}`, 'error');
      }
    }
    for (const f of images) {
      try {
        if (/^(audio|video)\//.test(f.type) || /\.(mkv|opus|m4a|flac)$/i.test(f.name)) {
          // Audio and video travel as files (a path in Electron, a streamed upload in browser mode).
          const ref = await api.importMedia(f);
          if (!ref) continue;
          const a = await api.call('assets.create', {
            card: {
              asset_type: 'media',
              name: f.name.replace(/\.[^.]+$/, '') || `Media ${s.items.length + 1}`,
              media: { type: ref.kind, format: ref.format, size: ref.size, sha256: ref.sha },
            },
          });
          s.toast(`Imported “${a.name}” — ${a.status ? STATUS_TEXT[a.status].toLowerCase() : 'not checked'}`);
          continue;
        }
        const ref = await api.call('images.import', { name: f.name, data: await fileToBase64(f) });
        const n = s.items.length + 1;
        const a = await api.call('assets.create', {
          card: {
            asset_type: 'media',
            name: f.name.replace(/\.[^.]+$/, '') || `Image ${n}`,
            media: { type: 'image', format: 'webp', size: ref.bytes },
          },
          imageSha: ref.sha,
        });
        s.toast(`Imported “${a.name}” — ${a.status ? STATUS_TEXT[a.status].toLowerCase() : 'not checked'}`);
      } catch (err) {
        s.toast(`${f.name}: ${(err as Error).message}`, 'error');
      }
    }
    await s.loadLibrary();
  }

  return (
    <section className={`library${drop.dragging ? ' dragging' : ''}`} aria-label="Library" {...drop.handlers}>
      <div className="toolbar" role="toolbar" aria-label="Library tools">
        <label className="search">
          <span className="sr-only">Search assets</span>
          <input
            ref={searchRef}
            type="search"
            placeholder="Search name, description, tags… (Ctrl+F)"
            value={s.q}
            onChange={(e) => s.setFilter({ q: e.target.value })}
          />
        </label>
        <label>
          <span className="sr-only">Filter by type</span>
          <select value={s.typeFilter} onChange={(e) => s.setFilter({ typeFilter: e.target.value as AssetType | '' })}>
            <option value="">All types</option>
            {ASSET_TYPES.map((t) => (
              <option key={t} value={t}>
                {TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">Sort by</span>
          <select value={s.sort} onChange={(e) => s.setFilter({ sort: e.target.value as 'recent' | 'name' | 'status' })}>
            <option value="recent">Recent</option>
            <option value="name">Name</option>
            <option value="status">Uniqueness status</option>
          </select>
        </label>
        <span className="spacer" />
        {s.selected.length > 0 && (
          <button type="button" className="danger" onClick={() => void s.deleteAssets(s.selected)}>
            Delete {s.selected.length} selected
          </button>
        )}
        <button type="button" onClick={() => importRef.current?.click()}>
          Import…
        </button>
        <input
          ref={importRef}
          type="file"
          multiple
          hidden
          accept=".json,image/*,audio/*,video/*,.mkv,.opus,.m4a,.flac"
          aria-label="Import asset cards or images"
          onChange={(e) => {
            if (e.target.files) void importFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <div className="menu-wrap">
          <button type="button" className="primary" aria-haspopup="menu" aria-expanded={newOpen} onClick={() => setNewOpen(!newOpen)}>
            New asset (Ctrl+N)
          </button>
          {newOpen && (
            <ul className="menu" role="menu">
              {ASSET_TYPES.map((t) => (
                <li key={t} role="none">
                  <button
                    type="button"
                    role="menuitem"
                    onClick={() => {
                      setNewOpen(false);
                      s.newAsset(t);
                    }}
                  >
                    {TYPE_LABELS[t]}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>

      {s.items.length === 0 && !s.loading ? (
        <div className="empty">
          {s.q || s.typeFilter ? (
            <p>No assets match this search.</p>
          ) : (
            <>
              <h2>Your library is empty</h2>
              <p>
                Start with a new asset — a character, a location, an item, a quest hook, a room template, a CSS/HTML module or a media file.
              </p>
              <p>
                Or drop images and asset cards (.json) anywhere on this page to import them. Every asset is checked for originality as you
                work.
              </p>
              <button type="button" className="primary" onClick={() => s.newAsset('character')}>
                Create your first character
              </button>
            </>
          )}
        </div>
      ) : (
        <div className="grid-scroll" ref={ref} tabIndex={-1}>
          <div className="grid-inner" style={{ height: total }}>
            {visible.map((a, i) => {
              const idx = first * cols + i;
              const row = Math.floor(idx / cols);
              const col = idx % cols;
              const selected = s.selected.includes(a.id);
              return (
                <article
                  key={a.id}
                  className={`asset-card${selected ? ' selected' : ''}`}
                  style={{ top: GAP + row * (CARD_H + GAP), left: GAP + col * (CARD_W + GAP), width: CARD_W, height: CARD_H }}
                  aria-label={a.name}
                >
                  <button type="button" className="thumb" onClick={() => void s.openAsset(a.id)} aria-label={`Open ${a.name}`}>
                    {a.imageSha ? (
                      <img src={api.imageUrl(a.imageSha, true)} alt="" loading="lazy" />
                    ) : a.media?.kind === 'video' ? (
                      <img src={api.mediaImageUrl({ sha: a.media.sha, kind: 'poster' })} alt="" loading="lazy" />
                    ) : a.media?.kind === 'audio' ? (
                      <span className="no-image audio-thumb">
                        <WaveformIcon />
                        Audio
                      </span>
                    ) : (
                      <span className="no-image">{TYPE_LABELS[a.assetType]}</span>
                    )}
                  </button>
                  <div className="meta">
                    <input type="checkbox" checked={selected} onChange={() => s.toggleSelect(a.id, true)} aria-label={`Select ${a.name}`} />
                    <div>
                      <div className="name" title={a.name}>
                        {a.name}
                      </div>
                      <div className="sub">
                        {TYPE_LABELS[a.assetType]} · rev {a.rev}
                      </div>
                      <StatusBadge status={a.status} />
                    </div>
                  </div>
                </article>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
