/**
 * Diagnostic for chance agreement in the local-feature layer: every ordered pair of images in a
 * folder (matching a pattern) verified with a permissive policy, printing the pairs that reach
 * `--min` inliers with their distinct places (spots), putative matches and scale. Used to see what
 * unrelated pictograms of one series (same frame, same style) reach. Usage:
 *   npx tsx scripts/eval/diag-pairs.ts --dir /usr/share/openclipart/png/transportation/aiga-symbols [--pattern '1\.png$'] [--min 10]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { extractLocalFeaturesInThread } from '../../engine/image/local/extract.ts';
import { forLibrary } from '../../engine/image/local/serialize.ts';
import type { LocalFeatureSet } from '../../engine/image/local/types.ts';
import { verify } from '../../engine/image/local/verify.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';

const { values } = parseArgs({ options: { dir: { type: 'string' }, pattern: { type: 'string' }, min: { type: 'string' } } });
const opts = z
  .object({ dir: z.string().min(1), pattern: z.string().default('\\.png$'), min: z.coerce.number().int().min(3).default(10) })
  .parse(values);
const pattern = new RegExp(opts.pattern);
const files = readdirSync(opts.dir)
  .filter((f) => pattern.test(f))
  .sort();
const permissive = { ...UNIQUENESS_POLICY.local, minInliers: opts.min, minInlierRatio: 0.05, minSpots: 0, minInteriorSpots: 0 };
const queries: LocalFeatureSet[] = [];
const library: LocalFeatureSet[] = [];
for (const f of files) {
  const bytes = readFileSync(join(opts.dir, f));
  queries.push(await extractLocalFeaturesInThread(bytes));
  library.push(forLibrary(await extractLocalFeaturesInThread(bytes, { mirror: false })));
}
let pairs = 0;
for (const [i, q] of queries.entries()) {
  for (const [j, l] of library.entries()) {
    if (i === j) continue;
    pairs++;
    const m = verify(q, l, permissive);
    if (!m) continue;
    const r = m.region;
    console.log(
      `${files[i]} ~ ${files[j]} | inliers ${r.inliers} spots ${m.spots} interior ${m.interior} putative ${m.putative} scale ${r.scale.toFixed(2)} mirrored ${r.mirrored}`,
    );
  }
}
console.log(`${files.length} images, ${pairs} ordered pairs`);
process.exit(0);
