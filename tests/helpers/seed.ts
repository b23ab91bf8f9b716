/**
 * Test data the API cannot make (time travel, states reached only by a crash, a library of a
 * hundred creators in one go), written straight into the marketplace's tables. Every seeding
 * statement of the tests lives here, so a schema change is fixed in one file. Assertions about the
 * database itself (append-only triggers, balanced ledger) stay in their tests, where they are the
 * point.
 */
import type { Sql } from '../../server/db.ts';

/** Sets an account's reputation score. */
export async function setReputation(sql: Sql, userId: string, reputation: number): Promise<void> {
  await sql.query('UPDATE users SET reputation = $2 WHERE id = $1', [userId, reputation]);
}

/** Replaces an account's stored password hash (e.g. one made with older parameters). */
export async function setPasswordHash(sql: Sql, userId: string, hash: string): Promise<void> {
  await sql.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, hash]);
}

/** Expires every session of an account, as time passing would. */
export async function expireSessions(sql: Sql, userId: string): Promise<void> {
  await sql.query("UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1", [userId]);
}

/** A published item listing with one version, without going through submission and review. */
export async function publishedItem(sql: Sql, a: { id: string; creatorId: string; name: string; metadataHash: string }): Promise<void> {
  await sql.query(
    `INSERT INTO assets (id, creator_id, asset_type, name, status, latest_version, published_version, metadata_hash, published_at)
     VALUES ($1, $2, 'item', $3, 'published', 1, 1, $4, now())`,
    [a.id, a.creatorId, a.name, a.metadataHash],
  );
  await sql.query(
    `INSERT INTO asset_versions (asset_id, version, card, metadata_text, metadata_hash, fingerprints, status, check_status)
     VALUES ($1, 1, $2, $3, $4, '{}', 'published', 'approved')`,
    [a.id, JSON.stringify({ asset_type: 'item', name: a.name, description: '', tags: [] }), a.name, a.metadataHash],
  );
}

/** A paid one-time purchase of version 1 and its entitlement, without a processor. */
export async function paidPurchase(sql: Sql, p: { id: string; buyerId: string; assetId: string; amountCents?: number }): Promise<void> {
  await sql.query(
    `INSERT INTO purchases (id, buyer_id, asset_id, version, kind, amount_cents, status, paid_at) VALUES ($1, $2, $3, 1, 'one_time', $4, 'paid', now())`,
    [p.id, p.buyerId, p.assetId, p.amountCents ?? 499],
  );
  await sql.query(`INSERT INTO entitlements (user_id, asset_id, version, source, ref) VALUES ($1, $2, 1, 'purchase', $3)`, [
    p.buyerId,
    p.assetId,
    p.id,
  ]);
}

/** A top-up recorded an hour ago whose processor answer never came (a crash in between). */
export async function strandedTopUp(sql: Sql, buyerId: string, amountCents: number): Promise<void> {
  await sql.query(
    `INSERT INTO purchases (id, buyer_id, kind, amount_cents, created_at) VALUES (gen_random_uuid(), $1, 'top_up', $2, now() - interval '1 hour')`,
    [buyerId, amountCents],
  );
}

/** Sets a listing's price directly. */
export async function setListingPrice(sql: Sql, assetId: string, cents: number): Promise<void> {
  await sql.query('UPDATE assets SET price_cents = $2 WHERE id = $1', [assetId, cents]);
}

/** A license offer of a type, with the schema's defaults for everything else. */
export async function licenseOffer(sql: Sql, id: string, assetId: string, licenseType: string): Promise<void> {
  await sql.query('INSERT INTO license_offers (id, asset_id, license_type) VALUES ($1, $2, $3)', [id, assetId, licenseType]);
}

/** Moves a purchase's payment `days` into the past. */
export async function backdatePayment(sql: Sql, purchaseId: string, days: number): Promise<void> {
  await sql.query(`UPDATE purchases SET paid_at = now() - make_interval(days => $2) WHERE id = $1`, [purchaseId, days]);
}

/** Lets a purchased license expire a day ago. */
export async function expireLicense(sql: Sql, purchaseId: string): Promise<void> {
  await sql.query(`UPDATE purchases SET license_expires_at = now() - interval '1 day' WHERE id = $1`, [purchaseId]);
}

/** Sets a listing's status behind the services' back (a takedown landing mid-checkout). */
export async function forceAssetStatus(sql: Sql, assetId: string, status: string): Promise<void> {
  await sql.query('UPDATE assets SET status = $2 WHERE id = $1', [assetId, status]);
}
