import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { charShingles, normalizeText, minhash, minhashJaccard, containment } from '../engine/text/shingles.ts';
const dir = process.argv[2]!;
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
const txt = (c: any) => normalizeText([c.name, c.description, (c.tags ?? []).join(' ')].join(' '));
const load = (f: string) => { const c = JSON.parse(readFileSync(join(dir, f), 'utf8')); const s = charShingles(txt(c)); return { s, sig: minhash(s), n: s.size }; };
const lib = new Map(labels.library.map((l: any) => [l.id, load(l.file)]));
const by: Record<string, number[][]> = {};
for (const q of labels.queries) { const f = load(q.file);
  const sc = (t: any) => { const j = minhashJaccard(f.sig, t.sig); return [j, containment(j, f.n, t.n)]; };
  if (q.expect) (by[q.transform] ??= []).push(sc(lib.get(q.expect)));
  else { let b = [0, 0]; for (const t of lib.values()) { const s = sc(t); b = [Math.max(b[0]!, s[0]!), Math.max(b[1]!, s[1]!)]; } (by.unrelated ??= []).push(b); } }
for (const [t, rows] of Object.entries(by)) { const j = rows.map((r) => r[0]!).sort((a, b) => a - b), c = rows.map((r) => r[1]!).sort((a, b) => a - b);
  console.log(t.padEnd(20), t === 'unrelated' ? `J top ${j.slice(-4).map((x) => x.toFixed(2))} C top ${c.slice(-4).map((x) => x.toFixed(2))}` : `J low ${j.slice(0, 4).map((x) => x.toFixed(2))} C low ${c.slice(0, 4).map((x) => x.toFixed(2))}`); }
