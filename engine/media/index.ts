/**
 * MediaIndex: the library of audio and video fingerprints with add / remove / query. Audio (and
 * the soundtrack of every video) goes to the landmark + Chromaprint index, video frames to the
 * temporally aligned frame index; both are inverted indexes, so a query never scans every asset.
 * Results carry the matched time ranges in both files, the speed ratio, and for video a
 * representative frame pair.
 *
 * Opening a library hands the stored blobs over with load() or loadPages(): nothing is decoded or
 * indexed until the first query, so opening a library of 10 000 media assets costs nothing when no
 * media is checked (adds and removes made before that are replayed after the stored blobs).
 * prepare() builds it in the background instead — the blobs read a page at a time, the audio
 * posting tables, most of the cost, on a worker thread — so a studio can start it on open and its
 * first media check need not wait for it.
 */
import { z } from 'zod';
import type { MediaKind, MediaMatch } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';
import { type AudioFingerprint, AudioIndex } from './audio-index.ts';
import { buildAudioTables } from './postings-build.ts';
import { type StoredFingerprint, deserializeFingerprint, deserializeKeyframes, serializeFingerprint } from './serialize.ts';
import { VideoIndex } from './video-index.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import type { VideoKeyframes } from './keyframes.ts';
import type { VideoFingerprint } from './video.ts';

const refSchema = z.string().min(1).max(200);

/**
 * One stored fingerprint blob, the asset ref it belongs to and, for a store that keeps a video's
 * keyframes apart (serializeKeyframes), their blob; without it the keyframes are read from `blob`.
 */
export type StoredBlob = readonly [ref: string, blob: Uint8Array, keyframes?: Uint8Array | null];

/**
 * Stored blobs a page at a time: each step of the iteration reads one page (a store runs one
 * bounded query per page and keeps no cursor open between them), so a background build can yield
 * to the event loop between pages instead of reading every blob in one synchronous step. The build
 * reads a page whole before it yields; a synchronous build streams it.
 */
export type StoredPages = () => Iterable<Iterable<StoredBlob>>;

