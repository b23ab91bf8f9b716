/**
 * The automatic detectors run on a stored submission: copy-layer hits on other creators' listings
 * or on blocklists (copyright), submission bursts, close variants of one motif and many low-rated
 * assets (spam), and a description that does not match the image (misrepresentation, by CLIP).
 * Each finding opens (or adds to) a case for a human; nothing is removed or rejected here.
 */
import { UniquenessEngine } from '../../../engine/library.ts';
import type { AssetFingerprints } from '../../../engine/library.ts';
import { fingerprintsFromJson } from '../../../engine/serialize.ts';
import type { AssetCard } from '../../../shared/asset.ts';
import type { CheckResult } from '../../../shared/check.ts';
import type { TrustPolicy } from '../../../shared/policy/trust.ts';
import type { UserRow } from '../../auth.ts';
import type { Database, Sql } from '../../db.ts';
import type * as moderationRepo from '../../repos/moderation.ts';
import type { CaseKind } from '../../repos/moderation.ts';

export type DetectorsRepo = Pick<typeof moderationRepo, 'recentSubmissions' | 'lowRatedAssets' | 'setClipAgreement' | 'otherLiveAssets'>;
export type OpenCase = (
  sql: Sql,
  c: { assetId: string | null; creatorId: string; kind: CaseKind; source: 'report' | 'automatic'; evidence: Record<string, unknown> },
) => Promise<number>;

export interface Submitted {
  assetId: string;
  version: number;
  card: AssetCard;
  fp: AssetFingerprints;
  check: CheckResult;
  blocklist: { list: string; label: string; signals: string[] }[];
}

export class Detectors {
  constructor(
    private readonly db: Database,
    private readonly repo: DetectorsRepo,
    private readonly policy: TrustPolicy,
    private readonly openCase: OpenCase,
  ) {}

  async afterSubmission(user: UserRow, s: Submitted): Promise<void> {
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
      const burst = await this.repo.recentSubmissions(sql, user.id, p.burstMinutes);
      if (burst >= p.burstCount)
        await open('spam', { summary: `${burst} submissions in ${p.burstMinutes} minutes`, assetIds: [s.assetId] }, null);
      // Spam: more than three close variants of one motif among the creator's own assets.
      const variants = await this.closeVariants(sql, user.id, s);
      if (variants.length >= p.maxCloseVariants)
        await open('spam', { summary: `${variants.length + 1} close variants of one motif`, variants: [s.assetId, ...variants] }, null);
      // Spam: many low-quality assets.
      const low = await this.repo.lowRatedAssets(sql, user.id, p.lowQuality.minRatingsEach, p.lowQuality.maxAverage);
      if (low >= p.lowQuality.minAssets)
        await open('spam', { summary: `${low} assets rated ${p.lowQuality.maxAverage}★ or lower on average` }, null);
      // Misrepresentation: the description does not match the image (CLIP), when the models ran.
      const img = s.fp.vectors.clip_image;
      const txt = s.fp.vectors.clip_text;
      if (img && txt) {
        const c = cosine(img, txt);
        await this.repo.setClipAgreement(sql, s.assetId, s.version, c);
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
    const rows = await this.repo.otherLiveAssets(sql, creatorId, s.assetId);
    if (rows.length < this.policy.spam.maxCloseVariants) return [];
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      for (const r of rows)
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
}

export function cosine(a: Float32Array, b: Float32Array): number {
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
