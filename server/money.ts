/**
 * Everything that moves a cent: pricing, license offers, checkout (Stripe Checkout Sessions),
 * fulfilment from webhooks, prepaid balances and per-use charges, license keys and usage
 * royalties, refunds with transfer reversals, Connect payouts, disputes and creator earnings.
 *
 * The rules: the processor is the source of truth for what was paid, and every handler re-reads
 * the processor's object before acting, so repeated or out-of-order webhook deliveries converge
 * on the same state; every outbound call carries an idempotency key derived from our own ids;
 * every ledger posting carries one too (a repeated posting returns the first); purchases change
 * state under a row lock; an exclusive license is held by a unique index, not by a read-then-write.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError } from '../shared/api.ts';
import type {
  DisputeView,
  EarningsSummary,
  LicenseOfferInput,
  LicenseOfferView,
  LicenseTerms,
  PricingInput,
  PurchaseView,
} from '../shared/payments.ts';
import {
  MICROS_PER_CENT,
  MONEY_POLICY,
  type MoneyPolicy,
  type PricingModel,
  checkPrice,
  recommendPrice,
  splitSale,
  usageRoyaltyMicros,
} from '../shared/policy/money.ts';
import type { UserRow } from './auth.ts';
import { authorize, isStaff } from './authz.ts';
import { recomputeReputation } from './trust.ts';
import { toCsv } from './csv.ts';
import { type Sql, isUniqueViolation } from './db.ts';
import {
  PROCESSOR_CLEARING,
  PROCESSOR_FEES,
  REFUNDS_PAYABLE,
  balance,
  buyerBalanceAccount,
  creatorAccount,
  creatorBalance,
  payableCents,
  payoutEntries,
  post,
  refundEntries,
  saleEntries,
  settleRefundEntries,
} from './ledger.ts';
import type { Marketplace } from './marketplace.ts';
import type { PaymentProcessor, ProcessorEvent, SettledCharge } from './payments/processor.ts';

export interface PaymentsConfig {
  /** The payment processor (Stripe, or the local test processor). */
  processor: PaymentProcessor;
  /** The marketplace's public URL (default return page after checkout). */
  publicUrl: string;
}

interface AssetMoneyRow {
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

interface PurchaseRow {
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

/**
 * Reverses one sale (refund: shares given back, the buyer owed the gross) and, when the processor
 * returns the money, settles it; idempotent on `key`. Returns the gross and whether it was already posted.
 */
async function postRefund(
  sql: Sql,
  saleTxId: number,
  key: string,
  p: Pick<PurchaseRow, 'id' | 'buyer_id' | 'asset_id' | 'creator_id'>,
  reason: string,
  settle: boolean,
): Promise<{ gross: number; duplicate: boolean }> {
  const { entries, gross } = await refundEntries(sql, saleTxId);
  const common = { purchaseId: p.id, buyerId: p.buyer_id, assetId: p.asset_id, creatorId: p.creator_id };
  const r = await post(sql, { kind: 'refund', idempotencyKey: `refund:${key}`, reverses: saleTxId, memo: { reason }, ...common, entries });
  if (settle)
    await post(sql, { kind: 'refund_settled', idempotencyKey: `refund_settled:${key}`, ...common, entries: settleRefundEntries(gross) });
  return { gross, duplicate: r.duplicate };
}

/** Money a card charge brought in (clearing gets it less the processor's fee), owed to `payee`. */
const chargeEntries = (gross: number, fee: number, payee: string) => [
  { account: PROCESSOR_CLEARING, amount: gross - fee },
  { account: PROCESSOR_FEES, amount: fee },
  { account: payee, amount: -gross },
];
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const DAY = 86_400_000;
const PURCHASE_SELECT = `SELECT p.*, o.license_type, a.name AS asset_name, a.creator_id
  FROM purchases p LEFT JOIN license_offers o ON o.id = p.offer_id LEFT JOIN assets a ON a.id = p.asset_id`;
const b64url = (b: Buffer) => b.toString('base64url');

export class Money {
  private readonly processor: PaymentProcessor;

  constructor(
    private readonly mp: Marketplace,
    readonly payments: PaymentsConfig,
    readonly policy: MoneyPolicy = MONEY_POLICY,
  ) {
    this.processor = payments.processor;
  }

  private get db() {
    return this.mp.db;
  }

  // ---------------------------------------------------------------- pricing

  private async asset(id: string, sql: Sql = this.db): Promise<AssetMoneyRow> {
    const r = await sql.query<AssetMoneyRow>(
      `SELECT a.id, a.creator_id, a.name, a.status, a.published_version, a.parent_asset_id, p.creator_id AS parent_creator_id,
              a.pricing_model, a.price_cents, a.billing_interval
       FROM assets a LEFT JOIN assets p ON p.id = a.parent_asset_id WHERE a.id = $1`,
      [id],
    );
    if (!r.rows[0]) throw new ApiError('not_found', 'no such asset', 'id', 404);
    return r.rows[0];
  }

  /** Listed: a version is published and the listing is neither withdrawn nor taken down (a new version in review keeps selling the published one). */
  private listed(a: Pick<AssetMoneyRow, 'published_version' | 'status'>): boolean {
    return a.published_version !== null && a.status !== 'taken_down' && a.status !== 'withdrawn';
  }

  private forSale(a: AssetMoneyRow): number {
    if (a.published_version === null || !this.listed(a)) throw new ApiError('not_for_sale', 'this asset is not published', 'id', 409);
    return a.published_version;
  }

  pricingView(a: Pick<AssetMoneyRow, 'pricing_model' | 'price_cents' | 'billing_interval' | 'parent_asset_id'>) {
    const model = a.pricing_model;
    const price = a.price_cents;
    return {
      model,
      priceCents: price,
      interval: a.billing_interval,
      breakdown:
        model && price !== null
          ? splitSale(price * MICROS_PER_CENT, { hasParent: Boolean(a.parent_asset_id), cardCharge: model !== 'per_use' }, this.policy)
          : null,
    };
  }

  async pricing(user: UserRow | null, assetId: string) {
    const a = await this.asset(assetId);
    if (!this.listed(a)) authorize(user, 'asset.owner', { ownerId: a.creator_id });
    return this.pricingView(a);
  }

