/** The browse screen's filter bar: words, asset type, price range, license type, age rating and sort order. */
import { useState } from 'react';
import { AGE_RATINGS, ASSET_TYPES } from '@shared/asset.ts';
import { LICENSE_WORDS } from '@shared/license-words.ts';
import { SEARCH_SORTS } from '@shared/marketplace.ts';
import { LICENSE_TYPES } from '@shared/payments.ts';
import { type BrowseForm, EMPTY_BROWSE, SORT_LABELS, browseQuery } from './browse.ts';

const TYPE_LABELS: Record<(typeof ASSET_TYPES)[number], string> = {
  character: 'Characters',
  location: 'Locations',
  item: 'Items',
  quest_hook: 'Quest hooks',
  room_template: 'Room templates',
  custom_module: 'Custom modules',
  media: 'Media',
};

export function BrowseFilters({ value, onApply }: { value: BrowseForm; onApply: (f: BrowseForm) => void }) {
  const [f, setF] = useState<BrowseForm>(value);
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const set = <K extends keyof BrowseForm>(k: K, v: BrowseForm[K]) => setF({ ...f, [k]: v });
  const apply = (next: BrowseForm) => {
    const r = browseQuery(next, 1);
    setError(r.ok ? null : { field: r.field, message: r.message });
    if (r.ok) onApply(next);
  };
  const priceField = (k: 'minPrice' | 'maxPrice', label: string) => (
    <div className="field">
      <label htmlFor={`mf-${k}`}>{label}</label>
      <input
        id={`mf-${k}`}
        inputMode="decimal"
        placeholder="any"
        size={7}
        value={f[k]}
        onChange={(e) => set(k, e.target.value)}
        aria-invalid={error?.field === k}
        aria-describedby={error?.field === k ? 'mf-error' : undefined}
      />
    </div>
  );
  return (
    <form
      className="toolbar browse-filters"
      role="search"
      aria-label="Browse the marketplace"
      onSubmit={(e) => {
        e.preventDefault();
        apply(f);
      }}
    >
      <div className="field grow">
        <label htmlFor="mq">Search</label>
        <input
          id="mq"
          type="search"
          placeholder="Words in the name, description or tags"
          value={f.q}
          onChange={(e) => set('q', e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="mf-type">Type</label>
        <select id="mf-type" value={f.type} onChange={(e) => set('type', e.target.value as BrowseForm['type'])}>
          <option value="">All types</option>
          {ASSET_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      {priceField('minPrice', 'Price from (USD)')}
      {priceField('maxPrice', 'to (USD)')}
      <div className="field">
        <label htmlFor="mf-license">License offered</label>
        <select id="mf-license" value={f.license} onChange={(e) => set('license', e.target.value as BrowseForm['license'])}>
          <option value="">Any license</option>
          {LICENSE_TYPES.map((t) => (
            <option key={t} value={t}>
              {LICENSE_WORDS[t].title}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="mf-age">Age rating</label>
        <select id="mf-age" value={f.ageRating} onChange={(e) => set('ageRating', e.target.value as BrowseForm['ageRating'])}>
          <option value="">Any rating</option>
          {AGE_RATINGS.map((a) => (
            <option key={a} value={a}>
              {a === 'all' ? 'All ages' : a}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="mf-sort">Sort by</label>
        <select
          id="mf-sort"
          value={f.sort}
          onChange={(e) => {
            // A new order applies at once (the other fields keep what was typed).
            const next = { ...f, sort: e.target.value as BrowseForm['sort'] };
            setF(next);
            apply(next);
          }}
        >
          {SEARCH_SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary">
        Search
      </button>
      <button
        type="button"
        onClick={() => {
          setF(EMPTY_BROWSE);
          apply(EMPTY_BROWSE);
        }}
      >
        Clear filters
      </button>
      {error && (
        <p id="mf-error" className="field-error" role="alert">
          {error.field === 'minPrice' ? 'Price from' : 'Price to'}: {error.message}
        </p>
      )}
    </form>
  );
}
