import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, hamming } from '../engine/hash/bits.ts';
import { dihedralSignature, signatureCosine } from '../engine/image/perceptual.ts';
const dir = process.argv[2]!;
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
const fps = JSON.parse(readFileSync('/tmp/fp-cache2.json', 'utf8'));
const H = (s: string) => fromHex(s); const S = (s: string) => new Int8Array(Buffer.from(s, 'base64'));
// per alignment: return list of (p, cos) pairs; pick best by cos among those with p<=16
function pairs(q: any, t: any) { const out: [number, number][] = [];
  for (const qv of q.views) for (const tv of t.views) for (let si = 0; si < 3; si++) for (let k = 0; k < 8; k++) { if (si > 0 && k > 0) continue;
    for (let ti = 0; ti < 3; ti++) { const d = hamming(H(qv.phash[si][k]), H(tv.phash[ti][0])); if (d <= 18) out.push([d, signatureCosine(dihedralSignature(S(qv.sig[si]), k), S(tv.sig[ti]))]); } }
  return out; }
const copies: any[] = [], unrel: any[] = [];
for (const q of labels.queries) { if (q.expect) { const ps = pairs(fps[q.file], fps[`library/${q.expect}.png`]); const b = ps.sort((a, b) => b[1] - a[1])[0] ?? [64, -1]; if (b[1] < 0.93) copies.push([q.transform, ...b]); }
  else for (const l of labels.library) { const ps = pairs(fps[q.file], fps[l.file]).sort((a, b) => b[1] - a[1]); for (const b of ps.slice(0,1)) if (b[1] > 0.6) unrel.push([q.id, l.id, ...b]); } }
console.log('copies', copies.map((c) => `${c[0]}:${c[1]}/${c[2].toFixed(3)}`).join(' '));
unrel.sort((a, b) => b[3] - a[3]); console.log('unrel', unrel.slice(0, 40).map((c) => `${c[2]}/${c[3].toFixed(3)}`).join(' '));
