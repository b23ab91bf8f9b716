/**
 * Video retrieval with temporal alignment (in the spirit of TMK+PDQF / vPDQ): every kept query frame
 * looks up stored frames within a pHash radius through multi-index hashing (no scan of the library),
 * then each candidate pair votes in a Hough space of (speed ratio, time offset) per video. A copy is
 * a run of query frames agreeing on one line match_t = ratio · query_t + offset, so excerpts, speed
 * changes and dropped frames still align while chance frame matches scatter.
 *
 * A long query searches the multi-index with a sample of its frames only (`seedFrames`, evenly
 * spaced): a video it copies from shares at least `minFrameShare` of the query's frames, so several
 * seeds fall on the copied run. Every video a seed finds is then compared with every query frame
 * directly (its few stored frames, not the index), which yields the same frame pairs the full
 * search would have found for it — the multi-index cost stops growing with the query's length.
 */
import type { MediaRange } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { type HammingHit, HammingIndex } from '../hash/mih.ts';
import { type Hash64, popcount32 } from '../hash/bits.ts';
import { pushAt } from '../multimap.ts';
import type { MatchedRegion } from '../../shared/check.ts';
import { clusterTimes } from './audio-index.ts';
import { KeyframeIndex } from './keyframe-index.ts';
import { FINE_WORDS, MIRROR_SLOT, SLOTS, type VideoFingerprint, WINDOWS, fineDistance, slotHash } from './video.ts';

export interface VideoHit {
  track: number;
  votes: number;
  score: number;
  speedRatio: number;
  ranges: MediaRange[];
  framePair: { queryT: number; matchT: number };
  mirrored: boolean;
  /** 'frames': aligned frame hashes (perhaps with verified keyframes too); 'keyframes': verified keyframes alone. */
  method: 'frames' | 'keyframes';
  /** Keyframes verified by local features (keyframe-index.ts): how many, and where the copy sits in the best. */
  local?: KeyframeMatch | undefined;
}

export interface KeyframeMatch {
  keyframes: number;
  region: MatchedRegion;
  queryT: number;
  matchT: number;
}

/** Query slots searched: the whole picture as-is, and mirrored. */
const ORIENTATIONS = [
  [0, false],
  [MIRROR_SLOT, true],
] as const;

interface Pair {
  qi: number;
  tq: number;
  tm: number;
  d: number;
  mirrored: boolean;
}

/** A bulk add built off to the side (VideoIndex.stage), installed with installStaged. */
export interface StagedVideos {
  staged: VideoIndex;
  firstFrame: number;
}

/**
 * The flat arrays of a bulk multi-index build over `videos`: `record` (addFrames' callback) fills
 * them, `build` makes the compact index (HammingIndex.fromArrays) from them, `buildSliced` the same
 * in slices (a background build).
 */
function bulkHashes(videos: ReadonlyMap<number, VideoFingerprint>): {
  record: (id: number, slot: number, hash: Hash64) => void;
  build: () => HammingIndex;
  buildSliced: (pause: () => Promise<void>, sliceMs: number) => Promise<HammingIndex>;
} {
  let n = 0;
  for (const fp of videos.values()) n += fp.times.length * WINDOWS.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const owner = new Int32Array(n);
  const tag = new Uint8Array(n);
  let e = 0;
  return {
    record: (id, slot, hash) => {
      hi[e] = hash.hi;
      lo[e] = hash.lo;
      owner[e] = id;
      tag[e++] = slot;
    },
    build: () => HammingIndex.fromArrays(hi, lo, owner, tag),
    buildSliced: (pause, sliceMs) => HammingIndex.fromArraysSliced(hi, lo, owner, tag, pause, sliceMs),
  };
}

