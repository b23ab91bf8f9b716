/**
 * Audio retrieval: an inverted index of landmark hashes → (track, time) with offset-histogram voting
 * (a copy makes many hashes agree on one time offset; chance hits scatter), plus an inverted index
 * of Chromaprint items verified by bit error rate at the voted alignment. Neither scans every track:
 * only tracks sharing a hash or an item are ever looked at.
 */
import type { MediaRange } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { CHROMAPRINT_ITEM_SECONDS } from './chromaprint.ts';
import { type Landmarks, type Peaks, hashPeaks } from './landmarks.ts';
import { type Frozen, type PostingSource, Postings } from './postings.ts';

export interface AudioFingerprint {
  durationSeconds: number;
  peaks: Peaks;
  chromaprint: Uint32Array;
}

export interface AudioHit {
  track: number;
  method: 'landmarks' | 'chromaprint';
  votes: number;
  score: number;
  /** Query time per original time (1.05: 5 % faster). */
  speedRatio: number;
  /** Query pitch per original pitch: equal to speedRatio for a resampled copy, 1 for a time-stretched one. */
  pitchRatio: number;
  ranges: MediaRange[];
}

/**
 * The (time, pitch) factors a landmark query is hashed at, in order: as-is first, then each speed
 * ratio (both together), each tempo ratio (time alone) and each pitch ratio (pitch alone).
 */
export function landmarkScales(policy: MediaPolicy = MEDIA_POLICY): [number, number][] {
  const a = policy.audio;
  const out: [number, number][] = [[1, 1]];
  for (const s of a.speedRatios) if (s !== 1) out.push([s, s]);
  for (const t of a.tempoRatios) if (t !== 1) out.push([t, 1]);
  for (const f of a.pitchRatios) if (f !== 1) out.push([1, f]);
  return out;
}

const T_BITS = 2 ** 21;
const OFF_BIAS = 2 ** 20;

/** Landmark hashes have 22 bits (landmarks.ts); Chromaprint items are hashed into 2^22 buckets. */
export const HASH_BITS = 22;

/** A track's Chromaprint items for the index: long runs of one item (sustained notes, silence) add nothing but list length. */
function chromaprintItems(cp: Uint32Array): { keys: number[]; pos: number[] } {
  const keys: number[] = [];
  const pos: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < cp.length; i++) {
    const v = cp[i] as number;
    if (seen.has(v) && cp[i - 1] === v) continue;
    seen.add(v);
    keys.push(v);
    pos.push(i);
  }
  return { keys, pos };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Clusters sorted times (seconds) into [start, end] runs separated by more than `gap`. */
export function clusterTimes(times: number[], gap: number, minPoints: number, pad: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let last = -1;
  let n = 0;
  for (const t of times) {
    if (start < 0) {
      start = t;
      n = 1;
    } else if (t - last > gap) {
      if (n >= minPoints) out.push([start, last + pad]);
      start = t;
      n = 1;
    } else n++;
    last = t;
  }
  if (start >= 0 && n >= minPoints) out.push([start, last + pad]);
  return out;
}

/** What the posting tables need of a track (the worker build receives only this). */
export type AudioPostingInput = Pick<AudioFingerprint, 'peaks' | 'chromaprint'>;

/** The two posting sources of a bulk load: landmark hashes and Chromaprint items of every track. */
export function audioPostingSources(
  tracks: ReadonlyMap<number, AudioPostingInput>,
  policy: MediaPolicy,
): { lm: PostingSource; cp: PostingSource } {
  return {
    lm: (emit) => {
      for (const [track, fp] of tracks) {
        const { hashes, times } = hashPeaks(fp.peaks, policy);
        emit(track, hashes, times);
      }
    },
    cp: (emit) => {
      for (const [track, fp] of tracks) {
        const items = chromaprintItems(fp.chromaprint);
        emit(track, items.keys, items.pos);
      }
    },
  };
}

/** Compact posting tables built elsewhere (see freezePostings), ready for AudioIndex.install. */
export interface AudioTables {
  lm: { frozen: Frozen; tracks: number[] };
  cp: { frozen: Frozen; tracks: number[] };
}

