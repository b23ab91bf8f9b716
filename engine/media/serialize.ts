/**
 * Compact binary form of a media fingerprint, for SQLite blobs and the marketplace's index feed:
 * a 12-byte header ("OSMF", format version, flags, duration) then raw-deflated sections — audio
 * peaks (delta-coded frame, bin), raw Chromaprint items, and video frame times (ms) with their
 * pHash slots and 256-bit verification hashes. Decoding validates every length so a damaged blob is refused, not misread.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { EngineError } from '../errors.ts';
import { ByteReader, ByteWriter } from '../store/binary.ts';
import type { AudioFingerprint } from './audio-index.ts';
import { FINE_WORDS, SLOTS, type VideoFingerprint } from './video.ts';

const MAGIC = 0x4f534d46; // "OSMF"
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

export function serializeFingerprint(fp: StoredFingerprint): Buffer {
  const w = new ByteWriter(1 << 16);
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
  const body = deflateRawSync(w.bytes(), { level: 9 });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(MAGIC, 0);
  head.writeUInt16LE(VERSION, 4);
  head.writeUInt16LE((fp.audio ? 1 : 0) | (fp.video ? 2 : 0), 6);
  return Buffer.concat([head, body]);
}

export function deserializeFingerprint(blob: Uint8Array): StoredFingerprint {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8 || buf.readUInt32BE(0) !== MAGIC) throw bad('is not a media fingerprint');
  const version = buf.readUInt16LE(4);
  if (version !== VERSION)
    throw new EngineError('stale_fingerprint', `media fingerprint format ${version} is not the current ${VERSION}: recompute it`);
  const flags = buf.readUInt16LE(6);
  let body: Buffer;
  try {
    body = inflateRawSync(buf.subarray(8), { maxOutputLength: 256 * 1024 * 1024 });
  } catch {
    throw bad('is damaged');
  }
  const r = new ByteReader(body, (why) => bad(why === 'truncated' ? 'ends early' : 'has a malformed number'));
  const limit = body.length;
  let audio: AudioFingerprint | null = null;
  let video: VideoFingerprint | null = null;
  if (flags & 1) {
    const durationSeconds = r.f64();
    const frames = r.u32();
    const n = count(r, limit);
    const t = new Uint32Array(n);
    const f = new Uint16Array(n);
    let prev = 0;
    for (let i = 0; i < n; i++) {
      prev += r.varint();
      t[i] = prev;
      f[i] = r.varint();
    }
    const m = count(r, limit / 4);
    const chromaprint = new Uint32Array(m);
    for (let i = 0; i < m; i++) chromaprint[i] = r.u32();
    audio = { durationSeconds, peaks: { t, f, frameSeconds: FRAME_SECONDS, frames }, chromaprint };
  }
  if (flags & 2) {
    const durationSeconds = r.f64();
    const n = count(r, limit);
    const times = new Float32Array(n);
    for (let i = 0; i < n; i++) times[i] = r.varint() / 1000;
    const hashes = new Uint32Array(n * SLOTS * 2);
    for (let i = 0; i < hashes.length; i++) hashes[i] = r.u32();
    const fine = new Uint32Array(n * SLOTS * FINE_WORDS);
    for (let i = 0; i < fine.length; i++) fine[i] = r.u32();
    video = { durationSeconds, times, hashes, fine };
  }
  if (r.pos !== body.length) throw bad('has trailing bytes');
  return { audio, video };
}
