/**
 * Moderation cases: reports and detections open them; a moderator takes the listing down (through
 * listings; every buyer refunded, the creator struck — three strikes ban selling) or dismisses the
 * case; the creator appeals to a different moderator, and an overturn restores listing and strike.
 * Reputation and notices follow the `asset.taken_down` and `takedown.*` events.
 */
import { ApiError } from '../../../shared/api.ts';
import { iso } from '../../../shared/format.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import { MARKETPLACE_POLICY } from '../../../shared/policy/marketplace.ts';
import { type TrustPolicy, assetBadges } from '../../../shared/policy/trust.ts';
import type { UserRow } from '../../auth.ts';
import { isStaff } from '../../authz.ts';
import type { Database, Sql } from '../../db.ts';
import type * as accountsRepo from '../../repos/accounts.ts';
import type { AssetHead } from '../../repos/listings.ts';
import type * as moderationRepo from '../../repos/moderation.ts';
import type { CaseKind, CaseRow } from '../../repos/moderation.ts';
import type { MarketplaceBus } from '../marketplace-events.ts';
import type { AuditLog } from './audit.ts';

export type CasesRepo = Omit<typeof moderationRepo, 'insertAudit' | 'auditSince'>;
export type StandingRepo = Pick<typeof accountsRepo, 'standing' | 'setStrikes'>;

/** What moderation needs from listings: the takedown and restore transitions, and the listing as a moderator sees it. */
export interface CaseListings {
  takeDown(sql: Sql, assetId: string, reason: string): Promise<AssetHead>;
  restore(sql: Sql, assetId: string, previousStatus: string | null): Promise<string>;
  getAsset(user: UserRow | null, id: string): Promise<AssetView>;
}

/** The money side of a takedown: every buyer refunded, subscriptions ended with their period refunded. */
export interface TakedownRefunds {
  refund(purchaseId: string, reason: 'copyright_takedown', note: string): Promise<unknown>;
  endSubscriptionNow(purchaseId: string, reason: 'copyright_takedown'): Promise<unknown>;
}

export interface CasesDeps {
  db: Database;
  repo: CasesRepo;
  users: StandingRepo;
  listings: CaseListings;
  auditLog: AuditLog;
  events: MarketplaceBus;
  refunds: () => TakedownRefunds;
  /** Brings this node's copy index up to date after a listing left or came back. */
  catchUp: () => Promise<void>;
  policy: TrustPolicy;
}

export class CasesService {
  constructor(private readonly d: CasesDeps) {}

  private get db() {
    return this.d.db;
  }

  /** Who is involved in a case: the listing's creator, its reporters, and who decided it. */
  private async caseParties(caseId: number): Promise<{ creatorId: string; reporterIds: string[]; decidedBy: string | null } | null> {
    const c = await this.d.repo.caseDeciders(this.db, caseId);
    if (!c) return null;
    return { creatorId: c.creator_id, reporterIds: await this.d.repo.reporterIds(this.db, caseId), decidedBy: c.decided_by };
  }

  /** Opens a case, or adds evidence to the open case of the same kind about the same asset (or creator, for spam). */
  async openCase(
    sql: Sql,
    c: { assetId: string | null; creatorId: string; kind: CaseKind; source: 'report' | 'automatic'; evidence: Record<string, unknown> },
  ): Promise<number> {
    const existing = await this.d.repo.openCaseId(sql, c);
    const ev = JSON.stringify([{ ...c.evidence, source: c.source, at: new Date().toISOString() }]);
    if (existing) {
      await this.d.repo.addEvidence(sql, existing, ev);
      return Number(existing);
    }
    const id = await this.d.repo.insertCase(sql, {
      assetId: c.assetId,
      creatorId: c.creatorId,
      kind: c.kind,
      source: c.source,
      evidenceJson: ev,
    });
    await this.d.auditLog.audit(sql, null, 'case_opened', { type: 'case', id: String(id) }, String(c.evidence.summary ?? c.kind), {
      kind: c.kind,
      source: c.source,
      assetId: c.assetId,
    });
    return id;
  }

  /** A report from anyone signed in: always reaches a human, as a case about the asset. */
  async report(user: UserRow, assetId: string, kind: CaseKind, details: string) {
    return this.db.tx(async (sql) => {
      const a = await this.d.repo.publishedAssetOwner(sql, assetId);
      if (!a) throw new ApiError('not_found', 'no such published asset', 'id', 404);
      if (a.creator_id === user.id) throw new ApiError('own_asset', 'you cannot report your own asset', 'id', 409);
      const reportId = await this.d.repo.insertReport(sql, assetId, user.id, kind, details);
      const evidence: Record<string, unknown> = { summary: `${kind} report`, reportId, reporter: user.display_name, details };
      if (kind === 'misrepresentation') {
        const agreement = await this.d.repo.clipAgreement(sql, assetId);
        evidence.clipAgreement = agreement ?? 'CLIP models not installed: for a human to judge';
      }
      const caseId = await this.openCase(sql, { assetId, creatorId: a.creator_id, kind, source: 'report', evidence });
      await this.d.repo.linkReport(sql, reportId, caseId);
      return { reportId, caseId, state: 'open' as const };
    });
  }

