/** Helpers for tests of the local-feature layer: the queries a check verifies, and a result that flags one library image by its local features and nothing else. */
import { expect } from 'vitest';
import type { LocalFeatureSet } from '../../engine/image/local/index.ts';
import { inverseQuery } from '../../engine/image/local/invert.ts';

/** The queries a check verifies: the whole frame, its zoom windows and, on a dark backdrop, its inverted frame. */
export const asChecked = (q: LocalFeatureSet): LocalFeatureSet[] => [
  q,
  ...(q.windows ?? []),
  ...[inverseQuery(q)].filter((s) => s !== null),
];

export function expectLocalMatchAlone(
  result: { matches: readonly { assetId: string; copySignals: readonly string[] }[] },
  assetId: string,
): void {
  expect(result.matches.find((m) => m.assetId === assetId)?.copySignals).toContain('partial copy (local features, geometrically verified)');
  expect(result.matches.filter((m) => m.assetId !== assetId).flatMap((m) => m.copySignals)).toEqual([]);
}
