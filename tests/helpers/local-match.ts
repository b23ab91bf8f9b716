/** A check's result that flags one library image by its local features and nothing else (tests of the local-feature layer). */
import { expect } from 'vitest';

export function expectLocalMatchAlone(
  result: { matches: readonly { assetId: string; copySignals: readonly string[] }[] },
  assetId: string,
): void {
  expect(result.matches.find((m) => m.assetId === assetId)?.copySignals).toContain('partial copy (local features, geometrically verified)');
  expect(result.matches.filter((m) => m.assetId !== assetId).flatMap((m) => m.copySignals)).toEqual([]);
}
