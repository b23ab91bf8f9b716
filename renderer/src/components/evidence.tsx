/**
 * Evidence of a partial copy, drawn for people: an image with the matched region outlined, and
 * shared passages highlighted in both texts. Used by the uniqueness panel and the review queue.
 */
import { type MatchedRegion, type NormBox, PASSAGE_CONTEXT, type SharedPassage } from '@shared/check.ts';
import { plural } from '../words.ts';

const FIELD_NAMES: Record<string, string> = { name: 'name', description: 'description', tags: 'tags' };
export const fieldName = (f: string) => FIELD_NAMES[f] ?? f.replace(/[._]/g, ' ');

/** An image whose matched region is outlined (box and, on the query side, the original's outline). */
export function RegionImage({
  src,
  alt,
  box,
  outline,
}: {
  src: string;
  alt: string;
  box?: NormBox | undefined;
  outline?: [number, number][] | undefined;
}) {
  return (
    <span className="region-image">
      <img src={src} alt={alt} />
      {(box || outline) && (
        <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
          {box && <rect x={box.x} y={box.y} width={box.w} height={box.h} className="region-box" vectorEffect="non-scaling-stroke" />}
          {outline && outline.length >= 3 && (
            <polygon points={outline.map(([x, y]) => `${x},${y}`).join(' ')} className="region-outline" vectorEffect="non-scaling-stroke" />
          )}
        </svg>
      )}
    </span>
  );
}

/** "60% of its image, rotated 15°, mirrored" (and "colours inverted" for a negative, "embossed" for a relief, "bent out of shape" for a non-rigid warp in place of one part's stretch) — the geometry in words, for captions and screen readers. */
export function describeRegion(r: MatchedRegion): string {
  const parts = [`${Math.round(r.matchCoverage * 100)}% of its image`];
  if (Math.abs(r.rotationDeg) >= 2) parts.push(`rotated ${Math.abs(Math.round(r.rotationDeg))}°`);
  if (Math.abs(r.scale - 1) >= 0.1) parts.push(`scaled ×${r.scale.toFixed(2)}`);
  if (r.bent) parts.push('bent out of shape');
  else if (r.stretch !== undefined) parts.push(`stretched or sheared ${r.stretch.toFixed(1)} : 1`);
  if (r.mirrored) parts.push('mirrored');
  if (r.inverted) parts.push('colours inverted');
  if (r.embossed) parts.push('embossed');
  if (r.queryCoverage < 0.6) parts.push(`fills ${Math.round(r.queryCoverage * 100)}% of this image`);
  // A copy found through a picture inside this one matched as a whole, by its hashes (no keypoints).
  parts.push(r.inliers > 0 ? `${r.inliers} matching keypoints` : 'matched as a whole picture');
  return parts.join(', ');
}

/**
 * A passage's surrounding text as shown: where the engine cut it short (at PASSAGE_CONTEXT
 * characters, shared/check.ts), the partial word at the cut
 * is dropped and an ellipsis stands for it ("…k is a retired toad knight" read as a typo).
 */
export function contextShown(before: string, after: string): [string, string] {
  const b = before.length >= PASSAGE_CONTEXT ? `…${/\s/.test(before) ? before.replace(/^\S*\s+/, '') : before}` : before;
  const a = after.length >= PASSAGE_CONTEXT ? `${/\s/.test(after) ? after.replace(/\s+\S*$/, '') : after}…` : after;
  return [b, a];
}

function InContext({ before, passage, after }: { before: string; passage: string; after: string }) {
  const [b, a] = contextShown(before, after);
  return (
    <>
      {b}
      <mark className="passage">{passage}</mark>
      {a}
    </>
  );
}

/** Shared passages side by side: where each sits in this card and in the other. */
export function PassageList({ passages, matchName }: { passages: SharedPassage[]; matchName: string }) {
  return (
    <ul className="passages" aria-label={`Passages shared with ${matchName}`}>
      {passages.map((p) => (
        <li key={`${p.queryField}:${p.query[0]}:${p.matchField}:${p.match[0]}`}>
          <div className="passage-head">
            {plural(p.words, 'word')} · this asset’s {fieldName(p.queryField)} ↔ {matchName}’s {fieldName(p.matchField)}
          </div>
          <div className="passage-pair">
            <blockquote aria-label="In this asset">
              <InContext before={p.context?.query[0] ?? ''} passage={p.text} after={p.context?.query[1] ?? ''} />
            </blockquote>
            <blockquote aria-label={`In ${matchName}`}>
              <InContext before={p.context?.match[0] ?? ''} passage={p.context?.matchText ?? p.text} after={p.context?.match[1] ?? ''} />
            </blockquote>
          </div>
        </li>
      ))}
    </ul>
  );
}
