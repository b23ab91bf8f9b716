/** SQL for purchases: reads (with offer type, asset name and creator), checkout holds, state changes, ownership. */
import type { LicenseOfferView, LicenseTerms, PurchaseView } from '../../../shared/payments.ts';
import type { Sql } from '../../db.ts';

export interface PurchaseRow {
  id: string;
  buyer_id: string;
  asset_id: string | null;
  version: number | null;
  kind: PurchaseView['kind'];
  offer_id: string | null;
  exclusive: boolean;
  amount_cents: number;
  status: PurchaseView['status'];
  checkout_session_id: string | null;
  checkout_url: string | null;
  payment_intent_id: string | null;
  charge_id: string | null;
  subscription_id: string | null;
  license_key: string | null;
  license_terms: LicenseTerms | null;
  license_expires_at: Date | string | null;
  impressions_used: string | number;
  refund_reason: string | null;
  created_at: Date | string;
  paid_at: Date | string | null;
  refunded_at: Date | string | null;
  license_type: LicenseOfferView['licenseType'] | null;
  asset_name: string | null;
  creator_id: string | null;
}

const SELECT = `SELECT p.*, o.license_type, a.name AS asset_name, a.creator_id
  FROM purchases p LEFT JOIN license_offers o ON o.id = p.offer_id LEFT JOIN assets a ON a.id = p.asset_id`;

/** One purchase; `lock` takes its row lock (inside a transaction). */
export async function findPurchase(sql: Sql, id: string, lock = false): Promise<PurchaseRow | undefined> {
  return (await sql.query<PurchaseRow>(`${SELECT} WHERE p.id = $1${lock ? ' FOR UPDATE OF p' : ''}`, [id])).rows[0];
}

export async function findByPaymentIntentOrId(sql: Sql, paymentIntentId: string, purchaseId: string): Promise<PurchaseRow | undefined> {
  return (await sql.query<PurchaseRow>(`${SELECT} WHERE p.payment_intent_id = $1 OR p.id::text = $2`, [paymentIntentId, purchaseId]))
    .rows[0];
}

export async function findByLicenseKey(sql: Sql, key: string): Promise<PurchaseRow | undefined> {
  return (await sql.query<PurchaseRow>(`${SELECT} WHERE p.license_key = $1`, [key])).rows[0];
}

/** Whether the buyer already holds a paid, live purchase of this kind for the asset. */
export async function ownsAsset(sql: Sql, buyerId: string, assetId: string, kind: string): Promise<boolean> {
  const owned = await sql.query(
    `SELECT 1 FROM purchases p LEFT JOIN subscriptions s ON s.purchase_id = p.id
     WHERE p.buyer_id = $1 AND p.asset_id = $2 AND p.status = 'paid' AND p.kind = $3 AND (p.kind <> 'subscription' OR s.status IS NULL OR s.status <> 'canceled')`,
    [buyerId, assetId, kind],
  );
  return owned.rows.length > 0;
}

/** Expires exclusive holds on an offer whose time ran out; returns their checkout sessions. */
export async function expireStaleHolds(sql: Sql, offerId: string | undefined): Promise<string[]> {
  const r = await sql.query<{ checkout_session_id: string | null }>(
    `UPDATE purchases SET status = 'expired' WHERE offer_id = $1 AND exclusive AND status = 'pending' AND reserved_until < now()
     RETURNING checkout_session_id`,
    [offerId],
  );
  return r.rows.map((x) => x.checkout_session_id).filter((x): x is string => Boolean(x));
}

export async function insertPurchase(
  sql: Sql,
  p: {
    id: string;
    buyerId: string;
    assetId: string | null;
    version: number | null;
    kind: string;
    offerId: string | null;
    exclusive: boolean;
    amountCents: number;
    reservedUntil: Date | null;
    companyName: string | null;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO purchases (id, buyer_id, asset_id, version, kind, offer_id, exclusive, amount_cents, reserved_until, company_name)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [p.id, p.buyerId, p.assetId, p.version, p.kind, p.offerId, p.exclusive, p.amountCents, p.reservedUntil, p.companyName],
  );
}