export class AudioIndex {
  private readonly lm = new Postings(HASH_BITS, false);
  private readonly cp = new Postings(HASH_BITS, true);
  private readonly tracks = new Map<number, AudioFingerprint>();
  constructor(private readonly policy: MediaPolicy = MEDIA_POLICY) {}

  get size(): number {
    return this.tracks.size;
  }

  add(track: number, fp: AudioFingerprint): void {
    if (this.tracks.has(track)) this.remove(track);
    this.tracks.set(track, fp);
    const { hashes, times } = hashPeaks(fp.peaks, this.policy);
    this.lm.add(track, hashes, times);
    const items = chromaprintItems(fp.chromaprint);
    this.cp.add(track, items.keys, items.pos);
  }

  /** Adds many tracks at once: into compact lists when the index is empty (a library being opened). */
  addMany(entries: readonly (readonly [number, AudioFingerprint])[]): void {
    if (this.tracks.size > 0 || entries.length < 2) {
      for (const [track, fp] of entries) this.add(track, fp);
      return;
    }
    const unique = new Map(entries);
    for (const [track, fp] of unique) this.tracks.set(track, fp);
    const src = audioPostingSources(unique, this.policy);
    this.lm.bulk(src.lm);
    this.cp.bulk(src.cp);
  }

  /**
   * Takes tracks whose posting tables were built elsewhere (a worker thread, from the same
   * fingerprints and policy). Only on an empty index; `entries` are the tracks of the tables.
   */
  install(entries: readonly (readonly [number, AudioFingerprint])[], tables: AudioTables): void {
    if (this.tracks.size > 0) throw new Error('installing posting tables needs an empty audio index');
    this.lm.install(tables.lm.frozen, tables.lm.tracks);
    this.cp.install(tables.cp.frozen, tables.cp.tracks);
    for (const [track, fp] of entries) this.tracks.set(track, fp);
  }

  /** Removes a track; its postings are no longer found. */
  remove(track: number): boolean {
    if (!this.tracks.has(track)) return false;
    this.lm.remove(track);
    this.cp.remove(track);
    this.tracks.delete(track);
    return true;
  }

  /** Per-track scratch counters of a vote, indexed by track number (grown on demand, zero between votes). */
  private counts = new Uint32Array(1024);

  /** Most postings a landmark hash may list and still vote (policy `audio.maxHashShare`, floor `minHashCap`). */
  private hashCap(): number {
    const p = this.policy.audio;
    return Math.max(p.minHashCap, Math.ceil(p.maxHashShare * this.tracks.size));
  }

