/**
 * Video keyframes for the image layer's local features. The video decode has a second output
 * (decode.ts) with frames at the local layer's working size, one every `interval` seconds
 * (max(everySeconds, duration / maxKeyframes), so a video never has more than about maxKeyframes);
 * KeyframeSampler keeps one when it is not flat and its 16×16 thumbnail differs from the last kept
 * one (a new shot, a camera that moved), or `holdSeconds` after the last kept one. Each kept frame
 * is described like a library image (ORB on the stretched frame, visual words, information score)
 * plus a mirrored view, which only a query uses: the library stores the plain view.
 */
import type { MediaInfo } from '../../shared/media.ts';
import { MEDIA_POLICY, type MediaPolicy } from '../../shared/policy/media.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { type Cv, loadCv } from '../image/local/cv.ts';
import { describeView } from '../image/local/extract.ts';
import { mirrorGray } from '../image/local/frame.ts';
import { measureInfo } from '../image/local/info.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import { type Vocabulary } from '../image/local/vocab.ts';
import { VOCAB_ID, loadVocabulary } from '../image/local/vocab-file.ts';
import { flat } from './video.ts';

export interface KeyframeGeometry {
  width: number;
  height: number;
  /** Seconds between the frames of the keyframe output. */
  interval: number;
}

/** Local features of a video's keyframes, in time order. */
export interface VideoKeyframes {
  times: Float32Array;
  sets: LocalFeatureSet[];
}

export interface KeyframePixels {
  t: number;
  gray: Uint8Array;
}

/** Size (longest side = the local layer's working size, even numbers) and rate of the keyframe output. */
export function keyframeGeometry(info: MediaInfo, policy: MediaPolicy = MEDIA_POLICY): KeyframeGeometry | null {
  const v = info.video;
  if (!v || !(v.width > 0 && v.height > 0)) return null;
  const side = UNIQUENESS_POLICY.local.workSize;
  const long = Math.max(v.width, v.height);
  const even = (x: number) => Math.max(16, 2 * Math.round(x / 2));
  const k = policy.video.keyframes;
  return {
    width: even((v.width / long) * side),
    height: even((v.height / long) * side),
    interval: Math.max(k.everySeconds, info.durationSeconds / k.maxKeyframes),
  };
}

const T = 16;

/** Mean grey level of each cell of a T×T grid over the frame (every pixel of a small frame, every 2nd of a large one). */
function thumbnail(g: Uint8Array, w: number, h: number): Float32Array {
  const out = new Float32Array(T * T);
  const n = new Uint32Array(T * T);
  const step = Math.max(1, Math.floor(Math.min(w, h) / (4 * T)));
  for (let y = 0; y < h; y += step) {
    const cy = Math.min(T - 1, Math.floor((y * T) / h));
    for (let x = 0; x < w; x += step) {
      const c = cy * T + Math.min(T - 1, Math.floor((x * T) / w));
      out[c] = (out[c] as number) + (g[y * w + x] as number);
      n[c] = (n[c] as number) + 1;
    }
  }
  for (let c = 0; c < out.length; c++) out[c] = (out[c] as number) / Math.max(1, n[c] as number);
  return out;
}

/** Receives the keyframe output's bytes as they stream in and keeps only the frames it selects. */
export class KeyframeSampler {
  private readonly frameBytes: number;
  private partial: Buffer = Buffer.alloc(0);
  private index = 0;
  private last: { t: number; thumb: Float32Array } | null = null;
  readonly kept: KeyframePixels[] = [];

  constructor(
    readonly geometry: KeyframeGeometry,
    private readonly policy: MediaPolicy = MEDIA_POLICY,
  ) {
    this.frameBytes = geometry.width * geometry.height;
  }

  push(chunk: Buffer): void {
    let data = this.partial.length ? Buffer.concat([this.partial, chunk]) : chunk;
    while (data.length >= this.frameBytes) {
      this.offer(new Uint8Array(data.subarray(0, this.frameBytes)));
      data = data.subarray(this.frameBytes);
    }
    this.partial = Buffer.from(data);
  }

  private offer(gray: Uint8Array): void {
    const t = this.index++ * this.geometry.interval;
    const k = this.policy.video.keyframes;
    const thumb = thumbnail(gray, this.geometry.width, this.geometry.height);
    if (flat(thumb)) return;
    const prev = this.last;
    if (prev && t - prev.t < k.holdSeconds) {
      let d = 0;
      for (let i = 0; i < thumb.length; i++) d += Math.abs((thumb[i] as number) - (prev.thumb[i] as number));
      if (d / thumb.length <= k.changeDelta) return;
    }
    this.last = { t, thumb };
    // The pixels are copied out of the pipe's chunk so that chunk can be released.
    this.kept.push({ t, gray: gray.slice() });
  }
}

/** One keyframe described as the library describes an image, plus its mirrored view when `mirror`. */
export function describeKeyframe(
  cv: Cv,
  vocab: Vocabulary,
  gray: Uint8Array,
  width: number,
  height: number,
  mirror: boolean,
  policy: MediaPolicy = MEDIA_POLICY,
): LocalFeatureSet {
  const L = UNIQUENESS_POLICY.local;
  const orb = { features: policy.video.keyframes.features, scaleFactor: L.scaleFactor, levels: L.levels };
  const primary = describeView(cv, vocab, gray, width, height, orb);
  return {
    version: 1,
    vocab: VOCAB_ID,
    width,
    height,
    frame: { x: 0, y: 0, w: 1, h: 1 },
    primary,
    mirror: mirror ? describeView(cv, vocab, mirrorGray(gray, width, height), width, height, orb) : undefined,
    info: measureInfo(primary, width, height, L.infoFull),
  };
}

/**
 * Describes the kept keyframes on the current thread (fingerprinting runs on the engine's media
 * worker, never on a caller's event loop). `mirror` adds the mirrored views a query needs.
 */
export async function describeKeyframes(
  kept: readonly KeyframePixels[],
  g: KeyframeGeometry,
  mirror = true,
  policy: MediaPolicy = MEDIA_POLICY,
): Promise<VideoKeyframes> {
  if (!kept.length) return { times: new Float32Array(0), sets: [] };
  const { cv } = await loadCv();
  const vocab = loadVocabulary();
  return {
    times: Float32Array.from(kept, (k) => k.t),
    sets: kept.map((k) => describeKeyframe(cv, vocab, k.gray, g.width, g.height, mirror, policy)),
  };
}
