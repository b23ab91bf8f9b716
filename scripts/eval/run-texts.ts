/**
 * Generated text eval: builds library cards from fortunes (creator A), edits copies through every
 * family and through combinations, checks them and unrelated cards as creator B, through the
 * engine's public API. Every generated card is validated with parseAssetCard first.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetCard } from '../../shared/asset.ts';
import { parseAssetCard } from '../../engine/cards.ts';
import type { UniquenessEngine } from '../../engine/library.ts';
import type { AuditFile } from './audit.ts';
import type { Step } from './params.ts';
import { type QueryRecord, generatedRecord } from './results.ts';
import type { Rng } from './rng.ts';
import { makeCard } from './text-cards.ts';
import { TEXT_FAMILY_NAMES, type TextContext, applyTextSteps, drawTextSteps } from './text-gen.ts';
import { type TextSource, loadFortunes, splitTexts } from './text-sources.ts';

export interface TextRunOptions {
  library: number;
  unrelated: number;
  filler: number;
  perFamily: number;
  combos: number;
  saveDir?: string | undefined;
}

export function validCard(card: AssetCard): AssetCard {
  const r = parseAssetCard(card);
  if (!r.ok) throw new Error(`generated card is invalid: ${r.message}`);
  return r.card;
}

export interface TextQuery {
  id: string;
  family: string;
  steps: Step[];
  source: TextSource;
  expect: string | null;
  card: AssetCard;
}

export function* textQueries(
  rng: Rng,
  library: readonly { id: string; source: TextSource; card: AssetCard }[],
  unrelated: readonly TextSource[],
  ctx: TextContext,
  o: TextRunOptions,
) {
  const jobs = [
    ...TEXT_FAMILY_NAMES.flatMap((family) => Array.from({ length: o.perFamily }, (_, i) => ({ family, i }))),
    ...Array.from({ length: o.combos }, (_, i) => ({ family: 'combo', i })),
  ];
  for (const { family, i } of jobs) {
    const r = rng.fork(`${family}/${i}`);
    const item = r.fork('item').pick(library);
    const steps = drawTextSteps(r.fork('steps'), family, item.card, ctx);
    yield {
      id: `${family}-${i}`,
      family,
      steps,
      source: item.source,
      expect: item.id,
      card: validCard(applyTextSteps(item.card, steps, ctx)),
    } satisfies TextQuery;
  }
  for (const [i, s] of unrelated.entries()) {
    const r = rng.fork(`unrelated/${i}`);
    const base = makeCard(r.fork('card'), s.text);
    const steps = r.bool() ? drawTextSteps(r.fork('steps'), r.pick(TEXT_FAMILY_NAMES), base, ctx) : [];
    yield {
      id: `unrelated-${i}`,
      family: 'unrelated',
      steps,
      source: s,
      expect: null,
      card: validCard(applyTextSteps(base, steps, ctx)),
    } satisfies TextQuery;
  }
}

export async function runTexts(
  engine: UniquenessEngine,
  rng: Rng,
  o: TextRunOptions,
  audit: AuditFile,
  log: (s: string) => void,
): Promise<QueryRecord[]> {
  const pools = splitTexts(rng.fork('split'), loadFortunes(), { library: o.library, unrelated: o.unrelated, filler: o.filler });
  const ctx: TextContext = { filler: pools.filler };
  const library = pools.library.map((source, k) => ({
    id: `txt${String(k).padStart(4, '0')}`,
    source,
    card: validCard(makeCard(rng.fork(`card/${k}`), source.text)),
  }));
  const bySource = new Map(library.map((l) => [l.id, l.source.id]));
  for (const l of library) await engine.index({ id: l.id, creatorId: 'A', card: l.card });
  log(`texts: ${library.length} library cards indexed, ${pools.unrelated.length} unrelated, ${pools.filler.length} filler texts`);
  const dir = o.saveDir ? join(o.saveDir, 'texts') : null;
  if (dir) mkdirSync(dir, { recursive: true });
  const records: QueryRecord[] = [];
  for (const q of textQueries(rng.fork('queries'), library, pools.unrelated, ctx, o)) {
    const t0 = performance.now();
    const r = await engine.check({ card: q.card, creatorId: 'B' });
    const checkMs = performance.now() - t0;
    records.push(
      generatedRecord(
        { id: q.id, family: q.family, steps: q.steps, expect: q.expect, source: q.source.id },
        r,
        checkMs,
        bySource,
        audit,
        'generated-texts',
      ),
    );
    if (dir) {
      const libCard = library.find((l) => l.id === q.expect)?.card ?? null;
      writeFileSync(join(dir, `${q.id}.json`), JSON.stringify({ steps: q.steps, query: q.card, library: libCard }, null, 1));
    }
  }
  return records;
}