/** How prepare() found the index built (see there). */
export type PrepareOutcome = 'background' | 'synchronous' | 'ready';

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
  /** Stored blobs not yet indexed (see load), and the changes made since, in order. */
  private pending: StoredPages | null = null;
  private queued: { ref: string; fp: StoredFingerprint | null }[] = [];
  /** Keyframes are read back through a source (useKeyframeSource): stored blobs keep only their words here. */
  private wordsOnly = false;
  /** The background build in flight (prepare). */
  private preparing: Promise<PrepareOutcome> | null = null;

  constructor(private readonly policy: MediaPolicy = MEDIA_POLICY) {
    this.audio = new AudioIndex(policy);
    this.video = new VideoIndex(policy);
  }

  /**
   * Keyframes' local features are then read back through `source` (the store's blob of the asset)
   * when a query verifies them, instead of being kept in memory (keyframe-index.ts).
   */
  useKeyframeSource(source: (ref: string) => VideoKeyframes | null): void {
    this.wordsOnly = true;
    this.video.keyframes.useSource((track) => {
      const r = this.refs.get(track);
      return r ? source(r.ref) : null;
    });
  }

  get size(): number {
    this.build();
    return this.ids.size;
  }

  has(ref: string): boolean {
    this.build();
    return this.ids.has(ref);
  }

  /**
   * Defers indexing of stored fingerprints: `blobs` is called on the first query (or size/has, or
   * prepare) and every blob it yields is added then; a blob that cannot be read (damaged, or an
   * older fingerprint format awaiting recomputation) is skipped. Replaces any earlier deferred
   * load. They are one page: a background build reads them all in one step (a store's row
   * iterator must not stay open across its pauses), so a store hands them over with loadPages.
   */
  load(blobs: () => Iterable<StoredBlob>): void {
    this.loadPages(() => [blobs()]);
  }

  /** As load(), the stored blobs read a page at a time (see StoredPages); a later blob of a ref replaces an earlier one. */
  loadPages(pages: StoredPages): void {
    this.pending = pages;
    this.queued = [];
  }

  /**
   * A stored blob (and its keyframes' blob when they are stored apart) as the index needs it. With
   * a keyframe source, the keyframes' keypoints and descriptors are dropped at once (only their
   * visual words are indexed; verification reads them back), so a bulk build never holds every
   * video's descriptors: at 10 000 items that is about a gigabyte.
   */
  private stored(blob: Uint8Array, keyframes: Uint8Array | null | undefined): StoredFingerprint {
    const f = deserializeFingerprint(blob);
    if (keyframes) {
      if (!f.video) throw new EngineError('bad_fingerprint', 'the media fingerprint has keyframes without a video');
      // Keyframes inside the blob win (a stale row beside a blob re-written by an older build).
      f.video.keyframes ??= deserializeKeyframes(keyframes);
    }
    const k = f.video?.keyframes;
    if (this.wordsOnly && f.video && k) f.video.keyframes = { times: k.times, sets: k.sets.map(wordsOf) };
    return f;
  }

  /** A stored row as the index takes it, or null when it is unreadable or holds neither audio nor video (skipped). */
  private readable(ref: string, blob: Uint8Array, keyframes: Uint8Array | null | undefined): [string, StoredFingerprint] | null {
    let f: StoredFingerprint;
    try {
      f = this.stored(blob, keyframes);
    } catch {
      return null;
    }
    return f.audio || f.video ? [refSchema.parse(ref), f] : null;
  }

  private build(): void {
    const pages = this.pending;
    if (!pages) return;
    this.pending = null;
    const audio: [number, AudioFingerprint][] = [];
    const video: [number, VideoFingerprint][] = [];
    for (const [ref, blob, keyframes] of iteratePages(pages)) {
      const r = this.readable(ref, blob, keyframes);
      if (!r) continue;
      const [key, f] = r;
      this.removeNow(key);
      const id = this.register(key, f);
      if (f.audio) audio.push([id, f.audio]);
      if (f.video) video.push([id, f.video]);
    }
    // In bulk: compact posting lists and multi-index buckets (see AudioIndex/VideoIndex.addMany).
    this.audio.addMany(audio);
    this.video.addMany(video);
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) {
      if (q.fp) this.addNow(q.ref, q.fp);
      else this.removeNow(q.ref);
    }
  }

  /**
   * Builds a deferred index in the background and resolves once it is built (at once when nothing
   * is deferred). The stored blobs are read a page at a time (loadPages; load() hands them over as
   * one page) and deserialized in slices, yielding to the event loop between pages and slices; the
   * audio posting tables are built on a worker thread, and the result installed in one step with the
   * changes made meanwhile replayed after it (a page read after a change may already hold it: the
   * replay then sets it again, as it would be anyway). A query made before that builds
   * synchronously as without prepare() (the background result is then dropped); so does a failed
   * worker. The video frame index is staged in slices beside the live one (VideoIndex.stage) and
   * swapped in with the audio tables.
   * Says how the index came to be built: 'background' (installed from the worker's tables),
   * 'synchronous' (a query, a new load or a failed worker got there first) or 'ready' (nothing deferred).
   */
  prepare(): Promise<PrepareOutcome> {
    const blobs = this.pending;
    if (!blobs) return Promise.resolve('ready');
    this.preparing ??= this.prepareFrom(blobs)
      .catch((): PrepareOutcome => {
        // Abandoned (its store closed while it read): nothing is built, nothing read again.
        if (this.pending === blobs) this.build();
        return 'synchronous';
      })
      .finally(() => {
        this.preparing = null;
      });
    return this.preparing;
  }

  /**
   * Drops a deferred load and the changes queued behind it, before the store it reads from closes:
   * a background build under way stops at its next pause and reads no further page.
   */
  abandon(): void {
    this.pending = null;
    this.queued = [];
  }

  private async prepareFrom(blobs: StoredPages): Promise<PrepareOutcome> {
    // A page is read in one step (its rows are fetched whole, no cursor stays open across awaits),
    // then decoded in slices; the loop yields before each page and whenever a slice is used up.
    const latest = new Map<string, StoredFingerprint>();
    let slice = performance.now();
    const pause = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
      return this.pending === blobs;
    };
    for (const page of blobs()) {
      for (const [ref, blob, keyframes] of [...page]) {
        if (performance.now() - slice > 15 && !(await pause())) return 'synchronous';
        const r = this.readable(ref, blob, keyframes);
        if (!r) continue;
        const [key, f] = r;
        latest.delete(key); // a later blob of the same ref replaces it (and takes its place in order)
        latest.set(key, f);
      }
      if (!(await pause())) return 'synchronous';
    }
    if (this.pending !== blobs) return 'synchronous';
    if (this.ids.size > 0) {
      this.build(); // not empty (an earlier load was built): the general path
      return 'synchronous';
    }
    // Ids are handed out in order on install, so the worker can use them now.
    const first = this.next;
    const entries = [...latest].map(([key, f], i) => ({ key, f, id: first + i }));
    const audio = entries.flatMap((e) => (e.f.audio ? [[e.id, e.f.audio] as [number, AudioFingerprint]] : []));
    // A query, a new load or an add got there first while this awaited: the general path has run.
    const overtaken = () => this.pending !== blobs || this.next !== first || this.ids.size > 0;
    const tables = audio.length
      ? await buildAudioTables(audio, this.policy, () => new Promise<void>((resolve) => setImmediate(resolve)))
      : null;
    if (overtaken()) return 'synchronous';
    // The video frame index is staged in slices too, then swapped in with the rest.
    const videos = entries.flatMap((e) => (e.f.video ? [[e.id, e.f.video] as [number, VideoFingerprint]] : []));
    const staged = videos.length ? await this.video.stage(videos, () => new Promise<void>((resolve) => setImmediate(resolve))) : null;
    if (overtaken()) return 'synchronous';
    this.pending = null;
    for (const e of entries) this.register(e.key, e.f);
    if (tables) this.audio.install(audio, tables);
    if (staged && !this.video.installStaged(staged)) this.video.addMany(videos);
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) {
      if (q.fp) this.addNow(q.ref, q.fp);
      else this.removeNow(q.ref);
    }
    return 'background';
  }

  /** Adds (or replaces) an asset's fingerprint. A blob from serializeFingerprint is accepted too. */
  add(ref: string, fp: StoredFingerprint | Uint8Array): void {
    const key = refSchema.parse(ref);
    const f = fp instanceof Uint8Array ? deserializeFingerprint(fp) : fp;
    if (!f.audio && !f.video) throw new EngineError('empty_fingerprint', 'the media fingerprint has neither audio nor video');
    if (this.pending) this.queued.push({ ref: key, fp: f });
    else this.addNow(key, f);
  }

  private register(key: string, f: StoredFingerprint): number {
    const id = this.next++;
    this.ids.set(key, id);
    this.refs.set(id, { ref: key, kind: f.video ? 'video' : 'audio' });
    return id;
  }

  private addNow(key: string, f: StoredFingerprint): void {
    this.removeNow(key);
    const id = this.register(key, f);
    if (f.audio) this.audio.add(id, f.audio);
    if (f.video) this.video.add(id, f.video);
  }

  /** Removes an asset; false when it was not indexed (true while a deferred load is pending). */
  remove(ref: string): boolean {
    if (this.pending) {
      this.queued.push({ ref, fp: null });
      return true;
    }
    return this.removeNow(ref);
  }

  private removeNow(ref: string): boolean {
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
    this.build();
    const f = fp instanceof Uint8Array ? deserializeFingerprint(fp) : fp;
    const exclude = new Set(opts.exclude ?? []);
    const best = new Map<string, MediaMatch>();
    const offer = (m: MediaMatch) => {
      if (exclude.has(m.assetRef)) return;
      const prev = best.get(m.assetRef);
      // Aligned frame evidence is kept when there is any (it carries the frame pair); else the larger
      // share wins. Verified keyframes stay with the match either way (they say where the copy sits).
      const keep = !prev || (prev.method !== 'frames' && m.score > prev.score) ? m : prev;
      const local = m.local ?? prev?.local;
      best.set(m.assetRef, local && !keep.local ? { ...keep, local } : keep);
    };
    if (f.video) {
      for (const h of this.video.query(f.video)) {
        const r = this.refs.get(h.track);
        if (!r) continue;
        offer({
          assetRef: r.ref,
          kind: 'video',
          method: h.method,
          score: h.score,
          votes: h.votes,
          ranges: h.ranges,
          speedRatio: h.speedRatio,
          framePair: h.framePair,
          mirrored: h.mirrored,
          ...(h.local ? { local: h.local } : {}),
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
          ...(h.pitchRatio !== h.speedRatio ? { pitchRatio: h.pitchRatio } : {}),
        });
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || b.votes - a.votes).slice(0, opts.topK ?? this.policy.topK);
  }
}

/** Every blob of every page, in order. */
function* iteratePages(pages: StoredPages): Generator<StoredBlob> {
  for (const page of pages()) yield* page;
}

/** A keyframe reduced to its visual words (copied, so the deserialized blob can be released). */
function wordsOf(set: LocalFeatureSet): LocalFeatureSet {
  return {
    ...set,
    primary: { keypoints: new Float32Array(0), descriptors: new Uint8Array(0), words: set.primary.words.slice() },
    mirror: undefined,
  };
}

export { deserializeFingerprint, serializeFingerprint };
export { FFMPEG_IN_USE } from './ffmpeg.ts';
export { type MediaFingerprint, fingerprintMedia } from './fingerprint.ts';
export { probeMedia } from './probe.ts';
