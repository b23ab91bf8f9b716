/**
 * Provenance: a version is signed when it is published (subscribed to `asset.published`, in the
 * publishing transaction), linked to its parent's newest record; the proof of a published version
 * is its record and its ancestors' records, verifiable offline with the marketplace's key.
 */
import { ApiError } from '../../../shared/api.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import type { ProvenanceProof, SignedProvenance, TrustedKey } from '../../../shared/provenance.ts';
import type { UserRow } from '../../auth.ts';
import type { Database, Sql } from '../../db.ts';
import { ProvenanceSigner } from '../../provenance.ts';
import type * as provenanceRepo from '../../repos/provenance.ts';
import type { MarketplaceBus } from '../marketplace-events.ts';

export type ProvenanceRepo = Pick<
  typeof provenanceRepo,
  'versionForSigning' | 'latestRecordHash' | 'insertRecord' | 'recordOf' | 'recordByHash'
>;
export type Signer = Pick<ProvenanceSigner, 'sign' | 'keyId' | 'spkiBase64'>;

/** What provenance needs from listings: where the listing stands and what this caller may see of it. */
export interface ProvenanceListings {
  assetRow(id: string): Promise<{ published_version: number | null }>;
  getAsset(user: UserRow | null, id: string, version?: number): Promise<AssetView>;
}

/** Ancestor records followed at most (a chain longer than this is cut). */
const MAX_CHAIN = 50;

export class ProvenanceService {
  constructor(
    private readonly db: Database,
    private readonly repo: ProvenanceRepo,
    private readonly signer: Signer,
    private readonly listings: ProvenanceListings,
  ) {}

  /** Signs every version as it is published. */
  subscribe(bus: MarketplaceBus): void {
    bus.on('asset.published', (e) => this.sign(e.tx, e.assetId, e.version));
  }

  /** Signs the provenance record of a version being published, linked to its parent's record. */
  async sign(sql: Sql, assetId: string, version: number): Promise<void> {
    const r = await this.repo.versionForSigning(sql, assetId, version);
    if (!r) throw new Error(`cannot sign ${assetId} v${version}: not found`);
    let parent: { assetId: string; recordHash: string } | null = null;
    if (r.parent_asset_id) {
      const hash = await this.repo.latestRecordHash(sql, r.parent_asset_id);
      if (hash) parent = { assetId: r.parent_asset_id, recordHash: hash };
    }
    const signed = this.signer.sign({
      assetId,
      version,
      creatorId: r.creator_id,
      assetType: r.asset_type,
      name: r.card.name,
      fingerprints: {
        metadataHash: r.fingerprints.metadataHash,
        imageSha256: r.image_sha256,
        pixelsSha256: r.fingerprints.image?.pixelsSha256 ?? null,
        phash: r.fingerprints.image?.views[1]?.phash[0]?.[0] ?? null,
      },
      parent,
      publishedAt: new Date().toISOString(),
    });
    await this.repo.insertRecord(sql, assetId, version, signed);
  }

  /** The signed record of a published version and its ancestors' records, verifiable offline. */
  async provenance(user: UserRow | null, assetId: string, version?: number): Promise<ProvenanceProof> {
    // Without a version: the published one (the creator's newer draft has no record yet).
    const head = await this.listings.assetRow(assetId);
    const a = await this.listings.getAsset(user, assetId, version ?? head.published_version ?? undefined);
    const record = await this.repo.recordOf(this.db, assetId, a.version);
    if (!record)
      throw new ApiError('not_published', 'this version has not been published, so it has no provenance record yet', 'version', 404);
    const chain: SignedProvenance[] = [];
    let link = record.record.parent;
    while (link && chain.length < MAX_CHAIN) {
      const row = await this.repo.recordByHash(this.db, link.recordHash);
      if (!row) break;
      chain.push(row);
      link = row.record.parent;
    }
    return { record, chain, publicKey: this.key() };
  }

  /** The key this marketplace signs with now. */
  key(): { keyId: string; spkiBase64: string } {
    return { keyId: this.signer.keyId, spkiBase64: this.signer.spkiBase64 };
  }

  /** Every key this marketplace has signed with, and when (records signed before a rotation keep verifying). */
  keys(): Promise<TrustedKey[]> {
    return ProvenanceSigner.keys(this.db);
  }
}
