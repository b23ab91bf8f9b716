/**
 * Submission of a new asset or a new version, in small steps: may this account submit; the card;
 * the listing and parent checks; the server's own fingerprints; the files hashed and copied aside
 * (BlobStore.stage); the analysis; the verdict gates; blocklists; the files committed into the blob
 * store; the version, its analysis, derivation and review item in one transaction
 * (`asset.submitted` notifies the creator) — from the analysis to that store one
 * submission at a time across every node on the database, so each is compared with those stored
 * before it; then the moderation detectors.
 * A submission is cancelled when its client goes away, the server shuts down (close()), or — for a
 * new version — its listing is withdrawn (withdraw()): the media decoding stops at once (its FFmpeg
 * processes killed) and, whatever step it had reached, nothing is stored once it is cancelled — no
 * blob, no version, no review item.
 */
import type { AssetCard } from '../../../engine/cards.ts';
import type { MediaData } from '../../../engine/fingerprints.ts';
import type { AssetFingerprints } from '../../../engine/library.ts';
import { fingerprintsToJson, mediaFromJson } from '../../../engine/serialize.ts';
import { metadataText } from '../../../engine/text/metadata.ts';
import { ApiError } from '../../../shared/api.ts';
import type { CheckResult } from '../../../shared/check.ts';
import { MARKETPLACE_POLICY } from '../../../shared/policy/marketplace.ts';
import type { UniquenessPolicy } from '../../../shared/policy/uniqueness.ts';
import { type UserRow, newId } from '../../auth.ts';
import { authorize } from '../../authz.ts';
import type { BlobStore, StagedBlob } from '../../blobs.ts';
import { type Database, type Sql, isUniqueViolation } from '../../db.ts';
import type { AssetRow } from '../../repos/listings.ts';
import type * as reviewRepo from '../../repos/review.ts';
import type * as submissionsRepo from '../../repos/submissions.ts';
import type { ListingsService } from '../listings/listings.ts';
import type { MarketplaceBus } from '../marketplace-events.ts';
import type { Analyser } from './analysis.ts';
import { InFlight } from './in-flight.ts';
import type { Fingerprinter } from './fingerprint.ts';
import {
  type BlocklistHit,
  assertMediaFits,
  assertParent,
  parseCard,
  reviewFlags,
  similarityRows,
  summarize,
  verdictGate,
} from './gates.ts';

export interface SubmissionInput {
  card: unknown;
  image?: Uint8Array | undefined;
  /** An audio or video file already streamed to disk (server/http/multipart.ts); the caller removes it afterwards. */
  media?: { path: string; filename: string } | undefined;
  parentAssetId?: string | undefined;
  /** Aborted when the client goes away: the media decoding stops (its FFmpeg processes are killed). */
  signal?: AbortSignal | undefined;
}

export type SubmissionsRepo = Pick<
  typeof submissionsRepo,
  'parentOf' | 'versionMedia' | 'insertVersion' | 'insertSimilarity' | 'insertDerivation'
>;
export type SubmissionReviewRepo = Pick<typeof reviewRepo, 'hasOpenItem' | 'insertSubmission'>;
export type SubmissionListings = Pick<ListingsService, 'assetRow' | 'publishedCount' | 'assertMayResubmit' | 'submitVersion' | 'withdraw'>;

/** The moderation detectors a submission runs: blocklists before storing, the case detectors after. */
export interface SubmissionModeration {
  blocklistHits(card: AssetCard, fp: AssetFingerprints): Promise<BlocklistHit[]>;
  afterSubmission(
    user: UserRow,
    s: { assetId: string; version: number; card: AssetCard; fp: AssetFingerprints; check: CheckResult; blocklist: BlocklistHit[] },
  ): Promise<unknown>;
}

export interface SubmissionsDeps {
  db: Database;
  repo: SubmissionsRepo;
  review: SubmissionReviewRepo;
  listings: SubmissionListings;
  fingerprinter: Pick<Fingerprinter, 'fingerprint'>;
  analyser: Pick<Analyser, 'analyse' | 'modelOf'>;
  blobs: Pick<BlobStore, 'stage' | 'stageFile'>;
  moderation: () => SubmissionModeration;
  events: MarketplaceBus;
  /** This marketplace's uniqueness policy (a stored match above its duplicate threshold counts as a copy; its `ownPartReuse` gates a reuse of one's own asset). */
  uniqueness: UniquenessPolicy;
}

/** The database-wide lock a submission holds from its analysis to its stored review item. */
const COMPARE_AND_STORE = 'submissions.compare-and-store';

/** What a submission stores, once every check passed. */
interface Stored {
  assetId: string;
  version: number;
  existing: AssetRow | null;
  parentId: string | undefined;
  card: AssetCard;
  fp: AssetFingerprints;
  check: CheckResult;
  flagged: boolean;
  flags: string[];
  imageSha: string | null;
  mediaSha: string | null;
}

export class SubmissionsService {
  /** Aborted by close(): every submission still running is cancelled. */
  private readonly closing = new AbortController();
  /** New versions being submitted, by listing: a withdrawal cancels them (withdraw()). */
  private readonly versions = new InFlight();

