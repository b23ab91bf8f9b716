/**
 * The studio's contract, drafts domain: the editor's unsaved work, kept in the studio's workspace
 * as the creator types (crash-safe) until the asset is saved or the draft discarded. A draft's id
 * is its stored asset's id, or 'new_…' (chosen by the editor) for an asset never saved.
 */
import { z } from 'zod';
import { ASSET_TYPES, type AssetType } from '../../asset.ts';
import { type HandlerMap, id, sha256 } from './common.ts';

/** A never-saved asset's draft id: 'new_' and 8–64 letters, digits, '-' or '_'. */
export const NEW_DRAFT_ID = /^new_[A-Za-z0-9_-]{8,64}$/;
export const isNewDraftId = (s: string) => NEW_DRAFT_ID.test(s);
/** The most a draft card may weigh, as JSON (cards are text; images and media travel by digest). */
export const DRAFT_MAX_CHARS = 1_000_000;

/** A draft card: possibly incomplete, but always of a known type and with a name. */
const draftCard = z.looseObject({ asset_type: z.enum(ASSET_TYPES), name: z.string().max(500) });

export interface DraftSummary {
  id: string;
  /** The stored asset the draft edits, null for a new asset. */
  assetId: string | null;
  assetType: AssetType;
  name: string;
  /** The stored revision the edit started from (null for a new asset). */
  baseRev: number | null;
  updatedAt: string;
}

export interface DraftDetail extends DraftSummary {
  card: Record<string, unknown> & { asset_type: AssetType; name: string };
  imageSha: string | null;
}

export const draftInputs = {
  'drafts.put': z.object({
    id,
    card: draftCard,
    imageSha: sha256.nullable().default(null),
    baseRev: z.number().int().min(1).optional(),
  }),
  'drafts.get': z.object({ id }),
  'drafts.list': z.object({}),
  'drafts.discard': z.object({ id }),
} as const;

export interface DraftOutputs {
  'drafts.put': DraftSummary;
  /** null when the asset has no draft. */
  'drafts.get': DraftDetail | null;
  'drafts.list': DraftSummary[];
  'drafts.discard': { discarded: boolean };
}

export type DraftHandlers = HandlerMap<typeof draftInputs, DraftOutputs>;
