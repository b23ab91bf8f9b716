/** SQL for license offers: one offer with its sales, create/update/withdraw, an asset's offers, who bought one. */
import type { LicenseOfferView, LicenseTerms } from '../../../shared/payments.ts';
import type { Sql } from '../../db.ts';

export interface OfferRow {
  id: string;
  asset_id: string;
  asset_name: string;
  creator_id: string;
  asset_status: string;
  license_type: LicenseOfferView['licenseType'];
  terms: LicenseTerms;
  price_cents: number;
  active: boolean;
  sold_out_at: Date | null;
  created_at: Date;
  purchases: string;
  revenue: string | null;
}

export interface OfferBuyerRow {
  id: string;
  display_name: string;
  company_name: string | null;
  status: string;
  paid_at: Date | null;
  impressions_used: string;
}

export async function findOffer(sql: Sql, id: string): Promise<OfferRow | undefined> {
  const r = await sql.query<OfferRow>(
    `SELECT o.*, a.name AS asset_name, a.creator_id, a.status AS asset_status,
            (SELECT count(*) FROM purchases p WHERE p.offer_id = o.id AND p.status = 'paid') AS purchases,
            (SELECT sum(amount_cents) FROM purchases p WHERE p.offer_id = o.id AND p.status = 'paid') AS revenue
     FROM license_offers o JOIN assets a ON a.id = o.asset_id WHERE o.id = $1`,
    [id],
  );
  return r.rows[0];
}

export async function insertOffer(
  sql: Sql,
  o: { id: string; assetId: string; licenseType: string; terms: LicenseTerms; priceCents: number },
): Promise<void> {
  await sql.query('INSERT INTO license_offers (id, asset_id, license_type, terms, price_cents) VALUES ($1,$2,$3,$4,$5)', [
    o.id,
    o.assetId,
    o.licenseType,
    JSON.stringify(o.terms),
    o.priceCents,
  ]);
}

/** Changes an offer's terms; the database refuses (check_violation) once someone bought it. */
export async function updateOffer(
  sql: Sql,
  id: string,
  o: { licenseType: string; terms: LicenseTerms; priceCents: number },
): Promise<void> {
  await sql.query('UPDATE license_offers SET license_type = $2, terms = $3, price_cents = $4, updated_at = now() WHERE id = $1', [
    id,
    o.licenseType,
    JSON.stringify(o.terms),
    o.priceCents,
  ]);
}

export async function withdrawOffer(sql: Sql, id: string): Promise<void> {
  await sql.query('UPDATE license_offers SET active = false, updated_at = now() WHERE id = $1', [id]);
}

export async function markSoldOut(sql: Sql, id: string | null): Promise<void> {
  await sql.query('UPDATE license_offers SET active = false, sold_out_at = now() WHERE id = $1', [id]);
}

export async function offerIdsOf(sql: Sql, assetId: string, activeOnly: boolean): Promise<string[]> {
  const r = await sql.query<{ id: string }>(
    `SELECT id FROM license_offers WHERE asset_id = $1 ${activeOnly ? 'AND active' : ''} ORDER BY price_cents, created_at`,
    [assetId],
  );
  return r.rows.map((x) => x.id);
}

export async function offerTerms(sql: Sql, id: string | null): Promise<{ terms: LicenseTerms; license_type: string } | undefined> {
  const o = await sql.query<{ terms: LicenseTerms; license_type: string }>('SELECT terms, license_type FROM license_offers WHERE id = $1', [
    id,
  ]);
  return o.rows[0];
}

export async function offerBuyers(sql: Sql, offerId: string): Promise<OfferBuyerRow[]> {
  const r = await sql.query<OfferBuyerRow>(
    `SELECT p.id, u.display_name, p.company_name, p.status, p.paid_at, p.impressions_used FROM purchases p JOIN users u ON u.id = p.buyer_id
     WHERE p.offer_id = $1 AND p.status IN ('paid', 'refunded') ORDER BY p.paid_at DESC`,
    [offerId],
  );
  return r.rows;
}