  constructor(private readonly d: SubmissionsDeps) {}

  /** Cancels the submissions still running (the server is shutting down); later ones are refused. */
  close(): void {
    this.closing.abort();
  }

  /**
   * The creator takes a listing off sale (ListingsService.withdraw); the new versions of it still
   * being analysed are then cancelled — their FFmpeg killed, answered 409 `withdrawn`, nothing stored.
   */
  async withdraw(user: UserRow, assetId: string) {
    const r = await this.d.listings.withdraw(user, assetId);
    this.versions.cancel(assetId, withdrawnMidway);
    return r;
  }

  /** Whether this account may submit at all; the HTTP layer asks before it reads an upload. */
  async assertMaySubmit(user: UserRow): Promise<void> {
    authorize(user, 'asset.submit', {}, { publishedCount: await this.d.listings.publishedCount(user.id) });
  }

  async submit(user: UserRow, input: SubmissionInput, existingId?: string) {
    // The client's signal, the service's shutdown and (for a new version) its listing's withdrawal
    // combined, with listeners removed afterwards (AbortSignal.any would keep one per submission on
    // the service-lifetime signal on some Node versions).
    const ac = new AbortController();
    const sources = [input.signal, this.closing.signal].filter((s): s is AbortSignal => s !== undefined);
    const onAbort = () => ac.abort();
    for (const s of sources) s.addEventListener('abort', onAbort, { once: true });
    if (sources.some((s) => s.aborted)) ac.abort();
    const leave = existingId ? this.versions.join(existingId, ac) : () => undefined;
    try {
      return await this.submitWith(user, input, existingId, ac.signal);
    } catch (err) {
      // Cancelled by a withdrawal: say so (409), whichever step noticed the abort.
      throw ac.signal.reason instanceof ApiError ? ac.signal.reason : err;
    } finally {
      leave();
      for (const s of sources) s.removeEventListener('abort', onAbort);
    }
  }

  private async submitWith(user: UserRow, input: SubmissionInput, existingId: string | undefined, signal: AbortSignal) {
    stopIfCancelled(signal);
    await this.assertMaySubmit(user);
    const card = parseCard(input.card);
    const existing = existingId ? await this.existingListing(user, existingId) : null;
    const parentId = input.parentAssetId ?? existing?.parent_asset_id ?? undefined;
    if (parentId) assertParent(await this.d.repo.parentOf(this.d.db, parentId), user.id);
    assertMediaFits(card, Boolean(input.media));
    const fp = await this.d.fingerprinter.fingerprint(card, input.image, input.media?.path, signal);
    // A new version of a media asset sent without its file keeps the previous version's file.
    const kept = existing && !input.media && card.asset_type === 'media' ? await this.previousMedia(existing) : null;
    if (kept) fp.media = kept.media;
    // The files are hashed and copied aside first, outside the compare-and-store step below, so that
    // a large upload's copy does not hold the next submission's check; stored under their ids only
    // when this one is, dropped otherwise (refused, cancelled, failed).
    stopIfCancelled(signal);
    const staged = await this.stageFiles(input);
    let stored: { s: Stored; blocklist: BlocklistHit[] };
    try {
      // Compared and stored one at a time, on this node and across the nodes sharing its database
      // (Database.exclusive): a submission arriving while another is being analysed waits for it to
      // be stored, then finds it among the submissions in review (two copies sent at the same moment
      // would otherwise each be compared before the other was stored).
      stored = await this.d.db.exclusive(COMPARE_AND_STORE, async () => {
        stopIfCancelled(signal);
        const check = await this.d.analyser.analyse(card, fp, user.id, existingId);
        verdictGate(check, parentId, user.id, this.d.uniqueness);
        const blocklist = await this.d.moderation().blocklistHits(card, fp);
        const { flagged, flags } = reviewFlags(check, blocklist, user.id);
        // The last point a cancelled submission stops at: from here its files and rows are stored.
        stopIfCancelled(signal);
        await Promise.all([staged.image?.commit(), staged.media?.commit()]);
        const s: Stored = {
          assetId: existing?.id ?? newId(),
          version: (existing?.latest_version ?? 0) + 1,
          existing,
          parentId,
          card,
          fp,
          check,
          flagged,
          flags,
          imageSha: staged.image?.sha256 ?? null,
          mediaSha: staged.media?.sha256 ?? kept?.sha ?? null,
        };
        await this.store(user, s);
        return { s, blocklist };
      });
    } finally {
      await Promise.all([staged.image?.discard(), staged.media?.discard()]);
    }
    const { s, blocklist } = stored;
    const { check, flagged } = s;
    // The detectors only queue cases for a human; a failure there must not lose the submission.
    await this.d
      .moderation()
      .afterSubmission(user, { assetId: s.assetId, version: s.version, card, fp, check, blocklist })
      .catch((e: unknown) => console.error('[moderation] detection failed', e));
    return {
      assetId: s.assetId,
      version: s.version,
      status: 'in_review' as const,
      heldForManualReview: flagged,
      parentAssetId: parentId ?? null,
      estimatedReviewTime: estimatedReviewTime(flagged),
      check: summarize(check),
    };
  }

