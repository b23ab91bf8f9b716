/**
 * In-thread extraction of a LocalFeatureSet: decode to the working frame, ORB on the frame (and on
 * its mirror for queries), visual words from the shipped vocabulary, and the information measure.
 * Used by the worker pool (pool.ts); call extractLocalFeatures / extractFrameFeatures from there
 * instead of this on the caller's thread.
 */
import { UNIQUENESS_POLICY } from '../../../shared/policy/uniqueness.ts';
import { type Cv, loadCv } from './cv.ts';
import { type GrayFrame, grayFrame, mirrorGray } from './frame.ts';
import { asWords } from './hamming.ts';
import { measureInfo } from './info.ts';
import { describeOrb } from './orb.ts';
import type { LocalFeatureSet, LocalView } from './types.ts';
import { type Vocabulary } from './vocab.ts';
import { VOCAB_ID, loadVocabulary } from './vocab-file.ts';

const P = UNIQUENESS_POLICY.local;

export interface ExtractOptions {
  /** Also describe the mirrored frame (for a query; library entries do not need it). Default true. */
  mirror?: boolean;
}

/** Describes one grayscale view: ORB keypoints/descriptors plus their visual words. */
export function describeView(cv: Cv, vocab: Vocabulary, gray: Uint8Array, width: number, height: number): LocalView {
  const { keypoints, descriptors } = describeOrb(cv, gray, width, height, {
    features: P.features,
    scaleFactor: P.scaleFactor,
    levels: P.levels,
  });
  const d = asWords(descriptors);
  const n = descriptors.length / 32;
  const words = new Uint32Array(n);
  for (let i = 0; i < n; i++) words[i] = vocab.quantise(d, i);
  return { keypoints, descriptors, words };
}

/** Synchronous part of extraction, for an already decoded frame. */
export function describeFrame(cv: Cv, vocab: Vocabulary, f: GrayFrame, mirror: boolean): LocalFeatureSet {
  const primary = describeView(cv, vocab, f.gray, f.width, f.height);
  const set: LocalFeatureSet = {
    version: 1,
    vocab: VOCAB_ID,
    width: f.width,
    height: f.height,
    frame: f.frame,
    primary,
    info: measureInfo(primary, f.width, f.height, P.infoFull),
  };
  if (mirror) set.mirror = describeView(cv, vocab, mirrorGray(f.gray, f.width, f.height), f.width, f.height);
  return set;
}

/** Decodes and describes an image on the current thread (the worker's job). */
export async function extractLocalFeaturesInThread(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<LocalFeatureSet> {
  const { cv } = await loadCv();
  const vocab = loadVocabulary();
  const f = await grayFrame(bytes, P.workSize, P.trimTolerance);
  return describeFrame(cv, vocab, f, opts.mirror ?? true);
}

/** Describes an already decoded working frame on the current thread (the worker's job). */
export async function describeFrameInThread(f: GrayFrame, opts: ExtractOptions = {}): Promise<LocalFeatureSet> {
  const { cv } = await loadCv();
  return describeFrame(cv, loadVocabulary(), f, opts.mirror ?? true);
}