  async setPricing(user: UserRow, assetId: string, input: PricingInput) {
    const a = await this.asset(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    if (a.status === 'taken_down') throw new ApiError('taken_down', 'this asset was taken down', 'id', 409);
    const check = checkPrice(input.model, input.priceCents, this.policy);
    if (!check.ok) throw new ApiError('invalid_price', check.message, check.field, 400);
    const interval = input.model === 'subscription' ? (input.interval ?? 'month') : null;
    await this.db.query('UPDATE assets SET pricing_model = $2, price_cents = $3, billing_interval = $4, updated_at = now() WHERE id = $1', [
      assetId,
      input.model,
      input.priceCents,
      interval,
    ]);
    return this.pricingView({ ...a, pricing_model: input.model, price_cents: input.priceCents, billing_interval: interval });
  }

  async recommendation(user: UserRow, assetId: string, model?: PricingModel) {
    const a = await this.asset(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    const q = await this.db.query<{ avg: number | null; n: string }>(
      'SELECT avg(rating)::float8 AS avg, count(*) AS n FROM reviews WHERE asset_id = $1',
      [assetId],
    );
    const t = await this.db.query<{ asset_type: string }>('SELECT asset_type FROM assets WHERE id = $1', [assetId]);
    return recommendPrice(
      {
        assetType: t.rows[0]?.asset_type as Parameters<typeof recommendPrice>[0]['assetType'],
        model: model ?? a.pricing_model ?? 'one_time',
        quality: Number(q.rows[0]?.n ?? 0) > 0 ? (q.rows[0]?.avg ?? null) : null,
        reputation: Number(user.reputation),
      },
      this.policy,
    );
  }

  // ---------------------------------------------------------------- license offers

  private async offerRow(id: string) {
    const r = await this.db.query<{
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
    }>(
      `SELECT o.*, a.name AS asset_name, a.creator_id, a.status AS asset_status,
              (SELECT count(*) FROM purchases p WHERE p.offer_id = o.id AND p.status = 'paid') AS purchases,
              (SELECT sum(amount_cents) FROM purchases p WHERE p.offer_id = o.id AND p.status = 'paid') AS revenue
       FROM license_offers o JOIN assets a ON a.id = o.asset_id WHERE o.id = $1`,
      [id],
    );
    if (!r.rows[0]) throw new ApiError('not_found', 'no such license offer', 'id', 404);
    return r.rows[0];
  }

  private offerView(o: Awaited<ReturnType<Money['offerRow']>>): LicenseOfferView {
    return {
      id: o.id,
      assetId: o.asset_id,
      assetName: o.asset_name,
      licenseType: o.license_type,
      priceCents: o.price_cents,
      terms: o.terms,
      active: o.active,
      soldOut: o.sold_out_at !== null,
      purchases: Number(o.purchases),
      revenueCents: Number(o.revenue ?? 0),
      createdAt: iso(o.created_at) as string,
    };
  }

  private checkOfferPrice(input: LicenseOfferInput) {
    const check = checkPrice('license', input.priceCents, this.policy);
    if (!check.ok) throw new ApiError('invalid_price', check.message, check.field, 400);
  }

  async createOffer(user: UserRow, assetId: string, input: LicenseOfferInput): Promise<LicenseOfferView> {
    const a = await this.asset(assetId);
    authorize(user, 'asset.owner', { ownerId: a.creator_id });
    if (a.status === 'taken_down') throw new ApiError('taken_down', 'this asset was taken down', 'id', 409);
    this.checkOfferPrice(input);
    const id = randomUUID();
    await this.db.query('INSERT INTO license_offers (id, asset_id, license_type, terms, price_cents) VALUES ($1,$2,$3,$4,$5)', [
      id,
      assetId,
      input.licenseType,
      JSON.stringify(input.terms),
      input.priceCents,
    ]);
    return this.offerView(await this.offerRow(id));
  }

  async updateOffer(user: UserRow, offerId: string, input: LicenseOfferInput): Promise<LicenseOfferView> {
    const o = await this.offerRow(offerId);
    authorize(user, 'asset.owner', { ownerId: o.creator_id });
    this.checkOfferPrice(input);
    const immutable = () =>
      new ApiError(
        'terms_immutable',
        'someone has bought this license: its terms can no longer change. Withdraw it and create a new offer instead',
        'id',
        409,
      );
    if (Number(o.purchases) > 0 || o.sold_out_at) throw immutable();
    try {
      await this.db.query('UPDATE license_offers SET license_type = $2, terms = $3, price_cents = $4, updated_at = now() WHERE id = $1', [
        offerId,
        input.licenseType,
        JSON.stringify(input.terms),
        input.priceCents,
      ]);
    } catch (e) {
      // The database's trigger is the last word (a purchase may have completed since the read).
      if ((e as { code?: string }).code === '23514') throw immutable();
      throw e;
    }
    return this.offerView(await this.offerRow(offerId));
  }

  async withdrawOffer(user: UserRow, offerId: string): Promise<LicenseOfferView> {
    const o = await this.offerRow(offerId);
    authorize(user, 'asset.owner', { ownerId: o.creator_id });
    await this.db.query('UPDATE license_offers SET active = false, updated_at = now() WHERE id = $1', [offerId]);
    return this.offerView(await this.offerRow(offerId));
  }

  /** Anyone sees the active offers of a published asset; its creator sees all of them, with sales. */
  async offers(user: UserRow | null, assetId: string): Promise<LicenseOfferView[]> {
    const a = await this.asset(assetId);
    const owner = user?.id === a.creator_id;
    if (!owner && !this.listed(a)) throw new ApiError('not_found', 'no such asset', 'id', 404);
    const ids = await this.db.query<{ id: string }>(
      `SELECT id FROM license_offers WHERE asset_id = $1 ${owner ? '' : 'AND active'} ORDER BY price_cents, created_at`,
      [assetId],
    );
    return Promise.all(ids.rows.map(async (r) => this.offerView(await this.offerRow(r.id))));
  }

  /** The creator sees who bought each license (display name, company, status), never payment details. */
  async offerPurchases(user: UserRow, offerId: string) {
    const o = await this.offerRow(offerId);
    authorize(user, 'asset.owner', { ownerId: o.creator_id });
    const r = await this.db.query<{
      id: string;
      display_name: string;
      company_name: string | null;
      status: string;
      paid_at: Date | null;
      impressions_used: string;
    }>(
      `SELECT p.id, u.display_name, p.company_name, p.status, p.paid_at, p.impressions_used FROM purchases p JOIN users u ON u.id = p.buyer_id
       WHERE p.offer_id = $1 AND p.status IN ('paid', 'refunded') ORDER BY p.paid_at DESC`,
      [offerId],
    );
    return r.rows.map((p) => ({
      purchaseId: p.id,
      buyer: p.display_name,
      companyName: p.company_name,
      status: p.status,
      paidAt: iso(p.paid_at),
      impressionsUsed: Number(p.impressions_used),
    }));
  }

  // ---------------------------------------------------------------- checkout

  async buyAsset(user: UserRow, assetId: string, input: { returnUrl?: string | undefined }): Promise<PurchaseView> {
    const a = await this.asset(assetId);
    const version = this.forSale(a);
    if (a.creator_id === user.id) throw new ApiError('own_asset', 'you cannot buy your own asset', 'id', 409);
    if (!a.pricing_model || a.price_cents === null)
      throw new ApiError('not_for_sale', 'the creator has not priced this asset yet', 'id', 409);
    if (a.pricing_model === 'per_use')
      throw new ApiError('per_use', 'this asset is paid per use from your prepaid balance: POST /v1/assets/{id}/use', 'id', 409);
    const owned = await this.db.query(
      `SELECT 1 FROM purchases p LEFT JOIN subscriptions s ON s.purchase_id = p.id
       WHERE p.buyer_id = $1 AND p.asset_id = $2 AND p.status = 'paid' AND p.kind = $3 AND (p.kind <> 'subscription' OR s.status IS NULL OR s.status <> 'canceled')`,
      [user.id, assetId, a.pricing_model],
    );
    if (owned.rows.length)
      throw new ApiError(
        a.pricing_model === 'subscription' ? 'already_subscribed' : 'already_owned',
        'you already own this asset',
        'id',
        409,
      );
    const months = a.pricing_model === 'subscription' && a.billing_interval === 'year' ? 12 : 1;
    return this.startCheckout(user, {
      kind: a.pricing_model,
      assetId,
      version,
      amountCents: a.price_cents * months,
      label: a.name,
      interval: a.billing_interval ?? 'month',
      returnUrl: input.returnUrl,
    });
  }

  async buyLicense(user: UserRow, offerId: string, input: { returnUrl?: string | undefined; companyName?: string | undefined }) {
    const o = await this.offerRow(offerId);
    const a = await this.asset(o.asset_id);
    const version = this.forSale(a);
    if (o.creator_id === user.id) throw new ApiError('own_asset', 'you cannot license your own asset', 'id', 409);
    if (!o.active || o.sold_out_at)
      throw new ApiError('license_unavailable', 'this license is no longer offered (withdrawn or sold exclusively)', 'id', 409);
    return this.startCheckout(user, {
      kind: 'license',
      assetId: a.id,
      version,
      offerId,
      exclusive: o.license_type === 'exclusive',
      amountCents: o.price_cents,
      label: `${a.name} — ${o.license_type.replace('_', '-')} license`,
      returnUrl: input.returnUrl,
      companyName: input.companyName,
    });
  }

  async topUp(user: UserRow, input: { amountCents: number; returnUrl?: string | undefined }) {
    return this.startCheckout(user, {
      kind: 'top_up',
      amountCents: input.amountCents,
      label: 'Prepaid balance',
      returnUrl: input.returnUrl,
    });
  }

  private async startCheckout(
    user: UserRow,
    o: {
      kind: PurchaseView['kind'];
      assetId?: string;
      version?: number;
      offerId?: string;
      exclusive?: boolean;
      amountCents: number;
      label: string;
      interval?: 'month' | 'year';
      returnUrl?: string | undefined;
      companyName?: string | undefined;
    },
  ): Promise<PurchaseView> {
    const id = randomUUID();
    const holdUntil = new Date(Date.now() + this.policy.exclusiveHoldMinutes * 60_000);
    let released: string[] = [];
    try {
      released = await this.db.tx(async (sql) => {
        let expired: string[] = [];
        if (o.exclusive) {
          const r = await sql.query<{ checkout_session_id: string | null }>(
            `UPDATE purchases SET status = 'expired' WHERE offer_id = $1 AND exclusive AND status = 'pending' AND reserved_until < now()
             RETURNING checkout_session_id`,
            [o.offerId],
          );
          expired = r.rows.map((x) => x.checkout_session_id).filter((x): x is string => Boolean(x));
        }
        await sql.query(
          `INSERT INTO purchases (id, buyer_id, asset_id, version, kind, offer_id, exclusive, amount_cents, reserved_until, company_name)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [
            id,
            user.id,
            o.assetId ?? null,
            o.version ?? null,
            o.kind,
            o.offerId ?? null,
            Boolean(o.exclusive),
            o.amountCents,
            o.exclusive ? holdUntil : null,
            o.companyName ?? null,
          ],
        );
        return expired;
      });
    } catch (e) {
      if (isUniqueViolation(e, 'purchases_exclusive_once'))
        throw new ApiError(
          'license_unavailable',
          `this exclusive license is sold, or another buyer is checking out (a checkout holds it up to ${this.policy.exclusiveHoldMinutes} minutes)`,
          'id',
          409,
        );
      throw e;
    }
    for (const s of released) await this.processor.expireCheckout(s, `expire:${s}`).catch(() => undefined);
    if (o.amountCents === 0) {
      // A free license (only where the policy allows it): no processor involved.
      await this.fulfil(id, null);
      return this.purchaseView(id);
    }
    const ret = o.returnUrl ?? `${this.payments.publicUrl}checkout/complete?purchase=${id}`;
    let session: { id: string; url: string | null };
    try {
      session = await this.processor.createCheckout(
        {
          purchaseId: id,
          kind: o.kind,
          subscription: o.kind === 'subscription',
          amountCents: o.amountCents,
          label: o.label,
          interval: o.interval ?? 'month',
          customerEmail: user.email,
          successUrl: ret,
          cancelUrl: `${ret}${ret.includes('?') ? '&' : '?'}cancelled=1`,
          expiresAt: o.exclusive ? holdUntil : null,
        },
        `checkout:${id}`,
      );
    } catch (e) {
      await this.db.query(`UPDATE purchases SET status = 'failed' WHERE id = $1`, [id]);
      throw new ApiError('processor_error', `the payment processor refused the checkout: ${(e as Error).message}`, undefined, 502);
    }
    await this.db.query('UPDATE purchases SET checkout_session_id = $2, checkout_url = $3 WHERE id = $1', [id, session.id, session.url]);
    return this.purchaseView(id);
  }

  // ---------------------------------------------------------------- fulfilment

  /** Re-reads a Checkout Session from the processor and applies what it says (safe to repeat). */
  async syncCheckout(sessionId: string): Promise<void> {
    const s = await this.processor.retrieveCheckout(sessionId);
    const purchaseId = s.purchaseId;
    if (!purchaseId) return;
    if (s.expired) return this.expirePurchase(purchaseId);
    if (!s.paid) return;
    if (s.subscription) {
      await this.recordSubscription(purchaseId, s.subscriptionId);
      return;
    }
    await this.fulfil(purchaseId, s.charge as SettledCharge);
  }

  /**
   * Purchases left `pending` with no checkout session (a crash between recording the purchase and
   * the processor's answer) can never be paid: they expire once older than the processor calls'
   * longest run (retries included), so a checkout still being created on another node is left alone.
   */
  async expireAbandonedCheckouts(minAgeMinutes = 10): Promise<number> {
    const r = await this.db.query(
      `UPDATE purchases SET status = 'expired'
       WHERE status = 'pending' AND checkout_session_id IS NULL AND amount_cents > 0 AND created_at < now() - make_interval(mins => $1)
       RETURNING id`,
      [minAgeMinutes],
    );
    return r.rows.length;
  }

  private async expirePurchase(purchaseId: string) {
    await this.db.query(`UPDATE purchases SET status = 'expired' WHERE id = $1 AND status = 'pending'`, [purchaseId]);
  }

  private licenseKey(p: { id: string; asset_id: string | null; offer_id: string | null }, licenseType: string, issuedAt: Date): string {
    const payload = Buffer.from(
      JSON.stringify({
        v: 1,
        p: p.id,
        a: p.asset_id,
        o: p.offer_id,
        t: licenseType,
        i: issuedAt.toISOString(),
        n: b64url(randomBytes(16)),
      }),
    );
    return `OSL1.${b64url(payload)}.${b64url(this.mp.signer.signBytes(payload))}`;
  }

  /**
   * Marks a purchase paid and posts its sale, once. A payment that arrives for something that can
   * no longer be delivered (an exclusive license sold meanwhile, an asset taken down) is refunded
   * in full; the processor's fee is the platform's loss.
   */
  private async fulfil(purchaseId: string, pay: SettledCharge | null) {
    const outcome = await this.db.tx(async (sql) => {
      const p = (await sql.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [purchaseId])).rows[0];
      if (!p) throw new Error(`no purchase ${purchaseId}`);
      if (p.status === 'paid' || p.status === 'refunded' || p.status === 'unfulfilled') return null;
      const gross = (pay?.amountCents ?? p.amount_cents) * MICROS_PER_CENT;
      const fee = (pay?.feeCents ?? 0) * MICROS_PER_CENT;
      const a = p.asset_id ? await this.asset(p.asset_id, sql) : null;
      let deliverable = !a || a.status !== 'taken_down';
      if (deliverable && p.exclusive) {
        const other = await sql.query(
          `SELECT 1 FROM purchases WHERE offer_id = $1 AND exclusive AND status IN ('pending','paid') AND id <> $2`,
          [p.offer_id, p.id],
        );
        deliverable = other.rows.length === 0;
      }
      const ids = [pay?.paymentIntentId ?? null, pay?.chargeId ?? null];
      if (!deliverable) {
        await sql.query(`UPDATE purchases SET status = 'unfulfilled', payment_intent_id = $2, charge_id = $3 WHERE id = $1`, [
          p.id,
          ...ids,
        ]);
        await post(sql, {
          kind: 'unfulfilled',
          idempotencyKey: `sale:${p.id}`,
          purchaseId: p.id,
          buyerId: p.buyer_id,
          assetId: p.asset_id,
          entries: chargeEntries(gross, fee, REFUNDS_PAYABLE),
        });
        await this.mp.notify(sql, p.buyer_id, 'purchase_unfulfilled', {
          purchaseId: p.id,
          assetId: p.asset_id,
          message: 'this item was no longer available when your payment arrived; it is refunded in full',
        });
        return { refund: { ...p, payment_intent_id: pay?.paymentIntentId ?? null }, payouts: [] as string[] };
      }
      const paidAt = new Date();
      let key: string | null = null;
      let terms: LicenseTerms | null = null;
      let expires: Date | null = null;
      if (p.kind === 'license') {
        const o = await sql.query<{ terms: LicenseTerms; license_type: string }>(
          'SELECT terms, license_type FROM license_offers WHERE id = $1',
          [p.offer_id],
        );
        terms = o.rows[0]?.terms ?? null;
        key = this.licenseKey(p, o.rows[0]?.license_type ?? 'unknown', paidAt);
        expires = terms?.durationDays ? new Date(paidAt.getTime() + terms.durationDays * DAY) : null;
        if (p.exclusive) await sql.query('UPDATE license_offers SET active = false, sold_out_at = now() WHERE id = $1', [p.offer_id]);
      }
      await sql.query(
        `UPDATE purchases SET status = 'paid', paid_at = $2, payment_intent_id = $3, charge_id = $4, license_key = $5, license_terms = $6, license_expires_at = $7 WHERE id = $1`,
        [p.id, paidAt, ...ids, key, terms ? JSON.stringify(terms) : null, expires],
      );
      if (p.kind === 'top_up') {
        await post(sql, {
          kind: 'top_up',
          idempotencyKey: `sale:${p.id}`,
          purchaseId: p.id,
          buyerId: p.buyer_id,
          entries: chargeEntries(gross, fee, buyerBalanceAccount(p.buyer_id)),
        });
        await this.mp.notify(sql, p.buyer_id, 'balance_topped_up', { purchaseId: p.id, amountCents: p.amount_cents });
        return { refund: null, payouts: [] };
      }
      const asset = a as AssetMoneyRow;
      const payouts = await this.postCardSale(sql, asset, {
        purchaseId: p.id,
        buyerId: p.buyer_id,
        kind: p.kind,
        grossMicros: gross,
        feeMicros: fee,
        idempotencyKey: `sale:${p.id}`,
      });
      await sql.query(`INSERT INTO entitlements (user_id, asset_id, version, source, ref) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`, [
        p.buyer_id,
        asset.id,
        p.version,
        p.kind === 'license' ? 'license' : 'purchase',
        p.id,
      ]);
      await this.mp.notify(sql, p.buyer_id, 'purchase_complete', {
        assetId: asset.id,
        name: asset.name,
        purchaseId: p.id,
        licenseKey: key,
      });
      return { refund: null, payouts };
    });
    if (!outcome) return;
    if (outcome.refund) {
      await this.processorRefund(outcome.refund, 'other');
      await this.db.tx((sql) =>
        post(sql, {
          kind: 'refund_settled',
          idempotencyKey: `refund_settled:${purchaseId}`,
          purchaseId,
          entries: settleRefundEntries(outcome.refund.amount_cents * MICROS_PER_CENT),
        }),
      );
      return;
    }
    if (this.policy.instantPayout)
      for (const u of outcome.payouts) await this.payCreator(u, { purchaseId, chargeId: pay?.chargeId, chargeCents: pay?.amountCents });
  }

  /**
   * One card sale of an asset (a purchase, or a subscription's billing period): the split with the
   * processor's real fee, its ledger posting, the creator's and the parent's notices and the
   * creator's reputation. Returns whom to pay out, nobody when it was posted already.
   */
  private async postCardSale(
    sql: Sql,
    a: AssetMoneyRow,
    s: {
      purchaseId: string;
      buyerId: string;
      kind: string;
      grossMicros: number;
      feeMicros: number;
      idempotencyKey: string;
      memo?: Record<string, unknown>;
    },
  ): Promise<string[]> {
    const b = splitSale(
      s.grossMicros,
      { hasParent: Boolean(a.parent_creator_id), cardCharge: true, processorFeeMicros: s.feeMicros },
      this.policy,
    );
    const r = await post(sql, {
      kind: 'sale',
      idempotencyKey: s.idempotencyKey,
      purchaseId: s.purchaseId,
      buyerId: s.buyerId,
      assetId: a.id,
      creatorId: a.creator_id,
      memo: { breakdown: b, purchaseKind: s.kind, ...s.memo },
      entries: saleEntries(b, { creatorId: a.creator_id, parentCreatorId: a.parent_creator_id }),
    });
    if (r.duplicate) return [];
    await this.mp.notify(sql, a.creator_id, 'sale', {
      assetId: a.id,
      name: a.name,
      purchaseId: s.purchaseId,
      kind: s.kind,
      grossMicros: b.gross,
      creatorNetMicros: b.creatorNet,
    });
    const parent = b.parentRoyalty && a.parent_creator_id ? a.parent_creator_id : null;
    if (parent) await this.mp.notify(sql, parent, 'derivative_royalty', { assetId: a.id, name: a.name, royaltyMicros: b.parentRoyalty });
    await recomputeReputation(sql, a.creator_id, 'a sale');
    return parent ? [a.creator_id, parent] : [a.creator_id];
  }

  private async recordSubscription(purchaseId: string, subscriptionId: string) {
    const sub = await this.processor.retrieveSubscription(subscriptionId);
    await this.db.tx(async (sql) => {
      const p = (await sql.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [purchaseId])).rows[0];
      if (!p) throw new Error(`no purchase ${purchaseId}`);
      if (p.status === 'pending' || p.status === 'expired')
        await sql.query(`UPDATE purchases SET status = 'paid', paid_at = now(), subscription_id = $2 WHERE id = $1`, [
          purchaseId,
          subscriptionId,
        ]);
      await sql.query(
        `INSERT INTO subscriptions (id, purchase_id, buyer_id, asset_id, interval, status, current_period_end) VALUES ($1,$2,$3,$4,$5,'active',$6)
         ON CONFLICT (id) DO NOTHING`,
        [subscriptionId, purchaseId, p.buyer_id, p.asset_id, sub.interval, sub.currentPeriodEnd],
      );
      await sql.query(
        `INSERT INTO entitlements (user_id, asset_id, version, source, ref) VALUES ($1,$2,$3,'subscription',$4) ON CONFLICT DO NOTHING`,
        [p.buyer_id, p.asset_id, p.version, purchaseId],
      );
    });
  }

  /** One paid subscription invoice = one sale (each billing period). */
  private async settleInvoice(invoiceId: string) {
    const inv = await this.processor.retrieveInvoice(invoiceId);
    const subId = inv.subscriptionId;
    const purchaseId = inv.purchaseId;
    if (!subId || !purchaseId) return;
    await this.recordSubscription(purchaseId, subId);
    if (!inv.paymentIntentId) return;
    const ch = await this.processor.retrievePaymentCharge(inv.paymentIntentId);
    const fee = ch.feeCents * MICROS_PER_CENT;
    const sub = await this.processor.retrieveSubscription(subId);
    const payTo = await this.db.tx(async (sql) => {
      const p = (await sql.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0] as PurchaseRow;
      const a = await this.asset(p.asset_id as string, sql);
      await sql.query('UPDATE subscriptions SET current_period_end = $2 WHERE id = $1', [subId, sub.currentPeriodEnd]);
      return this.postCardSale(sql, a, {
        purchaseId,
        buyerId: p.buyer_id,
        kind: 'subscription',
        grossMicros: ch.amountCents * MICROS_PER_CENT,
        feeMicros: fee,
        idempotencyKey: `invoice:${inv.id}`,
        memo: { invoice: inv.id, paymentIntent: ch.paymentIntentId },
      });
    });
    if (this.policy.instantPayout)
      for (const u of payTo) await this.payCreator(u, { purchaseId, chargeId: ch.chargeId, chargeCents: ch.amountCents });
  }

  async cancelSubscription(user: UserRow, purchaseId: string): Promise<PurchaseView> {
    const p = await this.ownPurchase(user, purchaseId);
    if (p.kind !== 'subscription' || !p.subscription_id)
      throw new ApiError('not_a_subscription', 'this purchase is not a subscription', 'id', 409);
    await this.processor.cancelSubscriptionAtPeriodEnd(p.subscription_id, `cancel:${p.subscription_id}`);
    await this.db.query(`UPDATE subscriptions SET status = 'canceling' WHERE id = $1 AND status = 'active'`, [p.subscription_id]);
    return this.purchaseView(purchaseId);
  }

  /**
   * Ends a subscription at once and refunds its current period (a takedown): the processor cancels
   * it and refunds the last invoice's payment; the ledger reverses that period's sale.
   */
  async endSubscriptionNow(purchaseId: string, reason: string): Promise<void> {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0];
    if (!p?.subscription_id) return;
    await this.processor.cancelSubscriptionNow(p.subscription_id, `cancel-now:${p.subscription_id}`).catch(() => undefined);
    await this.endSubscription(p.subscription_id);
    const last = (
      await this.db.query<{ id: string; memo: { paymentIntent?: string } }>(
        `SELECT id, memo FROM ledger_transactions WHERE purchase_id = $1 AND kind = 'sale' ORDER BY id DESC LIMIT 1`,
        [purchaseId],
      )
    ).rows[0];
    const pi = last?.memo.paymentIntent;
    if (!last || !pi) return;
    await this.processor.createRefund({ paymentIntentId: pi, reasonCode: reason, purchaseId }, `refund:tx:${last.id}`);
    await this.db.tx(async (sql) => {
      const { gross, duplicate } = await postRefund(sql, Number(last.id), `tx:${last.id}`, p, reason, true);
      await sql.query(
        `UPDATE purchases SET status = 'refunded', refunded_at = COALESCE(refunded_at, now()), refund_reason = $2 WHERE id = $1`,
        [purchaseId, reason],
      );
      if (!duplicate) {
        await this.mp.notify(sql, p.buyer_id, 'refund_issued', {
          purchaseId,
          assetId: p.asset_id,
          name: p.asset_name,
          amountCents: Math.round(gross / MICROS_PER_CENT),
          reason,
        });
        if (p.creator_id) await recomputeReputation(sql, p.creator_id, 'a subscription was refunded');
      }
    });
  }

  private async endSubscription(subscriptionId: string) {
    await this.db.tx(async (sql) => {
      const r = await sql.query<{ purchase_id: string; buyer_id: string }>(
        `UPDATE subscriptions SET status = 'canceled' WHERE id = $1 RETURNING purchase_id, buyer_id`,
        [subscriptionId],
      );
      const s = r.rows[0];
      if (!s) return;
      await sql.query(`DELETE FROM entitlements WHERE ref = $1 AND source = 'subscription'`, [s.purchase_id]);
      await this.mp.notify(sql, s.buyer_id, 'subscription_ended', { purchaseId: s.purchase_id });
    });
  }

  // ---------------------------------------------------------------- webhooks

  /** Verifies the signature on the raw body, handles each event once, and is safe to repeat or reorder. */
  async webhook(raw: string, signature: string | undefined): Promise<{ received: true; duplicate: boolean; type: string }> {
    const event = this.processor.parseWebhook(raw, signature);
    if (!event) throw new ApiError('bad_signature', 'the Stripe-Signature header does not match this payload', 'stripe-signature', 400);
    const claimed = await this.db.query(
      `INSERT INTO processor_events (id, type, state) VALUES ($1, $2, 'processing')
       ON CONFLICT (id) DO UPDATE SET state = 'processing', error = NULL WHERE processor_events.state = 'failed' RETURNING id`,
      [event.id, event.type],
    );
    if (!claimed.rows.length) return { received: true, duplicate: true, type: event.type };
    try {
      await this.handleEvent(event);
      await this.db.query(`UPDATE processor_events SET state = 'done', processed_at = now() WHERE id = $1`, [event.id]);
    } catch (e) {
      await this.db.query(`UPDATE processor_events SET state = 'failed', error = $2 WHERE id = $1`, [
        event.id,
        String((e as Error).message),
      ]);
      throw new ApiError('webhook_failed', `event ${event.id} could not be processed; the processor will retry it`, undefined, 500);
    }
    return { received: true, duplicate: false, type: event.type };
  }

  private async handleEvent(event: ProcessorEvent): Promise<void> {
    switch (event.action) {
      case 'checkout_changed':
        return this.syncCheckout(event.sessionId);
      case 'charge_refunded':
        return this.onChargeRefunded(event.chargeId);
      case 'invoice_paid':
        return this.settleInvoice(event.invoiceId);
      case 'subscription_ended':
        return this.endSubscription(event.subscriptionId);
      default:
        return; // events the marketplace does not act on
    }
  }

  /** A refund seen by the processor (ours, or one made in its dashboard), possibly before the payment itself. */
  private async onChargeRefunded(chargeId: string) {
    const ch = await this.processor.retrieveCharge(chargeId);
    const piId = ch.paymentIntentId;
    let p = (
      await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.payment_intent_id = $1 OR p.id::text = $2`, [
        piId ?? '',
        ch.purchaseId ?? '',
      ])
    ).rows[0];
    if (!p) return;
    if (p.status === 'pending' || p.status === 'expired') {
      // The refund arrived before the payment's own event: settle the payment first.
      for (const s of await this.processor.checkoutsForPaymentIntent(piId ?? '')) await this.syncCheckout(s);
      p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [p.id])).rows[0] as PurchaseRow;
    }
    if (ch.amountRefundedCents < ch.amountCents) return; // partial refunds made outside the marketplace are reconciled by hand
    if (p.status === 'paid') {
      const reason = (await this.processor.refundReasonCode(ch.id)) ?? 'other';
      await this.applyRefund(p.id, reason, 'refunded at the payment processor');
    }
    if (p.status === 'unfulfilled')
      await this.db.tx((sql) =>
        post(sql, {
          kind: 'refund_settled',
          idempotencyKey: `refund_settled:${p.id}`,
          purchaseId: p.id,
          entries: settleRefundEntries(p.amount_cents * MICROS_PER_CENT),
        }),
      );
  }

  // ---------------------------------------------------------------- refunds

  private async ownPurchase(user: UserRow, purchaseId: string): Promise<PurchaseRow> {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0];
    if (!p || p.buyer_id !== user.id) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    return p;
  }

  refundableUntil(p: Pick<PurchaseRow, 'kind' | 'status' | 'paid_at'>): Date | null {
    if (p.status !== 'paid' || !p.paid_at || (p.kind !== 'one_time' && p.kind !== 'license')) return null;
    return new Date(new Date(p.paid_at).getTime() + this.policy.refundWindowDays * DAY);
  }

  async requestRefund(user: UserRow, purchaseId: string, input: { reason: string; details?: string | undefined }): Promise<PurchaseView> {
    const p = await this.ownPurchase(user, purchaseId);
    if (p.status !== 'paid') throw new ApiError('not_refundable', `this purchase is ${p.status}`, 'id', 409);
    if (p.kind === 'subscription')
      throw new ApiError('not_refundable', 'cancel the subscription instead; it runs to the end of the period', 'id', 409);
    if (p.kind === 'top_up') throw new ApiError('not_refundable', 'prepaid balances are refunded through a dispute', 'id', 409);
    const until = this.refundableUntil(p) as Date;
    if (until.getTime() < Date.now())
      throw new ApiError(
        'refund_window_closed',
        `the ${this.policy.refundWindowDays}-day refund window closed on ${until.toISOString().slice(0, 10)}; you can open a dispute`,
        'id',
        409,
      );
    await this.refund(purchaseId, input.reason, input.details);
    return this.purchaseView(purchaseId);
  }

  private async processorRefund(p: Pick<PurchaseRow, 'id' | 'payment_intent_id'>, reason: string) {
    if (!p.payment_intent_id) return;
    await this.processor.createRefund({ paymentIntentId: p.payment_intent_id, reasonCode: reason, purchaseId: p.id }, `refund:${p.id}`);
  }

  /** Refunds a paid purchase in full, whatever the window (takedowns and dispute resolutions call this directly). */
  async refund(purchaseId: string, reason: string, details?: string): Promise<void> {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0];
    if (!p || p.status !== 'paid') return;
    await this.processorRefund(p, reason);
    await this.applyRefund(purchaseId, reason, details);
  }

