/**
 * The studio's contract, library domain: listing, reading, creating, saving and deleting assets,
 * and exporting/importing them as card files.
 */
import { z } from 'zod';
import { ASSET_TYPES, type AssetCard } from '../../asset.ts';
import type { CheckStatus } from '../../check.ts';
import { type HandlerMap, base64, id, sha256 } from './common.ts';

export const SORTS = ['recent', 'name', 'status'] as const;

export interface AssetSummary {
  id: string;
  name: string;
  assetType: AssetCard['asset_type'];
  imageSha: string | null;
  rev: number;
  updatedAt: string;
  /** Status of the last uniqueness check of the saved asset; null when never checked, or while the card is still blank. */
  status: CheckStatus | null;
  tags: string[];
  /** The stored audio/video file of a media asset (library thumbnails: a video frame, a waveform icon). */
  media?: { kind: 'video' | 'audio'; sha: string } | undefined;
}

export interface AssetDetail extends AssetSummary {
  card: AssetCard;
  createdAt: string;
}

export const libraryInputs = {
  'library.list': z.object({
    type: z.enum(ASSET_TYPES).optional(),
    q: z.string().max(200).optional(),
    sort: z.enum(SORTS).default('recent'),
  }),
  'assets.get': z.object({ id }),
  'assets.create': z.object({ card: z.unknown(), imageSha: sha256.optional() }),
  'assets.save': z.object({
    id,
    card: z.unknown(),
    imageSha: sha256.nullable().optional(),
    /** The revision the edit started from; a save on top of a newer revision is refused. */
    baseRev: z.number().int().min(1),
  }),
  'assets.delete': z.object({ ids: z.array(id).min(1).max(10_000) }),
  'assets.undoDelete': z.object({ ids: z.array(id).min(1).max(10_000) }),
  'cards.export': z.object({ id }),
  'cards.import': z.object({ card: z.unknown(), image: base64.optional(), imageName: z.string().max(500).optional() }),
} as const;

export interface LibraryOutputs {
  'library.list': AssetSummary[];
  'assets.get': AssetDetail;
  'assets.create': AssetDetail;
  'assets.save': AssetDetail;
  'assets.delete': { deleted: string[] };
  'assets.undoDelete': { restored: string[] };
  'cards.export': { fileName: string; card: unknown; image?: string | undefined; imageFileName?: string | undefined };
  'cards.import': AssetDetail;
}

export type LibraryHandlers = HandlerMap<typeof libraryInputs, LibraryOutputs>;
