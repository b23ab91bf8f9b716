/**
 * The library: search, filter, sort, select and act on the selection (bulk bar: submit, price,
 * export, delete), import by drop or dialog, new assets, and a virtualised grid of cards (each with
 * its marketplace state, price and sales).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ASSET_TYPES, type AssetType } from '@shared/asset.ts';
import { TYPE_LABELS } from '../state/cards.ts';
import { selectFilters, selectItems, selectLibraryActions, selectSelected } from '../state/library.ts';
import { useStudio } from '../state/store.ts';
import { BulkBar } from './BulkBar.tsx';
import { LibraryCard } from './LibraryCard.tsx';
import { NewDrafts } from './LibraryDrafts.tsx';
import { useFileDrop } from './useFileDrop.ts';
import { CARD_H, CARD_W, GAP, useGridWindow } from './useGridWindow.ts';

/** Changes when sync reports something new (a pull, an outbox operation moving on): the cards' market lines are read again. */
const selectSyncMark = (s: { sync: { lastPullAt: string | null; outbox: { id: string; state: string }[] } | null }) =>
  s.sync ? `${s.sync.lastPullAt}|${s.sync.outbox.map((o) => `${o.id}:${o.state}`).join(',')}` : '';

export function Library() {
  const items = useStudio(selectItems);
  const selected = useStudio(selectSelected);
  const { q, typeFilter, sort, loading } = useStudio(useShallow(selectFilters));
  const act = useStudio(useShallow(selectLibraryActions));
  const { ref, cols, first, last, total } = useGridWindow(items.length);
  const searchRef = useRef<HTMLInputElement>(null);
  const importRef = useRef<HTMLInputElement>(null);
  const [newOpen, setNewOpen] = useState(false);
  const syncMark = useStudio(selectSyncMark);
  useEffect(() => {
    if (syncMark) void act.loadListings();
  }, [syncMark, act]);

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

      {selected.length > 0 && (
        <BulkBar
          selected={selected}
          onSubmit={() => act.submitAssets(selected)}
          onPrice={(p) => act.priceAssets(selected, p)}
          onExport={() => act.exportAssets(selected)}
          onDelete={() => act.deleteAssets(selected)}
          onClear={act.clearSelection}
        />
      )}
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
              return (
                <LibraryCard
                  key={a.id}
                  a={a}
                  selected={selected.includes(a.id)}
                  style={{ top: GAP + row * (CARD_H + GAP), left: GAP + col * (CARD_W + GAP), width: CARD_W, height: CARD_H }}
                  onOpen={(id) => void act.openAsset(id)}
                  onToggle={(id) => act.toggleSelect(id, true)}
                />
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