  /**
   * Landmark votes of one query (already resampled for `speed`): best offset per track. Two passes
   * over the postings of the query's hashes (hashes listing more than `hashCap` postings are stop
   * hashes and skipped): first a per-track count — a track with fewer postings in all than
   * `minVotes` cannot reach `minVotes` at one offset, so it is dropped without an offset histogram —
   * then the offsets of the remaining tracks, sorted and counted in a typed array.
   */
  private vote(q: Landmarks, speed: number, pitch: number): AudioHit[] {
    const p = this.policy.audio;
    const minVotes = Math.max(p.minVotes, Math.ceil(p.minVoteShare * q.hashes.length));
    const cap = this.hashCap();
    const use = new Uint8Array(q.hashes.length);
    for (let i = 0; i < q.hashes.length; i++) use[i] = this.lm.count(q.hashes[i] as number) <= cap ? 1 : 0;
    const touched: number[] = [];
    let counts = this.counts;
    for (let i = 0; i < q.hashes.length; i++) {
      if (!use[i]) continue;
      this.lm.forEach(q.hashes[i] as number, (track) => {
        if (track >= counts.length) {
          const grown = new Uint32Array(Math.max(track + 1, counts.length * 2));
          grown.set(counts);
          counts = this.counts = grown;
        }
        if (counts[track]!++ === 0) touched.push(track);
      });
    }
    // Surviving tracks get a 1-based slot in `counts`; every other counter goes back to zero.
    const slots: number[] = [];
    let postings = 0;
    for (const t of touched) {
      const n = counts[t] as number;
      if (n >= minVotes && this.tracks.has(t)) {
        slots.push(t);
        postings += n;
        counts[t] = slots.length;
      } else counts[t] = 0;
    }
    const keys = new Float64Array(postings);
    let k = 0;
    if (slots.length > 0) {
      for (let i = 0; i < q.hashes.length; i++) {
        if (!use[i]) continue;
        const tq = q.times[i] as number;
        this.lm.forEach(q.hashes[i] as number, (track, tm) => {
          const s = track < counts.length ? (counts[track] as number) : 0;
          if (s > 0) keys[k++] = (s - 1) * T_BITS + (tm - tq + OFF_BIAS);
        });
      }
    }
    for (const t of slots) counts[t] = 0;
    keys.sort();
    // Runs of equal keys; best offset per track, counting the neighbouring offset bins (frame quantisation).
    const best = new Map<number, { key: number; n: number }>();
    let prevKey = -2;
    let prevN = 0;
    for (let i = 0; i < k;) {
      const key = keys[i] as number;
      let j = i + 1;
      while (j < k && keys[j] === key) j++;
      const n = j - i;
      let nextN = 0;
      if (j < k && keys[j] === key + 1) {
        let m = j + 1;
        while (m < k && keys[m] === key + 1) m++;
        nextN = m - j;
      }
      if (n >= 2) {
        const total = n + (prevKey === key - 1 ? prevN : 0) + nextN;
        const slot = Math.floor(key / T_BITS);
        const b = best.get(slot);
        if (!b || total > b.n) best.set(slot, { key, n: total });
      }
      prevKey = key;
      prevN = n;
      i = j;
    }
    const hits: AudioHit[] = [];
    // Query times whose hash agrees with a candidate's winning offset (±1 frame), in one pass.
    const cands = new Map<number, { off: number; n: number; times: number[]; last: number }>();
    for (const [slot, b] of best) {
      if (b.n >= minVotes) cands.set(slots[slot] as number, { off: b.key - slot * T_BITS - OFF_BIAS, n: b.n, times: [], last: -1 });
    }
    if (cands.size === 0) return hits;
    for (let i = 0; i < q.hashes.length; i++) {
      if (!use[i]) continue;
      const tq = q.times[i] as number;
      this.lm.forEach(q.hashes[i] as number, (track, tm) => {
        const c = cands.get(track);
        if (!c || c.last === i) return;
        const d = tm - tq - c.off;
        if (d >= -1 && d <= 1) {
          c.times.push(tq * q.frameSeconds);
          c.last = i;
        }
      });
    }
    for (const [track, c] of cands) {
      const { off, times } = c;
      const fp = this.tracks.get(track) as AudioFingerprint;
      times.sort((a, b2) => a - b2);
      const runs = clusterTimes(times, p.rangeGapSeconds, 3, q.frameSeconds);
      const offS = off * q.frameSeconds;
      const ranges: MediaRange[] = runs.map(([s, e]) => ({
        query: [round(s / speed), round(Math.min(e, q.frames * q.frameSeconds) / speed)],
        match: [round(s + offS), round(Math.min(e + offS, fp.durationSeconds))],
      }));
      const covered = runs.reduce((acc, [s, e]) => acc + (e - s), 0);
      if (covered / speed < p.minMatchSeconds) continue;
      const qDur = q.frames * q.frameSeconds || 1;
      hits.push({
        track,
        method: 'landmarks',
        votes: c.n,
        score: Math.min(1, covered / qDur),
        speedRatio: speed,
        pitchRatio: pitch,
        ranges,
      });
    }
    return hits;
  }

  /**
   * Landmark search, retrying when the query as-is matches nothing at the policy's speed ratios
   * (resampled: time and pitch together), then its tempo ratios (time-stretched, pitch kept) and
   * pitch ratios (pitch-shifted, tempo kept).
   */
  queryLandmarks(peaks: Peaks): AudioHit[] {
    const byTrack = new Map<number, AudioHit>();
    for (const [speed, pitch] of landmarkScales(this.policy)) {
      const q = hashPeaks(peaks, this.policy, speed, pitch);
      for (const h of this.vote(q, speed, pitch)) {
        const prev = byTrack.get(h.track);
        if (!prev || h.votes > prev.votes) byTrack.set(h.track, h);
      }
      if (speed === 1 && pitch === 1 && byTrack.size > 0) break;
    }
    return [...byTrack.values()];
  }

