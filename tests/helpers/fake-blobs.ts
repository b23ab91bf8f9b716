/** A blob store fake for the submissions service's tests: staging, commit and discard, each reported to `record`. */
import type { BlobStore, StagedBlob } from '../../server/blobs.ts';

export function fakeBlobs(record: (step: string) => void = () => undefined): Pick<BlobStore, 'stage' | 'stageFile'> {
  const staged = (kind: 'image' | 'media'): StagedBlob => {
    record(`stage ${kind}`);
    return {
      sha256: `sha-${kind}`,
      commit: async () => record(`commit ${kind}`),
      discard: async () => record(`discard ${kind}`),
    };
  };
  return { stage: async () => staged('image'), stageFile: async () => staged('media') };
}