export class VideoIndex {
  private mih = new HammingIndex();
  /** Stored frame id → track and time. */
  private frameTrack: number[] = [];
  private frameTime: number[] = [];
  /** Stored frame id → its fine hashes (SLOTS × FINE_WORDS words). */
  private frameFine: (Uint32Array | undefined)[] = [];
  /** Stored frame id → its 64-bit window hashes as (hi, lo) pairs (SLOTS × 2 words; the direct comparison of long queries). */
  private frameHashes: (Uint32Array | undefined)[] = [];
  private trackFrames = new Map<number, number[]>();
  private durations = new Map<number, number>();
  /** Local features of the keyframes (keyframe-index.ts). */
  readonly keyframes: KeyframeIndex;
  constructor(private readonly policy: MediaPolicy = MEDIA_POLICY) {
    this.keyframes = new KeyframeIndex(policy);
  }

  get size(): number {
    return this.trackFrames.size;
  }

  add(track: number, fp: VideoFingerprint): void {
    if (this.trackFrames.has(track)) this.remove(track);
    this.addFrames(track, fp, (id, s, h) => this.mih.add(id, h, s));
  }

  /**
   * Adds many videos at once. On an empty index (a library being opened) the frame hashes go into
   * the multi-index in one counting pass (HammingIndex.fromArrays' compact buckets) instead of
   * one insertion per hash.
   */
  addMany(entries: readonly (readonly [number, VideoFingerprint])[]): void {
    if (this.trackFrames.size > 0 || entries.length < 2) {
      for (const [track, fp] of entries) this.add(track, fp);
      return;
    }
    const unique = new Map(entries);
    const bulk = bulkHashes(unique);
    for (const [track, fp] of unique) this.addFrames(track, fp, bulk.record);
    this.mih = bulk.build();
  }

  /**
   * Stages a bulk add for an index that is empty now (a library being opened in the background):
   * everything addMany would compute — the per-frame arrays and the compact multi-index — is built
   * here in slices of about `sliceMs`, awaiting `pause()` between them, so the caller's event loop
   * is never held for long. installStaged() then swaps it in at once; it refuses (false) when the
   * index changed meanwhile, and the caller falls back to addMany.
   */
  async stage(entries: readonly (readonly [number, VideoFingerprint])[], pause: () => Promise<void>, sliceMs = 15): Promise<StagedVideos> {
    const unique = new Map(entries);
    const staged = new VideoIndex(this.policy);
    const firstFrame = this.frameTrack.length;
    // Frame ids continue this index's numbering, so the staged index can replace it wholesale.
    for (let i = 0; i < firstFrame; i++) {
      staged.frameTrack.push(-1);
      staged.frameTime.push(0);
      staged.frameFine.push(undefined);
      staged.frameHashes.push(undefined);
    }
    const bulk = bulkHashes(unique);
    let slice = performance.now();
    for (const [track, fp] of unique) {
      if (performance.now() - slice > sliceMs) {
        await pause();
        slice = performance.now();
      }
      staged.addFrames(track, fp, bulk.record);
    }
    await pause();
    // About half a second at a million hashes (10 000 library items): sliced too.
    staged.mih = await bulk.buildSliced(pause, sliceMs);
    return { staged, firstFrame };
  }

  /** Swaps in a staged bulk add (see stage); false, changing nothing, when this index is no longer as it was. */
  installStaged(s: StagedVideos): boolean {
    if (this.trackFrames.size > 0 || this.frameTrack.length !== s.firstFrame) return false;
    const from = s.staged;
    this.mih = from.mih;
    this.frameTrack = from.frameTrack;
    this.frameTime = from.frameTime;
    this.frameFine = from.frameFine;
    this.frameHashes = from.frameHashes;
    this.trackFrames = from.trackFrames;
    this.durations = from.durations;
    this.keyframes.adopt(from.keyframes);
    return true;
  }

  /** Records a video's frames (times, fine hashes, duration) and hands each window's hash to `index`. */
  private addFrames(track: number, fp: VideoFingerprint, index: (id: number, slot: number, hash: Hash64) => void): void {
    const ids: number[] = [];
    for (let i = 0; i < fp.times.length; i++) {
      const id = this.frameTrack.length;
      this.frameTrack.push(track);
      this.frameTime.push(fp.times[i] as number);
      this.frameFine.push(fp.fine.slice(i * SLOTS * FINE_WORDS, (i + 1) * SLOTS * FINE_WORDS));
      this.frameHashes.push(fp.hashes.slice(i * SLOTS * 2, (i + 1) * SLOTS * 2));
      ids.push(id);
      for (let s = 0; s < WINDOWS.length; s++) index(id, s, slotHash(fp, i, s));
    }
    this.trackFrames.set(track, ids);
    this.durations.set(track, fp.durationSeconds);
    this.keyframes.add(track, fp.keyframes);
  }

