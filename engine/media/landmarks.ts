/**
 * Landmark audio fingerprints in the style of Wang's Shazam paper: spectral peaks (local maxima of
 * the log-power spectrogram, the strongest few per second and per band), paired with nearby later
 * peaks into 22-bit hashes (anchor frequency, frequency delta, time delta) stamped with the anchor's
 * time. Peaks survive re-encoding, noise and volume changes; pairs make each hash specific enough
 * to look up directly. A speed change (resampling) scales every time and frequency, a tempo change
 * (time-stretching) the times alone and a pitch shift the frequencies alone, which breaks exact
 * hashes, so the peaks — not the hashes — are stored, and a query is re-hashed at a few candidate
 * speeds, tempos and pitches with its peaks mapped back to the original scale (see hashPeaks).
 */
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { pushAt } from '../multimap.ts';
import { powerSpectrogram } from './fft.ts';

type AudioPolicy = MediaPolicy['audio'];

export interface Landmarks {
  /** 22-bit hashes. */
  hashes: Uint32Array;
  /** Anchor time of each hash, in STFT frames (hop / sampleRate seconds). */
  times: Uint32Array;
  /** Seconds per frame. */
  frameSeconds: number;
  /** Length of the audio in frames. */
  frames: number;
}

interface Peak {
  t: number;
  f: number;
  v: number;
}

const FREQ_RADIUS = 6;
const TIME_RADIUS = 4;
/** Power floor: below this (≈ -90 dB of a full-scale sine's bin power) a bin is silence, never a peak. */
const FLOOR = 1e-4;
const BANDS = 4;

/**
 * Max over a ±r window of src[0..n) into out (van Herk / Gil-Werman: block prefix and suffix
 * maxima, three comparisons per element whatever the radius).
 */
function slidingMax(src: Float32Array, off: number, n: number, r: number, out: Float32Array, pre: Float32Array, suf: Float32Array): void {
  const w = 2 * r + 1;
  for (let i = 0; i < n; i++) pre[i] = i % w === 0 ? src[off + i]! : Math.max(pre[i - 1]!, src[off + i]!);
  for (let i = n - 1; i >= 0; i--) suf[i] = i === n - 1 || (i + 1) % w === 0 ? src[off + i]! : Math.max(suf[i + 1]!, src[off + i]!);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - r);
    const b = Math.min(n - 1, i + r);
    out[i] = Math.max(suf[a]!, pre[b]!);
  }
}

/** Local maxima of the spectrogram over ±FREQ_RADIUS bins and ±TIME_RADIUS frames. */
function peaks(spec: Float32Array, frames: number, bins: number, p: AudioPolicy): Peak[] {
  const lo = p.minBin;
  const hi = Math.min(p.maxBin, bins - 1);
  const width = hi - lo + 1;
  const m1 = new Float32Array(frames * width);
  const row = new Float32Array(width);
  const pre = new Float32Array(width);
  const suf = new Float32Array(width);
  for (let f = 0; f < frames; f++) {
    slidingMax(spec, f * bins + lo, width, FREQ_RADIUS, row, pre, suf);
    m1.set(row, f * width);
  }
  const out: Peak[] = [];
  for (let f = 0; f < frames; f++) {
    const t0 = Math.max(0, f - TIME_RADIUS);
    const t1 = Math.min(frames - 1, f + TIME_RADIUS);
    for (let b = 0; b < width; b++) {
      const v = spec[f * bins + lo + b]!;
      if (v < FLOOR || v < m1[f * width + b]!) continue;
      let isMax = true;
      for (let t = t0; t <= t1; t++) {
        if (t !== f && m1[t * width + b]! >= v) {
          isMax = false;
          break;
        }
      }
      if (isMax) out.push({ t: f, f: lo + b, v });
    }
  }
  return out;
}

function bandOf(f: number, p: AudioPolicy): number {
  const r = Math.log(f / p.minBin) / Math.log((p.maxBin + 1) / p.minBin);
  return Math.max(0, Math.min(BANDS - 1, Math.floor(r * BANDS)));
}

/** Keeps the strongest peaks per second and per band, so loud bass cannot crowd out the rest. */
function thin(all: Peak[], frameSeconds: number, p: AudioPolicy): Peak[] {
  const perBlock = Math.max(1, Math.round(p.peaksPerSecond / BANDS));
  const blockFrames = Math.max(1, Math.round(1 / frameSeconds));
  const groups = new Map<number, Peak[]>();
  for (const pk of all) {
    pushAt(groups, Math.floor(pk.t / blockFrames) * BANDS + bandOf(pk.f, p), pk);
  }
  const kept: Peak[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => b.v - a.v);
    for (let i = 0; i < Math.min(perBlock, g.length); i++) kept.push(g[i] as Peak);
  }
  kept.sort((a, b) => a.t - b.t || a.f - b.f);
  return kept;
}

/** Spectral peaks of an audio track: the part of the fingerprint that is stored. */
export interface Peaks {
  /** Frame of each peak (hop / sampleRate seconds), ascending. */
  t: Uint32Array;
  /** FFT bin of each peak. */
  f: Uint16Array;
  frameSeconds: number;
  /** Length of the audio in frames. */
  frames: number;
}

/** Spectral peaks of mono PCM at policy.audio.sampleRate. */
export function computePeaks(pcm: Float32Array, policy: MediaPolicy = MEDIA_POLICY): Peaks {
  const p = policy.audio;
  const spec = powerSpectrogram(pcm, p.fftSize, p.hop, Math.min(p.fftSize / 2, p.maxBin + 1));
  const frameSeconds = p.hop / p.sampleRate;
  const pk = thin(peaks(spec.data, spec.frames, spec.bins, p), frameSeconds, p);
  return { t: Uint32Array.from(pk, (x) => x.t), f: Uint16Array.from(pk, (x) => x.f), frameSeconds, frames: spec.frames };
}

/**
 * Landmark hashes of peaks. With `speed` ≠ 1 the peaks are first mapped back to the original's
 * time and frequency scale, undoing a speed change by resampling: a query playing `speed` times
 * faster (pitch raised by the same factor) has its times multiplied and its frequencies divided
 * by `speed`. `pitch` (default: `speed`) sets the frequency factor apart: a tempo change that keeps
 * the pitch is `speed` with `pitch` 1, a pitch shift that keeps the tempo `speed` 1 with `pitch`.
 * Times of the result are in the original's frames.
 */
export function hashPeaks(pk: Peaks, policy: MediaPolicy = MEDIA_POLICY, speed = 1, pitch = speed): Landmarks {
  const p = policy.audio;
  const n = pk.t.length;
  const t = new Int32Array(n);
  const f = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = Math.round((pk.t[i] as number) * speed);
    f[i] = Math.round((pk.f[i] as number) / pitch);
  }
  const hashes: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const ta = t[i] as number;
    const fa = f[i] as number;
    if (fa < 0 || fa > 511) continue;
    let made = 0;
    for (let j = i + 1; j < n && made < p.fanOut; j++) {
      const dt = (t[j] as number) - ta;
      if (dt < p.targetMinDt) continue;
      if (dt > p.targetMaxDt) break;
      const df = (f[j] as number) - fa;
      if (Math.abs(df) > p.targetMaxDf) continue;
      hashes.push((fa << 13) | ((df + 64) << 6) | dt);
      times.push(ta);
      made++;
    }
  }
  return {
    hashes: Uint32Array.from(hashes),
    times: Uint32Array.from(times),
    frameSeconds: pk.frameSeconds,
    frames: Math.round(pk.frames * speed),
  };
}
