/**
 * Audio and video, drawn for people: the editor's preview of a stored file (a thumbnail strip for
 * video, a waveform for audio, with duration and format), and a media match's evidence for the
 * uniqueness panel (a timeline of each file with the matched ranges highlighted, the speed ratio,
 * the representative frame pair of a video match).
 */
import type { MediaFileInfo } from '@shared/api.ts';
import type { MatchedMedia } from '@shared/check.ts';
import { formatTime } from '@shared/media.ts';
import { mediaImageUrl } from '../data/assets.ts';
import { EDITOR_CALLER, useMediaPreview } from '../data/media.ts';
import { RegionImage, describeRegion } from './evidence.tsx';

/** "mp3 · 1:02 · mp3 44.1 kHz stereo" / "mp4 · 0:30 · h264 1280×720 25 fps, aac". */
export function describeFile(i: MediaFileInfo): string {
  const parts = [i.format, formatTime(i.durationSeconds)];
  if (i.video) parts.push(`${i.video.codec} ${i.video.width}×${i.video.height} ${Math.round(i.video.fps * 100) / 100} fps`);
  if (i.audio)
    parts.push(
      `${i.audio.codec} ${i.audio.sampleRate / 1000} kHz ${i.audio.channels === 1 ? 'mono' : i.audio.channels === 2 ? 'stereo' : `${i.audio.channels} ch`}`,
    );
  parts.push(`${(i.size / 1024 / 1024).toFixed(1)} MB`);
  return parts.join(' · ');
}

/** Waveform peaks as mirrored bars, scaled to the loudest peak so quiet tracks stay readable. */
export function WaveformSvg({ peaks, label, className }: { peaks: number[]; label: string; className?: string }) {
  const top = Math.max(1e-3, ...peaks);
  return (
    <svg className={className ?? 'waveform'} viewBox={`0 0 ${peaks.length} 100`} preserveAspectRatio="none" role="img" aria-label={label}>
      {peaks.map((p, i) => {
        const h = Math.max(1, (p / top) * 96);

        return <rect key={i} x={i + 0.1} width={0.8} y={50 - h / 2} height={h} />;
      })}
    </svg>
  );
}

/** A generic waveform icon (library cards of audio assets). */
export function WaveformIcon() {
  const bars = [3, 7, 12, 9, 16, 11, 5, 14, 18, 10, 6, 13, 8, 4];
  return (
    <svg className="waveform-icon" viewBox="0 0 28 20" role="img" aria-label="Audio">
      {bars.map((h, i) => (
        <rect key={i} x={i * 2} y={10 - h / 2} width={1.2} height={h} rx={0.6} />
      ))}
    </svg>
  );
}

/** The editor's preview of a stored audio/video file; `caller`: the view asking (the editor by default), whose cancel stops it. */
export function MediaPreview({ sha, caller = EDITOR_CALLER }: { sha: string; caller?: string }) {
  const { info, wave, error } = useMediaPreview(sha, caller);
  if (error)
    return (
      <div className="field-error" role="alert">
        {error}
      </div>
    );
  if (!info) return <p className="hint">Reading the file…</p>;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <div className="media-preview" aria-label="Media preview">
      {info.video && (
        <img
          className="strip"
          src={mediaImageUrl({ sha, kind: 'strip', caller })}
          alt={`Thumbnail strip of the video (${formatTime(info.durationSeconds)})`}
        />
      )}
      {info.audio &&
        (wave ? <WaveformSvg peaks={wave.peaks} label="Waveform of the audio" /> : <p className="hint">Drawing the waveform…</p>)}
      <div className="ticks" aria-hidden="true">
        {ticks.map((t) => (
          <span key={t}>{formatTime(t * info.durationSeconds)}</span>
        ))}
      </div>
      <p className="media-facts">
        <strong>{info.kind === 'video' ? 'Video' : 'Audio'}</strong> · {describeFile(info)}
      </p>
    </div>
  );
}

/** One file's timeline: its length, with the matched stretches highlighted and labelled. */
export function Timeline({
  label,
  duration,
  ranges,
  marker,
}: {
  label: string;
  duration: number;
  ranges: [number, number][];
  marker?: number | undefined;
}) {
  const d = Math.max(duration, ...ranges.map((r) => r[1]), 1e-3);
  const words = ranges.map(([a, b]) => `${formatTime(a)}–${formatTime(b)}`).join(', ');
  return (
    <div className="timeline">
      <div className="timeline-head">
        <span className="timeline-label">{label}</span>
        <span className="timeline-ranges">
          {words} of {formatTime(d)}
        </span>
      </div>
      <svg viewBox="0 0 1000 20" preserveAspectRatio="none" role="img" aria-label={`${label}: ${words} of ${formatTime(d)} matched`}>
        <rect className="track" x={0} y={4} width={1000} height={12} rx={3} />
        {ranges.map(([a, b]) => (
          <rect key={`${a}-${b}`} className="hit" x={(a / d) * 1000} y={2} width={Math.max(3, ((b - a) / d) * 1000)} height={16} rx={2} />
        ))}
        {marker !== undefined && (
          <rect className="marker" x={Math.min(997, Math.max(0, (marker / d) * 1000 - 1.5))} y={0} width={3} height={20} />
        )}
      </svg>
    </div>
  );
}

