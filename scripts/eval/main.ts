/**
 * `npm run eval`: measures the uniqueness engine through its public API.
 *   default            generated queries: copies of library items drawn from parameter ranges and
 *                      combinations (images from openclipart-png, texts from fortunes), plus unrelated items
 *   --dataset <dir>    a fixed labelled set (../shared/datasets/README.md)
 * Options: --seed N --images N --texts N --per-family N --json out.json --save-dir DIR --contact-sheet out.png
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { UniquenessEngine } from '../../engine/library.ts';
import { loadAudit } from './audit.ts';
import { type SheetEntry, contactSheet } from './contact-sheet.ts';
import { runDataset } from './dataset.ts';
import { IMAGE_FAMILY_NAMES } from './image-gen.ts';
import { printSummary } from './report.ts';
import { type ModalitySummary, type QueryRecord, summarise } from './results.ts';
import { Rng } from './rng.ts';
import { runImages } from './run-images.ts';
import { runTexts } from './run-texts.ts';
import { TEXT_FAMILY_NAMES } from './text-gen.ts';

const count = z.coerce.number().int().min(0).max(100_000);
const Options = z.object({
  dataset: z.string().min(1).optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(20261122),
  images: count.default(150),
  texts: count.default(200),
  'per-family': count.default(20),
  json: z.string().min(1).optional(),
  'save-dir': z.string().min(1).optional(),
  'contact-sheet': z.string().min(1).optional(),
});

const { values, positionals } = parseArgs({
  options: Object.fromEntries(
    ['dataset', 'seed', 'images', 'texts', 'per-family', 'json', 'save-dir', 'contact-sheet'].map((k) => [k, { type: 'string' as const }]),
  ),
  strict: true,
  allowPositionals: true,
});
// `npm run eval -- <dir>` (the older form) still means a fixed dataset.
const opts = Options.parse({ ...values, dataset: values.dataset ?? positionals[0] });
const log = (line: string) => console.log(line);
const audit = loadAudit();
const output: Record<string, { summary: ModalitySummary; queries: QueryRecord[] }> = {};
const t0 = performance.now();

if (opts.dataset) {
  const dir = resolve(opts.dataset);
  const engine = UniquenessEngine.open({ dbPath: ':memory:' });
  const { records, indexed, transforms } = await runDataset(engine, dir, audit);
  engine.close();
  const summary = summarise(records, transforms, indexed);
  printSummary(`dataset ${dir} (copy layers only, no model weights)`, summary, records, log);
  output.dataset = { summary, queries: records };
} else {
  const rng = new Rng(opts.seed, 'eval');
  const perFamily = opts['per-family'];
  log(
    `generated eval, seed ${opts.seed}: ${opts.images} library images, ${opts.texts} library cards, ${perFamily} queries per family (copy layers only, no model weights)`,
  );
  if (opts.images > 0) {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    const sheet: SheetEntry[] | undefined = opts['contact-sheet'] ? [] : undefined;
    const o = {
      library: opts.images,
      unrelated: opts.images,
      hosts: Math.max(8, Math.ceil(opts.images / 6)),
      perFamily,
      combos: 2 * perFamily,
      saveDir: opts['save-dir'],
      sheet,
    };
    const records = await runImages(engine, rng.fork('images'), o, audit, log);
    engine.close();
    const summary = summarise(records, IMAGE_FAMILY_NAMES, opts.images);
    printSummary('images', summary, records, log);
    output.images = { summary, queries: records };
    if (opts['save-dir']) writeFileSync(resolve(opts['save-dir'], 'images', 'queries.json'), JSON.stringify(records, null, 1));
    if (sheet && opts['contact-sheet']) {
      mkdirSync(dirname(resolve(opts['contact-sheet'])), { recursive: true });
      writeFileSync(opts['contact-sheet'], await contactSheet(sheet));
      log(`contact sheet: ${opts['contact-sheet']}`);
    }
  }
  if (opts.texts > 0) {
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    const o = {
      library: opts.texts,
      unrelated: opts.texts,
      filler: Math.max(20, opts.texts / 2),
      perFamily,
      combos: 2 * perFamily,
      saveDir: opts['save-dir'],
    };
    const records = await runTexts(engine, rng.fork('texts'), o, audit, log);
    engine.close();
    const summary = summarise(records, TEXT_FAMILY_NAMES, opts.texts);
    printSummary('texts', summary, records, log);
    output.texts = { summary, queries: records };
    if (opts['save-dir']) writeFileSync(resolve(opts['save-dir'], 'texts', 'queries.json'), JSON.stringify(records, null, 1));
  }
}
log(`\ntotal ${((performance.now() - t0) / 1000).toFixed(1)} s`);
if (opts.json) {
  mkdirSync(dirname(resolve(opts.json)), { recursive: true });
  writeFileSync(opts.json, JSON.stringify({ options: opts, ...output }, null, 1));
}