  remove(track: number): boolean {
    const ids = this.trackFrames.get(track);
    if (!ids) return false;
    for (const id of ids) {
      this.mih.remove(id);
      this.frameFine[id] = undefined;
      this.frameHashes[id] = undefined;
    }
    this.trackFrames.delete(track);
    this.durations.delete(track);
    this.keyframes.remove(track);
    return true;
  }

  query(q: VideoFingerprint): VideoHit[] {
    const p = this.policy.video;
    const frames = q.times.length;
    if (frames === 0) {
      // No hashed frame (all flat): only keyframes can say anything.
      const byTrack = new Map<number, VideoHit>();
      this.addKeyframeEvidence(q, byTrack);
      return [...byTrack.values()].sort((a, b) => b.score - a.score);
    }
    this.searched = new Map();
    // Candidate pairs per track and orientation: for each query frame, the stored frames within the
    // radius, keeping per track only those nearly as close as its best (a static scene would otherwise
    // let one query frame vote for every frame of a similar-looking scene).
    const pairs = new Map<string, Pair[]>();
    const record = (i: number, mirrored: boolean, best: Map<number, Pair>) => {
      const minByTrack = new Map<number, number>();
      for (const [id, pair] of best) {
        const track = this.frameTrack[id] as number;
        minByTrack.set(track, Math.min(minByTrack.get(track) ?? 64, pair.d));
      }
      for (const [id, pair] of best) {
        const track = this.frameTrack[id] as number;
        if (pair.d > (minByTrack.get(track) as number) + p.nearBest) continue;
        pushAt(pairs, `${track}:${mirrored ? 1 : 0}`, pair);
      }
    };
    if (frames <= p.seedFrames) {
      for (let i = 0; i < frames; i++)
        for (const [slot, mirrored] of ORIENTATIONS) record(i, mirrored, this.searchFrame(q, i, slot, mirrored));
    } else {
      // Seeds find the videos; each is then compared with every query frame directly.
      const tracks = new Set<number>();
      for (let k = 0; k < p.seedFrames; k++) {
        const i = Math.round((k * (frames - 1)) / (p.seedFrames - 1));
        for (const [slot, mirrored] of ORIENTATIONS)
          for (const id of this.searchFrame(q, i, slot, mirrored).keys()) tracks.add(this.frameTrack[id] as number);
      }
      for (const track of tracks) {
        const ids = this.trackFrames.get(track) ?? [];
        for (let i = 0; i < frames; i++)
          for (const [slot, mirrored] of ORIENTATIONS) record(i, mirrored, this.compareFrame(q, i, slot, mirrored, ids));
      }
    }
    const minFrames = Math.max(p.minFrames, Math.ceil(p.minFrameShare * frames));
    const byTrack = new Map<number, VideoHit>();
    for (const [key, list] of pairs) {
      const qFrames = new Set(list.map((x) => x.qi));
      if (qFrames.size < minFrames) continue;
      const hit = this.align(list, frames, minFrames);
      const track = Number(key.split(':')[0]);
      const prev = byTrack.get(track);
      if (hit && (!prev || hit.score > prev.score)) byTrack.set(track, { ...hit, track });
    }
    this.addKeyframeEvidence(q, byTrack);
    return [...byTrack.values()].sort((a, b) => b.score - a.score);
  }

