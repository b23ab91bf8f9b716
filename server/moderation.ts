/**
 * Trust and safety: reports and automatic detections become moderation cases for a human (the
 * detectors never remove anything); a moderator takes a listing down — it shows a takedown state,
 * every buyer is refunded through the ledger, the creator gets a strike and loses reputation, three
 * strikes ban selling — or dismisses the case; the creator appeals to a different moderator, and an
 * upheld appeal restores listing, reputation and strike. Every moderator action is written to an
 * append-only audit log that admins export. Fingerprint blocklists (e.g. from rights holders) are
 * imported here and checked at submission.
 */
import { UniquenessEngine } from '../engine/library.ts';
import { type FingerprintsJson, fingerprintsFromJson } from '../engine/serialize.ts';
import type { AssetFingerprints } from '../engine/library.ts';
import { ApiError } from '../shared/api.ts';
import type { AssetCard } from '../shared/asset.ts';
import type { CheckResult } from '../shared/check.ts';
import { iso } from '../shared/format.ts';
import { TRUST_POLICY, type TrustPolicy, assetBadges } from '../shared/policy/trust.ts';
import type { UserRow } from './auth.ts';
import { type Parties, assertImpartial, isStaff } from './authz.ts';
import { toCsv } from './csv.ts';
import type { Sql } from './db.ts';
import type { Marketplace } from './marketplace.ts';
import { recomputeReputation } from './trust.ts';