  private async applyRefund(purchaseId: string, reason: string, details?: string) {
    const payoutsToReverse = await this.db.tx(async (sql) => {
      const p = (await sql.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [purchaseId])).rows[0];
      if (!p || p.status !== 'paid') return [];
      const sale = await sql.query<{ id: string }>(`SELECT id FROM ledger_transactions WHERE idempotency_key = $1`, [`sale:${purchaseId}`]);
      const saleId = Number(sale.rows[0]?.id);
      // A top-up's refund goes back to the prepaid balance, not through the processor.
      if (saleId) await postRefund(sql, saleId, purchaseId, p, reason, p.kind !== 'top_up');
      await sql.query(
        `UPDATE purchases SET status = 'refunded', refunded_at = now(), refund_reason = $2, refund_details = $3 WHERE id = $1`,
        [purchaseId, reason, details ?? null],
      );
      await sql.query(`DELETE FROM entitlements WHERE ref = $1`, [purchaseId]);
      await this.mp.notify(sql, p.buyer_id, 'refund_issued', {
        purchaseId,
        assetId: p.asset_id,
        name: p.asset_name,
        amountCents: p.amount_cents,
        reason,
      });
      if (p.creator_id) {
        await this.mp.notify(sql, p.creator_id, 'sale_refunded', {
          purchaseId,
          assetId: p.asset_id,
          name: p.asset_name,
          amountCents: p.amount_cents,
          reason,
        });
        await recomputeReputation(sql, p.creator_id, 'a sale was refunded');
      }
      const r = await sql.query<{ id: string }>(
        `SELECT id FROM payouts WHERE purchase_id = $1 AND status = 'paid' AND reversed_cents < amount_cents`,
        [purchaseId],
      );
      return r.rows.map((x) => x.id);
    });
    for (const id of payoutsToReverse) await this.reverseTransfer(id);
  }

