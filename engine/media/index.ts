/**
 * MediaIndex: the library of audio and video fingerprints with add / remove / query. Audio (and
 * the soundtrack of every video) goes to the landmark + Chromaprint index, video frames to the
 * temporally aligned frame index; both are inverted indexes, so a query never scans every asset.
 * Results carry the matched time ranges in both files, the speed ratio, and for video a
 * representative frame pair.
 */
import { z } from 'zod';
import type { MediaKind, MediaMatch } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';
import { AudioIndex } from './audio-index.ts';
import { type StoredFingerprint, deserializeFingerprint, serializeFingerprint } from './serialize.ts';
import { VideoIndex } from './video-index.ts';

const refSchema = z.string().min(1).max(200);

export interface QueryOptions {
  /** Asset refs to leave out (e.g. the query's own earlier version). */
  exclude?: readonly string[];
  topK?: number;
}

export class MediaIndex {
  private readonly audio: AudioIndex;
  private readonly video: VideoIndex;
  private readonly ids = new Map<string, number>();
  private readonly refs = new Map<number, { ref: string; kind: MediaKind }>();
  private next = 1;

  constructor(private readonly policy: MediaPolicy = MEDIA_POLICY) {
    this.audio = new AudioIndex(policy);
    this.video = new VideoIndex(policy);
  }

  get size(): number {
    return this.ids.size;
  }

  has(ref: string): boolean {
    return this.ids.has(ref);
  }

  /** Adds (or replaces) an asset's fingerprint. A blob from serializeFingerprint is accepted too. */
  add(ref: string, fp: StoredFingerprint | Uint8Array): void {
    const key = refSchema.parse(ref);
    const f = fp instanceof Uint8Array ? deserializeFingerprint(fp) : fp;
    if (!f.audio && !f.video) throw new EngineError('empty_fingerprint', 'the media fingerprint has neither audio nor video');
    this.remove(key);
    const id = this.next++;
    this.ids.set(key, id);
    this.refs.set(id, { ref: key, kind: f.video ? 'video' : 'audio' });
    if (f.audio) this.audio.add(id, f.audio);
    if (f.video) this.video.add(id, f.video);
  }

  remove(ref: string): boolean {
    const id = this.ids.get(ref);
    if (id === undefined) return false;
    this.audio.remove(id);
    this.video.remove(id);
    this.ids.delete(ref);
    this.refs.delete(id);
    return true;
  }

  /** Matches of a query fingerprint, best first; per asset the strongest of its audio and video matches. */
  query(fp: StoredFingerprint | Uint8Array, opts: QueryOptions = {}): MediaMatch[] {
    const f = fp instanceof Uint8Array ? deserializeFingerprint(fp) : fp;
    const exclude = new Set(opts.exclude ?? []);
    const best = new Map<string, MediaMatch>();
    const offer = (m: MediaMatch) => {
      if (exclude.has(m.assetRef)) return;
      const prev = best.get(m.assetRef);
      // Frame evidence is kept when there is any (it carries the frame pair); else the larger share wins.
      if (!prev || (prev.method !== 'frames' && m.score > prev.score)) best.set(m.assetRef, m);
    };
    if (f.video) {
      for (const h of this.video.query(f.video)) {
        const r = this.refs.get(h.track);
        if (!r) continue;
        offer({
          assetRef: r.ref,
          kind: 'video',
          method: 'frames',
          score: h.score,
          votes: h.votes,
          ranges: h.ranges,
          speedRatio: h.speedRatio,
          framePair: h.framePair,
          mirrored: h.mirrored,
        });
      }
    }
    if (f.audio) {
      for (const h of this.audio.query(f.audio)) {
        const r = this.refs.get(h.track);
        if (!r) continue;
        offer({
          assetRef: r.ref,
          kind: r.kind,
          method: h.method,
          score: h.score,
          votes: h.votes,
          ranges: h.ranges,
          speedRatio: h.speedRatio,
        });
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || b.votes - a.votes).slice(0, opts.topK ?? this.policy.topK);
  }
}

export { deserializeFingerprint, serializeFingerprint };
export { FFMPEG_IN_USE } from './ffmpeg.ts';
export { type MediaFingerprint, fingerprintMedia } from './fingerprint.ts';
export { probeMedia } from './probe.ts';
