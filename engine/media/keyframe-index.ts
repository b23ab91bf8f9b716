/**
 * The keyframe layer of video matching: the image layer's local features (ORB, visual words,
 * geometric verification) applied to video keyframes (keyframes.ts). An inverted file of visual
 * words holds one entry per video (the words of all its keyframes), so a query keyframe finds the
 * videos it shares parts with without touching every video; within a candidate video the keyframes
 * sharing the most words with the query keyframe are verified with the image layer's RANSAC
 * (engine/image/local/verify.ts), which also says where the copy sits (crop, scale, rotation,
 * mirroring). Unlike the frame hashes this survives crops beyond 30 %, picture-in-picture and large
 * overlays.
 *
 * Only the visual words stay in memory. The keyframes' keypoints and descriptors come from
 * `source` when verification needs them (a library reads its stored blob again); without a source
 * (an index not backed by a store: tests, the CLI's temporary index) they are kept in memory.
 */
import type { MatchedRegion } from '../../shared/check.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { LocalIndex } from '../image/local/inverted.ts';
import type { LocalFeatureSet, LocalView } from '../image/local/types.ts';
import { verify } from '../image/local/verify.ts';
import { loadVocabulary } from '../image/local/vocab-file.ts';
import type { VideoKeyframes } from './keyframes.ts';

/** A query keyframe verified against a stored one. */
export interface KeyframePair {
  queryT: number;
  matchT: number;
  /** Index of the query keyframe. */
  qi: number;
  region: MatchedRegion;
  confidence: number;
}

/** What the keyframe layer found for one stored video. */
export interface KeyframeEvidence {
  track: number;
  /** Verified pairs, one per query keyframe at most, in query time order. */
  pairs: KeyframePair[];
  /** The pair with the most agreeing keypoints. */
  best: KeyframePair;
}

function viewWords(v: LocalView | undefined): Uint32Array {
  return v ? v.words : new Uint32Array(0);
}

/** Distinct words shared by a query keyframe (either view) and a stored keyframe's words. */
function overlap(query: LocalFeatureSet, stored: ReadonlySet<number>): number {
  let n = 0;
  for (const words of [viewWords(query.primary), viewWords(query.mirror)]) {
    const seen = new Set<number>();
    let k = 0;
    for (const w of words) {
      if (seen.has(w)) continue;
      seen.add(w);
      if (stored.has(w)) k++;
    }
    n = Math.max(n, k);
  }
  return n;
}

export class KeyframeIndex {
  private words: LocalIndex;
  private kept = new Map<number, VideoKeyframes>();
  /** Reads a stored video's keyframes back (see the file comment); null keeps them in memory. */
  private source: ((track: number) => VideoKeyframes | null) | null = null;

  constructor(private readonly policy: MediaPolicy = MEDIA_POLICY) {
    this.words = KeyframeIndex.emptyWords();
  }

  private static emptyWords(): LocalIndex {
    const L = UNIQUENESS_POLICY.local;
    return new LocalIndex({ words: loadVocabulary().leaves, maxWordShare: L.maxWordShare, postingBudget: L.postingBudget });
  }

  get size(): number {
    return this.words.size;
  }

  /** From now on keyframes are read from `source` when verification needs them, not kept in memory. */
  useSource(source: (track: number) => VideoKeyframes | null): void {
    this.source = source;
    this.kept.clear();
  }

  add(track: number, k: VideoKeyframes | undefined): void {
    this.remove(track);
    if (!k?.sets.length) return;
    let n = 0;
    for (const s of k.sets) n += s.primary.words.length;
    const all = new Uint32Array(n);
    let o = 0;
    for (const s of k.sets) {
      all.set(s.primary.words, o);
      o += s.primary.words.length;
    }
    // The index reads only the primary view's words.
    this.words.add(track, {
      ...(k.sets[0] as LocalFeatureSet),
      primary: { keypoints: new Float32Array(0), descriptors: new Uint8Array(0), words: all },
    });
    if (!this.source) this.kept.set(track, k);
  }