  /** Takes a refunded sale's transfer back from the creator's Connect account; if it was already paid out to their bank, their balance stays negative and later earnings recover it. */
  private async reverseTransfer(payoutId: string) {
    const po = (
      await this.db.query<{
        user_id: string;
        transfer_id: string;
        amount_cents: number;
        reversed_cents: number;
        purchase_id: string | null;
      }>('SELECT * FROM payouts WHERE id = $1', [payoutId])
    ).rows[0];
    if (!po) return;
    const cents = po.amount_cents - po.reversed_cents;
    try {
      await this.processor.reverseTransfer(po.transfer_id, cents, payoutId, `reversal:${payoutId}`);
    } catch (e) {
      await this.db.tx((sql) =>
        this.mp.notify(sql, po.user_id, 'negative_balance', {
          message: 'a refunded sale could not be taken back from your payout account; it will be recovered from your next earnings',
          error: (e as Error).message,
        }),
      );
      return;
    }
    await this.db.tx(async (sql) => {
      await post(sql, {
        kind: 'payout_reversal',
        idempotencyKey: `reversal:${payoutId}`,
        ref: payoutId,
        purchaseId: po.purchase_id,
        entries: payoutEntries(po.user_id, cents).map((e) => ({ ...e, amount: -e.amount })),
      });
      await sql.query('UPDATE payouts SET reversed_cents = amount_cents WHERE id = $1', [payoutId]);
    });
    await this.payCreator(po.user_id, {});
  }

