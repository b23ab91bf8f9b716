/**
 * The keyframe layer of video matching: the image layer's local features (ORB, visual words,
 * geometric verification) applied to video keyframes (keyframes.ts). An inverted file of visual
 * words holds one entry per keyframe, so a query keyframe finds the stored keyframes it shares
 * parts with without touching every video; the best of them (one per video, a few videos) is
 * verified with the image layer's RANSAC (engine/image/local/verify.ts), which also says where the
 * copy sits (crop, scale, rotation, mirroring). Unlike the frame hashes this survives crops beyond 30 %, picture-in-picture and large
 * overlays.
 *
 * Only the visual words stay in memory. The keyframes' keypoints and descriptors come from
 * `source` when verification needs them (a library reads its stored blob again); without a source
 * (an index not backed by a store: tests, the CLI's temporary index) they are kept in memory. What
 * the source read last is kept for the next queries (a small LRU of CACHED_VIDEOS videos): a studio
 * checks the same file again and again as its card is edited, and each check verifies the same
 * videos, which would otherwise be read and inflated from the store every time.
 */
import type { MatchedRegion } from '../../shared/check.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { LocalIndex, minVerifiableWords } from '../image/local/inverted.ts';
import { pushAt } from '../multimap.ts';
import { forLibrary } from '../image/local/serialize.ts';
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

/** Videos whose keyframes read through the source stay cached (about 0.3 MB each with 20 keyframes). */
export const CACHED_VIDEOS = 32;

export class KeyframeIndex {
  private words: LocalIndex;
  /** Entry id → its video and its place among that video's keyframes. */
  private entryTrack = new Map<number, { track: number; k: number }>();
  private trackEntries = new Map<number, number[]>();
  private nextEntry = 1;
  private kept = new Map<number, VideoKeyframes>();
  /** Reads a stored video's keyframes back (see the file comment); null keeps them in memory. */
  private source: ((track: number) => VideoKeyframes | null) | null = null;
  /** Keyframes the source read, least recently used first (at most CACHED_VIDEOS). */
  private cache = new Map<number, VideoKeyframes>();

  constructor(private readonly policy: MediaPolicy = MEDIA_POLICY) {
    this.words = this.emptyWords();
  }

  private emptyWords(): LocalIndex {
    const L = UNIQUENESS_POLICY.local;
    return new LocalIndex({
      words: loadVocabulary().leaves,
      maxWordShare: L.maxWordShare,
      postingBudget: L.postingBudget,
      minWords: minVerifiableWords(L),
      // A word on every keyframe of two videos still counts (see LocalIndexOptions.minDf).
      minDf: 2 * this.policy.video.keyframes.maxKeyframes + 2,
    });
  }

  /** Videos with keyframes in the index. */
  get size(): number {
    return this.trackEntries.size;
  }

  /** From now on keyframes are read from `source` when verification needs them, not kept in memory. */
  useSource(source: (track: number) => VideoKeyframes | null): void {
    this.source = source;
    this.kept.clear();
    this.cache.clear();
  }

  add(track: number, k: VideoKeyframes | undefined): void {
    this.remove(track);
    if (!k?.sets.length) return;
    const ids: number[] = [];
    // Recorded as they are added, so that a refused keyframe (a word outside the vocabulary) can be
    // rolled back with the ones before it: a video is indexed whole or not at all.
    this.trackEntries.set(track, ids);
    try {
      k.sets.forEach((set, i) => {
        const id = this.nextEntry++;
        // The index reads only the primary view's words.
        this.words.add(id, set);
        this.entryTrack.set(id, { track, k: i });
        ids.push(id);
      });
    } catch (err) {
      this.remove(track);
      throw err;
    }
    // Held here only without a source; a query's mirrored views are never needed for a stored video.
    if (!this.source) this.kept.set(track, { times: k.times, sets: k.sets.map(forLibrary) });
  }

  remove(track: number): void {
    for (const id of this.trackEntries.get(track) ?? []) {
      this.words.remove(id);
      this.entryTrack.delete(id);
    }
    this.trackEntries.delete(track);
    this.kept.delete(track);
    this.cache.delete(track);
  }

  /** Takes over another index's entries (a staged bulk build), keeping this one's source. */
  adopt(other: KeyframeIndex): void {
    this.words = other.words;
    this.entryTrack = other.entryTrack;
    this.trackEntries = other.trackEntries;
    this.nextEntry = other.nextEntry;
    this.kept = this.source ? new Map() : other.kept;
    this.cache.clear();
  }