function speedWords(r: number, pitch?: number): string {
  const pct = Math.round((r - 1) * 1000) / 10;
  // A pitch that moved apart from the speed (audio): a time-stretch keeps it, a pitch shift moves it alone.
  const pp = pitch === undefined ? null : Math.round((pitch - 1) * 1000) / 10;
  const pitchWords = pp === null ? '' : Math.abs(pp) < 0.5 ? ', pitch kept' : `, pitch ${pp > 0 ? 'raised' : 'lowered'} ${Math.abs(pp)} %`;
  if (Math.abs(pct) < 0.5) return `same speed${pitchWords}`;
  return `${Math.abs(pct)} % ${pct > 0 ? 'faster' : 'slower'} (×${r.toFixed(3)})${pitchWords}`;
}

const METHOD_WORDS: Record<MatchedMedia['method'], string> = {
  landmarks: 'audio landmarks',
  chromaprint: 'Chromaprint',
  frames: 'aligned video frames',
  keyframes: 'keyframes verified by local features',
};

/** A media match's evidence: both timelines, the speed ratio, and for video the frame pair. */
export function MediaEvidence({ media, matchName }: { media: MatchedMedia[]; matchName: string }) {
  return (
    <div className="media-evidence">
      {media.map((m) => {
        const qDur = m.queryDurationSeconds ?? Math.max(...m.ranges.map((r) => r.query[1]));
        const mDur = m.matchDurationSeconds ?? Math.max(...m.ranges.map((r) => r.match[1]));
        // Keyframes verified by local features: their pair is shown, with the copy outlined on both.
        const kf = m.kind === 'video' ? m.local : undefined;
        const pair = kf ? { queryT: kf.queryT, matchT: kf.matchT } : m.kind === 'video' ? m.framePair : undefined;
        return (
          <section key={`${m.method}-${m.ranges[0]?.query[0] ?? 0}`} aria-label={`Matched ${m.kind} with ${matchName}`}>
            <Timeline label="This file" duration={qDur} ranges={m.ranges.map((r) => r.query)} marker={pair?.queryT} />
            <Timeline label={`“${matchName}”`} duration={mDur} ranges={m.ranges.map((r) => r.match)} marker={pair?.matchT} />
            <p className="hint">
              {m.kind === 'video' ? 'Video' : 'Audio'} match by {METHOD_WORDS[m.method]} · {Math.round(m.score * 100)}% of this file ·{' '}
              {speedWords(m.speedRatio, m.pitchRatio)}
              {m.mirrored ? ' · mirrored' : ''} · {m.votes} agreeing{' '}
              {m.method === 'frames' ? 'frames' : m.method === 'keyframes' ? 'keyframes' : 'hashes'}
            </p>
            {kf && (
              <p className="hint">
                Matched region (outlined), from {kf.keyframes} keyframe{kf.keyframes === 1 ? '' : 's'} verified by local features:{' '}
                {describeRegion(kf.region)}
              </p>
            )}
            {pair && (
              <div className="side-by-side frame-pair">
                <figure>
                  {m.querySha256 ? (
                    <RegionImage
                      src={mediaImageUrl({ sha: m.querySha256, kind: 'frame', ms: Math.round(pair.queryT * 1000) })}
                      alt={`This video at ${formatTime(pair.queryT)}`}
                      box={kf?.region.query}
                      outline={kf?.region.outline}
                    />
                  ) : (
                    <div className="no-image">No frame</div>
                  )}
                  <figcaption>This video at {formatTime(pair.queryT)}</figcaption>
                </figure>
                <figure>
                  {m.matchSha256 ? (
                    <RegionImage
                      src={mediaImageUrl({ sha: m.matchSha256, kind: 'frame', ms: Math.round(pair.matchT * 1000) })}
                      alt={`${matchName} at ${formatTime(pair.matchT)}`}
                      box={kf?.region.match}
                    />
                  ) : (
                    <div className="no-image">Not stored here</div>
                  )}
                  <figcaption>
                    {matchName} at {formatTime(pair.matchT)}
                  </figcaption>
                </figure>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