  /**
   * Keyframes verified by local features: they locate the copy in a video the frame hashes found,
   * and find on their own a video that `minVerified` query keyframes are verified against (a crop,
   * picture-in-picture or overlay too large for the frame hashes).
   */
  private addKeyframeEvidence(q: VideoFingerprint, byTrack: Map<number, VideoHit>): void {
    const k = this.policy.video.keyframes;
    const found = [...byTrack.values()]
      .sort((a, b) => b.score - a.score)
      .slice(0, 3)
      .map((h) => h.track);
    const nq = q.keyframes?.sets.length ?? 0;
    for (const ev of this.keyframes.query(q.keyframes, found)) {
      const local: KeyframeMatch = {
        keyframes: ev.pairs.length,
        region: ev.best.region,
        queryT: r2(ev.best.queryT),
        matchT: r2(ev.best.matchT),
      };
      const hit = byTrack.get(ev.track);
      if (hit) {
        hit.local = local;
        continue;
      }
      // Whatever the query's length: one chance agreement is not a copy.
      if (ev.pairs.length < k.minVerified) continue;
      // Each keyframe stands for the stretch up to the next one: ranges span the verified keyframes
      // with half the query's keyframe spacing on either side.
      const times = q.keyframes?.times ?? new Float32Array(0);
      const gaps = Array.from(times.subarray(1), (t, i) => t - (times[i] as number)).sort((a, b) => a - b);
      const half = (gaps[gaps.length >> 1] ?? k.everySeconds) / 2;
      const runs = clusterTimes(
        ev.pairs.map((x) => x.queryT),
        this.policy.video.rangeGapSeconds + 2 * half,
        1,
        0,
      );
      const ranges: MediaRange[] = runs.map(([s, e]) => {
        const inRun = ev.pairs.filter((x) => x.queryT >= s && x.queryT <= e);
        const ms = inRun.map((x) => x.matchT);
        return {
          query: [r2(Math.max(0, s - half)), r2(Math.min(q.durationSeconds, e + half))],
          match: [r2(Math.max(0, Math.min(...ms) - half)), r2(Math.min(this.durations.get(ev.track) ?? Infinity, Math.max(...ms) + half))],
        };
      });
      byTrack.set(ev.track, {
        track: ev.track,
        votes: ev.pairs.length,
        score: Math.min(1, ev.pairs.length / Math.max(1, nq)),
        speedRatio: 1,
        ranges,
        framePair: { queryT: local.queryT, matchT: local.matchT },
        mirrored: ev.best.region.mirrored,
        method: 'keyframes',
        local,
      });
    }
  }

  /** Static shots repeat a frame hash; its multi-index search (the cost of a video query) runs once per query. */
  private searched = new Map<string, HammingHit[]>();

  /** Stored frames within the radius of query frame `i` (in one orientation), found through the multi-index. */
  private searchFrame(q: VideoFingerprint, i: number, slot: number, mirrored: boolean): Map<number, Pair> {
    const p = this.policy.video;
    const best = new Map<number, Pair>();
    const qh = slotHash(q, i, slot);
    const sk = `${slot}:${qh.hi}:${qh.lo}`;
    let found = this.searched.get(sk);
    if (!found) this.searched.set(sk, (found = this.mih.search(qh, p.frameRadius)));
    for (const h of found) {
      const stored = this.frameFine[h.owner];
      if (!stored || fineDistance(q.fine, i * SLOTS + slot, stored, h.tag) > p.fineRadius) continue;
      const prev = best.get(h.owner);
      if (!prev || h.distance < prev.d)
        best.set(h.owner, { qi: i, tq: q.times[i] as number, tm: this.frameTime[h.owner] as number, d: h.distance, mirrored });
    }
    return best;
  }

  /** The same as searchFrame restricted to the stored frames `ids`, by comparing with each directly. */
  private compareFrame(q: VideoFingerprint, i: number, slot: number, mirrored: boolean, ids: readonly number[]): Map<number, Pair> {
    const p = this.policy.video;
    const best = new Map<number, Pair>();
    const qh = slotHash(q, i, slot);
    for (const id of ids) {
      const hashes = this.frameHashes[id];
      const stored = this.frameFine[id];
      if (!hashes || !stored) continue;
      for (let tag = 0; tag < WINDOWS.length; tag++) {
        const d = popcount32((qh.hi ^ (hashes[tag * 2] as number)) >>> 0) + popcount32((qh.lo ^ (hashes[tag * 2 + 1] as number)) >>> 0);
        if (d > p.frameRadius || fineDistance(q.fine, i * SLOTS + slot, stored, tag) > p.fineRadius) continue;
        const prev = best.get(id);
        if (!prev || d < prev.d) best.set(id, { qi: i, tq: q.times[i] as number, tm: this.frameTime[id] as number, d, mirrored });
      }
    }
    return best;
  }