export async function markFailed(sql: Sql, id: string): Promise<void> {
  await sql.query(`UPDATE purchases SET status = 'failed' WHERE id = $1`, [id]);
}

export async function setCheckout(sql: Sql, id: string, sessionId: string, url: string | null): Promise<void> {
  await sql.query('UPDATE purchases SET checkout_session_id = $2, checkout_url = $3 WHERE id = $1', [id, sessionId, url]);
}

/** Pending purchases without a checkout session older than `minAgeMinutes`: expired; returns how many. */
export async function expireAbandoned(sql: Sql, minAgeMinutes: number): Promise<number> {
  const r = await sql.query(
    `UPDATE purchases SET status = 'expired'
     WHERE status = 'pending' AND checkout_session_id IS NULL AND amount_cents > 0 AND created_at < now() - make_interval(mins => $1)
     RETURNING id`,
    [minAgeMinutes],
  );
  return r.rows.length;
}

export async function expirePending(sql: Sql, id: string): Promise<void> {
  await sql.query(`UPDATE purchases SET status = 'expired' WHERE id = $1 AND status = 'pending'`, [id]);
}

/** Whether another purchase holds (pending or paid) the same exclusive offer. */
export async function exclusiveTaken(sql: Sql, offerId: string | null, exceptId: string): Promise<boolean> {
  const other = await sql.query(`SELECT 1 FROM purchases WHERE offer_id = $1 AND exclusive AND status IN ('pending','paid') AND id <> $2`, [
    offerId,
    exceptId,
  ]);
  return other.rows.length > 0;
}

export async function markUnfulfilled(sql: Sql, id: string, paymentIntentId: string | null, chargeId: string | null): Promise<void> {
  await sql.query(`UPDATE purchases SET status = 'unfulfilled', payment_intent_id = $2, charge_id = $3 WHERE id = $1`, [
    id,
    paymentIntentId,
    chargeId,
  ]);
}

export async function markPaid(
  sql: Sql,
  id: string,
  p: {
    paidAt: Date;
    paymentIntentId: string | null;
    chargeId: string | null;
    licenseKey: string | null;
    terms: LicenseTerms | null;
    expiresAt: Date | null;
  },
): Promise<void> {
  await sql.query(
    `UPDATE purchases SET status = 'paid', paid_at = $2, payment_intent_id = $3, charge_id = $4, license_key = $5, license_terms = $6, license_expires_at = $7 WHERE id = $1`,
    [id, p.paidAt, p.paymentIntentId, p.chargeId, p.licenseKey, p.terms ? JSON.stringify(p.terms) : null, p.expiresAt],
  );
}

export async function markSubscribed(sql: Sql, id: string, subscriptionId: string): Promise<void> {
  await sql.query(`UPDATE purchases SET status = 'paid', paid_at = now(), subscription_id = $2 WHERE id = $1`, [id, subscriptionId]);
}

export async function markRefunded(sql: Sql, id: string, reason: string, details: string | null): Promise<void> {
  await sql.query(`UPDATE purchases SET status = 'refunded', refunded_at = now(), refund_reason = $2, refund_details = $3 WHERE id = $1`, [
    id,
    reason,
    details,
  ]);
}

/** A subscription's refund: refunded_at keeps the first refund's time. */
export async function markSubscriptionRefunded(sql: Sql, id: string, reason: string): Promise<void> {
  await sql.query(
    `UPDATE purchases SET status = 'refunded', refunded_at = COALESCE(refunded_at, now()), refund_reason = $2 WHERE id = $1`,
    [id, reason],
  );
}

export async function addImpressions(sql: Sql, id: string, count: number): Promise<void> {
  await sql.query('UPDATE purchases SET impressions_used = impressions_used + $2 WHERE id = $1', [id, count]);
}

/** A buyer's purchases worth showing, newest first. */
export async function purchaseIdsOf(sql: Sql, buyerId: string): Promise<string[]> {
  const r = await sql.query<{ id: string }>(
    `SELECT id FROM purchases WHERE buyer_id = $1 AND status IN ('paid','refunded','pending','unfulfilled') ORDER BY created_at DESC LIMIT 500`,
    [buyerId],
  );
  return r.rows.map((x) => x.id);
}
