/**
 * Synthetic media library entries for the scale benchmark, grown from real fingerprints: decoding
 * and fingerprinting 10 000 files would take hours on two cores, so each synthetic entry is a real
 * fingerprint (of the Debian dev sources) made into a different piece with the same statistics.
 * Audio: spectral peaks rescaled in time (×0.8–0.93 or ×1.07–1.25) and frequency (×0.75–1.3, plus
 * a shift of 8–20 bins), then
 * cut into 4-s blocks played in a shuffled order; Chromaprint items XOR-ed with a random mask and
 * block-shuffled the same way. Video: every hash slot (64-bit and 256-bit) XOR-ed with its own
 * random mask, frame times rescaled. Hash values differ from every real one while list lengths,
 * peak densities and within-clip structure stay those of real media.
 */
import type { AudioFingerprint } from '../engine/media/audio-index.ts';
import type { StoredFingerprint } from '../engine/media/serialize.ts';
import { loadVocabulary } from '../engine/image/local/vocab-file.ts';
import type { VideoKeyframes } from '../engine/media/keyframes.ts';
import { FINE_WORDS, SLOTS, type VideoFingerprint } from '../engine/media/video.ts';
import { MEDIA_POLICY } from '../shared/policy/media.ts';

const u32 = (r: () => number): number => Math.floor(r() * 2 ** 32) >>> 0;
const uniform = (r: () => number, lo: number, hi: number): number => lo + (hi - lo) * r();

function shuffledBlocks(n: number, r: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

function synthAudio(a: AudioFingerprint, r: () => number): AudioFingerprint {
  const p = MEDIA_POLICY.audio;
  // Never a speed change the query side searches for (±5 %, time and pitch together): the time
  // scale stays ≥ 7 % off and every frequency moves by a shift of 8–20 bins besides its scaling.
  const ts = r() < 0.5 ? uniform(r, 0.8, 0.93) : uniform(r, 1.07, 1.25);
  const fs = uniform(r, 0.75, 1.3);
  const shift = (r() < 0.5 ? -1 : 1) * uniform(r, 8, 20);
  const blockFrames = Math.round(4 / a.peaks.frameSeconds);
  const frames = Math.max(1, Math.round(a.peaks.frames * ts));
  const nBlocks = Math.ceil(frames / blockFrames);
  const order = shuffledBlocks(nBlocks, r);
  const where = new Map(order.map((b, k) => [b, k]));
  const pts: [number, number][] = [];
  for (let i = 0; i < a.peaks.t.length; i++) {
    const t = Math.round((a.peaks.t[i] as number) * ts);
    const f = Math.round((a.peaks.f[i] as number) * fs + shift);
    if (f < p.minBin || f > p.maxBin || t >= frames) continue;
    const b = Math.floor(t / blockFrames);
    pts.push([(where.get(b) as number) * blockFrames + (t % blockFrames), f]);
  }
  pts.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const cpBlock = Math.round(4 / (4096 / 3 / 11025));
  const cpBlocks = Math.ceil(a.chromaprint.length / cpBlock);
  const cpOrder = shuffledBlocks(cpBlocks, r);
  const mask = u32(r);
  const cp = new Uint32Array(a.chromaprint.length);
  let k = 0;
  for (const b of cpOrder) {
    for (let i = b * cpBlock; i < Math.min(a.chromaprint.length, (b + 1) * cpBlock); i++)
      cp[k++] = ((a.chromaprint[i] as number) ^ mask) >>> 0;
  }
  return {
    durationSeconds: a.durationSeconds * ts,
    peaks: { t: Uint32Array.from(pts, (x) => x[0]), f: Uint16Array.from(pts, (x) => x[1]), frameSeconds: a.peaks.frameSeconds, frames },
    chromaprint: cp,
  };
}

function synthVideo(v: VideoFingerprint, r: () => number): VideoFingerprint {
  const ts = uniform(r, 0.8, 1.25);
  const masks = Array.from({ length: SLOTS * 2 }, () => u32(r));
  const fineMasks = Array.from({ length: SLOTS * FINE_WORDS }, () => u32(r));
  const hashes = v.hashes.map((h, i) => (h ^ (masks[i % (SLOTS * 2)] as number)) >>> 0);
  const fine = v.fine.map((h, i) => (h ^ (fineMasks[i % (SLOTS * FINE_WORDS)] as number)) >>> 0);
  return { durationSeconds: v.durationSeconds * ts, times: v.times.map((t) => t * ts), hashes, fine, keyframes: synthKeyframes(v, ts, r) };
}

/**
 * Keyframes with a real video's keypoints, descriptors and word statistics but other words: each
 * word goes through a random affine permutation of the vocabulary, so the entry weighs on the
 * inverted file like a real video and, as a candidate, is verified (and turned down) like one.
 */
function synthKeyframes(v: VideoFingerprint, ts: number, r: () => number): VideoKeyframes | undefined {
  const k = v.keyframes;
  if (!k?.sets.length) return undefined;
  const leaves = loadVocabulary().leaves;
  let a = 1 + Math.floor(r() * (leaves - 1));
  while (gcd(a, leaves) !== 1) a++;
  const b = Math.floor(r() * leaves);
  const perm = (w: number) => (a * w + b) % leaves;
  return {
    times: k.times.map((t) => t * ts),
    sets: k.sets.map((s) => ({ ...s, primary: { ...s.primary, words: s.primary.words.map(perm) }, mirror: undefined })),
  };
}

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

/** A new library entry with the statistics of `base` but none of its hash values. */
export function synthesize(base: StoredFingerprint, r: () => number): StoredFingerprint {
  return { audio: base.audio ? synthAudio(base.audio, r) : null, video: base.video ? synthVideo(base.video, r) : null };
}