  /** A stored video's keyframes: kept in memory, cached from the source, or read through it now. */
  private stored(track: number): VideoKeyframes | null {
    const kept = this.kept.get(track);
    if (kept || !this.source) return kept ?? null;
    const hit = this.cache.get(track);
    if (hit) {
      this.cache.delete(track); // most recently used last
      this.cache.set(track, hit);
      return hit;
    }
    const read = this.source(track);
    if (!read) return null;
    // Only a stored video's plain view is ever compared (see add).
    const k = { times: read.times, sets: read.sets.map(forLibrary) };
    this.cache.set(track, k);
    if (this.cache.size > CACHED_VIDEOS) this.cache.delete(this.cache.keys().next().value as number);
    return k;
  }

  /**
   * Stored videos in which query keyframes are verified: per query keyframe, the best keyframes of
   * the inverted file (the best one per video for `candidates` videos), plus `also` (videos the
   * frame hashes already found, to locate the copy in them; their keyframe is the one sharing the
   * most words with the query keyframe).
   */
  query(q: VideoKeyframes | undefined, also: readonly number[] = []): KeyframeEvidence[] {
    const p = this.policy.video.keyframes;
    if (!q?.sets.length || this.trackEntries.size === 0) return [];
    // Per stored video: (query keyframe, its best stored keyframe there, score), best first.
    const listed = new Map<number, { qi: number; k: number; score: number }[]>();
    q.sets.forEach((set, qi) => {
      const seen = new Set<number>();
      // Several keyframes of one video can lead the list: read further to reach `candidates` videos.
      for (const c of this.words.candidates(set, p.candidates * 4)) {
        const e = this.entryTrack.get(c.rowid);
        if (!e || seen.has(e.track)) continue;
        seen.add(e.track);
        if (seen.size > p.candidates) break;
        pushAt(listed, e.track, { qi, k: e.k, score: c.score });
      }
    });
    const order: { track: number; tries: { qi: number; k: number | null }[] }[] = [];
    const queued = new Set<number>();
    for (const track of also) {
      if (queued.has(track) || !this.trackEntries.has(track)) continue;
      queued.add(track);
      const first = [...(listed.get(track) ?? [])].sort((a, b) => b.score - a.score);
      const rest = q.sets.map((_, qi) => qi).filter((qi) => !first.some((x) => x.qi === qi));
      order.push({ track, tries: [...first, ...rest.map((qi) => ({ qi, k: null }))] });
    }
    const ranked = [...listed.entries()]
      .map(([track, l]) => ({ track, l, weight: l.reduce((a, x) => a + x.score, 0) }))
      .sort((a, b) => b.weight - a.weight || a.track - b.track);
    for (const r of ranked) {
      if (queued.has(r.track)) continue;
      queued.add(r.track);
      order.push({ track: r.track, tries: [...r.l].sort((a, b) => b.score - a.score) });
    }
    let budget = p.maxVerifications;
    const out: KeyframeEvidence[] = [];
    for (const { track, tries } of order) {
      if (budget <= 0) break;
      const stored = this.stored(track);
      if (!stored?.sets.length) continue;
      let storedWords: Set<number>[] | null = null;
      const pairs: KeyframePair[] = [];
      // A few tries per video: once a video has had `perVideo` verifications in a row without one
      // passing, it is not a copy the keyframes can show.
      let failed = 0;
      const perVideo = p.minVerified + 2;
      for (const t of tries) {
        if (budget <= 0 || failed >= perVideo || pairs.length > p.minVerified) break;
        const qs = q.sets[t.qi] as LocalFeatureSet;
        let k = t.k;
        if (k === null) {
          storedWords ??= stored.sets.map((s) => new Set(s.primary.words));
          let bestN = 0;
          storedWords.forEach((w, i) => {
            const n = overlap(qs, w);
            if (n > bestN) {
              bestN = n;
              k = i;
            }
          });
        }
        const candidate = k === null ? undefined : stored.sets[k];
        if (!candidate || k === null) continue;
        budget--;
        const m = verify(qs, candidate);
        if (!m) {
          failed++;
          continue;
        }
        failed = 0;
        pairs.push({
          queryT: q.times[t.qi] as number,
          matchT: stored.times[k] as number,
          qi: t.qi,
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