  /** Hough vote over (speed ratio, offset bin): the bin (with its neighbours) backed by the most distinct query frames. */
  private align(list: Pair[], frames: number, minFrames: number): Omit<VideoHit, 'track'> | null {
    const p = this.policy.video;
    let bestKey = '';
    let bestN = 0;
    let bestR = 1;
    let bestBin = 0;
    for (const r of p.speedRatios) {
      const bins = new Map<number, Set<number>>();
      for (const x of list) {
        const b = Math.round((x.tm - x.tq * r) / p.offsetBinSeconds);
        let s = bins.get(b);
        if (!s) bins.set(b, (s = new Set()));
        s.add(x.qi);
      }
      for (const [b, s] of bins) {
        const n = new Set([...s, ...(bins.get(b - 1) ?? []), ...(bins.get(b + 1) ?? [])]).size;
        if (n > bestN || (n === bestN && Math.abs(r - 1) < Math.abs(bestR - 1))) {
          bestN = n;
          bestKey = `${r}:${b}`;
          bestR = r;
          bestBin = b;
        }
      }
    }
    if (!bestKey || bestN < minFrames || bestN / frames < p.minFrameShare) return null;
    const support = list.filter((x) => Math.abs((x.tm - x.tq * bestR) / p.offsetBinSeconds - bestBin) <= 1.5);
    // One pair per query frame: the closest in hash distance (the earliest stored frame among equals,
    // so the choice does not depend on the order the pairs were found in).
    const byQ = new Map<number, Pair>();
    for (const x of support) {
      const prev = byQ.get(x.qi);
      if (!prev || x.d < prev.d || (x.d === prev.d && x.tm < prev.tm)) byQ.set(x.qi, x);
    }
    const chosen = [...byQ.values()].sort((a, b) => a.tq - b.tq);
    // Least-squares line through the supporting pairs: the speed ratio and offset, finer than the Hough grid.
    const { slope, intercept } = fitLine(chosen, bestR, bestBin * p.offsetBinSeconds);
    const runs = clusterTimes(
      chosen.map((x) => x.tq),
      p.rangeGapSeconds,
      2,
      1 / p.sampleFps,
    );
    const ranges: MediaRange[] = runs.map(([s, e]) => ({
      query: [r2(s), r2(e)],
      match: [r2(Math.max(0, slope * s + intercept)), r2(slope * e + intercept)],
    }));
    // Representative pair: the closest hashes among pairs lying on the fitted line (within one sample).
    const onLine = chosen.filter((x) => Math.abs(x.tm - (slope * x.tq + intercept)) <= 1 / p.sampleFps);
    const rep = (onLine.length ? onLine : chosen).reduce((a, b) => (b.d < a.d ? b : a));
    return {
      votes: chosen.length,
      score: Math.min(1, chosen.length / frames),
      speedRatio: Math.round(slope * 100) / 100,
      ranges,
      framePair: { queryT: r2(rep.tq), matchT: r2(rep.tm) },
      mirrored: chosen[0]?.mirrored ?? false,
      method: 'frames',
    };
  }
}

/** Slope and intercept of tm over tq; falls back to the Hough cell when the fit is degenerate or out of range. */
function fitLine(pairs: Pair[], r: number, b: number): { slope: number; intercept: number } {
  const n = pairs.length;
  let sx = 0;
  let sy = 0;
  for (const x of pairs) {
    sx += x.tq;
    sy += x.tm;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const x of pairs) {
    sxx += (x.tq - mx) ** 2;
    sxy += (x.tq - mx) * (x.tm - my);
  }
  const slope = sxx > 1 ? sxy / sxx : r;
  if (!(slope > 0.8 && slope < 1.25)) return { slope: r, intercept: b };
  return { slope, intercept: my - slope * mx };
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
