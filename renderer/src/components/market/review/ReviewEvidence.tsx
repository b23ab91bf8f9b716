/**
 * The uniqueness evidence of one review item: each match's image beside the submitted one, its
 * plain-words summary, the matched region outlined on both images, the shared passages highlighted
 * in both texts, and for audio and video a headline (how many ranges, how long in all) over the
 * matched ranges on both timelines, listed in words, with both files playable.
 */
import { MatchEvidenceDetails, type QueueItem } from '@shared/marketplace.ts';
import { PassageList, describeRegion } from '../../evidence.tsx';
import { MarketImage } from '../common.tsx';
import { MediaPlayers } from '../MediaPlayers.tsx';
import { MediaRanges, mediaHeadline } from '../MediaRanges.tsx';

type Evidence = QueueItem['evidence'][number];

function MatchDetail({ item, e }: { item: QueueItem; e: Evidence }) {
  const d = MatchEvidenceDetails.safeParse(e.details);
  if (!d.success || (!d.data.summary && !d.data.region && !d.data.passages?.length && !d.data.media?.length)) return null;
  const name = e.matchedName ?? 'the match';
  const media = d.data.media ?? [];
  return (
    <div className="evidence-detail">
      {/* A media match's ranges are listed under its timelines: its headline only counts them. */}
      {media.length > 0 ? (
        <p className="match-summary">{mediaHeadline(media)}</p>
      ) : (
        d.data.summary && <p className="match-summary">{d.data.summary}</p>
      )}
      {d.data.region && (
        <div className="side-by-side">
          <figure>
            <MarketImage
              path={item.asset.imageUrl}
              alt="Submitted image, matched region outlined"
              box={d.data.region.query}
              outline={d.data.region.outline}
            />
            <figcaption>Submitted (region outlined)</figcaption>
          </figure>
          <figure>
            <MarketImage path={e.matchedImageUrl} alt={`${name}, matched region outlined`} box={d.data.region.match} />
            <figcaption>{name}</figcaption>
          </figure>
          <p className="hint">Matched region: {describeRegion(d.data.region)}</p>
        </div>
      )}
      {d.data.passages && d.data.passages.length > 0 && <PassageList passages={d.data.passages} matchName={name} />}
      {media.map((m, k) => (
        <MediaRanges
          key={`${m.method}-${k}`}
          media={m}
          matchName={name}
          querySeconds={e.mediaSeconds?.query ?? null}
          matchSeconds={e.mediaSeconds?.match ?? null}
        />
      ))}
      {media.length > 0 && (
        <MediaPlayers
          kind={media.some((m) => m.kind === 'video') ? 'video' : 'audio'}
          submitted={{ assetId: item.assetId, version: item.version }}
          matched={
            e.matchedAssetId ? { assetId: e.matchedAssetId, ...(e.matchedVersion !== null ? { version: e.matchedVersion } : {}) } : null
          }
          matchName={name}
          ranges={media.flatMap((m) => m.ranges)}
        />
      )}
    </div>
  );
}

export function ReviewEvidence({ item }: { item: QueueItem }) {
  return (
    <section className="review-evidence" aria-label={`Uniqueness evidence for ${item.asset.name}`}>
      <h3>Uniqueness evidence</h3>
      {item.evidence.length === 0 ? (
        <p className="hint">No similar published assets or submissions in review were found.</p>
      ) : (
        <div className="evidence">
          {item.evidence.map((e, i) => {
            const d = MatchEvidenceDetails.safeParse(e.details);
            return (
              <figure key={`${e.matchedAssetId ?? i}`}>
                {e.matchedImageUrl || !(d.success && d.data.media?.length) ? (
                  <MarketImage
                    path={e.matchedImageUrl}
                    alt={`Image of the match ${e.matchedName ?? ''}`}
                    box={d.success ? d.data.region?.match : undefined}
                  />
                ) : (
                  // An audio or video match without a picture: its timelines and players follow.
                  <div className="no-image">{d.data.media.some((m) => m.kind === 'video') ? 'Video' : 'Audio'}: timelines below</div>
                )}
                <figcaption>
                  {e.matchedName ?? 'match'} {e.combined !== null ? `· ${Math.round(e.combined * 100)}% similar` : ''}
                  {d.success && d.data.pending ? ' · a submission waiting for review, not published' : ''}
                </figcaption>
              </figure>
            );
          })}
        </div>
      )}
      {item.evidence.map((e, i) => (
        <MatchDetail key={`why-${e.matchedAssetId ?? i}`} item={item} e={e} />
      ))}
    </section>
  );
}