  // ---------------------------------------------------------------- payouts

  /** The creator's Connect account, once connected. */
  private async payoutAccount(userId: string): Promise<string | null> {
    const r = await this.db.query<{ payout_account_id: string | null }>('SELECT payout_account_id FROM users WHERE id = $1', [userId]);
    return r.rows[0]?.payout_account_id ?? null;
  }

  async connectPayoutAccount(user: UserRow, returnUrl?: string) {
    let accountId = await this.payoutAccount(user.id);
    if (!accountId) {
      const acct = await this.processor.createPayoutAccount({ email: user.email, userId: user.id }, `account:${user.id}`);
      accountId = acct.id;
      await this.db.query('UPDATE users SET payout_account_id = $2 WHERE id = $1', [user.id, accountId]);
    }
    const back = returnUrl ?? `${this.payments.publicUrl}checkout/complete`;
    const link = await this.processor.onboardingLink(accountId, back);
    await this.payCreator(user.id, {});
    return { accountId, onboardingUrl: link.url };
  }

  /** Transfers whole cents of what the creator is owed to their Connect account (after each sale, and on request). */
  async payCreator(
    userId: string,
    ctx: { purchaseId?: string | undefined; chargeId?: string | undefined; chargeCents?: number | undefined },
  ) {
    const acct = await this.payoutAccount(userId);
    if (!acct) return null;
    const po = await this.db.tx(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`payout:${userId}`]);
      const cents = await payableCents(sql, userId);
      if (cents < 1) return null;
      const id = randomUUID();
      const r = await post(sql, {
        kind: 'payout',
        idempotencyKey: `payout:${id}`,
        ref: id,
        purchaseId: ctx.purchaseId ?? null,
        entries: payoutEntries(userId, cents),
      });
      await sql.query(
        `INSERT INTO payouts (id, user_id, amount_cents, purchase_id, transfer_group, ledger_tx_id) VALUES ($1,$2,$3,$4,$5,$6)`,
        [id, userId, cents, ctx.purchaseId ?? null, ctx.purchaseId ? `purchase_${ctx.purchaseId}` : null, r.txId],
      );
      return { id, cents };
    });
    if (!po) return null;
    await this.sendTransfer(po.id, acct, ctx);
    return po;
  }

  private async sendTransfer(
    payoutId: string,
    destination: string,
    ctx: { chargeId?: string | undefined; chargeCents?: number | undefined },
  ) {
    const po = (
      await this.db.query<{ user_id: string; amount_cents: number; transfer_group: string | null }>('SELECT * FROM payouts WHERE id = $1', [
        payoutId,
      ])
    ).rows[0] as { user_id: string; amount_cents: number; transfer_group: string | null };
    try {
      const tr = await this.processor.createTransfer(
        {
          amountCents: po.amount_cents,
          destination,
          transferGroup: po.transfer_group,
          sourceChargeId: ctx.chargeId && ctx.chargeCents !== undefined && po.amount_cents <= ctx.chargeCents ? ctx.chargeId : null,
          payoutId,
        },
        `transfer:${payoutId}`,
      );
      await this.db.query(`UPDATE payouts SET transfer_id = $2, status = 'paid' WHERE id = $1`, [payoutId, tr.id]);
    } catch (e) {
      await this.db.tx(async (sql) => {
        await post(sql, {
          kind: 'payout_reversal',
          idempotencyKey: `payout_failed:${payoutId}`,
          ref: payoutId,
          entries: payoutEntries(po.user_id, po.amount_cents).map((x) => ({ ...x, amount: -x.amount })),
        });
        await sql.query(`UPDATE payouts SET status = 'failed', error = $2 WHERE id = $1`, [payoutId, (e as Error).message]);
      });
    }
  }

  /** Re-sends transfers left pending by a crash between the ledger posting and the processor call (same idempotency key). */
  async reconcilePayouts(): Promise<number> {
    const r = await this.db.query<{ id: string; payout_account_id: string }>(
      `SELECT p.id, u.payout_account_id FROM payouts p JOIN users u ON u.id = p.user_id WHERE p.status = 'pending' AND p.created_at < now() - interval '1 minute'`,
    );
    for (const p of r.rows) await this.sendTransfer(p.id, p.payout_account_id, {});
    return r.rows.length;
  }

  async requestPayout(user: UserRow) {
    if (!(await this.payoutAccount(user.id)))
      throw new ApiError('no_payout_account', 'connect a payout account first (POST /v1/me/payout-account)', undefined, 409);
    const po = await this.payCreator(user.id, {});
    if (!po) throw new ApiError('nothing_to_pay', 'your balance is under one cent', undefined, 409);
    return (await this.payouts(user)).find((x) => x.id === po.id);
  }

  async payouts(user: UserRow) {
    const r = await this.db.query<{
      id: string;
      amount_cents: number;
      reversed_cents: number;
      status: string;
      transfer_id: string | null;
      transfer_group: string | null;
      created_at: Date;
    }>('SELECT * FROM payouts WHERE user_id = $1 ORDER BY created_at DESC, id', [user.id]);
    return r.rows.map((p) => ({
      id: p.id,
      amountCents: p.amount_cents,
      reversedCents: p.reversed_cents,
      status: p.status,
      transferId: p.transfer_id,
      transferGroup: p.transfer_group,
      createdAt: iso(p.created_at) as string,
    }));
  }

  // ---------------------------------------------------------------- prepaid balance and usage

  async balanceOf(userId: string, sql: Sql = this.db) {
    const available = 0 - (await balance(sql, buyerBalanceAccount(userId)));
    return { availableMicros: available, availableCents: Math.floor(available / MICROS_PER_CENT) };
  }

  /** One use of a per-use asset, paid from the buyer's prepaid balance (an idempotency key makes a retry free). */
  async use(user: UserRow, assetId: string, input: { context?: string | undefined; idempotencyKey?: string | undefined }) {
    const a = await this.asset(assetId);
    const version = this.forSale(a);
    if (a.pricing_model !== 'per_use' || a.price_cents === null)
      throw new ApiError('not_per_use', 'this asset is not sold per use; buy it instead', 'id', 409);
    if (a.creator_id === user.id) throw new ApiError('own_asset', 'your own asset is not charged', 'id', 409);
    const key = `use:${user.id}:${input.idempotencyKey ?? randomUUID()}`;
    const gross = a.price_cents * MICROS_PER_CENT;
    return this.db.tx(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`balance:${user.id}`]);
      const prior = await sql.query('SELECT 1 FROM ledger_transactions WHERE idempotency_key = $1', [key]);
      if (!prior.rows.length) {
        const bal = await this.balanceOf(user.id, sql);
        if (bal.availableMicros < gross)
          throw new ApiError(
            'insufficient_balance',
            `your prepaid balance is too low for this use ($${(gross / 1_000_000).toFixed(2)}): top it up`,
            'balance',
            402,
            {
              availableMicros: bal.availableMicros,
              priceMicros: gross,
            },
          );
        const b = splitSale(gross, { hasParent: Boolean(a.parent_creator_id), cardCharge: false }, this.policy);
        const r = await post(sql, {
          kind: 'usage',
          idempotencyKey: key,
          assetId,
          buyerId: user.id,
          creatorId: a.creator_id,
          memo: { breakdown: b, usage: 'use' },
          entries: saleEntries(b, { creatorId: a.creator_id, parentCreatorId: a.parent_creator_id, buyerId: user.id, fromBalance: true }),
        });
        await sql.query(
          `INSERT INTO usages (user_id, asset_id, kind, count, amount_micros, context, ledger_tx_id) VALUES ($1,$2,'use',1,$3,$4,$5)`,
          [user.id, assetId, gross, input.context ?? null, r.txId],
        );
        await sql.query(
          `INSERT INTO entitlements (user_id, asset_id, version, source, ref) VALUES ($1,$2,$3,'use',$4) ON CONFLICT DO NOTHING`,
          [user.id, assetId, version, key],
        );
      }
      return {
        assetId,
        version,
        chargedMicros: prior.rows.length ? 0 : gross,
        duplicate: prior.rows.length > 0,
        balance: await this.balanceOf(user.id, sql),
      };
    });
  }

  // ---------------------------------------------------------------- licenses: validity, usage, keys

  private validity(p: PurchaseRow) {
    const reasons: string[] = [];
    if (p.kind !== 'license') reasons.push('not a license purchase');
    if (p.status !== 'paid') reasons.push(p.status === 'refunded' ? 'the license was refunded' : `the purchase is ${p.status}`);
    const expires = p.license_expires_at ? new Date(p.license_expires_at) : null;
    if (expires && expires.getTime() < Date.now()) reasons.push(`expired on ${expires.toISOString().slice(0, 10)}`);
    const max = p.license_terms?.maxImpressions ?? null;
    const used = Number(p.impressions_used);
    if (max !== null && used >= max) reasons.push(`all ${max} impressions used`);
    return {
      purchaseId: p.id,
      valid: reasons.length === 0,
      reasons,
      licenseType: p.license_type,
      expiresAt: iso(expires),
      impressionsUsed: used,
      maxImpressions: max,
    };
  }

  /** is_license_valid: for the licensee, the asset's creator and staff. */
  async isLicenseValid(user: UserRow, purchaseId: string) {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0];
    const staff = isStaff(user);
    if (!p || (p.buyer_id !== user.id && p.creator_id !== user.id && !staff)) throw new ApiError('not_found', 'no such license', 'id', 404);
    return this.validity(p);
  }

  /** record_license_usage: counts impressions/downloads/embeds; rights-managed licenses owe base rate × royalty %, from the prepaid balance. */
  async recordUsage(user: UserRow, purchaseId: string, input: { usageType: 'impression' | 'download' | 'embed'; count: number }) {
    return this.db.tx(async (sql) => {
      const p = (await sql.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [purchaseId])).rows[0];
      if (!p || p.buyer_id !== user.id) throw new ApiError('not_found', 'no such license', 'id', 404);
      const v = this.validity(p);
      if (!v.valid) throw new ApiError('license_invalid', `this license is not valid: ${v.reasons.join('; ')}`, 'id', 409, v);
      if (input.usageType === 'impression' && v.maxImpressions !== null && v.impressionsUsed + input.count > v.maxImpressions)
        throw new ApiError(
          'license_limit',
          `only ${v.maxImpressions - v.impressionsUsed} impressions are left on this license`,
          'count',
          409,
          v,
        );
      const terms = p.license_terms as LicenseTerms;
      const royalty =
        p.license_type === 'rights_managed' ? usageRoyaltyMicros(input.usageType, terms.royaltyPercent, this.policy) * input.count : 0;
      let txId: number | null = null;
      if (royalty > 0) {
        const a = await this.asset(p.asset_id as string, sql);
        const b = splitSale(royalty, { hasParent: Boolean(a.parent_creator_id), cardCharge: false }, this.policy);
        txId = (
          await post(sql, {
            kind: 'usage',
            purchaseId,
            assetId: a.id,
            buyerId: user.id,
            creatorId: a.creator_id,
            memo: { breakdown: b, usage: input.usageType, count: input.count },
            entries: saleEntries(b, { creatorId: a.creator_id, parentCreatorId: a.parent_creator_id, buyerId: user.id, fromBalance: true }),
          })
        ).txId;
      }
      await sql.query(
        `INSERT INTO usages (user_id, asset_id, purchase_id, kind, count, amount_micros, ledger_tx_id) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [user.id, p.asset_id, purchaseId, input.usageType, input.count, royalty, txId],
      );
      if (input.usageType === 'impression')
        await sql.query('UPDATE purchases SET impressions_used = impressions_used + $2 WHERE id = $1', [purchaseId, input.count]);
      const after = (await sql.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0] as PurchaseRow;
      return { ...this.validity(after), recorded: input.count, royaltyMicros: royalty };
    });
  }

  /** Anyone can check a license key: the signature proves the marketplace issued it, the record says whether it is still valid. */
  async verifyKey(key: string) {
    const [tag, payload, sig] = key.split('.');
    const none = {
      purchaseId: '',
      valid: false,
      licenseType: null,
      expiresAt: null,
      impressionsUsed: 0,
      maxImpressions: null,
      assetId: null,
      assetName: null,
      terms: null,
      issuedAt: null,
    };
    if (tag !== 'OSL1' || !payload || !sig) return { ...none, reasons: ['not a license key'], signatureValid: false };
    const bytes = Buffer.from(payload, 'base64url');
    if (!this.mp.signer.verifyBytes(bytes, Buffer.from(sig, 'base64url')))
      return { ...none, reasons: ['the signature does not match: this key was not issued by this marketplace'], signatureValid: false };
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.license_key = $1`, [key])).rows[0];
    if (!p) return { ...none, reasons: ['no license with this key'], signatureValid: true };
    return {
      ...this.validity(p),
      assetId: p.asset_id,
      assetName: p.asset_name,
      terms: p.license_terms,
      issuedAt: iso(p.paid_at),
      signatureValid: true,
    };
  }

  // ---------------------------------------------------------------- purchases (buyer)

  private async subscriptionOf(id: string | null) {
    if (!id) return null;
    const s = (
      await this.db.query<{ id: string; status: string; interval: string; current_period_end: Date | null }>(
        'SELECT * FROM subscriptions WHERE id = $1',
        [id],
      )
    ).rows[0];
    return s ? { id: s.id, status: s.status, interval: s.interval, currentPeriodEnd: iso(s.current_period_end) } : null;
  }

  async purchaseView(id: string): Promise<PurchaseView> {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [id])).rows[0];
    if (!p) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    return {
      id: p.id,
      kind: p.kind,
      status: p.status,
      assetId: p.asset_id,
      assetName: p.asset_name,
      version: p.version,
      amountCents: p.amount_cents,
      checkoutUrl: p.status === 'pending' ? p.checkout_url : null,
      processor: this.processor.kind,
      licenseType: p.license_type,
      licenseKey: p.license_key,
      terms: p.license_terms,
      licenseExpiresAt: iso(p.license_expires_at),
      impressionsUsed: Number(p.impressions_used),
      subscription: await this.subscriptionOf(p.subscription_id),
      refundableUntil: iso(this.refundableUntil(p)),
      refundReason: p.refund_reason,
      createdAt: iso(p.created_at) as string,
      paidAt: iso(p.paid_at),
      refundedAt: iso(p.refunded_at),
    };
  }

  /** A buyer's purchase; a pending one is re-read from the processor first, so returning from checkout shows the result even before the webhook. */
  async purchase(user: UserRow, id: string): Promise<PurchaseView> {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [id])).rows[0];
    const staff = isStaff(user);
    if (!p || (p.buyer_id !== user.id && !staff)) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    if (p.status === 'pending' && p.checkout_session_id) await this.syncCheckout(p.checkout_session_id);
    return this.purchaseView(id);
  }

  async myPurchases(user: UserRow): Promise<PurchaseView[]> {
    const r = await this.db.query<{ id: string }>(
      `SELECT id FROM purchases WHERE buyer_id = $1 AND status IN ('paid','refunded','pending','unfulfilled') ORDER BY created_at DESC LIMIT 500`,
      [user.id],
    );
    return Promise.all(r.rows.map((x) => this.purchaseView(x.id)));
  }

  // ---------------------------------------------------------------- disputes

  private disputeView(d: {
    id: string;
    purchase_id: string;
    asset_id: string | null;
    asset_name: string | null;
    source: DisputeView['source'];
    reason: string;
    state: DisputeView['state'];
    outcome: DisputeView['outcome'];
    resolution: string | null;
    amount_cents: number;
    created_at: Date;
    resolved_at: Date | null;
  }): DisputeView {
    return {
      id: Number(d.id),
      purchaseId: d.purchase_id,
      assetId: d.asset_id,
      assetName: d.asset_name,
      source: d.source,
      reason: d.reason,
      state: d.state,
      outcome: d.outcome,
      resolution: d.resolution,
      amountCents: d.amount_cents,
      createdAt: iso(d.created_at) as string,
      resolvedAt: iso(d.resolved_at),
    };
  }

  private disputeQuery = `SELECT d.*, p.asset_id, p.amount_cents, p.buyer_id, a.name AS asset_name, a.creator_id
    FROM disputes d JOIN purchases p ON p.id = d.purchase_id LEFT JOIN assets a ON a.id = p.asset_id`;

  async openDispute(user: UserRow, purchaseId: string, reason: string): Promise<DisputeView> {
    const p = (await this.db.query<PurchaseRow>(`${PURCHASE_SELECT} WHERE p.id = $1`, [purchaseId])).rows[0];
    const side = p?.buyer_id === user.id ? 'buyer' : p?.creator_id === user.id ? 'creator' : null;
    if (!p || !side) throw new ApiError('not_found', 'no such purchase', 'id', 404);
    if (p.status !== 'paid') throw new ApiError('not_disputable', `this purchase is ${p.status}`, 'id', 409);
    return this.db.tx(async (sql) => {
      const open = await sql.query(`SELECT 1 FROM disputes WHERE purchase_id = $1 AND state = 'open'`, [purchaseId]);
      if (open.rows.length) throw new ApiError('dispute_open', 'a dispute about this purchase is already open', 'id', 409);
      const r = await sql.query<{ id: string }>(
        'INSERT INTO disputes (purchase_id, opened_by, source, reason) VALUES ($1,$2,$3,$4) RETURNING id',
        [purchaseId, user.id, side, reason],
      );
      const id = Number(r.rows[0]?.id);
      const other = side === 'buyer' ? p.creator_id : p.buyer_id;
      await this.mp.notify(sql, user.id, 'dispute_opened', { disputeId: id, purchaseId, name: p.asset_name });
      if (other) await this.mp.notify(sql, other, 'dispute_opened', { disputeId: id, purchaseId, name: p.asset_name, by: side });
      return this.disputeView(
        (await sql.query<Parameters<Money['disputeView']>[0]>(`${this.disputeQuery} WHERE d.id = $1`, [id])).rows[0] as Parameters<
          Money['disputeView']
        >[0],
      );
    });
  }

  async disputes(user: UserRow): Promise<DisputeView[]> {
    const staff = isStaff(user);
    const r = await this.db.query<Parameters<Money['disputeView']>[0]>(
      `${this.disputeQuery} ${staff ? '' : 'WHERE p.buyer_id = $1 OR a.creator_id = $1'} ORDER BY (d.state = 'open') DESC, d.created_at DESC LIMIT 200`,
      staff ? [] : [user.id],
    );
    return r.rows.map((d) => this.disputeView(d));
  }

  async resolveDispute(mod: UserRow, id: number, input: { outcome: 'refund' | 'no_refund'; resolution: string }): Promise<DisputeView> {
    const d = (
      await this.db.query<{ purchase_id: string; state: string; buyer_id: string; creator_id: string | null }>(
        `${this.disputeQuery} WHERE d.id = $1`,
        [id],
      )
    ).rows[0];
    if (!d) throw new ApiError('not_found', 'no such dispute', 'id', 404);
    await this.mp.moderation.impartial(mod, { type: 'dispute', id: String(id) }, `dispute_${input.outcome}`, {
      buyerId: d.buyer_id,
      creatorId: d.creator_id,
    });
    if (d.state !== 'open') throw new ApiError('dispute_resolved', 'this dispute is already resolved', 'id', 409);
    if (input.outcome === 'refund') await this.refund(d.purchase_id, 'dispute_resolution', input.resolution);
    await this.db.tx(async (sql) => {
      await sql.query(
        `UPDATE disputes SET state = 'resolved', outcome = $2, resolution = $3, resolved_by = $4, resolved_at = now() WHERE id = $1`,
        [id, input.outcome, input.resolution, mod.id],
      );
      for (const u of [d.buyer_id, d.creator_id])
        if (u) await this.mp.notify(sql, u, 'dispute_resolved', { disputeId: id, outcome: input.outcome, resolution: input.resolution });
      await this.mp.moderation.audit(sql, mod, 'dispute_resolved', { type: 'dispute', id: String(id) }, input.resolution, {
        outcome: input.outcome,
        purchaseId: d.purchase_id,
      });
    });
    return this.disputeView(
      (await this.db.query<Parameters<Money['disputeView']>[0]>(`${this.disputeQuery} WHERE d.id = $1`, [id])).rows[0] as Parameters<
        Money['disputeView']
      >[0],
    );
  }

  // ---------------------------------------------------------------- earnings

  private async creatorLines(userId: string, since: Date | null) {
    const r = await this.db.query<{
      id: string;
      kind: string;
      created_at: Date;
      asset_id: string | null;
      asset_name: string | null;
      purchase_id: string | null;
      buyer_id: string | null;
      creator_id: string | null;
      memo: { breakdown?: { gross: number; processorFee: number; platformFee: number; parentRoyalty: number; creatorShare: number } };
      amount_micros: string;
      reverses: string | null;
    }>(
      `SELECT t.id, t.kind, t.created_at, t.asset_id, a.name AS asset_name, t.purchase_id, t.buyer_id, t.creator_id, t.reverses,
              CASE WHEN t.reverses IS NULL THEN t.memo ELSE s.memo END AS memo, e.amount_micros
       FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.tx_id
       LEFT JOIN ledger_transactions s ON s.id = t.reverses
       LEFT JOIN assets a ON a.id = t.asset_id
       WHERE e.account_id = $1 AND ($2::timestamptz IS NULL OR t.created_at >= $2)
       ORDER BY t.id`,
      [creatorAccount(userId), since],
    );
    return r.rows;
  }

  /** get_creator_earnings_summary: derived from the ledger, so it always equals it. */
  async earnings(userId: string, period: EarningsSummary['period']): Promise<EarningsSummary> {
    const days = { '7d': 7, '30d': 30, '90d': 90, all: null }[period];
    const since = days ? new Date(Date.now() - days * DAY) : null;
    const lines = await this.creatorLines(userId, since);
    const t = {
      grossSales: 0,
      creatorShare: 0,
      parentRoyaltiesPaid: 0,
      derivativeRoyaltiesEarned: 0,
      refunds: 0,
      net: 0,
      payouts: 0,
      sales: 0,
      refundCount: 0,
      uniqueBuyers: 0,
    };
    const buyers = new Set<string>();
    const perAsset = new Map<string, { assetId: string; name: string; sales: number; refunds: number; grossSales: number; net: number }>();
    const daily = new Map<string, { day: string; net: number; sales: number }>();
    for (const l of lines) {
      const earned = 0 - Number(l.amount_micros); // a credit to the creator is money earned
      const mine = l.creator_id === userId;
      const b = l.memo?.breakdown;
      if (l.kind === 'payout' || l.kind === 'payout_reversal') {
        t.payouts -= earned;
        continue;
      }
      const day = new Date(l.created_at).toISOString().slice(0, 10);
      const d = daily.get(day) ?? { day, net: 0, sales: 0 };
      daily.set(day, d);
      d.net += earned;
      t.net += earned;
      const pa =
        l.asset_id && mine
          ? (perAsset.get(l.asset_id) ??
            perAsset
              .set(l.asset_id, { assetId: l.asset_id, name: l.asset_name ?? '', sales: 0, refunds: 0, grossSales: 0, net: 0 })
              .get(l.asset_id))
          : undefined;
      if (pa) pa.net += earned;
      if (l.kind === 'sale' || l.kind === 'usage') {
        if (!mine) {
          t.derivativeRoyaltiesEarned += earned;
          continue;
        }
        t.sales += 1;
        d.sales += 1;
        t.grossSales += b?.gross ?? 0;
        t.creatorShare += b?.creatorShare ?? 0;
        t.parentRoyaltiesPaid += b?.parentRoyalty ?? 0;
        if (l.buyer_id) buyers.add(l.buyer_id);
        if (pa) {
          pa.sales += 1;
          pa.grossSales += b?.gross ?? 0;
        }
      } else if (l.kind === 'refund') {
        t.refunds -= earned;
        if (!mine) {
          t.derivativeRoyaltiesEarned += earned;
          continue;
        }
        t.refundCount += 1;
        if (pa) pa.refunds += 1;
      }
    }
    t.uniqueBuyers = buyers.size;
    return {
      period,
      since: iso(since),
      totals: t,
      balanceMicros: await creatorBalance(this.db, userId),
      payableCents: await payableCents(this.db, userId),
      perAsset: [...perAsset.values()].sort((a, b) => b.net - a.net),
      daily: [...daily.values()].sort((a, b) => a.day.localeCompare(b.day)),
    };
  }

  /** Every sale (and refund) credited or debited to the creator, with its fee breakdown. */
  async sales(userId: string, limit = 100) {
    const lines = await this.creatorLines(userId, null);
    return lines
      .filter((l) => ['sale', 'usage', 'refund'].includes(l.kind))
      .slice(-limit)
      .reverse()
      .map((l) => {
        const b = l.memo?.breakdown;
        const sign = l.kind === 'refund' ? -1 : 1;
        return {
          txId: Number(l.id),
          at: iso(l.created_at) as string,
          kind: l.kind,
          assetId: l.asset_id,
          assetName: l.asset_name,
          purchaseId: l.purchase_id,
          role: (l.creator_id === userId ? 'creator' : 'parent') as 'creator' | 'parent',
          gross: sign * (b?.gross ?? 0),
          processorFee: b?.processorFee ?? 0,
          platformFee: sign * (b?.platformFee ?? 0),
          parentRoyalty: sign * (b?.parentRoyalty ?? 0),
          amount: 0 - Number(l.amount_micros),
        };
      });
  }

  /** CSV of every sale or every payout, amounts in dollars with six decimals (exact micro-dollars). */
  async csv(user: UserRow, kind: 'sales' | 'payouts'): Promise<string> {
    const usd = (micros: number) => {
      const neg = micros < 0;
      const m = Math.abs(micros);
      return `${neg ? '-' : ''}${Math.floor(m / 1_000_000)}.${String(m % 1_000_000).padStart(6, '0')}`;
    };
    const rows: unknown[][] = [];
    if (kind === 'sales') {
      rows.push([
        'date',
        'kind',
        'asset_id',
        'asset',
        'purchase_id',
        'role',
        'gross_usd',
        'processor_fee_usd',
        'platform_fee_usd',
        'parent_royalty_usd',
        'your_amount_usd',
      ]);
      for (const s of (await this.sales(user.id, 1_000_000)).reverse())
        rows.push([
          s.at,
          s.kind,
          s.assetId,
          s.assetName,
          s.purchaseId,
          s.role,
          usd(s.gross),
          usd(s.processorFee),
          usd(s.platformFee),
          usd(s.parentRoyalty),
          usd(s.amount),
        ]);
    } else {
      rows.push(['date', 'payout_id', 'amount_usd', 'reversed_usd', 'status', 'transfer_id', 'transfer_group']);
      for (const p of (await this.payouts(user)).reverse())
        rows.push([
          p.createdAt,
          p.id,
          usd(p.amountCents * MICROS_PER_CENT),
          usd(p.reversedCents * MICROS_PER_CENT),
          p.status,
          p.transferId,
          p.transferGroup,
        ]);
    }
    return toCsv(rows);
  }
}
