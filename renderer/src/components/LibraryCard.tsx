/**
 * One library card: its thumbnail and title (either opens the asset), type and revision, the
 * uniqueness status, a kept draft, and its marketplace line — state, price and sales as last
 * synced — with its selection box.
 */
import type { CSSProperties } from 'react';
import type { AssetSummary } from '@shared/api.ts';
import { LISTING_STATE_TEXT, priceText, salesText } from '@shared/listings.ts';
import { imageUrl, mediaImageUrl } from '../data/assets.ts';
import { TYPE_LABELS } from '../state/cards.ts';
import { selectListing } from '../state/library.ts';
import { useStudio } from '../state/store.ts';
import { DraftMark } from './LibraryDrafts.tsx';
import { WaveformIcon } from './media.tsx';
import { StatusBadge } from './StatusBadge.tsx';

function Thumb({ a }: { a: AssetSummary }) {
  if (a.imageSha) return <img src={imageUrl(a.imageSha, true)} alt="" loading="lazy" />;
  if (a.media?.kind === 'video') return <img src={mediaImageUrl({ sha: a.media.sha, kind: 'poster' })} alt="" loading="lazy" />;
  if (a.media?.kind === 'audio')
    return (
      <span className="no-image audio-thumb">
        <WaveformIcon />
        Audio
      </span>
    );
  return <span className="no-image">{TYPE_LABELS[a.assetType]}</span>;
}

/** The card's marketplace line: state, then price and sales once it is (or is queued to be) on the marketplace. */
function MarketLine({ id }: { id: string }) {
  const l = useStudio(selectListing(id));
  if (!l) return null;
  const sales = salesText(l);
  const listed = l.state !== 'not_submitted';
  return (
    <div className="market-line" title={l.problem ?? undefined}>
      <span className={`listing-state ${l.state}`}>{LISTING_STATE_TEXT[l.state]}</span>
      {listed && <span className="price">{priceText(l)}</span>}
      {sales && <span className="sales">{sales}</span>}
    </div>
  );
}

export function LibraryCard({
  a,
  selected,
  style,
  onOpen,
  onToggle,
}: {
  a: AssetSummary;
  selected: boolean;
  style: CSSProperties;
  onOpen: (id: string) => void;
  onToggle: (id: string) => void;
}) {
  return (
    <article className={`asset-card${selected ? ' selected' : ''}`} style={style} aria-label={a.name}>
      <button type="button" className="thumb" onClick={() => onOpen(a.id)} aria-label={`Open ${a.name}`}>
        <Thumb a={a} />
      </button>
      <div className="meta">
        <input type="checkbox" checked={selected} onChange={() => onToggle(a.id)} aria-label={`Select ${a.name}`} />
        <div className="meta-body">
          <h3 className="name">
            <button type="button" className="title-link" onClick={() => onOpen(a.id)} title={a.name}>
              {a.name}
            </button>
          </h3>
          <div className="sub">
            {TYPE_LABELS[a.assetType]} · rev {a.rev}
          </div>
          <StatusBadge status={a.status} /> <DraftMark assetId={a.id} />
          <MarketLine id={a.id} />
        </div>
      </div>
    </article>
  );
}
