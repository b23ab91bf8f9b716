/** Loads the shipped ORB vocabulary (engine/data/orb-vocab-v1.bin) once per thread. */
import { existsSync, readFileSync } from 'node:fs';
import { Vocabulary } from './vocab.ts';

export const VOCAB_ID = 'orb-vocab-v1';

let cached: Vocabulary | undefined;

/** The vocabulary file's location: ORIGINALS_ORB_VOCAB overrides the copy next to the engine sources. */
export function vocabPath(): string {
  if (process.env.ORIGINALS_ORB_VOCAB) return process.env.ORIGINALS_ORB_VOCAB;
  // From the sources: engine/data; in the Electron bundle (out/main): ./data, copied by electron.config.ts.
  const source = new URL(`../../data/${VOCAB_ID}.bin`, import.meta.url).pathname;
  const bundled = new URL(`./data/${VOCAB_ID}.bin`, import.meta.url).pathname;
  return existsSync(source) ? source : bundled;
}

export function loadVocabulary(): Vocabulary {
  cached ??= Vocabulary.fromBuffer(readFileSync(vocabPath()));
  return cached;
}
