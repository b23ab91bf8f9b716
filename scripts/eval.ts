/**
 * `npm run eval -- <dataset dir>`: recall per transform and false-positive rate of the shipped
 * thresholds on a labelled set (../shared/datasets/README.md), from the copy layers alone
 * (no model weights). Library items are indexed as creator "A", queries checked as creator "B".
 */
import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseAssetCard } from '../engine/cards.ts';
import { UniquenessEngine } from '../engine/library.ts';

const dir = resolve(process.argv[2] ?? '../shared/datasets/copy-dev');
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as {
  library: { id: string; file: string }[];
  queries: { id: string; file: string; expect: string | null; transform: string }[];
};
const audit = JSON.parse(readFileSync(new URL('../tests/fixtures/label-audit.json', import.meta.url), 'utf8')) as Record<
  string,
  { query: string; library: string; why: string }[]
>;
const known = new Set((audit[dir.split('/').pop() as string] ?? []).map((a) => a.query));

function load(file: string) {
  const p = join(dir, file);
  if (extname(p) === '.json') {
    const r = parseAssetCard(JSON.parse(readFileSync(p, 'utf8')));
    if (!r.ok) throw new Error(`${file}: ${r.message}`);
    return { card: r.card, image: undefined };
  }
  const stem = file.replace(/\.[^.]+$/, '');
  return {
    card: { asset_type: 'item' as const, name: stem.split('/').pop() as string, description: '', tags: [] },
    image: readFileSync(p),
  };
}

const engine = UniquenessEngine.open({ dbPath: ':memory:' });
const t0 = performance.now();
for (const l of labels.library) {
  const { card, image } = load(l.file);
  // Images carry no text in copy-dev: give each a distinct name so metadata never matches by accident.
  await engine.index({ id: l.id, creatorId: 'A', card: image ? { ...card, name: `library ${l.id}` } : card, image });
}
const stats = new Map<string, { n: number; hit: number }>();
const fps: string[] = [];
const checkMs: number[] = [];
for (const q of labels.queries) {
  const { card, image } = load(q.file);
  const r = await engine.check({ card: image ? { ...card, name: `query ${q.id}` } : card, image, creatorId: 'B' });
  checkMs.push(r.elapsedMs);
  const flagged = r.status !== 'approved';
  const s = stats.get(q.transform) ?? { n: 0, hit: 0 };
  s.n++;
  if (q.expect) {
    if (flagged && r.matches[0]?.assetId === q.expect) s.hit++;
  } else if (flagged) {
    s.hit++;
    fps.push(
      `${q.id} → ${r.matches[0]?.assetId} (${r.matches[0]?.copySignals.join(', ')})${known.has(q.id) ? ' [label audit: same artwork]' : ''}`,
    );
  }
  stats.set(q.transform, s);
}
const ms = (performance.now() - t0) / 1000;
console.log(
  `dataset ${dir}: ${labels.library.length} indexed, ${labels.queries.length} checked in ${ms.toFixed(1)} s (copy layers only, no model weights)`,
);
console.log('transform              recall');
let minRecall = 1;
for (const [t, s] of [...stats].sort()) {
  if (t === 'unrelated') continue;
  minRecall = Math.min(minRecall, s.hit / s.n);
  console.log(`${t.padEnd(22)} ${(s.hit / s.n).toFixed(3)}  (${s.hit}/${s.n})`);
}
const un = stats.get('unrelated') ?? { n: 0, hit: 0 };
const unexplained = fps.filter((f) => !f.includes('[label audit')).length;
console.log(`false positives        ${(un.hit / Math.max(1, un.n)).toFixed(3)}  (${un.hit}/${un.n} unrelated flagged)`);
console.log(
  `  excluding audited    ${(unexplained / Math.max(1, un.n - (un.hit - unexplained))).toFixed(3)}  (${unexplained} not explained by tests/fixtures/label-audit.json)`,
);
for (const f of fps) console.log(`  flagged: ${f}`);
const sorted = [...checkMs].sort((a, b) => a - b);
console.log(
  `check latency incl. hashing: p50 ${sorted[Math.floor(sorted.length / 2)]} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]} ms`,
);
console.log(`min recall ${minRecall.toFixed(3)}`);
engine.close();