export const CASE_KINDS = ['spam', 'misrepresentation', 'copyright', 'offensive'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

interface CaseRow {
  id: string;
  asset_id: string | null;
  creator_id: string;
  kind: CaseKind;
  source: 'report' | 'automatic';
  state: 'open' | 'actioned' | 'dismissed';
  evidence: Record<string, unknown>[];
  decision: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  appeal_state: 'pending' | 'overturned' | 'upheld' | null;
  appeal_reason: string | null;
  appeal_decision_reason: string | null;
  previous_status: string | null;
  created_at: Date;
  asset_name: string | null;
  creator_name: string;
}

export class Moderation {
  private blocklist: UniquenessEngine | null = null;

  constructor(
    private readonly mp: Marketplace,
    readonly policy: TrustPolicy = TRUST_POLICY,
  ) {}

  private get db() {
    return this.mp.db;
  }

  close(): void {
    this.blocklist?.close();
  }

  // ---------------------------------------------------------------- audit log

  /**
   * The conflict-of-interest check (server/authz.ts) for a staff decision; a refusal is written to
   * the audit log. Call it before the decision's transaction (the refusal must stay recorded).
   */
  impartial(staff: UserRow, target: { type: string; id: string }, attempted: string, parties: Parties): Promise<void> {
    return assertImpartial(staff, parties, (why) => this.audit(this.db, staff, 'conflict_of_interest_refused', target, why, { attempted }));
  }

  /** Who is involved in a case: the listing's creator, its reporters, and who decided it. */
  private async caseParties(caseId: number): Promise<{ creatorId: string; reporterIds: string[]; decidedBy: string | null } | null> {
    const c = (
      await this.db.query<{ creator_id: string; decided_by: string | null }>(
        'SELECT creator_id, decided_by FROM moderation_cases WHERE id = $1',
        [caseId],
      )
    ).rows[0];
    if (!c) return null;
    const reps = await this.db.query<{ reporter_id: string }>('SELECT DISTINCT reporter_id FROM reports WHERE case_id = $1', [caseId]);
    return { creatorId: c.creator_id, reporterIds: reps.rows.map((r) => r.reporter_id), decidedBy: c.decided_by };
  }

  async audit(
    sql: Sql,
    actor: UserRow | null,
    action: string,
    target: { type: string; id: string },
    reason: string | null,
    details: Record<string, unknown> = {},
  ) {
    await sql.query(
      'INSERT INTO audit_log (actor_id, actor_name, action, target_type, target_id, reason, details) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [actor?.id ?? null, actor?.display_name ?? 'system', action, target.type, target.id, reason, JSON.stringify(details)],
    );
  }

  async auditLog(since?: string) {
    const r = await this.db.query<{
      id: string;
      actor_id: string | null;
      actor_name: string;
      action: string;
      target_type: string;
      target_id: string;
      reason: string | null;
      details: unknown;
      created_at: Date;
    }>(`SELECT * FROM audit_log WHERE ($1::timestamptz IS NULL OR created_at >= $1) ORDER BY id LIMIT 100000`, [since ?? null]);
    return r.rows.map((x) => ({
      id: Number(x.id),
      at: iso(x.created_at) as string,
      actorId: x.actor_id,
      actor: x.actor_name,
      action: x.action,
      targetType: x.target_type,
      targetId: x.target_id,
      reason: x.reason,
      details: x.details as Record<string, unknown>,
    }));
  }

  async auditCsv(since?: string): Promise<string> {
    const rows = [['id', 'at', 'actor_id', 'actor', 'action', 'target_type', 'target_id', 'reason', 'details']];
    for (const e of await this.auditLog(since))
      rows.push([
        String(e.id),
        e.at,
        e.actorId ?? '',
        e.actor,
        e.action,
        e.targetType,
        e.targetId,
        e.reason ?? '',
        JSON.stringify(e.details),
      ]);
    return toCsv(rows);
  }

  // ---------------------------------------------------------------- cases

  /** Opens a case, or adds evidence to the open case of the same kind about the same asset (or creator, for spam). */
  async openCase(
    sql: Sql,
    c: { assetId: string | null; creatorId: string; kind: CaseKind; source: 'report' | 'automatic'; evidence: Record<string, unknown> },
  ): Promise<number> {
    const existing = await sql.query<{ id: string }>(
      c.kind === 'spam'
        ? `SELECT id FROM moderation_cases WHERE creator_id = $1 AND kind = 'spam' AND state = 'open' LIMIT 1`
        : `SELECT id FROM moderation_cases WHERE asset_id = $1 AND kind = $2 AND state = 'open' LIMIT 1`,
      c.kind === 'spam' ? [c.creatorId] : [c.assetId, c.kind],
    );
    const ev = JSON.stringify([{ ...c.evidence, source: c.source, at: new Date().toISOString() }]);
    if (existing.rows[0]) {
      await sql.query(`UPDATE moderation_cases SET evidence = evidence || $2::jsonb, updated_at = now() WHERE id = $1`, [
        existing.rows[0].id,
        ev,
      ]);
      return Number(existing.rows[0].id);
    }
    const r = await sql.query<{ id: string }>(
      `INSERT INTO moderation_cases (asset_id, creator_id, kind, source, evidence) VALUES ($1,$2,$3,$4,$5::jsonb) RETURNING id`,
      [c.assetId, c.creatorId, c.kind, c.source, ev],
    );
    const id = Number(r.rows[0]?.id);
    await this.audit(sql, null, 'case_opened', { type: 'case', id: String(id) }, String(c.evidence.summary ?? c.kind), {
      kind: c.kind,
      source: c.source,
      assetId: c.assetId,
    });
    return id;
  }

  /** A report from anyone signed in: always reaches a human, as a case about the asset. */
  async report(user: UserRow, assetId: string, kind: CaseKind, details: string) {
    return this.db.tx(async (sql) => {
      const a = (
        await sql.query<{ creator_id: string; name: string }>(
          'SELECT creator_id, name FROM assets WHERE id = $1 AND published_version IS NOT NULL',
          [assetId],
        )
      ).rows[0];
      if (!a) throw new ApiError('not_found', 'no such published asset', 'id', 404);
      if (a.creator_id === user.id) throw new ApiError('own_asset', 'you cannot report your own asset', 'id', 409);
      const r = await sql.query<{ id: string }>(
        'INSERT INTO reports (asset_id, reporter_id, kind, details) VALUES ($1,$2,$3,$4) RETURNING id',
        [assetId, user.id, kind, details],
      );
      const reportId = Number(r.rows[0]?.id);
      const evidence: Record<string, unknown> = { summary: `${kind} report`, reportId, reporter: user.display_name, details };
      if (kind === 'misrepresentation') {
        const agreement = await this.clipAgreement(sql, assetId);
        evidence.clipAgreement = agreement ?? 'CLIP models not installed: for a human to judge';
      }
      const caseId = await this.openCase(sql, { assetId, creatorId: a.creator_id, kind, source: 'report', evidence });
      await sql.query('UPDATE reports SET case_id = $2 WHERE id = $1', [reportId, caseId]);
      return { reportId, caseId, state: 'open' as const };
    });
  }

  /** CLIP text↔image agreement of an asset's published version, when its vectors exist. */
  private async clipAgreement(sql: Sql, assetId: string): Promise<number | null> {
    const v = (
      await sql.query<{ clip_agreement: number | null }>(
        'SELECT v.clip_agreement FROM asset_versions v JOIN assets a ON a.id = v.asset_id AND v.version = a.published_version WHERE a.id = $1',
        [assetId],
      )
    ).rows[0];
    return v?.clip_agreement ?? null;
  }

  // ---------------------------------------------------------------- detection at submission

  /** Copy-layer hits against imported blocklists (held for a human like any likely plagiarism). */
  async blocklistHits(card: AssetCard, fp: AssetFingerprints): Promise<{ list: string; label: string; signals: string[] }[]> {
    if (!this.blocklist) {
      this.blocklist = UniquenessEngine.open({ dbPath: ':memory:' });
      const rows = await this.db.query<{ id: string; list: string; label: string; fingerprints: FingerprintsJson }>(
        'SELECT * FROM blocklist_entries',
      );
      for (const r of rows.rows) this.indexBlock(r);
    }
    if (!this.blocklist.size) return [];
    const r = this.blocklist.checkFingerprints({ card, creatorId: '__submitter__', fp: { ...fp, vectors: {} } });
    return r.matches
      .filter((m) => m.copySignals.length)
      .map((m) => ({ list: m.creatorId.replace(/^blocklist:/, ''), label: m.name, signals: m.copySignals }));
  }

  private indexBlock(r: { id: string; list: string; label: string; fingerprints: FingerprintsJson }) {
    this.blocklist?.indexFingerprints(
      {
        id: `block:${r.id}`,
        creatorId: `blocklist:${r.list}`,
        card: { asset_type: 'media', name: r.label, description: '', tags: [] } as unknown as AssetCard,
      },
      { ...fingerprintsFromJson(r.fingerprints), vectors: {} },
    );
  }

  async importBlocklist(admin: UserRow, input: { list: string; entries: { label: string; fingerprints: unknown }[] }) {
    const added = await this.db.tx(async (sql) => {
      let n = 0;
      for (const e of input.entries) {
        try {
          fingerprintsFromJson(e.fingerprints as FingerprintsJson);
        } catch {
          throw new ApiError(
            'invalid_input',
            `entries.${n}.fingerprints: not engine fingerprints JSON (export an asset card to see the format)`,
            `entries.${n}.fingerprints`,
            400,
          );
        }
        const r = await sql.query<{ id: string }>(
          'INSERT INTO blocklist_entries (list, label, fingerprints, added_by) VALUES ($1,$2,$3,$4) RETURNING id',
          [input.list, e.label, JSON.stringify(e.fingerprints), admin.id],
        );
        this.blocklist?.close();
        this.blocklist = null; // rebuilt on next use, from the database
        n += 1;
        void r;
      }
      await this.audit(sql, admin, 'blocklist_imported', { type: 'blocklist', id: input.list }, null, { entries: n });
      return n;
    });
    return { list: input.list, added };
  }

  /**
   * Runs the detectors on a stored submission; each finding opens (or adds to) a case for a human.
   * Nothing is removed or rejected here.
   */
  async afterSubmission(
    user: UserRow,
    s: {
      assetId: string;
      version: number;
      card: AssetCard;
      fp: AssetFingerprints;
      check: CheckResult;
      blocklist: { list: string; label: string; signals: string[] }[];
    },
  ) {
    const p = this.policy.spam;
    await this.db.tx(async (sql) => {
      const open = (kind: CaseKind, evidence: Record<string, unknown>, assetId: string | null = s.assetId) =>
        this.openCase(sql, { assetId, creatorId: user.id, kind, source: 'automatic', evidence });
      // Copyright: a copy-layer hit on another creator's published asset, or on a blocklist.
      const copies = s.check.matches.filter((m) => m.copySignals.length && m.creatorId !== user.id);
      if (copies.length)
        await open('copyright', {
          summary: `copy-layer match with ${copies.length} published asset(s) of other creators`,
          matches: copies.map((m) => ({ assetId: m.assetId, name: m.name, signals: m.copySignals, combined: m.combined })),
        });
      if (s.blocklist.length)
        await open('copyright', { summary: `matches ${s.blocklist.length} blocklisted work(s)`, blocklist: s.blocklist });
      // Spam: bursts of submissions.
      const burst = Number(
        (
          await sql.query<{ n: string }>(
            `SELECT count(*) AS n FROM asset_versions v JOIN assets a ON a.id = v.asset_id WHERE a.creator_id = $1 AND v.submitted_at > now() - ($2 || ' minutes')::interval`,
            [user.id, String(p.burstMinutes)],
          )
        ).rows[0]?.n,
      );
      if (burst >= p.burstCount)
        await open('spam', { summary: `${burst} submissions in ${p.burstMinutes} minutes`, assetIds: [s.assetId] }, null);
      // Spam: more than three close variants of one motif among the creator's own assets.
      const variants = await this.closeVariants(sql, user.id, s);
      if (variants.length >= p.maxCloseVariants)
        await open('spam', { summary: `${variants.length + 1} close variants of one motif`, variants: [s.assetId, ...variants] }, null);
      // Spam: many low-quality assets.
      const low = Number(
        (
          await sql.query<{ n: string }>(
            `SELECT count(*) AS n FROM (SELECT r.asset_id FROM reviews r JOIN assets a ON a.id = r.asset_id WHERE a.creator_id = $1
              GROUP BY r.asset_id HAVING count(*) >= $2 AND avg(r.rating) <= $3) x`,
            [user.id, p.lowQuality.minRatingsEach, p.lowQuality.maxAverage],
          )
        ).rows[0]?.n,
      );
      if (low >= p.lowQuality.minAssets)
        await open('spam', { summary: `${low} assets rated ${p.lowQuality.maxAverage}★ or lower on average` }, null);
      // Misrepresentation: the description does not match the image (CLIP), when the models ran.
      const img = s.fp.vectors.clip_image;
      const txt = s.fp.vectors.clip_text;
      if (img && txt) {
        const c = cosine(img, txt);
        await sql.query('UPDATE asset_versions SET clip_agreement = $3 WHERE asset_id = $1 AND version = $2', [s.assetId, s.version, c]);
        if (c < this.policy.misrepresentationMinCosine)
          await open('misrepresentation', {
            summary: `CLIP text↔image agreement ${c.toFixed(3)} < ${this.policy.misrepresentationMinCosine}`,
            clipAgreement: c,
          });
      }
    });
  }

  /** The creator's other live assets that are close variants of this submission (in-memory engine over their fingerprints). */
  private async closeVariants(
    sql: Sql,
    creatorId: string,
    s: { assetId: string; card: AssetCard; fp: AssetFingerprints },
  ): Promise<string[]> {
    const rows = await sql.query<{ id: string; card: AssetCard; fingerprints: FingerprintsJson }>(
      `SELECT a.id, v.card, v.fingerprints FROM assets a JOIN asset_versions v ON v.asset_id = a.id AND v.version = a.latest_version
       WHERE a.creator_id = $1 AND a.id <> $2 AND a.status NOT IN ('withdrawn', 'rejected', 'taken_down') ORDER BY a.created_at DESC LIMIT 300`,
      [creatorId, s.assetId],
    );
    if (rows.rows.length < this.policy.spam.maxCloseVariants) return [];
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      for (const r of rows.rows)
        engine.indexFingerprints(
          { id: r.id, creatorId: 'other', card: r.card },
          { ...fingerprintsFromJson(r.fingerprints, r.card), vectors: {} },
        );
      const res = engine.checkFingerprints({ card: s.card, creatorId: 'self', fp: { ...s.fp, vectors: {} } });
      return res.matches.filter((m) => m.copySignals.length || m.combined >= this.policy.spam.closeVariantSimilarity).map((m) => m.assetId);
    } finally {
      engine.close();
    }
  }

  // ---------------------------------------------------------------- moderators

  private caseQuery = `SELECT c.*, a.name AS asset_name, u.display_name AS creator_name
    FROM moderation_cases c LEFT JOIN assets a ON a.id = c.asset_id JOIN users u ON u.id = c.creator_id`;

  private async caseRow(id: number, sql: Sql = this.db): Promise<CaseRow> {
    const r = (await sql.query<CaseRow>(`${this.caseQuery} WHERE c.id = $1`, [id])).rows[0];
    if (!r) throw new ApiError('not_found', 'no such case', 'id', 404);
    return r;
  }

  private async caseView(c: CaseRow, viewer: UserRow) {
    const forStaff = isStaff(viewer);
    const reports = forStaff
      ? (
          await this.db.query<{ id: string; kind: string; details: string; state: string; display_name: string; created_at: Date }>(
            'SELECT r.*, u.display_name FROM reports r JOIN users u ON u.id = r.reporter_id WHERE r.case_id = $1 ORDER BY r.id',
            [c.id],
          )
        ).rows.map((r) => ({
          id: Number(r.id),
          kind: r.kind,
          details: r.details,
          state: r.state,
          reporter: r.display_name,
          at: iso(r.created_at),
        }))
      : [];
    const creator = (
      await this.db.query<{ strikes: number; selling_banned: boolean; reputation: number }>(
        'SELECT strikes, selling_banned, reputation FROM users WHERE id = $1',
        [c.creator_id],
      )
    ).rows[0];
    return {
      id: Number(c.id),
      assetId: c.asset_id,
      assetName: c.asset_name,
      asset: c.asset_id && forStaff ? await this.mp.getAsset(viewer, c.asset_id).catch(() => null) : null,
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
    const mine = `c.creator_id <> $1 AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.case_id = c.id AND r.reporter_id = $1)`;
    const where =
      state === 'open'
        ? `WHERE c.state = 'open' AND ${mine}`
        : state === 'appeals'
          ? `WHERE c.appeal_state = 'pending' AND ${mine} AND c.decided_by IS DISTINCT FROM $1`
          : '';
    const r = await this.db.query<CaseRow>(`${this.caseQuery} ${where} ORDER BY c.created_at LIMIT 200`, where ? [mod.id] : []);
    return Promise.all(r.rows.map((c) => this.caseView(c, mod)));
  }

  /** The creator's own cases (the reasons and how to appeal; not who reported them). */
  async myCases(user: UserRow) {
    const r = await this.db.query<CaseRow>(
      `${this.caseQuery} WHERE c.creator_id = $1 AND c.state = 'actioned' ORDER BY c.created_at DESC`,
      [user.id],
    );
    return Promise.all(r.rows.map((c) => this.caseView(c, user)));
  }

  private async syncStrikes(sql: Sql, userId: string): Promise<{ strikes: number; banned: boolean }> {
    const n = Number(
      (await sql.query<{ n: string }>('SELECT count(*) AS n FROM strikes WHERE user_id = $1 AND active', [userId])).rows[0]?.n,
    );
    const banned = n >= this.policy.strikesToBan;
    await sql.query('UPDATE users SET strikes = $2, selling_banned = $3 WHERE id = $1', [userId, n, banned]);
    return { strikes: n, banned };
  }

  async decide(mod: UserRow, caseId: number, d: { action: 'takedown' | 'dismiss'; reason: string; strike?: boolean | undefined }) {
    const parties = await this.caseParties(caseId);
    if (parties) await this.impartial(mod, { type: 'case', id: String(caseId) }, `case_${d.action}`, parties);
    const refunds = await this.db.tx(async (sql) => {
      const c = await this.caseRow(caseId, sql);
      if (c.state !== 'open') throw new ApiError('case_closed', 'this case is already decided', 'id', 409);
      if (d.action === 'dismiss') {
        await sql.query(
          `UPDATE moderation_cases SET state = 'dismissed', decision = 'dismiss', reason = $2, decided_by = $3, decided_at = now() WHERE id = $1`,
          [caseId, d.reason, mod.id],
        );
        await sql.query(`UPDATE reports SET state = 'dismissed', decided_at = now(), decided_by = $2 WHERE case_id = $1`, [caseId, mod.id]);
        await this.audit(sql, mod, 'case_dismissed', { type: 'case', id: String(caseId) }, d.reason);
        return [] as { id: string; kind: string }[];
      }
      if (!c.asset_id)
        throw new ApiError('no_asset', 'this case is about an account, not a listing: dismiss it or act on one of its listings', 'id', 409);
      const a = (
        await sql.query<{ status: string; published_version: number | null }>(
          'SELECT status, published_version FROM assets WHERE id = $1',
          [c.asset_id],
        )
      ).rows[0];
      await sql.query(
        `UPDATE assets SET status = 'taken_down', takedown_reason = $2, taken_down_at = now(), updated_at = now() WHERE id = $1`,
        [c.asset_id, d.reason],
      );
      await sql.query(
        `UPDATE review_items SET state = 'decided', decision = 'taken_down', decided_at = now() WHERE asset_id = $1 AND state = 'open'`,
        [c.asset_id],
      );
      if (a?.published_version !== null)
        await sql.query(`INSERT INTO index_events (asset_id, version, kind) VALUES ($1, NULL, 'tombstone')`, [c.asset_id]);
      await sql.query(
        `UPDATE moderation_cases SET state = 'actioned', decision = 'takedown', reason = $2, decided_by = $3, decided_at = now(), previous_status = $4 WHERE id = $1`,
        [caseId, d.reason, mod.id, a?.status ?? null],
      );
      await this.audit(sql, mod, 'takedown', { type: 'asset', id: c.asset_id }, d.reason, { caseId, kind: c.kind });
      let strikes = { strikes: 0, banned: false };
      if (d.strike !== false) {
        await sql.query('INSERT INTO strikes (user_id, case_id, asset_id, reason) VALUES ($1,$2,$3,$4)', [
          c.creator_id,
          caseId,
          c.asset_id,
          d.reason,
        ]);
        strikes = await this.syncStrikes(sql, c.creator_id);
        await this.audit(sql, mod, 'strike', { type: 'user', id: c.creator_id }, d.reason, { caseId, ...strikes });
        if (strikes.banned)
          await this.audit(sql, mod, 'selling_ban', { type: 'user', id: c.creator_id }, `${strikes.strikes} upheld strikes`, { caseId });
      }
      const reporters = await sql.query<{ reporter_id: string }>(
        `UPDATE reports SET state = 'upheld', decided_at = now(), decided_by = $2 WHERE case_id = $1 RETURNING reporter_id`,
        [caseId, mod.id],
      );
      await recomputeReputation(sql, c.creator_id, `listing taken down: ${d.reason}`);
      for (const r of reporters.rows) {
        await recomputeReputation(sql, r.reporter_id, 'a report of yours was upheld');
        await this.mp.notify(sql, r.reporter_id, 'report_upheld', { assetId: c.asset_id, name: c.asset_name });
      }
      await this.mp.notify(sql, c.creator_id, 'taken_down', {
        assetId: c.asset_id,
        name: c.asset_name,
        caseId,
        reason: d.reason,
        strikes: strikes.strikes,
        sellingBanned: strikes.banned,
        appeal: `/v1/moderation/cases/${caseId}/appeal`,
      });
      const paid = await sql.query<{ id: string; kind: string }>(
        `SELECT id, kind FROM purchases WHERE asset_id = $1 AND status = 'paid' AND kind IN ('one_time', 'license', 'subscription')`,
        [c.asset_id],
      );
      return paid.rows;
    });
    // Every buyer is refunded through the ledger (and the processor), whatever the refund window;
    // subscriptions end now, their current period refunded.
    for (const p of refunds)
      if (p.kind === 'subscription') await this.mp.money.endSubscriptionNow(p.id, 'copyright_takedown');
      else await this.mp.money.refund(p.id, 'copyright_takedown', d.reason);
    if (refunds.length)
      await this.db.tx((sql) =>
        this.audit(sql, mod, 'buyers_refunded', { type: 'case', id: String(caseId) }, d.reason, { purchases: refunds.length }),
      );
    await this.mp.index.catchUp(this.db);
    return this.caseView(await this.caseRow(caseId), mod);
  }

  async appeal(user: UserRow, caseId: number, reason: string) {
    await this.db.tx(async (sql) => {
      const c = await this.caseRow(caseId, sql);
      if (c.creator_id !== user.id) throw new ApiError('not_found', 'no such case', 'id', 404);
      if (c.state !== 'actioned') throw new ApiError('not_appealable', 'only a takedown can be appealed', 'id', 409);
      if (c.appeal_state) throw new ApiError('already_appealed', `this takedown was already appealed (${c.appeal_state})`, 'id', 409);
      await sql.query(`UPDATE moderation_cases SET appeal_state = 'pending', appeal_reason = $2, updated_at = now() WHERE id = $1`, [
        caseId,
        reason,
      ]);
      await this.audit(sql, user, 'takedown_appealed', { type: 'case', id: String(caseId) }, reason);
      await this.mp.notify(sql, user.id, 'appeal_submitted', {
        caseId,
        assetId: c.asset_id,
        name: c.asset_name,
        estimatedReviewTime: '3 business days',
      });
    });
    // (Read after the transaction: the embedded store has one connection.)
    return this.caseView(await this.caseRow(caseId), user);
  }

  /** A different moderator decides; overturning restores the listing, lifts the strike and recomputes reputation (refunds already made stand). */
  async decideAppeal(mod: UserRow, caseId: number, d: { decision: 'overturn' | 'uphold'; reason: string }) {
    const parties = await this.caseParties(caseId);
    if (parties)
      await this.impartial(mod, { type: 'case', id: String(caseId) }, `appeal_${d.decision}`, {
        ...parties,
        previousDeciderIds: [parties.decidedBy],
      });
    await this.db.tx(async (sql) => {
      const c = await this.caseRow(caseId, sql);
      if (c.appeal_state !== 'pending') throw new ApiError('no_appeal', 'no pending appeal on this case', 'id', 409);
      await sql.query(
        `UPDATE moderation_cases SET appeal_state = $2, appeal_decided_by = $3, appeal_decision_reason = $4, updated_at = now() WHERE id = $1`,
        [caseId, d.decision === 'overturn' ? 'overturned' : 'upheld', mod.id, d.reason],
      );
      await this.audit(
        sql,
        mod,
        d.decision === 'overturn' ? 'appeal_overturned' : 'appeal_upheld',
        { type: 'case', id: String(caseId) },
        d.reason,
      );
      let strikes: { strikes: number; banned: boolean } | null = null;
      if (d.decision === 'overturn') {
        if (c.asset_id) {
          const a = (
            await sql.query<{ published_version: number | null }>('SELECT published_version FROM assets WHERE id = $1', [c.asset_id])
          ).rows[0];
          const restored =
            c.previous_status && c.previous_status !== 'taken_down'
              ? c.previous_status
              : a?.published_version !== null
                ? 'published'
                : 'in_review';
          await sql.query(`UPDATE assets SET status = $2, takedown_reason = NULL, taken_down_at = NULL, updated_at = now() WHERE id = $1`, [
            c.asset_id,
            restored,
          ]);
          if (a?.published_version !== null && a?.published_version !== undefined)
            await sql.query(`INSERT INTO index_events (asset_id, version, kind) VALUES ($1, $2, 'upsert')`, [
              c.asset_id,
              a.published_version,
            ]);
          await this.audit(sql, mod, 'listing_restored', { type: 'asset', id: c.asset_id }, d.reason, { status: restored });
        }
        await sql.query(`UPDATE strikes SET active = false, lifted_at = now() WHERE case_id = $1 AND active`, [caseId]);
        await sql.query(`UPDATE reports SET state = 'dismissed' WHERE case_id = $1`, [caseId]);
        strikes = await this.syncStrikes(sql, c.creator_id);
        await this.audit(sql, mod, 'strike_lifted', { type: 'user', id: c.creator_id }, d.reason, { caseId, ...strikes });
        await recomputeReputation(sql, c.creator_id, 'a takedown was overturned on appeal');
      }
      await this.mp.notify(sql, c.creator_id, 'appeal_decided', {
        caseId,
        assetId: c.asset_id,
        name: c.asset_name,
        decision: d.decision,
        reason: d.reason,
        ...(strikes ? { strikes: strikes.strikes, sellingBanned: strikes.banned } : {}),
      });
    });
    await this.mp.index.catchUp(this.db);
    return this.caseView(await this.caseRow(caseId), mod);
  }

  // ---------------------------------------------------------------- badges

  async assetBadges(assetId: string) {
    const q = await this.db.query<{ n: string; avg: number | null; s7: string; p7: string; d: string }>(
      `SELECT (SELECT count(*) FROM reviews WHERE asset_id = $1) AS n,
              (SELECT avg(rating)::float8 FROM reviews WHERE asset_id = $1) AS avg,
              (SELECT count(*) FROM purchases WHERE asset_id = $1 AND status = 'paid' AND paid_at > now() - interval '7 days') AS s7,
              (SELECT count(*) FROM purchases WHERE asset_id = $1 AND status = 'paid' AND paid_at <= now() - interval '7 days' AND paid_at > now() - interval '14 days') AS p7,
              (SELECT count(*) FROM asset_derivations d JOIN assets c ON c.id = d.child_asset_id WHERE d.parent_asset_id = $1 AND c.published_version IS NOT NULL) AS d`,
      [assetId],
    );
    const r = q.rows[0];
    return assetBadges({
      ratings: Number(r?.n ?? 0),
      averageRating: r?.avg ?? null,
      salesLast7d: Number(r?.s7 ?? 0),
      salesPrevious7d: Number(r?.p7 ?? 0),
      derivatives: Number(r?.d ?? 0),
    });
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