  /** Chromaprint search: items vote for an alignment, the bit error rate there decides. */
  queryChromaprint(cp: Uint32Array): AudioHit[] {
    const p = this.policy.audio;
    // A query too short for a Chromaprint verdict is not looked up at all.
    if (cp.length * CHROMAPRINT_ITEM_SECONDS < p.chromaprintMinQuerySeconds) return [];
    const votes = new Map<number, number>();
    for (let i = 0; i < cp.length; i++) {
      this.cp.forEach(cp[i] as number, (track, at) => {
        const key = track * T_BITS + (at - i + OFF_BIAS);
        votes.set(key, (votes.get(key) ?? 0) + 1);
      });
    }
    const best = new Map<number, { off: number; n: number }>();
    for (const [key, n] of votes) {
      const track = Math.floor(key / T_BITS);
      const b = best.get(track);
      if (!b || n > b.n) best.set(track, { off: key - track * T_BITS - OFF_BIAS, n });
    }
    const hits: AudioHit[] = [];
    for (const [track, b] of best) {
      if (b.n < 2) continue;
      const ref = this.tracks.get(track)?.chromaprint;
      if (!ref) continue;
      const hit = verifyChromaprint(cp, ref, b.off, p.chromaprintMaxBer, p.chromaprintMinFrames, p.rangeGapSeconds);
      if (hit && hit.score >= p.chromaprintMinShare) {
        hits.push({ track, method: 'chromaprint', votes: hit.frames, score: hit.score, speedRatio: 1, pitchRatio: 1, ranges: hit.ranges });
      }
    }
    return hits;
  }

  /** Both methods; per track the stronger explanation (larger share of the query) wins. */
  query(fp: AudioFingerprint): AudioHit[] {
    const byTrack = new Map<number, AudioHit>();
    for (const h of [...this.queryLandmarks(fp.peaks), ...this.queryChromaprint(fp.chromaprint)]) {
      const prev = byTrack.get(h.track);
      if (!prev || h.score > prev.score) byTrack.set(h.track, h);
    }
    return [...byTrack.values()].sort((a, b) => b.score - a.score || b.votes - a.votes);
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Bit error rate of two raw Chromaprint fingerprints aligned at `off` (ref index = query index +
 * off), over sliding windows: windows under the threshold form the matched ranges.
 */
export function verifyChromaprint(
  q: Uint32Array,
  ref: Uint32Array,
  off: number,
  maxBer: number,
  minFrames: number,
  gapSeconds: number,
): { frames: number; score: number; ber: number; ranges: MediaRange[] } | null {
  const start = Math.max(0, -off);
  const end = Math.min(q.length, ref.length - off);
  if (end - start < minFrames) return null;
  const W = 16;
  const good: number[] = [];
  let errs = 0;
  for (let i = start; i < end; i++) errs += popcount(((q[i] as number) ^ (ref[i + off] as number)) >>> 0);
  const ber = errs / ((end - start) * 32);
  for (let i = start; i + W <= end; i += 4) {
    let e = 0;
    for (let k = i; k < i + W; k++) e += popcount(((q[k] as number) ^ (ref[k + off] as number)) >>> 0);
    if (e / (W * 32) <= maxBer) good.push(i * CHROMAPRINT_ITEM_SECONDS);
  }
  const runs = clusterTimes(good, gapSeconds, 3, W * CHROMAPRINT_ITEM_SECONDS);
  const covered = runs.reduce((a, [s, e]) => a + (e - s), 0);
  const frames = Math.round(covered / CHROMAPRINT_ITEM_SECONDS);
  if (frames < minFrames) return null;
  const offS = off * CHROMAPRINT_ITEM_SECONDS;
  const ranges = runs.map(([s, e]) => ({
    query: [round(s), round(e)] as [number, number],
    match: [round(s + offS), round(e + offS)] as [number, number],
  }));
  return { frames, score: Math.min(1, covered / (q.length * CHROMAPRINT_ITEM_SECONDS || 1)), ber, ranges };
}
