/** SQL for the money code's view of assets: the priced listing, its parent's creator, pricing updates, review stats. */
import type { Sql } from '../../db.ts';

export interface AssetMoneyRow {
  id: string;
  creator_id: string;
  name: string;
  status: string;
  published_version: number | null;
  parent_asset_id: string | null;
  parent_creator_id: string | null;
  pricing_model: 'one_time' | 'subscription' | 'per_use' | null;
  price_cents: number | null;
  billing_interval: 'month' | 'year' | null;
}

export async function findAsset(sql: Sql, id: string): Promise<AssetMoneyRow | undefined> {
  const r = await sql.query<AssetMoneyRow>(
    `SELECT a.id, a.creator_id, a.name, a.status, a.published_version, a.parent_asset_id, p.creator_id AS parent_creator_id,
            a.pricing_model, a.price_cents, a.billing_interval
     FROM assets a LEFT JOIN assets p ON p.id = a.parent_asset_id WHERE a.id = $1`,
    [id],
  );
  return r.rows[0];
}

export async function setPricing(
  sql: Sql,
  id: string,
  model: string,
  priceCents: number,
  interval: 'month' | 'year' | null,
): Promise<void> {
  await sql.query('UPDATE assets SET pricing_model = $2, price_cents = $3, billing_interval = $4, updated_at = now() WHERE id = $1', [
    id,
    model,
    priceCents,
    interval,
  ]);
}

/** The average rating and number of reviews of one asset. */
export async function reviewStats(sql: Sql, assetId: string): Promise<{ avg: number | null; n: number }> {
  const q = await sql.query<{ avg: number | null; n: string }>(
    'SELECT avg(rating)::float8 AS avg, count(*) AS n FROM reviews WHERE asset_id = $1',
    [assetId],
  );
  return { avg: q.rows[0]?.avg ?? null, n: Number(q.rows[0]?.n ?? 0) };
}

export async function assetType(sql: Sql, assetId: string): Promise<string | undefined> {
  const t = await sql.query<{ asset_type: string }>('SELECT asset_type FROM assets WHERE id = $1', [assetId]);
  return t.rows[0]?.asset_type;
}
