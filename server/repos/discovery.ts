/** SQL for discovery: catalogue search (keyword, or hybrid with pgvector), creators, and the published index feed. */
import type { AssetCard } from '../../engine/cards.ts';
import type { FingerprintsJson } from '../../engine/serialize.ts';
import type { SearchQuery } from '../../shared/marketplace.ts';
import type { z } from 'zod';
import { type Sql, toVector } from '../db.ts';
import { ASSET_COLUMNS, type AssetRow } from './listings.ts';

const SEARCH_ORDER: Record<z.infer<typeof SearchQuery>['sort'], string> = {
  relevance: 'score DESC, a.published_at DESC',
  popularity: 'a.sales_count DESC, a.published_at DESC',
  price: 'a.price_cents ASC NULLS LAST, a.published_at DESC',
  newest: 'a.published_at DESC',
};

/**
 * One page of live published listings and how many match (counted up to `countCap` + 1). With a
 * hybrid query (its vector) the text match is OR'ed with a cosine distance under 0.5 and both add to the score.
 */
export async function search(
  sql: Sql,
  q: z.infer<typeof SearchQuery>,
  opts: { hybrid: boolean; vector: Float32Array | undefined; countCap: number },
): Promise<{ rows: (AssetRow & { score: number })[]; counted: number }> {
  const where = [`a.published_version IS NOT NULL`, `a.status NOT IN ('taken_down', 'withdrawn')`];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (q.type) where.push(`a.asset_type = ${p(q.type)}`);
  if (q.minPrice !== undefined) where.push(`a.price_cents >= ${p(q.minPrice)}`);
  if (q.maxPrice !== undefined) where.push(`a.price_cents <= ${p(q.maxPrice)}`);
  const tags = (q.tags ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length) where.push(`(SELECT array_agg(lower(t)) FROM jsonb_array_elements_text(v.card->'tags') t) @> ${p(tags)}::text[]`);
  if (q.license)
    where.push(`EXISTS (SELECT 1 FROM license_offers lo WHERE lo.asset_id = a.id AND lo.license_type = ${p(q.license)} AND lo.active)`);
  if (q.ageRating) where.push(`v.card->>'age_rating' = ${p(q.ageRating)}`);
  let score = '0';
  if (q.q) {
    // Every word must match, as a prefix (so "knig" finds "knight"); the GIN index serves it.
    const terms = (q.q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
    const text = terms.length
      ? {
          match: `v.search_tsv @@ to_tsquery('english', ${p(terms.map((t) => `${t}:*`).join(' & '))})`,
          rank: `ts_rank(v.search_tsv, to_tsquery('english', $${params.length}))`,
        }
      : { match: `v.metadata_text ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`, rank: '0.01' };
    if (opts.hybrid) {
      const dist = `(v.metadata_vector <=> ${p(toVector(opts.vector))}::vector)`;
      score = `(${text.rank} + CASE WHEN v.metadata_vector IS NULL THEN 0 ELSE 1 - ${dist} END)`;
      where.push(`(${text.match} OR (v.metadata_vector IS NOT NULL AND ${dist} < 0.5))`);
    } else {
      score = text.rank;
      where.push(text.match);
    }
  }
  const order = SEARCH_ORDER[q.sort];
  const from = `FROM assets a JOIN users u ON u.id = a.creator_id JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.published_version WHERE ${where.join(' AND ')}`;
  const countParams = params.length;
  const rows = await sql.query<AssetRow & { score: number }>(
    `SELECT ${ASSET_COLUMNS}, ${score} AS score ${from}
     ORDER BY ${order}, a.id LIMIT ${p(q.pageSize)} OFFSET ${p((q.page - 1) * q.pageSize)}`,
    params,
  );
  // Totals are counted up to a bound, so a broad query never scans the whole catalogue twice.
  const counted = Number(
    (
      await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT 1 ${from} LIMIT ${opts.countCap + 1}) t`,
        params.slice(0, countParams),
      )
    ).rows[0]?.n ?? 0,
  );
  return { rows: rows.rows, counted };
}

export interface CreatorRow {
  id: string;
  display_name: string;
  reputation: number;
  verified: boolean;
  n: string;
  proximity: number;
}

/** Creators with live listings, by reputation; a query's text proximity only breaks ties (weight 0.1). */
export async function creators(sql: Sql, q: string | undefined): Promise<CreatorRow[]> {
  const params: unknown[] = [];
  let proximity = '0';
  if (q) {
    params.push(q);
    proximity = `COALESCE((SELECT max(ts_rank(v.search_tsv, plainto_tsquery('english', $1)))
      FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.published_version WHERE a.creator_id = u.id AND a.status NOT IN ('taken_down', 'withdrawn')), 0)`;
  }
  const r = await sql.query<CreatorRow>(
    `SELECT u.id, u.display_name, u.reputation, u.verified, ${proximity} AS proximity,
            (SELECT count(*) FROM assets a WHERE a.creator_id = u.id AND a.published_version IS NOT NULL AND a.status NOT IN ('taken_down', 'withdrawn')) AS n
     FROM users u WHERE EXISTS (SELECT 1 FROM assets a WHERE a.creator_id = u.id AND a.published_version IS NOT NULL AND a.status NOT IN ('taken_down', 'withdrawn'))
     ${q ? `AND ${proximity} > 0` : ''}
     ORDER BY (u.reputation + 0.1 * ${proximity}) DESC, u.reputation DESC, u.id LIMIT 20`,
    params,
  );
  return r.rows;
}

// ---------------------------------------------------------------- index feed

export interface IndexEventRow {
  seq: string;
  asset_id: string;
  version: number | null;
  kind: 'upsert' | 'tombstone';
}

export async function indexEvents(sql: Sql, since: number, limit: number): Promise<IndexEventRow[]> {
  return (
    await sql.query<IndexEventRow>('SELECT seq, asset_id, version, kind FROM index_events WHERE seq > $1 ORDER BY seq LIMIT $2', [
      since,
      limit,
    ])
  ).rows;
}

/** Which of these assets their creators withdrew (a withdrawn listing still proves prior publication). */
export async function withdrawnAmong(sql: Sql, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  return new Set(
    (await sql.query<{ id: string }>(`SELECT id FROM assets WHERE id = ANY($1::uuid[]) AND status = 'withdrawn'`, [ids])).rows.map(
      (x) => x.id,
    ),
  );
}

/** One published version as the index feed carries it, with its creator's display name. */
export interface FeedVersionRow {
  card: AssetCard;
  fingerprints: unknown;
  image_sha256: string | null;
  creator_id: string;
  creator_name: string | null;
}

export async function feedVersion(sql: Sql, assetId: string, version: number | null): Promise<FeedVersionRow | undefined> {
  return (
    await sql.query<FeedVersionRow>(
      `SELECT v.card, v.fingerprints, v.image_sha256, a.creator_id, u.display_name AS creator_name
       FROM asset_versions v JOIN assets a ON a.id = v.asset_id LEFT JOIN users u ON u.id = a.creator_id
       WHERE v.asset_id = $1 AND v.version = $2`,
      [assetId, version],
    )
  ).rows[0];
}

/** The fingerprints of many published versions at once (the in-memory copy index's catch-up). */
export async function versionsToIndex(
  sql: Sql,
  keys: { assetId: string; version: number | null }[],
): Promise<{ asset_id: string; version: number; creator_id: string; card: AssetCard; fingerprints: FingerprintsJson }[]> {
  if (!keys.length) return [];
  return (
    await sql.query<{ asset_id: string; version: number; creator_id: string; card: AssetCard; fingerprints: FingerprintsJson }>(
      `SELECT v.asset_id, v.version, a.creator_id, v.card, v.fingerprints FROM asset_versions v JOIN assets a ON a.id = v.asset_id
       WHERE (v.asset_id, v.version) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
      [keys.map((k) => k.assetId), keys.map((k) => k.version)],
    )
  ).rows;
}
