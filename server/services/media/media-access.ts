/** Media access: a version's image and its audio/video file, for those who may see or play them. */
import { ApiError } from '../../../shared/api.ts';
import type { AssetView } from '../../../shared/marketplace.ts';
import type { UserRow } from '../../auth.ts';
import type { BlobStore } from '../../blobs.ts';
import type { Database } from '../../db.ts';
import { type MediaFile, findMediaFile } from '../../media-files.ts';

export interface MediaListings {
  getAsset(user: UserRow | null, id: string, version?: number): Promise<AssetView>;
  assetRow(id: string, version?: number): Promise<{ image_sha256: string | null }>;
}

export class MediaAccessService {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly listings: MediaListings,
  ) {}

  async image(user: UserRow | null, id: string, version?: number): Promise<Buffer> {
    const a = await this.listings.getAsset(user, id, version);
    const row = await this.listings.assetRow(id, a.version);
    const bytes = row.image_sha256 ? await this.blobs.get(row.image_sha256) : null;
    if (!bytes) throw new ApiError('not_found', 'this asset has no image', 'id', 404);
    return bytes;
  }

  /** A version's audio/video file for those who may play it (server/media-files.ts). */
  mediaFile(user: UserRow | null, id: string, version?: number): Promise<MediaFile> {
    return findMediaFile(this.db, this.blobs, user, id, version);
  }
}
