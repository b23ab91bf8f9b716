/** Browse the marketplace: filters, sort, pages of listings; each tile says when it is yours or you own it. */
import { useState } from 'react';
import { usdFromCents } from '@shared/format.ts';
import { usePurchases, useSearch } from '../../data/market.ts';
import { selectUser } from '../../state/market.ts';
import { selectGo } from '../../state/router.ts';
import { useStudio } from '../../state/store.ts';
import { BrowseFilters } from './BrowseFilters.tsx';
import { type BrowseForm, EMPTY_BROWSE, PAGE_SIZE, browseQuery, pageCount } from './browse.ts';
import { MarketImage, Problem, Screen } from './common.tsx';

export { ListingView } from './ListingView.tsx';

/** The listings the signed-in buyer holds a paid purchase of. */
function useOwned(signedIn: boolean): Set<string> {
  const p = usePurchases();
  if (!signedIn || !p.data) return new Set();
  return new Set(p.data.filter((x) => x.status === 'paid' && x.assetId && x.kind !== 'top_up').map((x) => x.assetId as string));
}

export function MarketView() {
  const go = useStudio(selectGo);
  const me = useStudio(selectUser);
  const [form, setForm] = useState<BrowseForm>(EMPTY_BROWSE);
  const [page, setPage] = useState(1);
  const q = browseQuery(form, page);
  const r = useSearch(q.ok ? q.query : { sort: 'newest', page: 1, pageSize: PAGE_SIZE });
  const owned = useOwned(Boolean(me));
  const pages = r.data ? pageCount(r.data.total, r.data.pageSize) : 1;
  return (
    <Screen title="Marketplace">
      <BrowseFilters
        value={form}
        onApply={(f) => {
          setForm(f);
          setPage(1);
        }}
      />
      <Problem error={r.error} />
      {r.data && (
        <p className="hint" role="status">
          {r.data.total}
          {r.data.totalIsLowerBound ? '+' : ''} {r.data.total === 1 ? 'listing' : 'listings'}
          {r.data.note ? ` · ${r.data.note}` : ''}
        </p>
      )}
      <ul className="market-grid">
        {(r.data?.items ?? []).map((a) => (
          <li key={a.id}>
            <button type="button" className="tile" onClick={() => go({ name: 'listing', remoteId: a.id })}>
              <MarketImage path={a.imageUrl} alt={`Image of ${a.name}`} />
              <strong>{a.name}</strong>
              <span className="sub">
                {a.creatorName} · {a.priceCents !== null ? usdFromCents(a.priceCents) : 'licenses'}
              </span>
              {me && a.creatorId === me.id && <span className="badge approved">Yours</span>}
              {owned.has(a.id) && <span className="badge paid">You own this</span>}
            </button>
          </li>
        ))}
      </ul>
      {r.data && r.data.items.length === 0 && <p className="empty">Nothing published matches.</p>}
      {r.data && pages > 1 && (
        <nav className="row pager" aria-label="Pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous page
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next page
          </button>
        </nav>
      )}
    </Screen>
  );
}
