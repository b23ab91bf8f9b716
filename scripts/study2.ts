import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintImage, type ImageFingerprint as F } from '../engine/image/fingerprint.ts';
import { fromHex, hamming } from '../engine/hash/bits.ts';
import { dihedralSignature, signatureCosine } from '../engine/image/perceptual.ts';
const dir = process.argv[2]!;
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
const cache = '/tmp/fp-cache2.json';
let fps: Record<string, F> = existsSync(cache) ? JSON.parse(readFileSync(cache, 'utf8')) : {};
if (!Object.keys(fps).length) { for (const x of [...labels.library, ...labels.queries]) fps[x.file] = await fingerprintImage(readFileSync(join(dir, x.file))); writeFileSync(cache, JSON.stringify(fps)); }
const H = (s: string) => fromHex(s);
const S = (s: string) => new Int8Array(Buffer.from(s, 'base64'));
function score(q: F, t: F) {
  let p = 64, c = -1;
  for (const qv of q.views) for (const tv of t.views) {
    for (let si = 0; si < qv.phash.length; si++) for (let k = 0; k < 8; k++) { if (si > 0 && k > 0) continue;
      for (let ti = 0; ti < tv.phash.length; ti++) { const d = hamming(H(qv.phash[si]![k]!), H(tv.phash[ti]![0]!)); p = Math.min(p, d);
        if (d <= 16) c = Math.max(c, signatureCosine(dihedralSignature(S(qv.sig[si]!), k), S(tv.sig[ti]!))); } }
  }
  return [p, c];
}
const by: Record<string, number[][]> = {};
for (const q of labels.queries) {
  const f = fps[q.file]!;
  if (q.expect) (by[q.transform] ??= []).push(score(f, fps[`library/${q.expect}.png`]!));
  else { let best = [64, -1]; for (const l of labels.library) { const ds = score(f, fps[l.file]!); best = [Math.min(best[0]!, ds[0]!), Math.max(best[1]!, ds[1]!)]; } (by.unrelated ??= []).push(best); }
}
for (const [t, rows] of Object.entries(by)) {
  const c = rows.map((r) => r[1]!).sort((a, b) => a - b);
  console.log(t.padEnd(12), t === 'unrelated' ? c.slice(-14).map((x) => x.toFixed(3)).join(',') : c.slice(0, 6).map((x) => x.toFixed(3)).join(','));
}
import sharp from 'sharp';
const hits: [number, string, string][] = [];
for (const q of labels.queries.filter((q: any) => !q.expect)) { let best = -1, bf = ''; for (const l of labels.library) { const c = score(fps[q.file]!, fps[l.file]!)[1]!; if (c > best) { best = c; bf = l.file; } } if (best > 0.85) hits.push([best, q.file, bf]); }
hits.sort((a, b) => b[0] - a[0]); console.log(hits.map((h) => `${h[0].toFixed(3)} ${h[1]} ${h[2]} ${labels.queries.find((q: any) => q.file === h[1]).source} | ${labels.library.find((l: any) => l.file === h[2]).source}`).join('\n'));
const tiles = []; for (const [, a, b] of hits) for (const p of [a, b]) tiles.push(await sharp(join(dir, p)).flatten({ background: '#888' }).resize(120, 120, { fit: 'contain', background: '#f0f' }).png().toBuffer());
await sharp({ create: { width: 120 * 8, height: 120 * Math.ceil(tiles.length / 8), channels: 3, background: '#000' } }).composite(tiles.map((t, i) => ({ input: t, left: (i % 8) * 120, top: Math.floor(i / 8) * 120 }))).png().toFile('/tmp/fp.png');
