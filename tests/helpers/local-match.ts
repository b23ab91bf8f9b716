/** Helpers for tests of the local-feature layer: the queries a check verifies, and a result that flags one library image by its local features and nothing else. */
import { expect } from 'vitest';
import { localQueries } from '../../engine/check/image-layers.ts';
import type { LocalFeatureSet } from '../../engine/image/local/index.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

/** The queries a check verifies under the default policy (image-layers.ts localQueries): the whole frame, its zoom windows, its tilted views, its inverted frame and, for an embossed frame, the frame with its relief undone. */
export const asChecked = (q: LocalFeatureSet): LocalFeatureSet[] => localQueries(q, UNIQUENESS_POLICY);

export function expectLocalMatchAlone(
  result: { matches: readonly { assetId: string; copySignals: readonly string[] }[] },
  assetId: string,
): void {
  expect(result.matches.find((m) => m.assetId === assetId)?.copySignals).toContain('partial copy (local features, geometrically verified)');
  expect(result.matches.filter((m) => m.assetId !== assetId).flatMap((m) => m.copySignals)).toEqual([]);
}
