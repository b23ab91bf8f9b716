/**
 * Media evidence in plain words: which stretch of the checked file is which stretch of the matched
 * asset, and how it was changed ("0:12–0:27 of this track is 0:40–0:55 of "X" (re-encoded, 3 %
 * faster)"), from the aligned ranges and what the probe learnt about both files; for video, where
 * verified keyframes place the copy in the picture.
 */
import type { MatchedMedia } from '../shared/check.ts';
import { type MediaInfo, formatTime } from '../shared/media.ts';
import { describeRegion } from './explain.ts';

const span = (r: [number, number]) => `${formatTime(r[0])}–${formatTime(r[1])}`;
const covered = (rs: [number, number][]) => rs.reduce((n, r) => n + Math.max(0, r[1] - r[0]), 0);

/** How the checked file differs from the matched one: speed, mirroring, encoding, frame size. */
export function mediaChanges(m: MatchedMedia, query: MediaInfo | null, stored: MediaInfo | null): string[] {
  const out: string[] = [];
  if (query && stored) {
    const qc = [query.container, query.audio?.codec, query.video?.codec];
    const sc = [stored.container, stored.audio?.codec, stored.video?.codec];
    if (qc.some((c, i) => c !== sc[i])) out.push('re-encoded');
    if (query.video && stored.video && (query.video.width !== stored.video.width || query.video.height !== stored.video.height))
      // No brackets of its own: the summary already puts the changes in brackets ("(re-encoded, resized from …)").
      out.push(`resized from ${stored.video.width}×${stored.video.height} to ${query.video.width}×${query.video.height}`);
  }
  const d = m.speedRatio - 1;
  // A pitch that moved apart from the speed: a time-stretch ("5 % faster, pitch kept") or a pitch shift.
  const kept = m.pitchRatio !== undefined && Math.abs(m.pitchRatio - 1) < 0.005;
  if (Math.abs(d) >= 0.01) out.push(`${Math.round(Math.abs(d) * 100)} % ${d > 0 ? 'faster' : 'slower'}${kept ? ', pitch kept' : ''}`);
  const dp = (m.pitchRatio ?? 1) - 1;
  if (m.pitchRatio !== undefined && Math.abs(dp) >= 0.01)
    out.push(`pitch ${dp > 0 ? 'raised' : 'lowered'} ${Math.round(Math.abs(dp) * 100)} %`);
  if (m.mirrored) out.push('mirrored');
  return out;
}

/** The match in one sentence; `how` lists the changes (mediaChanges). */
export function describeMedia(m: MatchedMedia, name: string, query: MediaInfo | null, stored: MediaInfo | null, how: string[]): string {
  const noun = query?.kind === 'video' ? 'video' : 'track';
  const soundtrack = m.kind === 'video' && (m.method === 'landmarks' || m.method === 'chromaprint') ? ' (its soundtrack)' : '';
  const suffix = how.length ? ` (${how.join(', ')})` : '';
  const qr = m.ranges.map((r) => r.query);
  const mr = m.ranges.map((r) => r.match);
  const first = m.ranges[0];
  if (!first) return `this ${noun} matches “${name}”${soundtrack}${suffix}`;
  const whole = query && stored && covered(qr) >= 0.9 * query.durationSeconds && covered(mr) >= 0.9 * stored.durationSeconds;
  // Where keyframes were verified by local features, the picture's geometry too: "at 0:05 the
  // picture is a 52 % crop of the lower-right of "X" (its 0:08)".
  const k = m.local;
  const region = k
    ? `; at ${formatTime(k.queryT)} the picture is ${describeRegion(k.region, name, 'picture')} (its ${formatTime(k.matchT)})`
    : '';
  if (whole) return `this ${noun} is the whole of “${name}”${soundtrack}${suffix}${region}`;
  const more = m.ranges.length > 1 ? ` (and ${m.ranges.length - 1} more matched stretch${m.ranges.length > 2 ? 'es' : ''})` : '';
  return `${span(first.query)} of this ${noun} is ${span(first.match)} of “${name}”${soundtrack}${more}${suffix}${region}`;
}
