/**
 * One match in the uniqueness panel, worded for people (shared/matches.ts): it leads with the
 * match's own verdict and its strongest reason, says who it is by (display name, never an id) and
 * links to it (the listing on the marketplace, or the asset in this library), then shows both
 * images, the evidence (outlined region, shared passages, media timelines), the other reasons and
 * the differences in words. The per-layer scores are folded away under "Scores by layer".
 */
import type { Match } from '@shared/check.ts';
import { MATCH_TITLES, creatorLine, differenceWords, matchTone, otherReasons, strongestReason } from '@shared/matches.ts';
import { imageUrl } from '../data/assets.ts';
import { selectGo } from '../state/router.ts';
import { useStudio } from '../state/store.ts';
import { PassageList, RegionImage, describeRegion } from './evidence.tsx';
import { MediaEvidence } from './media.tsx';

const SCORES: [keyof Match['layers'], string][] = [
  ['visual', 'Image'],
  ['local', 'Part of image'],
  ['text', 'Text'],
  ['passage', 'Wording'],
  ['code', 'Module code'],
  ['semantic_image', 'Image meaning'],
  ['semantic_text', 'Text meaning'],
  ['media', 'Audio/video'],
];

function Scores({ m }: { m: Match }) {
  const rows = SCORES.map(([k, label]) => [label, m.layers[k]] as const).filter(
    (r): r is readonly [string, number] => typeof r[1] === 'number',
  );
  if (rows.length === 0) return null;
  return (
    <details className="scores">
      <summary>Scores by layer</summary>
      {rows.map(([label, v]) => {
        const pct = Math.round(Math.max(0, Math.min(1, v)) * 100);
        return (
          <div className="score" key={label}>
            <span>{label}</span>
            <meter min={0} max={100} value={pct} aria-label={`${label} ${pct}%`} />
            <span className="num">{pct}%</span>
          </div>
        );
      })}
    </details>
  );
}

export function MatchCard({ m, mine, yours }: { m: Match; mine: string | null; yours: boolean }) {
  const openAsset = useStudio((s) => s.openAsset);
  const go = useStudio(selectGo);
  const tone = matchTone(m, yours);
  const also = otherReasons(m.copySignals);
  const diffs = differenceWords(m);
  const localId = m.localId ?? (m.listingId ? null : m.assetId);
  // The image row only when either side has an image (a text or media match shows its own evidence).
  const images = Boolean(mine || m.imageSha);
  return (
    <li className={`match ${tone}`} aria-label={`Match: ${m.name}`}>
      <div className="match-head">
        <span className={`badge match-${tone}`}>{MATCH_TITLES[tone]}</span>
        <p className="match-reason">{strongestReason(m)}</p>
        <p className="match-who">
          <strong>{m.name}</strong> <span className="sub">{creatorLine(m, yours)}</span>
        </p>
        <p className="match-links">
          {m.listingId && (
            <button type="button" className="link" onClick={() => go({ name: 'listing', remoteId: m.listingId as string })}>
              View the listing “{m.name}”
            </button>
          )}
          {yours && localId && (
            <button type="button" className="link" onClick={() => void openAsset(localId)}>
              Open “{m.name}”
            </button>
          )}
        </p>
      </div>
      {images && (
        <div className="side-by-side">
          <figure>
            {mine ? (
              <RegionImage src={imageUrl(mine, true)} alt="Your image" box={m.region?.query} outline={m.region?.outline} />
            ) : (
              <div className="no-image">No image</div>
            )}
            <figcaption>This asset</figcaption>
          </figure>
          <figure>
            {m.imageSha ? (
              <RegionImage src={imageUrl(m.imageSha, true)} alt={`Image of ${m.name}`} box={m.region?.match} />
            ) : (
              <div className="no-image">No image</div>
            )}
            <figcaption>{m.name}</figcaption>
          </figure>
        </div>
      )}
      <div className="match-body">
        {m.summary && <p className="match-summary">{m.summary}</p>}
        {m.media && m.media.length > 0 && <MediaEvidence media={m.media} matchName={m.name} />}
        {m.region && <p className="hint">Matched region (outlined): {describeRegion(m.region)}</p>}
        {m.passages && m.passages.length > 0 && <PassageList passages={m.passages} matchName={m.name} />}
        {also.length > 0 && (
          <p className="signals">
            <strong>Also:</strong> {also.join(' · ')}
          </p>
        )}
        {diffs.length > 0 && (
          <div className="diffs">
            <strong>What differs:</strong>
            <ul>
              {diffs.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </div>
        )}
        <Scores m={m} />
      </div>
    </li>
  );
}
