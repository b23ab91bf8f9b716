/** Results of the media (audio and video) originality layers, as the engine returns them to every caller. */
import type { MatchedRegion } from './check.ts';

export type MediaKind = 'audio' | 'video';

/**
 * Seconds as m:ss (h:mm:ss from an hour on): 75.4 → "1:15", 3725 → "1:02:05". The one rule for
 * every time shown next to a player: whole seconds rounded down, as the browser's own player
 * shows its position (7.96 s is "0:07" there), so a cue labelled "0:07" puts the player where it
 * shows "0:07" too (rounding labelled it "0:08"). The CLI and the engine's sentences use it as well.
 */
export function formatTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** What the probe learnt about a file before any decoding. */
export interface MediaInfo {
  kind: MediaKind;
  /** FFmpeg demuxer name, e.g. "mov", "matroska", "wav". */
  container: string;
  durationSeconds: number;
  bytes: number;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  video: { codec: string; width: number; height: number; fps: number } | null;
}

/** A matched stretch: [start, end] seconds in the query and in the matched asset. */
export interface MediaRange {
  query: [number, number];
  match: [number, number];
}

/** Which fingerprint found the match. */
export type MediaMethod = 'landmarks' | 'chromaprint' | 'frames' | 'keyframes';

export interface MediaMatch {
  /** The caller's reference of the matched asset (asset id, file key). */
  assetRef: string;
  kind: MediaKind;
  method: MediaMethod;
  /** 0..1: share of the query explained by the match (1 = every sampled second matched). */
  score: number;
  /** Supporting evidence count: agreeing landmark hashes, Chromaprint frames or video frames. */
  votes: number;
  ranges: MediaRange[];
  /** Query playback speed relative to the original (1.05 = 5 % faster). */
  speedRatio: number;
  /**
   * Audio only, when the pitch changed apart from the speed: query pitch relative to the original
   * (1 with a speedRatio ≠ 1: time-stretched, pitch kept; ≠ 1 with speedRatio 1: pitch-shifted).
   * Absent when the pitch moved with the speed (a resampled copy) or nothing changed.
   */
  pitchRatio?: number;
  /** Representative pair of matched frames (video only), timestamps in seconds. */
  framePair?: { queryT: number; matchT: number };
  /** Whether the best frame agreement was with the mirrored original (video only). */
  mirrored?: boolean;
  /**
   * Video only: keyframes verified by the image layer's local features, and where the copy sits in
   * the best verified pair (crop, scale, rotation, mirroring; keyframe times in seconds).
   */
  local?: { keyframes: number; region: MatchedRegion; queryT: number; matchT: number };
}
