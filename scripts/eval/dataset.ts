/**
 * Fixed-list mode (`npm run eval -- --dataset <dir>`): runs the engine on a labelled set laid out as
 * in ../shared/datasets/README.md. Library items are indexed as creator A, queries checked as creator B;
 * images get distinct neutral names so metadata never matches by accident.
 */
import { readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import type { AssetCard } from '../../shared/asset.ts';
import { parseAssetCard } from '../../engine/cards.ts';
import type { UniquenessEngine } from '../../engine/library.ts';
import { type AuditFile, auditReason } from './audit.ts';
import { type QueryRecord, sourceRank } from './results.ts';

const Labels = z.object({
  library: z.array(z.object({ id: z.string(), file: z.string() })),
  queries: z.array(z.object({ id: z.string(), file: z.string(), expect: z.string().nullable(), transform: z.string() })),
});

function load(dir: string, file: string): { card: AssetCard; image: Buffer | undefined } {
  const p = join(dir, file);
  if (extname(p) === '.json') {
    const r = parseAssetCard(JSON.parse(readFileSync(p, 'utf8')));
    if (!r.ok) throw new Error(`${file}: ${r.message}`);
    return { card: r.card, image: undefined };
  }
  return { card: { asset_type: 'item', name: 'image', description: '', tags: [] }, image: readFileSync(p) };
}

export async function runDataset(
  engine: UniquenessEngine,
  dir: string,
  audit: AuditFile,
): Promise<{ records: QueryRecord[]; indexed: number; transforms: string[] }> {
  const labels = Labels.parse(JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')));
  const key = basename(dir);
  for (const l of labels.library) {
    const { card, image } = load(dir, l.file);
    await engine.index({ id: l.id, creatorId: 'A', card: image ? { ...card, name: `library ${l.id}` } : card, image });
  }
  const records: QueryRecord[] = [];
  for (const q of labels.queries) {
    const { card, image } = load(dir, q.file);
    const t0 = performance.now();
    const r = await engine.check({ card: image ? { ...card, name: `query ${q.id}` } : card, image, creatorId: 'B' });
    const checkMs = performance.now() - t0;
    const top = r.matches[0]?.assetId ?? null;
    const flagged = r.status !== 'approved';
    records.push({
      id: q.id,
      family: q.expect === null ? 'unrelated' : q.transform,
      steps: q.expect === null ? [] : [{ family: q.transform, params: {} }],
      expect: q.expect,
      source: q.file,
      status: r.status,
      flagged,
      top,
      topSource: top,
      signals: r.matches[0]?.copySignals ?? [],
      hit: q.expect !== null && flagged && top === q.expect,
      sourceRank: sourceRank(q.expect, r),
      checkMs,
      ...(q.expect === null && flagged && top ? { audited: auditReason(audit, key, q.id, top) } : {}),
    });
  }
  const transforms = [...new Set(labels.queries.filter((q) => q.expect !== null).map((q) => q.transform))].sort();
  return { records, indexed: labels.library.length, transforms };
}
