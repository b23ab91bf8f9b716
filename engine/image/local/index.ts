/** Public API of the local-feature image layer (keypoints, visual words, inverted file, verification). */
export type { LocalFeatureSet, LocalInfo, LocalView } from './types.ts';
export { extractLocalFeatures, extractFrameFeatures, terminateLocalFeaturePool, LocalFeaturePool } from './pool.ts';
export { extractLocalFeaturesInThread, describeFrame } from './extract.ts';
export { serialize, deserialize, forLibrary } from './serialize.ts';
export { LocalIndex, type Candidate } from './inverted.ts';
export { verify, type LocalMatch } from './verify.ts';
export { loadVocabulary, VOCAB_ID } from './vocab-file.ts';
export { Vocabulary } from './vocab.ts';