  private async caseRow(id: number, sql: Sql = this.db): Promise<CaseRow> {
    const r = await this.d.repo.caseRow(sql, id);
    if (!r) throw new ApiError('not_found', 'no such case', 'id', 404);
    return r;
  }

  private async caseView(c: CaseRow, viewer: UserRow) {
    const forStaff = isStaff(viewer);
    const reports = forStaff
      ? (await this.d.repo.reportsOfCase(this.db, c.id)).map((r) => ({
          id: Number(r.id),
          kind: r.kind,
          details: r.details,
          state: r.state,
          reporter: r.display_name,
          at: iso(r.created_at),
        }))
      : [];
    const creator = await this.d.users.standing(this.db, c.creator_id);
    return {
      id: Number(c.id),
      assetId: c.asset_id,
      assetName: c.asset_name,
      asset: c.asset_id && forStaff ? await this.d.listings.getAsset(viewer, c.asset_id).catch(() => null) : null,
      creatorId: c.creator_id,
      creatorName: c.creator_name,
      creatorStrikes: creator?.strikes ?? 0,
      creatorBanned: creator?.selling_banned ?? false,
      creatorReputation: Number(creator?.reputation ?? 0),
      kind: c.kind,
      source: c.source,
      state: c.state,
      evidence: forStaff ? c.evidence : [],
      reports,
      decision: c.decision,
      reason: c.reason,
      decidedAt: iso(c.decided_at),
      appeal: c.appeal_state ? { state: c.appeal_state, reason: c.appeal_reason, decisionReason: c.appeal_decision_reason } : null,
      createdAt: iso(c.created_at) as string,
    };
  }

  async cases(mod: UserRow, state: 'open' | 'appeals' | 'all') {
    // The queues hide what this moderator may not decide (conflictOfInterest): their own listings,
    // what they reported, and appeals of their own decisions. The full history ('all') shows everything.
    const rows = await this.d.repo.casesFor(this.db, mod.id, state);
    return Promise.all(rows.map((c) => this.caseView(c, mod)));
  }

  /** The creator's own cases (the reasons and how to appeal; not who reported them). */
  async myCases(user: UserRow) {
    const rows = await this.d.repo.actionedCasesOf(this.db, user.id);
    return Promise.all(rows.map((c) => this.caseView(c, user)));
  }

  private async syncStrikes(sql: Sql, userId: string): Promise<{ strikes: number; banned: boolean }> {
    const n = await this.d.repo.activeStrikes(sql, userId);
    const banned = await this.d.users.setStrikes(sql, userId, n, n >= this.d.policy.strikesToBan);
    return { strikes: n, banned };
  }

  async decide(mod: UserRow, caseId: number, d: { action: 'takedown' | 'dismiss'; reason: string; strike?: boolean | undefined }) {
    const parties = await this.caseParties(caseId);
    if (parties) await this.d.auditLog.impartial(mod, { type: 'case', id: String(caseId) }, `case_${d.action}`, parties);
    const refunds = await this.db.tx(async (sql) => {
      const c = await this.caseRow(caseId, sql);
      if (c.state !== 'open') throw new ApiError('case_closed', 'this case is already decided', 'id', 409);
      if (d.action === 'dismiss') {
        await this.d.repo.dismissCase(sql, caseId, d.reason, mod.id);
        await this.d.auditLog.audit(sql, mod, 'case_dismissed', { type: 'case', id: String(caseId) }, d.reason);
        return [] as { id: string; kind: string }[];
      }
      if (!c.asset_id)
        throw new ApiError('no_asset', 'this case is about an account, not a listing: dismiss it or act on one of its listings', 'id', 409);
      const before = await this.d.listings.takeDown(sql, c.asset_id, d.reason);
      await this.d.repo.actionCase(sql, caseId, d.reason, mod.id, before.status ?? null);
      await this.d.auditLog.audit(sql, mod, 'takedown', { type: 'asset', id: c.asset_id }, d.reason, { caseId, kind: c.kind });
      let strikes = { strikes: 0, banned: false };
      if (d.strike !== false) {
        await this.d.repo.insertStrike(sql, c.creator_id, caseId, c.asset_id, d.reason);
        strikes = await this.syncStrikes(sql, c.creator_id);
        await this.d.auditLog.audit(sql, mod, 'strike', { type: 'user', id: c.creator_id }, d.reason, { caseId, ...strikes });
        if (strikes.strikes >= this.d.policy.strikesToBan)
          await this.d.auditLog.audit(sql, mod, 'selling_ban', { type: 'user', id: c.creator_id }, `${strikes.strikes} upheld strikes`, {
            caseId,
          });
      }
      const reporterIds = await this.d.repo.upholdReports(sql, caseId, mod.id);
      await this.d.events.emit('asset.taken_down', {
        tx: sql,
        assetId: c.asset_id,
        name: c.asset_name,
        creatorId: c.creator_id,
        caseId,
        reason: d.reason,
        strikes: strikes.strikes,
        sellingBanned: strikes.banned,
        reporterIds,
      });
      return this.d.repo.paidPurchases(sql, c.asset_id);
    });
    // Every buyer is refunded through the ledger (and the processor), whatever the refund window;
    // subscriptions end now, their current period refunded.
    for (const p of refunds)
      if (p.kind === 'subscription') await this.d.refunds().endSubscriptionNow(p.id, 'copyright_takedown');
      else await this.d.refunds().refund(p.id, 'copyright_takedown', d.reason);
    if (refunds.length)
      await this.db.tx((sql) =>
        this.d.auditLog.audit(sql, mod, 'buyers_refunded', { type: 'case', id: String(caseId) }, d.reason, { purchases: refunds.length }),
      );
    await this.d.catchUp();
    return this.caseView(await this.caseRow(caseId), mod);
  }