  remove(track: number): void {
    this.words.remove(track);
    this.kept.delete(track);
  }

  /** Takes over another index's entries (a staged bulk build), keeping this one's source. */
  adopt(other: KeyframeIndex): void {
    this.words = other.words;
    this.kept = this.source ? new Map() : other.kept;
  }

  private stored(track: number): VideoKeyframes | null {
    return this.kept.get(track) ?? this.source?.(track) ?? null;
  }

  /**
   * Stored videos in which query keyframes are verified: candidates from the inverted file per
   * query keyframe, plus `also` (videos the frame hashes already found, to locate the copy in them).
   */
  query(q: VideoKeyframes | undefined, also: readonly number[] = []): KeyframeEvidence[] {
    const p = this.policy.video.keyframes;
    if (!q?.sets.length || this.words.size === 0) return [];
    // Per stored video: the query keyframes that listed it, best inverted-file score first.
    const listed = new Map<number, { qi: number; score: number }[]>();
    q.sets.forEach((set, qi) => {
      for (const c of this.words.candidates(set, p.candidates)) {
        let l = listed.get(c.rowid);
        if (!l) listed.set(c.rowid, (l = []));
        l.push({ qi, score: c.score });
      }
    });
    const ranked = [...listed.entries()]
      .map(([track, l]) => ({ track, l, weight: l.reduce((a, x) => a + x.score, 0) }))
      .sort((a, b) => b.weight - a.weight || a.track - b.track);
    const order: { track: number; qis: number[] }[] = [];
    const seen = new Set<number>();
    for (const track of also) {
      if (seen.has(track) || !this.words.has(track)) continue;
      seen.add(track);
      const l = listed.get(track) ?? [];
      const first = [...l].sort((a, b) => b.score - a.score).map((x) => x.qi);
      order.push({ track, qis: [...first, ...q.sets.map((_, i) => i).filter((i) => !first.includes(i))] });
    }
    for (const r of ranked) {
      if (seen.has(r.track)) continue;
      seen.add(r.track);
      order.push({ track: r.track, qis: [...r.l].sort((a, b) => b.score - a.score).map((x) => x.qi) });
    }
    let budget = p.maxVerifications;
    const out: KeyframeEvidence[] = [];
    for (const { track, qis } of order) {
      if (budget <= 0) break;
      const stored = this.stored(track);
      if (!stored?.sets.length) continue;
      const storedWords = stored.sets.map((s) => new Set(s.primary.words));
      const pairs: KeyframePair[] = [];
      // A few tries per video: once a video has had `perVideo` verifications without one passing,
      // it is not a copy the keyframes can show.
      let tries = 0;
      const perVideo = p.minVerified + 2;
      for (const qi of qis) {
        if (budget <= 0 || tries >= perVideo || pairs.length > p.minVerified) break;
        const qs = q.sets[qi] as LocalFeatureSet;
        let bestK = -1;
        let bestN = 0;
        storedWords.forEach((w, k) => {
          const n = overlap(qs, w);
          if (n > bestN) {
            bestN = n;
            bestK = k;
          }
        });
        if (bestK < 0) continue;
        budget--;
        tries++;
        const m = verify(qs, stored.sets[bestK] as LocalFeatureSet);
        if (!m) continue;
        tries = 0;
        pairs.push({
          queryT: q.times[qi] as number,
          matchT: stored.times[bestK] as number,
          qi,
          region: m.region,
          confidence: m.confidence,
        });
      }
      if (!pairs.length) continue;
      pairs.sort((a, b) => a.queryT - b.queryT);
      const best = pairs.reduce((a, b) => (b.region.inliers > a.region.inliers ? b : a));
      out.push({ track, pairs, best });
    }
    return out;
  }
}
