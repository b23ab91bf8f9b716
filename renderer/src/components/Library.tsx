/** The library: search, filter, sort, select and delete, import by drop or dialog, new assets, and a virtualised grid of cards. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ASSET_TYPES, type AssetType } from '@shared/asset.ts';
import { imageUrl, mediaImageUrl } from '../data/assets.ts';
import { TYPE_LABELS } from '../state/cards.ts';
import { selectFilters, selectItems, selectLibraryActions, selectSelected } from '../state/library.ts';
import { useStudio } from '../state/store.ts';
import { DraftMark, NewDrafts } from './LibraryDrafts.tsx';
import { StatusBadge } from './StatusBadge.tsx';
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
  const items = useStudio(selectItems);
  const selected = useStudio(selectSelected);
  const { q, typeFilter, sort, loading } = useStudio(useShallow(selectFilters));
  const act = useStudio(useShallow(selectLibraryActions));
  const { ref, cols, first, last, total } = useGridWindow(items.length);
  const searchRef = useRef<HTMLInputElement>(null);
  const importRef = useRef<HTMLInputElement>(null);
  const [newOpen, setNewOpen] = useState(false);

  useEffect(() => {
    const focus = () => searchRef.current?.focus();
    window.addEventListener('studio:find', focus);
    return () => window.removeEventListener('studio:find', focus);
  }, []);

  const drop = useFileDrop((files) => void act.importFiles(files));
  const visible = useMemo(() => items.slice(first * cols, last * cols), [items, first, last, cols]);

  return (
    <section className={`library${drop.dragging ? ' dragging' : ''}`} aria-label="Library" {...drop.handlers}>
      <div className="toolbar" role="toolbar" aria-label="Library tools">
        <label className="search">
          <span className="sr-only">Search assets</span>
          <input
            ref={searchRef}
            type="search"
            placeholder="Search name, description, tags… (Ctrl+F)"
            value={q}
            onChange={(e) => act.setFilter({ q: e.target.value })}
          />
        </label>
        <label>
          <span className="sr-only">Filter by type</span>
          <select value={typeFilter} onChange={(e) => act.setFilter({ typeFilter: e.target.value as AssetType | '' })}>
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
          <select value={sort} onChange={(e) => act.setFilter({ sort: e.target.value as 'recent' | 'name' | 'status' })}>
            <option value="recent">Recent</option>
            <option value="name">Name</option>
            <option value="status">Uniqueness status</option>
          </select>
        </label>
        <span className="spacer" />
        {selected.length > 0 && (
          <button type="button" className="danger" onClick={() => void act.deleteAssets(selected)}>
            Delete {selected.length} selected
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
            if (e.target.files) void act.importFiles(e.target.files);
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
                      act.newAsset(t);
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

      <NewDrafts />
      {items.length === 0 && !loading ? (
        <div className="empty">
          {q || typeFilter ? (
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
              <button type="button" className="primary" onClick={() => act.newAsset('character')}>
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
              const isSelected = selected.includes(a.id);
              return (
                <article
                  key={a.id}
                  className={`asset-card${isSelected ? ' selected' : ''}`}
                  style={{ top: GAP + row * (CARD_H + GAP), left: GAP + col * (CARD_W + GAP), width: CARD_W, height: CARD_H }}
                  aria-label={a.name}
                >
                  <button type="button" className="thumb" onClick={() => void act.openAsset(a.id)} aria-label={`Open ${a.name}`}>
                    {a.imageSha ? (
                      <img src={imageUrl(a.imageSha, true)} alt="" loading="lazy" />
                    ) : a.media?.kind === 'video' ? (
                      <img src={mediaImageUrl({ sha: a.media.sha, kind: 'poster' })} alt="" loading="lazy" />
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
                    <input
                      type="checkbox"
                      checked={isSelected}
                      onChange={() => act.toggleSelect(a.id, true)}
                      aria-label={`Select ${a.name}`}
                    />
                    <div>
                      <div className="name" title={a.name}>
                        {a.name}
                      </div>
                      <div className="sub">
                        {TYPE_LABELS[a.assetType]} · rev {a.rev}
                      </div>
                      <StatusBadge status={a.status} /> <DraftMark assetId={a.id} />
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