  async appeal(user: UserRow, caseId: number, reason: string) {
    await this.db.tx(async (sql) => {
      const c = await this.caseRow(caseId, sql);
      if (c.creator_id !== user.id) throw new ApiError('not_found', 'no such case', 'id', 404);
      if (c.state !== 'actioned') throw new ApiError('not_appealable', 'only a takedown can be appealed', 'id', 409);
      if (c.appeal_state) throw new ApiError('already_appealed', `this takedown was already appealed (${c.appeal_state})`, 'id', 409);
      await this.d.repo.appealCase(sql, caseId, reason);
      await this.d.auditLog.audit(sql, user, 'takedown_appealed', { type: 'case', id: String(caseId) }, reason);
      await this.d.events.emit('takedown.appealed', {
        tx: sql,
        caseId,
        assetId: c.asset_id,
        name: c.asset_name,
        creatorId: user.id,
        estimatedReviewTime: MARKETPLACE_POLICY.reviewTargets.appeal,
      });
    });
    // (Read after the transaction: the embedded store has one connection.)
    return this.caseView(await this.caseRow(caseId), user);
  }

  /** A different moderator decides; overturning restores the listing, lifts the strike and recomputes reputation (refunds already made stand). */
  async decideAppeal(mod: UserRow, caseId: number, d: { decision: 'overturn' | 'uphold'; reason: string }) {
    const parties = await this.caseParties(caseId);
    if (parties)
      await this.d.auditLog.impartial(mod, { type: 'case', id: String(caseId) }, `appeal_${d.decision}`, {
        ...parties,
        previousDeciderIds: [parties.decidedBy],
      });
    await this.db.tx(async (sql) => {
      const c = await this.caseRow(caseId, sql);
      if (c.appeal_state !== 'pending') throw new ApiError('no_appeal', 'no pending appeal on this case', 'id', 409);
      await this.d.repo.decideCaseAppeal(sql, caseId, d.decision === 'overturn' ? 'overturned' : 'upheld', mod.id, d.reason);
      await this.d.auditLog.audit(
        sql,
        mod,
        d.decision === 'overturn' ? 'appeal_overturned' : 'appeal_upheld',
        { type: 'case', id: String(caseId) },
        d.reason,
      );
      let strikes: { strikes: number; banned: boolean } | null = null;
      if (d.decision === 'overturn') {
        if (c.asset_id) {
          const restored = await this.d.listings.restore(sql, c.asset_id, c.previous_status);
          await this.d.auditLog.audit(sql, mod, 'listing_restored', { type: 'asset', id: c.asset_id }, d.reason, { status: restored });
        }
        await this.d.repo.liftCase(sql, caseId);
        strikes = await this.syncStrikes(sql, c.creator_id);
        await this.d.auditLog.audit(sql, mod, 'strike_lifted', { type: 'user', id: c.creator_id }, d.reason, { caseId, ...strikes });
      }
      await this.d.events.emit('takedown.appeal_decided', {
        tx: sql,
        caseId,
        assetId: c.asset_id,
        name: c.asset_name,
        creatorId: c.creator_id,
        decision: d.decision,
        reason: d.reason,
        strikes,
      });
    });
    await this.d.catchUp();
    return this.caseView(await this.caseRow(caseId), mod);
  }

  async assetBadges(assetId: string) {
    const r = await this.d.repo.badgeInputs(this.db, assetId);
    return assetBadges({
      ratings: Number(r?.n ?? 0),
      averageRating: r?.avg ?? null,
      salesLast7d: Number(r?.s7 ?? 0),
      salesPrevious7d: Number(r?.p7 ?? 0),
      derivatives: Number(r?.d ?? 0),
    });
  }
}
