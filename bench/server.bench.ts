/**
 * Marketplace benchmarks on the embedded store (PGlite + pgvector), at 10k and 100k published
 * assets (BENCH_SERVER_SIZES): submissions/s over HTTP and search p50/p95, each with a baseline
 * measured in the same run — submissions against the engine's own fingerprint + check time for
 * the same images, searches against browsing the newest listings (no text query).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { MINHASH_SIZE } from '../engine/text/shingles.ts';
import { startServer } from '../server/server.ts';
import { artwork } from '../tests/helpers/images.ts';
import { client, rememberAdmins } from '../tests/helpers/server.ts';
import { randomHash, randomImageFingerprint, rnd32 } from './synthetic.ts';

const sizes = (process.env.BENCH_SERVER_SIZES ?? '10000,100000').split(',').map(Number);
const WORDS =
  'ancient ashen blade bridge cinder crystal drowned ember feral frozen gilded glass harbor haunted hollow iron ivory jade knight lantern lost moon night oak obsidian pale queen raven relic rogue rune sable shadow silver storm sunken thorn tide tower veil warden wild winter wolf'.split(
    ' ',
  );
const TYPES = ['character', 'location', 'item', 'quest_hook'];

const r32 = rnd32;
const hex = randomHash;
const words = (n: number) => Array.from({ length: n }, () => WORDS[r32() % WORDS.length]).join(' ');

function syntheticFingerprints(metadataHash: string) {
  return {
    metadataHash,
    text: { sig: Buffer.from(Uint32Array.from({ length: MINHASH_SIZE }, r32).buffer).toString('base64'), size: 200 },
    code: null,
    image: randomImageFingerprint(),
    vectors: {},
  };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

const srv = await startServer({
  // The benchmark measures throughput; the per-account submission limit would cap it.
  rateLimits: false,
  dataDir: mkdtempSync(join(tmpdir(), 'bench-mp-')),
  inMemory: true,
  serve,
});
rememberAdmins(srv, ['admin@bench.dev']);
const api = client(srv.url);
const admin = await api.user('admin@bench.dev');
const seller = await api.user('seller@bench.dev');
await api.call('POST', `/v1/admin/users/${seller.id}`, { token: admin.token, json: { creatorTier: true } });
const db = srv.marketplace.db;
let have = 0;

for (const target of sizes) {
  const t0 = performance.now();
  while (have < target) {
    const n = Math.min(1000, target - have);
    const rows = Array.from({ length: n }, (_, i) => {
      const id = randomUUID();
      const name = `${words(2)} ${have + i}`;
      const description = `${words(18)}.`;
      const tags = [WORDS[r32() % WORDS.length], WORDS[r32() % WORDS.length]];
      const mh = hex() + hex() + hex() + hex();
      const card = { asset_type: TYPES[(have + i) % TYPES.length], name, description, tags };
      return { id, card, text: `${name} ${description} ${tags.join(' ')}`, mh, fp: syntheticFingerprints(mh), price: 99 + (r32() % 9900) };
    });
    await db.tx(async (sql) => {
      await sql.query(
        `INSERT INTO assets (id, creator_id, asset_type, name, status, latest_version, published_version, metadata_hash, price_cents, published_at)
         SELECT x.id, $1, x.t, x.n, 'published', 1, 1, x.mh, x.p, now() FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[]) AS x(id, t, n, mh, p)`,
        [
          seller.id,
          rows.map((r) => r.id),
          rows.map((r) => r.card.asset_type),
          rows.map((r) => r.card.name),
          rows.map((r) => r.mh),
          rows.map((r) => r.price),
        ],
      );
      await sql.query(
        `INSERT INTO asset_versions (asset_id, version, card, metadata_text, metadata_hash, fingerprints, status, check_status)
         SELECT x.id, 1, x.c, x.mt, x.mh, x.f, 'published', 'approved' FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::text[], $5::jsonb[]) AS x(id, c, mt, mh, f)`,
        [
          rows.map((r) => r.id),
          rows.map((r) => JSON.stringify(r.card)),
          rows.map((r) => r.text),
          rows.map((r) => r.mh),
          rows.map((r) => JSON.stringify(r.fp)),
        ],
      );
      await sql.query(`INSERT INTO index_events (asset_id, version, kind) SELECT x, 1, 'upsert' FROM unnest($1::uuid[]) AS x`, [
        rows.map((r) => r.id),
      ]);
    });
    have += n;
  }
  await srv.marketplace.index.catchUp(db);
  const loadS = (performance.now() - t0) / 1000;

  // Search: keyword queries with filters and sorts, vs browsing the newest listings.
  const search: number[] = [];
  const browse: number[] = [];
  for (let i = 0; i < 60; i++) {
    const sort = ['relevance', 'popularity', 'price', 'newest'][i % 4];
    let t = performance.now();
    const r = await api.call(
      'GET',
      `/v1/search?q=${encodeURIComponent(words(2))}&sort=${sort}${i % 3 === 0 ? `&type=${TYPES[i % 4]}` : ''}${i % 5 === 0 ? '&maxPrice=5000' : ''}`,
    );
    search.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`search failed: ${JSON.stringify(r.body)}`);
    t = performance.now();
    await api.call('GET', `/v1/search?sort=newest&page=${1 + (i % 5)}`);
    browse.push(performance.now() - t);
  }

  // Submissions over HTTP (each: multipart upload, fingerprints, analysis, transaction), vs the
  // engine alone fingerprinting and checking the same images.
  const imgs = await Promise.all(Array.from({ length: 24 }, (_, i) => artwork(target + i, 256)));
  const cards = imgs.map((_, i) => ({ asset_type: 'item', name: `Bench submission ${target}-${i}`, description: `${words(20)}.` }));
  let t = performance.now();
  for (const [i, img] of imgs.entries()) {
    await srv.marketplace.index.engine.check({ card: cards[i] as never, image: img, creatorId: seller.id });
  }
  const engineRate = imgs.length / ((performance.now() - t) / 1000);
  t = performance.now();
  const results = await Promise.all(
    [0, 1, 2, 3].map(async (w) => {
      const out: number[] = [];
      for (let i = w; i < imgs.length; i += 4)
        out.push((await api.call('POST', '/v1/submissions', { token: seller.token, form: api.form(cards[i], imgs[i]) })).status);
      return out;
    }),
  );
  const subRate = imgs.length / ((performance.now() - t) / 1000);
  const ok = results.flat().filter((s) => s === 201).length;
  console.log(
    `@ ${String(target).padStart(6)} published (loaded in ${loadS.toFixed(0)} s): search p50 ${fmt(pct(search, 0.5))} ms p95 ${fmt(pct(search, 0.95))} ms vs browse p95 ${fmt(pct(browse, 0.95))} ms (${(pct(search, 0.95) / pct(browse, 0.95)).toFixed(1)}×) · ` +
      `submissions ${subRate.toFixed(1)}/s over HTTP (${ok}/${imgs.length} accepted) = ${(subRate / engineRate).toFixed(2)}× the engine's own fingerprint+check rate (${engineRate.toFixed(1)}/s)`,
  );
}
await srv.stop();
