/**
 * `npm run eval:probe-texts`: a second opinion on the text check, from copies made by edits written
 * apart from the generated eval's text families (probe-text-transforms.ts) and never used to tune
 * the engine. Indexes `--texts` fortune cards, then for each transform checks `--per` copies of random
 * library cards (the edited description under a new name, type and tags) and the same transform of
 * `--per` unrelated fortunes, and `2 × --per` copies made by two transforms together. Reports recall
 * and the unrelated cards flagged (the label audit explains versions of one text, as in
 * `npm run eval`), with 95 % Wilson intervals, and lists every miss.
 *   npx tsx scripts/eval/probe-texts.ts [--seed N] [--texts 200] [--per 30] [--only a,b] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UniquenessEngine } from '../../engine/library.ts';
import { auditReason, loadAudit } from './audit.ts';
import { TEXT_PROBE_NAMES, TEXT_PROBE_TRANSFORMS } from './probe-text-transforms.ts';
import { Rng } from './rng.ts';
import { validCard } from './run-texts.ts';
import { jsonOption, onlyOption, perOption, probeOptions, seedOption } from './probe-args.ts';
import { type ProbeOutcome, judge, printTotals, printTransform } from './probe-report.ts';
import { makeCard } from './text-cards.ts';
import { loadFortunes, splitTexts } from './text-sources.ts';

const opts = probeOptions(
  'eval:probe-texts',
  z
    .object({
      seed: seedOption(990001),
      texts: z.coerce.number().int().min(8).max(2000).default(200),
      per: perOption(30),
      only: onlyOption,
      json: jsonOption,
    })
    .transform((o) => ({ ...o, only: o.only ?? TEXT_PROBE_NAMES }))
    .refine((o) => o.only.length > 0 && o.only.every((n) => n in TEXT_PROBE_TRANSFORMS), {
      path: ['only'],
      message: `names text probe transforms (${TEXT_PROBE_NAMES.join(', ')})`,
    }),
  ['seed', 'texts', 'per', 'only', 'json'],
);

interface TextProbeRecord extends ProbeOutcome {
  transform: string;
  /** The copy signals of the expected library card's match (a copy) or of the top match (unrelated). */
  signals: string[];
  /** The checked description. */
  text: string;
}

const t0 = performance.now();
const rng = new Rng(opts.seed, 'probe-texts');
const pools = splitTexts(rng.fork('split'), loadFortunes(), { library: opts.texts, unrelated: opts.texts, filler: opts.texts });
const audit = loadAudit();
const engine = UniquenessEngine.open({ dbPath: ':memory:' });
const sourceOf = new Map<string, string>();
for (const [k, s] of pools.library.entries()) {
  const id = `txt${String(k).padStart(4, '0')}`;
  await engine.index({ id, creatorId: 'A', card: validCard(makeCard(rng.fork(`card/${k}`), s.text)) });
  sourceOf.set(id, s.id);
}
const ctx = { filler: pools.filler };
console.log(
  `probe (texts), seed ${opts.seed}: ${pools.library.length} library cards indexed; ${opts.per} copies and ${opts.per} unrelated per transform`,
);

const records: TextProbeRecord[] = [];
async function probe(transform: string, steps: string[], kind: TextProbeRecord['kind'], r: Rng): Promise<TextProbeRecord> {
  const pool = kind === 'copy' ? pools.library : pools.unrelated;
  const k = r.int(0, pool.length - 1);
  const src = pool[k] as (typeof pool)[number];
  let text = src.text;
  const done: TextProbeRecord['steps'] = [];
  for (const name of steps) {
    const t = TEXT_PROBE_TRANSFORMS[name];
    if (!t) throw new Error(`unknown transform ${name}`);
    const out = t(text, r.fork(name), ctx);
    text = out.text;
    done.push({ name, params: out.params });
  }
  // The copier's own card: a new name, type and tags around the edited description.
  const res = await engine.check({ card: validCard(makeCard(r.fork('card'), text)), creatorId: 'B' });
  const want = kind === 'copy' ? `txt${String(k).padStart(4, '0')}` : null;
  // A flagged unrelated card is explained by its own text, or by a filler text buried or quoted with it.
  const outcome = judge(
    res,
    want,
    src.id,
    done,
    (id) => sourceOf.get(id),
    (f, top) => auditReason(audit, 'generated-texts', f, top),
  );
  const signals = [...new Set(res.matches.filter((m) => m.assetId === (want ?? outcome.top)).flatMap((m) => m.copySignals))];
  return { transform, kind, source: src.id, steps: done, ...outcome, signals, text };
}

const names = opts.only;
/** Two transforms; a quote is taken before a text is buried, never after (it would quote the new text around it). */
const pair = (r: Rng): string[] => {
  const two = r.sample(names, 2);
  return two[0] === 'bury' && two[1] === 'quote' ? ['quote', 'bury'] : two;
};
/** A 12–20-word quote edited again keeps fewer verbatim words than passage.minSharedWords: pairs with one are reported apart. */
const quoted = (m: TextProbeRecord) => m.steps.some((st) => st.name === 'quote');
for (const name of [...names, ...(names.length > 1 ? ['combination'] : [])]) {
  const r = rng.fork(name);
  const mine: TextProbeRecord[] = [];
  const n = name === 'combination' ? 2 * opts.per : opts.per;
  for (let i = 0; i < n; i++) mine.push(await probe(name, name === 'combination' ? pair(r) : [name], 'copy', r.fork(`copy/${i}`)));
  if (name !== 'combination')
    for (let i = 0; i < opts.per; i++) mine.push(await probe(name, [name], 'unrelated', r.fork(`unrelated/${i}`)));
  records.push(...mine);
  printTransform(name, mine, (id) => sourceOf.get(id), {
    parts:
      name === 'combination'
        ? [
            ['with quote', quoted],
            ['without', (m) => !quoted(m)],
          ]
        : [],
    note: (m) => ` [${m.signals.join(', ')}]`,
  });
}
printTotals(records, t0);
if (opts.json) writeFileSync(opts.json, JSON.stringify({ seed: opts.seed, texts: opts.texts, per: opts.per, records }, null, 1));
engine.close();
