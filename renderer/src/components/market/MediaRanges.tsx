/**
 * Matched time ranges of an audio/video match on two timelines — the submitted file above, the
 * matched one below, each drawn to its own duration — with a band joining each pair of ranges, a
 * marker at the representative frame pair (video), and the same facts as text for screen readers.
 */
import type { z } from 'zod';
import type { MatchedMediaView } from '@shared/marketplace.ts';
import { formatTime } from '@shared/media.ts';
import { describeRegion } from '../evidence.tsx';

type MatchedMedia = z.infer<typeof MatchedMediaView>;

export interface TimelineLayout {
  /** Each range as [x0, x1] fractions (0..1) of the query and of the match timeline. */
  bands: { query: [number, number]; match: [number, number] }[];
  frame: { query: number; match: number } | null;
  querySeconds: number;
  matchSeconds: number;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

/**
 * Where the ranges fall on both timelines. A duration the server did not know is taken as the end
 * of the last matched range, so the drawing never runs off its bar.
 */
export function timelineLayout(m: MatchedMedia, querySeconds: number | null, matchSeconds: number | null): TimelineLayout {
  const qs = Math.max(querySeconds ?? 0, ...m.ranges.map((r) => r.query[1]), m.framePair?.queryT ?? 0, 1e-3);
  const ms = Math.max(matchSeconds ?? 0, ...m.ranges.map((r) => r.match[1]), m.framePair?.matchT ?? 0, 1e-3);
  return {
    bands: m.ranges.map((r) => ({
      query: [clamp(r.query[0] / qs), clamp(r.query[1] / qs)],
      match: [clamp(r.match[0] / ms), clamp(r.match[1] / ms)],
    })),
    frame: m.framePair ? { query: clamp(m.framePair.queryT / qs), match: clamp(m.framePair.matchT / ms) } : null,
    querySeconds: qs,
    matchSeconds: ms,
  };
}

/**
 * The review screen's headline of a media match: how many ranges matched and how much of the
 * submission they cover together (overlapping ranges counted once), e.g. "2 matched ranges, 0:24
 * of the submission in all". Which range is which stays in the list below it (rangeSentences).
 */
export function mediaHeadline(media: readonly MatchedMedia[]): string {
  const spans = media.flatMap((m) => m.ranges.map((r) => r.query)).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    const from = Math.max(a, end);
    if (b > from) total += b - from;
    end = Math.max(end, b);
  }
  const n = spans.length;
  if (n === 0) return 'Matched, without a time range';
  return `${n} matched range${n === 1 ? '' : 's'}, ${formatTime(total)} of the submission in all`;
}

/** One sentence per range, for the text form of the drawing. */
export function rangeSentences(m: MatchedMedia, matchName: string): string[] {
  const out = m.ranges.map(
    (r) =>
      `${formatTime(r.query[0])}–${formatTime(r.query[1])} of the submission is ${formatTime(r.match[0])}–${formatTime(r.match[1])} of ${matchName}`,
  );
  if (Math.abs(m.speedRatio - 1) >= 0.005)
    out.push(
      `played at ${Math.round(m.speedRatio * 1000) / 10} % of the original speed${m.pitchRatio === undefined ? '' : ', pitch kept'}`,
    );
  if (m.pitchRatio !== undefined && Math.abs(m.pitchRatio - 1) >= 0.005)
    out.push(`pitch shifted to ${Math.round(m.pitchRatio * 1000) / 10} % of the original`);
  if (m.framePair)
    out.push(`matching frames at ${formatTime(m.framePair.queryT)} (submission) and ${formatTime(m.framePair.matchT)} (${matchName})`);
  if (m.mirrored) out.push('the picture is mirrored');
  if (m.local)
    out.push(
      `keyframes at ${formatTime(m.local.queryT)} (submission) and ${formatTime(m.local.matchT)} (${matchName}) verified by local features on ${m.local.keyframes} keyframe${m.local.keyframes === 1 ? '' : 's'}: ${describeRegion(m.local.region)}`,
    );
  return out;
}

const W = 600;
const BAR = 14;
const Q_Y = 18;
const M_Y = 78;
const X0 = 90;
const SPAN = W - X0 - 10;

export function MediaRanges({
  media,
  matchName,
  querySeconds,
  matchSeconds,
}: {
  media: MatchedMedia;
  matchName: string;
  querySeconds: number | null;
  matchSeconds: number | null;
}) {
  const l = timelineLayout(media, querySeconds, matchSeconds);
  const x = (f: number) => X0 + f * SPAN;
  const sentences = rangeSentences(media, matchName);
  const how =
    media.method === 'frames'
      ? 'video frames'
      : media.method === 'keyframes'
        ? 'video keyframes'
        : media.kind === 'video'
          ? 'soundtrack'
          : 'audio';
  return (
    <figure className="media-ranges">
      <svg viewBox={`0 0 ${W} 120`} width="100%" role="img" aria-label={`Matched ${how}: ${sentences.join('; ')}`}>
        <text x={4} y={Q_Y + 11} fontSize={11} fill="currentColor">
          Submitted
        </text>
        <text x={4} y={M_Y + 11} fontSize={11} fill="currentColor">
          Match
        </text>
        <rect x={x(0)} y={Q_Y} width={SPAN} height={BAR} rx={3} fill="currentColor" opacity={0.15} />
        <rect x={x(0)} y={M_Y} width={SPAN} height={BAR} rx={3} fill="currentColor" opacity={0.15} />
        {l.bands.map((b, i) => (
          <g key={i}>
            <polygon
              points={`${x(b.query[0])},${Q_Y + BAR} ${x(b.query[1])},${Q_Y + BAR} ${x(b.match[1])},${M_Y} ${x(b.match[0])},${M_Y}`}
              fill="#d9822b"
              opacity={0.25}
            />
            <rect x={x(b.query[0])} y={Q_Y} width={Math.max(2, x(b.query[1]) - x(b.query[0]))} height={BAR} rx={2} fill="#d9822b" />
            <rect x={x(b.match[0])} y={M_Y} width={Math.max(2, x(b.match[1]) - x(b.match[0]))} height={BAR} rx={2} fill="#d9822b" />
          </g>
        ))}
        {l.frame && <line x1={x(l.frame.query)} y1={Q_Y - 4} x2={x(l.frame.match)} y2={M_Y + BAR + 4} stroke="#2b6cd9" strokeWidth={2} />}
        <text x={x(1)} y={Q_Y - 4} fontSize={10} textAnchor="end" fill="currentColor">
          {formatTime(l.querySeconds)}
        </text>
        <text x={x(1)} y={M_Y + BAR + 14} fontSize={10} textAnchor="end" fill="currentColor">
          {formatTime(l.matchSeconds)}
        </text>
      </svg>
      <figcaption>
        <ul className="hint">
          {sentences.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
