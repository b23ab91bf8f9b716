/** Which library images of a labelled dataset a query verifies against locally (inliers, places), for auditing a flagged pair. Usage: npx tsx scripts/eval/which-local.ts DATASET_DIR QUERY_ID */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { extractLocalFeaturesInThread } from '../../engine/image/local/extract.ts';
import { verify } from '../../engine/image/local/verify.ts';

const [dir, id] = z.tuple([z.string().min(1), z.string().min(1)]).parse(process.argv.slice(2));
const Labels = z.object({
  library: z.array(z.object({ id: z.string(), file: z.string(), source: z.string().optional() })),
  queries: z.array(z.object({ id: z.string(), file: z.string(), source: z.string().optional() })),
});
const labels = Labels.parse(JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')));
const q = labels.queries.find((x) => x.id === id);
if (!q) throw new Error(`no query ${id}`);
const set = await extractLocalFeaturesInThread(readFileSync(join(dir, q.file)));
for (const l of labels.library) {
  const m = verify(set, await extractLocalFeaturesInThread(readFileSync(join(dir, l.file)), { mirror: false }));
  if (m)
    console.log(
      `${q.id} (${q.source}) ~ ${l.id} (${l.source}): inliers ${m.region.inliers}, places ${m.spots}/${m.interior}, scale ${m.region.scale.toFixed(2)}, mirrored ${m.region.mirrored}`,
    );
}
process.exit(0);
