import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { fingerprintImage } from '../engine/image/fingerprint.ts';
import { fromHex, hamming } from '../engine/hash/bits.ts';
const dir = process.argv[2]!; const want = process.argv[3]!;
const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'));
const lib = new Map<string, any>();
for (const l of labels.library) lib.set(l.id, { f: await fingerprintImage(readFileSync(join(dir, l.file))), file: l.file });
const rows: [number, string, string][] = [];
for (const q of labels.queries.filter((q: any) => q.transform === want)) {
  const f = await fingerprintImage(readFileSync(join(dir, q.file)));
  let best = 64, bid = '';
  for (const [id, t] of lib) { if (q.expect && id !== q.expect) continue; for (const v of f.phash[0]!) { const d = hamming(fromHex(v), fromHex(t.f.phash[0][0])); if (d < best) { best = d; bid = id; } } }
  rows.push([best, q.file, lib.get(bid).file]);
}
rows.sort((a, b) => (want === 'unrelated' ? a[0] - b[0] : b[0] - a[0]));
console.log(rows.slice(0, 6));
const tiles = [];
for (const [, a, b] of rows.slice(0, 4)) for (const p of [a, b]) tiles.push(await sharp(join(dir, p)).flatten({ background: '#888' }).resize(160, 160, { fit: 'contain', background: '#f0f' }).png().toBuffer());
await sharp({ create: { width: 160 * tiles.length, height: 160, channels: 3, background: '#000' } }).composite(tiles.map((t, i) => ({ input: t, left: i * 160, top: 0 }))).png().toFile(`/tmp/worst-${want}.png`);