  /** The submission's image and media file written aside (BlobStore.stage); one failing drops the other. */
  private async stageFiles(input: SubmissionInput): Promise<{ image?: StagedBlob; media?: StagedBlob }> {
    const [image, media] = await Promise.allSettled([
      input.image ? this.d.blobs.stage(input.image) : undefined,
      input.media ? this.d.blobs.stageFile(input.media.path) : undefined,
    ]);
    const ok = <T>(r: PromiseSettledResult<T>) => (r.status === 'fulfilled' ? r.value : undefined);
    const failed = [image, media].find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all([ok(image)?.discard(), ok(media)?.discard()]);
      throw failed.reason;
    }
    return { ...(ok(image) ? { image: ok(image) } : {}), ...(ok(media) ? { media: ok(media) } : {}) };
  }

  /** The listing a new version is for: the caller's, on sale or in review, with no version already waiting. */
  private async existingListing(user: UserRow, id: string): Promise<AssetRow> {
    const existing = await this.d.listings.assetRow(id);
    authorize(user, 'asset.owner', { ownerId: existing.creator_id });
    this.d.listings.assertMayResubmit(existing);
    if (await this.d.review.hasOpenItem(this.d.db, id))
      throw new ApiError('review_pending', 'a version of this asset is already waiting for review', 'id', 409);
    return existing;
  }

  /** The media file and fingerprint of an asset's latest version, when it has them (in the current format). */
  private async previousMedia(a: AssetRow): Promise<{ media: MediaData; sha: string } | null> {
    const r = await this.d.repo.versionMedia(this.d.db, a.id, a.latest_version);
    if (!r?.media || !r.media_sha256) return null;
    const media = mediaFromJson(r.media);
    return media ? { media, sha: r.media_sha256 } : null;
  }

  /** The listing, the version, its analysis, derivation and review item, in one transaction. */
  private async store(user: UserRow, s: Stored): Promise<void> {
    try {
      await this.d.db.tx(async (sql) => {
        await this.d.listings.submitVersion(sql, {
          id: s.assetId,
          creatorId: user.id,
          existing: s.existing !== null,
          assetType: s.card.asset_type,
          name: s.card.name,
          version: s.version,
          parentId: s.parentId ?? null,
          metadataHash: s.fp.metadataHash,
        });
        await this.storeVersion(sql, s);
        for (const row of similarityRows(s.check, {
          userId: user.id,
          parentId: s.parentId,
          duplicateThreshold: this.d.uniqueness.duplicate,
        }))
          await this.d.repo.insertSimilarity(sql, s.assetId, s.version, row);
        if (s.parentId) await this.d.repo.insertDerivation(sql, s.parentId, s.assetId, MARKETPLACE_POLICY.derivativeRoyaltyBasisPoints);
        await this.d.review.insertSubmission(sql, s.assetId, s.version, s.flagged ? 10 : 0, s.flags);
        await this.d.events.emit('asset.submitted', {
          tx: sql,
          assetId: s.assetId,
          version: s.version,
          creatorId: user.id,
          name: s.card.name,
          heldForManualReview: s.flagged,
          estimatedReviewTime: estimatedReviewTime(s.flagged),
        });
      });
    } catch (err) {
      if (isUniqueViolation(err, 'assets_creator_id_metadata_hash_key'))
        throw new ApiError(
          'duplicate_metadata',
          'you already have an asset with exactly this metadata (UNIQUE(creator, metadata_hash)); update it instead',
          'card',
          409,
        );
      throw err;
    }
  }

  private async storeVersion(sql: Sql, s: Stored): Promise<void> {
    const models: Record<string, string> = {};
    for (const space of ['clip_image', 'bge_text'] as const) if (s.fp.vectors[space]) models[space] = this.d.analyser.modelOf(space);
    const vec = this.d.db.vectors;
    await this.d.repo.insertVersion(sql, {
      assetId: s.assetId,
      version: s.version,
      card: s.card,
      metadataText: metadataText(s.card),
      metadataHash: s.fp.metadataHash,
      imageSha: s.imageSha,
      fingerprints: fingerprintsToJson(s.fp, false),
      vectorModels: vec ? models : {},
      checkStatus: s.check.status,
      mediaSha: s.mediaSha,
      vectors: vec ? { image: s.fp.vectors.clip_image, metadata: s.fp.vectors.bge_text } : null,
    });
  }
}

/** A cancelled submission stops with a 503 (an Idempotency-Key retry then runs it again instead of replaying this). */
function stopIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ApiError('cancelled', 'the submission was cancelled before anything was stored', undefined, 503);
}

/** Why a new version was cancelled when its listing was withdrawn: the answer its client gets. */
const withdrawnMidway = () =>
  new ApiError('withdrawn', 'this asset was withdrawn from sale while the new version was being analysed; nothing was stored', 'id', 409);

const estimatedReviewTime = (flagged: boolean) =>
  flagged ? MARKETPLACE_POLICY.reviewTargets.flagged : MARKETPLACE_POLICY.reviewTargets.standard;
