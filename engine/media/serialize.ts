/**
 * Compact binary form of a media fingerprint, for SQLite blobs and the marketplace's index feed:
 * a 12-byte header ("OSMF", format version, flags, duration) then raw-deflated sections — audio
 * peaks (delta-coded frame, bin), raw Chromaprint items, and video frame times (ms) with their
 * pHash slots and 256-bit verification hashes, and (format 3, flag 4) each keyframe's time and local
 * features in the image layer's blob format. Decoding validates every length so a damaged blob is refused, not misread.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';
import { ByteReader, ByteWriter } from '../store/binary.ts';
import type { AudioFingerprint } from './audio-index.ts';
import { deserialize as deserializeLocal, forLibrary, serialize as serializeLocal } from '../image/local/serialize.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import type { VideoKeyframes } from './keyframes.ts';
import { FINE_WORDS, SLOTS, type VideoFingerprint } from './video.ts';

const MAGIC = 0x4f534d46; // "OSMF"
const KEYFRAMES_MAGIC = 0x4b463100; // "KF1\0": a video's keyframes alone (serializeKeyframes)
/** Inflated sections are bounded, so a damaged or hostile blob cannot make it allocate wildly. */
const MAX_BODY = 256 * 1024 * 1024;
const VERSION = MEDIA_POLICY.fingerprintVersion;
const FRAME_SECONDS = MEDIA_POLICY.audio.hop / MEDIA_POLICY.audio.sampleRate;

export interface StoredFingerprint {
  audio: AudioFingerprint | null;
  video: VideoFingerprint | null;
}

function bad(why: string): EngineError {
  return new EngineError('bad_fingerprint', `the media fingerprint ${why}`);
}

/** A u32 length that cannot exceed `max` (a damaged blob would otherwise allocate wildly). */
function count(r: ByteReader, max: number): number {
  const n = r.u32();
  if (n > max) throw bad('declares an impossible length');
  return n;
}

export interface SerializeOptions {
  /**
   * The keyframes' local features: 'library' (default) keeps each keyframe's plain view, as a
   * library stores it; 'query' keeps the mirrored views too (a fingerprint handed from the media
   * worker to the caller that queries with it); false leaves them out (the marketplace's index
   * feed: they are about 12 KB per keyframe, the frame hashes a few hundred bytes per second).
   */
  keyframes?: 'library' | 'query' | false;
}

export function serializeFingerprint(fp: StoredFingerprint, opts: SerializeOptions = {}): Buffer {
  const w = new ByteWriter(1 << 16);
  const mode = opts.keyframes ?? 'library';
  const keyframes = mode !== false && fp.video?.keyframes ? fp.video.keyframes : null;
  if (fp.audio) {
    const a = fp.audio;
    w.f64(a.durationSeconds);
    w.u32(a.peaks.frames);
    w.u32(a.peaks.t.length);
    let prev = 0;
    for (let i = 0; i < a.peaks.t.length; i++) {
      w.varint(a.peaks.t[i]! - prev);
      prev = a.peaks.t[i]!;
      w.varint(a.peaks.f[i]!);
    }
    w.u32(a.chromaprint.length);
    for (const v of a.chromaprint) w.u32(v);
  }
  if (fp.video) {
    const v = fp.video;
    w.f64(v.durationSeconds);
    w.u32(v.times.length);
    for (const t of v.times) w.varint(Math.round(t * 1000));
    for (const h of v.hashes) w.u32(h);
    for (const h of v.fine) w.u32(h);
  }
  if (keyframes) writeKeyframes(w, keyframes, mode === 'query');
  const body = deflateRawSync(w.bytes(), { level: 9 });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(MAGIC, 0);
  head.writeUInt16LE(VERSION, 4);
  head.writeUInt16LE((fp.audio ? 1 : 0) | (fp.video ? 2 : 0) | (keyframes ? 4 : 0), 6);
  return Buffer.concat([head, body]);
}

function writeKeyframes(w: ByteWriter, k: VideoKeyframes, withMirror: boolean): void {
  w.u32(k.sets.length);
  k.sets.forEach((set, i) => {
    w.varint(Math.round((k.times[i] as number) * 1000));
    const b = serializeLocal(withMirror ? set : forLibrary(set));
    w.u32(b.length);
    w.raw(b);
  });
}

/** Fewest bytes a keyframe takes: its time (1), its blob's length (4) and the blob's header. */
const MIN_KEYFRAME_BYTES = 1 + 4 + 44;

function readKeyframes(r: ByteReader): VideoKeyframes {
  // Bounded by the bytes left, so a damaged count cannot make it allocate before failing.
  const n = count(r, Math.floor(r.remaining / MIN_KEYFRAME_BYTES));
  const times = new Float32Array(n);
  const sets: LocalFeatureSet[] = [];
  for (let i = 0; i < n; i++) {
    times[i] = r.varint() / 1000;
    const len = count(r, r.remaining);
    try {
      sets.push(deserializeLocal(r.take(len)));
    } catch (err) {
      throw err instanceof EngineError ? err : bad('has a damaged keyframe');
    }
  }
  return { times, sets };
}

