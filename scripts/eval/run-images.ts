/**
 * Generated image eval: draws library, unrelated and host artworks from openclipart, indexes the
 * library (flattened on white) as creator A, renders copies through every family and through
 * combinations, checks them and the unrelated items as creator B, all through the engine's public API.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UniquenessEngine } from '../../engine/library.ts';
import { type AuditFile, withIdenticalCopies } from './audit.ts';
import type { SheetEntry } from './contact-sheet.ts';
import type { ImageContext } from './image-family.ts';
import { COMBO, IMAGE_FAMILY_NAMES, type RenderedImage, drawImageSteps, renderImage } from './image-gen.ts';
import { type ImageSource, clipartContent, listClipart, selectImages } from './image-sources.ts';
import { NameGenerator } from './names.ts';
import { type Step, describeSteps } from './params.ts';
import { drawingKept } from './kept.ts';
import { encodePng } from './raw.ts';
import { type QueryRecord, generatedRecord } from './results.ts';
import type { Rng } from './rng.ts';

export interface ImageRunOptions {
  library: number;
  unrelated: number;
  hosts: number;
  perFamily: number;
  combos: number;
  saveDir?: string | undefined;
  /** Collects a few queries of each family for a contact sheet. */
  sheet?: SheetEntry[] | undefined;
}

export interface ImageQuery {
  id: string;
  family: string;
  steps: Step[];
  source: ImageSource;
  expect: string | null;
  image: RenderedImage;
}

/** Every query the run checks, rendered (deterministic in `rng`). */
export async function* imageQueries(
  rng: Rng,
  pools: { library: ImageSource[]; unrelated: ImageSource[] },
  ctx: ImageContext,
  o: ImageRunOptions,
) {
  const libId = (i: number) => `img${String(i).padStart(4, '0')}`;
  const jobs: { family: string; i: number }[] = [
    ...[...IMAGE_FAMILY_NAMES].flatMap((family) => Array.from({ length: o.perFamily }, (_, i) => ({ family, i }))),
    ...Array.from({ length: o.combos }, (_, i) => ({ family: COMBO, i })),
  ];
  for (const { family, i } of jobs) {
    const r = rng.fork(`${family}/${i}`);
    const steps = drawImageSteps(r.fork('steps'), family, ctx);
    // A new background only shows on art with transparency around it.
    const needsTransparency = steps.some((s) => s.family === 'background');
    const candidates = pools.library.map((s, k) => ({ s, k })).filter(({ s }) => !needsTransparency || s.transparent >= 0.15);
    const { s, k } = r.fork('item').pick(candidates);
    yield {
      id: `${family}-${i}`,
      family,
      steps,
      source: s,
      expect: libId(k),
      image: await renderImage(s, steps, ctx),
    } satisfies ImageQuery;
  }
  for (const [i, s] of pools.unrelated.entries()) {
    // Half the unrelated items go through one random family too: checks see transformed uploads either way.
    const r = rng.fork(`unrelated/${i}`);
    const steps = r.bool() ? drawImageSteps(r.fork('steps'), r.pick(IMAGE_FAMILY_NAMES), ctx) : [];
    yield {
      id: `unrelated-${i}`,
      family: 'unrelated',
      steps,
      source: s,
      expect: null,
      image: await renderImage(s, steps, ctx),
    } satisfies ImageQuery;
  }
}

/** The share of its drawing a copy keeps, where kept.ts measures it. */
function keptOf(q: ImageQuery): { kept?: number } {
  if (q.expect === null) return {};
  const k = drawingKept(q.source.flat, q.steps);
  return k === undefined ? {} : { kept: Math.round(k * 1000) / 1000 };
}

export async function runImages(
  engine: UniquenessEngine,
  rng: Rng,
  o: ImageRunOptions,
  audit: AuditFile,
  log: (s: string) => void,
): Promise<QueryRecord[]> {
  const pools = await selectImages(rng.fork('select'), { library: o.library, unrelated: o.unrelated, hosts: o.hosts });
  const audited = withIdenticalCopies(audit, 'generated-images', listClipart(), clipartContent);
  const hosts = new Map(pools.hosts.map((h) => [h.file, h.flat]));
  const ctx: ImageContext = {
    hosts: [...hosts.keys()],
    loadHost: async (file) => {
      const h = hosts.get(file);
      if (!h) throw new Error(`unknown host ${file}`);
      return h;
    },
  };
  const names = new NameGenerator(rng.fork('names'));
  const bySource = new Map<string, string>();
  const dir = o.saveDir ? join(o.saveDir, 'images') : null;
  if (dir) mkdirSync(join(dir, 'library'), { recursive: true });
  for (const [k, s] of pools.library.entries()) {
    const id = `img${String(k).padStart(4, '0')}`;
    const png = await encodePng(s.flat);
    await engine.index({ id, creatorId: 'A', card: { asset_type: 'item', name: names.next(), description: '', tags: [] }, image: png });
    bySource.set(id, s.file);
    if (dir) writeFileSync(join(dir, 'library', `${id}.png`), png);
  }
  log(`images: ${pools.library.length} library items indexed, ${pools.unrelated.length} unrelated, ${pools.hosts.length} hosts`);
  const records: QueryRecord[] = [];
  for await (const q of imageQueries(rng.fork('queries'), pools, ctx, o)) {
    const t0 = performance.now();
    const r = await engine.check({
      card: { asset_type: 'item', name: names.next(), description: '', tags: [] },
      image: q.image.bytes,
      creatorId: 'B',
    });
    const checkMs = performance.now() - t0;
    const rec = generatedRecord(
      { id: q.id, family: q.family, steps: q.steps, expect: q.expect, source: q.source.file, ...keptOf(q) },
      r,
      checkMs,
      bySource,
      audited,
      'generated-images',
    );
    records.push(rec);
    const { flagged, top } = rec;
    if (dir) writeFileSync(join(dir, `${q.id}.${q.image.format === 'jpeg' ? 'jpg' : q.image.format}`), q.image.bytes);
    const n = Number(q.id.split('-').pop());
    if (o.sheet && n < (q.family === COMBO ? 4 : q.family === 'unrelated' ? 2 : 1)) {
      const label = `${q.id} ${flagged ? (q.expect === null || top === q.expect ? 'FLAGGED' : 'FLAGGED(wrong top)') : 'passed'}: ${describeSteps(q.steps) || 'as is'}`;
      o.sheet.push({ label, library: q.expect === null ? null : q.source.flat, query: q.image });
    }
  }
  return records;
}
