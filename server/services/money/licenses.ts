/** Licenses: signed license keys, whether a license is valid, recording its usage (rights-managed royalties from the prepaid balance), verifying a key. */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../shared/api.ts';
import type { LicenseTerms } from '../../../shared/payments.ts';
import { splitSale, usageRoyaltyMicros } from '../../../shared/policy/money.ts';
import type { UserRow } from '../../auth.ts';
import { isStaff } from '../../authz.ts';
import { saleEntries } from '../../repos/ledger.ts';
import type { PurchaseRow } from '../../repos/money/purchases.ts';
import { type MoneyContext, iso, loadAsset } from './context.ts';

/** Signs and checks the bytes of a license key (the marketplace's provenance key). */
export interface KeySigner {
  signBytes(bytes: Uint8Array): Buffer;
  verifyBytes(bytes: Uint8Array, signature: Uint8Array): boolean;
}

const b64url = (b: Buffer) => b.toString('base64url');

export class LicensesService {
  constructor(
    private readonly ctx: MoneyContext,
    private readonly signer: () => KeySigner,
  ) {}

  /** A new signed key for a license purchase: `OSL1.<payload>.<signature>`. */
  issueKey(p: { id: string; asset_id: string | null; offer_id: string | null }, licenseType: string, issuedAt: Date): string {
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
    return `OSL1.${b64url(payload)}.${b64url(this.signer().signBytes(payload))}`;
  }

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
    const p = await this.ctx.repos.purchases.findPurchase(this.ctx.db, purchaseId);
    const staff = isStaff(user);
    if (!p || (p.buyer_id !== user.id && p.creator_id !== user.id && !staff)) throw new ApiError('not_found', 'no such license', 'id', 404);
    return this.validity(p);
  }

  /** record_license_usage: counts impressions/downloads/embeds; rights-managed licenses owe base rate × royalty %, from the prepaid balance. */
  async recordUsage(user: UserRow, purchaseId: string, input: { usageType: 'impression' | 'download' | 'embed'; count: number }) {
    const { purchases, ledger, usages } = this.ctx.repos;
    return this.ctx.db.tx(async (sql) => {
      const p = await purchases.findPurchase(sql, purchaseId, true);
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
        p.license_type === 'rights_managed' ? usageRoyaltyMicros(input.usageType, terms.royaltyPercent, this.ctx.policy) * input.count : 0;
      let txId: number | null = null;
      if (royalty > 0) {
        const a = await loadAsset(this.ctx, sql, p.asset_id as string);
        const b = splitSale(royalty, { hasParent: Boolean(a.parent_creator_id), cardCharge: false }, this.ctx.policy);
        txId = (
          await ledger.post(sql, {
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
      await usages.insertUsage(sql, {
        userId: user.id,
        assetId: p.asset_id,
        purchaseId,
        kind: input.usageType,
        count: input.count,
        amountMicros: royalty,
        context: null,
        ledgerTxId: txId,
      });
      if (input.usageType === 'impression') await purchases.addImpressions(sql, purchaseId, input.count);
      const after = (await purchases.findPurchase(sql, purchaseId)) as PurchaseRow;
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
    if (!this.signer().verifyBytes(bytes, Buffer.from(sig, 'base64url')))
      return { ...none, reasons: ['the signature does not match: this key was not issued by this marketplace'], signatureValid: false };
    const p = await this.ctx.repos.purchases.findByLicenseKey(this.ctx.db, key);
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
}