/**
 * A video's keyframes alone (library form), for stores that keep them apart from the compact
 * fingerprint: the marketplace keeps them beside it and leaves them out of the index feed.
 */
export function serializeKeyframes(k: VideoKeyframes): Buffer {
  const w = new ByteWriter(1 << 16);
  writeKeyframes(w, k, false);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(KEYFRAMES_MAGIC, 0);
  return Buffer.concat([head, deflateRawSync(w.bytes(), { level: 6 })]);
}

/** What a damaged blob is called in errors: the whole fingerprint, or a keyframe blob. */
interface BodyWords {
  damaged: string;
  truncated: string;
  malformed: string;
  trailing: string;
}

const FINGERPRINT_WORDS: BodyWords = {
  damaged: 'is damaged',
  truncated: 'ends early',
  malformed: 'has a malformed number',
  trailing: 'has trailing bytes',
};
const KEYFRAME_WORDS: BodyWords = {
  damaged: 'keyframes are damaged',
  truncated: 'keyframes end early',
  malformed: 'keyframes have a malformed number',
  trailing: 'keyframes have trailing bytes',
};

/**
 * Inflates the deflated body that follows a `headBytes`-byte header and reads it with `read`,
 * which must consume it exactly; every failure is a bad_fingerprint error worded by `words`.
 */
function readBody<T>(buf: Buffer, headBytes: number, words: BodyWords, read: (r: ByteReader) => T): T {
  let body: Buffer;
  try {
    body = inflateRawSync(buf.subarray(headBytes), { maxOutputLength: MAX_BODY });
  } catch {
    throw bad(words.damaged);
  }
  const r = new ByteReader(body, (why) => bad(why === 'truncated' ? words.truncated : words.malformed));
  const out = read(r);
  if (r.pos !== body.length) throw bad(words.trailing);
  return out;
}

export function deserializeKeyframes(blob: Uint8Array): VideoKeyframes {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 4 || buf.readUInt32BE(0) !== KEYFRAMES_MAGIC) throw bad('keyframes are not a keyframe blob');
  return readBody(buf, 4, KEYFRAME_WORDS, readKeyframes);
}

export function deserializeFingerprint(blob: Uint8Array): StoredFingerprint {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8 || buf.readUInt32BE(0) !== MAGIC) throw bad('is not a media fingerprint');
  const version = buf.readUInt16LE(4);
  // Format 2 is format 3 without keyframes: such fingerprints stay usable (frame hashes only).
  if (version !== VERSION && version !== 2)
    throw new EngineError('stale_fingerprint', `media fingerprint format ${version} is not the current ${VERSION}: recompute it`);
  const flags = buf.readUInt16LE(6);
  return readBody(buf, 8, FINGERPRINT_WORDS, (r) => readSections(r, flags));
}

/** The sections of a fingerprint's body that `flags` says it has. */
function readSections(r: ByteReader, flags: number): StoredFingerprint {
  let audio: AudioFingerprint | null = null;
  let video: VideoFingerprint | null = null;
  if (flags & 1) {
    const durationSeconds = r.f64();
    const frames = r.u32();
    // Each count is bounded by the bytes left (2 varint bytes per peak at least), so a damaged
    // count cannot make it allocate before failing.
    const n = count(r, Math.floor(r.remaining / 2));
    const t = new Uint32Array(n);
    const f = new Uint16Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      prev += r.varint();
      t[i] = prev;
      f[i] = r.varint();
    }
    const m = count(r, Math.floor(r.remaining / 4));
    const chromaprint = new Uint32Array(m);
    for (let i = 0; i < m; i++) chromaprint[i] = r.u32();
    audio = { durationSeconds, peaks: { t, f, frameSeconds: FRAME_SECONDS, frames }, chromaprint };
  }
  if (flags & 2) {
    const durationSeconds = r.f64();
    // A frame takes a time varint and SLOTS × (2 + FINE_WORDS) words.
    const n = count(r, Math.floor(r.remaining / (1 + SLOTS * (2 + FINE_WORDS) * 4)));
    const times = new Float32Array(n);
    for (let i = 0; i < n; i++) times[i] = r.varint() / 1000;
    const hashes = new Uint32Array(n * SLOTS * 2);
    for (let i = 0; i < hashes.length; i++) hashes[i] = r.u32();
    const fine = new Uint32Array(n * SLOTS * FINE_WORDS);
    for (let i = 0; i < fine.length; i++) fine[i] = r.u32();
    video = { durationSeconds, times, hashes, fine };
  }
  if (flags & 4) {
    if (!video) throw bad('has keyframes without a video');
    video.keyframes = readKeyframes(r);
  }
  return { audio, video };
}
