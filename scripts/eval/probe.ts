/**
 * `npm run eval:probe`: a second opinion on the image check, from copies made by transforms written
 * apart from the generated eval's families (probe-transforms.ts) and never used to tune the engine.
 * Indexes `--images` openclipart library items (the eval's dev categories and selection), then for
 * each transform checks `--per` copies of random library items and the same transform of `--per`
 * unrelated items, and `2 × --per` copies made by two transforms together. Reports recall and the
 * unrelated items flagged (the label audit explains same-artwork pairs, as in `npm run eval`), with
 * 95 % Wilson intervals, and lists every miss.
 * `--set augment` takes the second set (probe-augment.ts: warps, filters and blends as image-augmentation
 * libraries make them) instead of the first (probe-transforms.ts).
 *   npx tsx scripts/eval/probe.ts [--seed N] [--images 150] [--per 20] [--set classic|augment] [--only a,b] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UniquenessEngine } from '../../engine/library.ts';
import { auditReason, loadAudit, withIdenticalCopies } from './audit.ts';
import { clipartContent, listClipart, selectImages } from './image-sources.ts';
import { AUGMENT_TRANSFORMS } from './probe-augment.ts';
import { PROBE_TRANSFORMS, type ProbeTransform } from './probe-transforms.ts';
import { encodePng } from './raw.ts';
import { Rng } from './rng.ts';
import { jsonOption, onlyOption, perOption, probeOptions, seedOption } from './probe-args.ts';
import { type ProbeOutcome, judge, printTotals, printTransform } from './probe-report.ts';

/** The probe's transform sets: the first (probe-transforms.ts) and the augmentation libraries' (probe-augment.ts). */
const SETS: Record<string, Record<string, ProbeTransform>> = { classic: PROBE_TRANSFORMS, augment: AUGMENT_TRANSFORMS };

const opts = probeOptions(
  'eval:probe',
  z
    .object({
      seed: seedOption(770001),
      images: z.coerce.number().int().min(8).max(5000).default(150),
      per: perOption(20),
      set: z.enum(['classic', 'augment']).default('classic'),
      only: onlyOption,
      json: jsonOption,
    })
    // --only names transforms of the chosen set; without it, every one of them.
    .transform((o) => ({ ...o, transforms: SETS[o.set] as Record<string, ProbeTransform>, only: o.only ?? Object.keys(SETS[o.set] ?? {}) }))
    .refine((o) => o.only.length > 0 && o.only.every((n) => n in o.transforms), {
      path: ['only'],
      message: 'names transforms of the chosen --set',
    }),
  ['seed', 'images', 'per', 'set', 'only', 'json'],
);

interface ProbeRecord extends ProbeOutcome {
  transform: string;
}

const t0 = performance.now();
const rng = new Rng(opts.seed, 'probe');
const pools = await selectImages(rng.fork('select'), { library: opts.images, unrelated: opts.images, hosts: 0 });
const audit = withIdenticalCopies(loadAudit(), 'generated-images', listClipart(), clipartContent);
const engine = UniquenessEngine.open({ dbPath: ':memory:' });
const card = (name: string) => ({ asset_type: 'item' as const, name, description: '', tags: [] });
const sourceOf = new Map<string, string>();
for (const [k, s] of pools.library.entries()) {
  const id = `img${String(k).padStart(4, '0')}`;
  await engine.index({ id, creatorId: 'A', card: card(id), image: await encodePng(s.flat) });
  sourceOf.set(id, s.file);
}
const fillers = pools.unrelated.map((u) => ({ file: u.file, img: u.flat }));
console.log(
  `probe (${opts.set}), seed ${opts.seed}: ${pools.library.length} library images indexed; ${opts.per} copies and ${opts.per} unrelated per transform`,
);

const records: ProbeRecord[] = [];
async function probe(transform: string, steps: string[], kind: ProbeRecord['kind'], r: Rng): Promise<ProbeRecord> {
  const pool = kind === 'copy' ? pools.library : pools.unrelated;
  const k = r.int(0, pool.length - 1);
  const src = pool[k] as (typeof pool)[number];
  let img = src.flat;
  const done: ProbeRecord['steps'] = [];
  for (const name of steps) {
    const t = opts.transforms[name];
    if (!t) throw new Error(`unknown transform ${name}`);
    const out = await t(img, r, { fillers: fillers.filter((f) => f.file !== src.file) });
    img = out.img;
    done.push({ name, params: out.params });
  }
  const res = await engine.check({ card: card('query'), image: await encodePng(img), creatorId: 'B' });
  const want = kind === 'copy' ? `img${String(k).padStart(4, '0')}` : null;
  // A flagged unrelated query is explained by its own artwork, or by a picture a collage put beside it.
  const outcome = judge(
    res,
    want,
    src.file,
    done,
    (id) => sourceOf.get(id),
    (f, top) => auditReason(audit, 'generated-images', f, top),
  );
  return { transform, kind, source: src.file, steps: done, ...outcome };
}

const names = opts.only;
for (const name of [...names, ...(names.length > 1 ? ['combination'] : [])]) {
  const r = rng.fork(name);
  const mine: ProbeRecord[] = [];
  const n = name === 'combination' ? 2 * opts.per : opts.per;
  for (let i = 0; i < n; i++) mine.push(await probe(name, name === 'combination' ? r.sample(names, 2) : [name], 'copy', r));
  if (name !== 'combination') for (let i = 0; i < opts.per; i++) mine.push(await probe(name, [name], 'unrelated', r));
  records.push(...mine);
  printTransform(name, mine, (id) => sourceOf.get(id));
}
printTotals(records, t0);
if (opts.json)
  writeFileSync(opts.json, JSON.stringify({ seed: opts.seed, set: opts.set, images: opts.images, per: opts.per, records }, null, 1));
engine.close();
