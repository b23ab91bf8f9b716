/** The studio's contract, revisions domain: an asset's saved revisions, one revision, and restoring it. */
import { z } from 'zod';
import type { AssetCard } from '../../asset.ts';
import { type HandlerMap, id } from './common.ts';
import type { AssetDetail } from './library.ts';

export interface RevisionSummary {
  rev: number;
  name: string;
  imageSha: string | null;
  createdAt: string;
  /** Fields changed from the previous revision. */
  changed: string[];
}

export interface Revision extends RevisionSummary {
  card: AssetCard;
}

export const revisionInputs = {
  'assets.revisions': z.object({ id }),
  'assets.revision': z.object({ id, rev: z.number().int().min(1) }),
  'assets.restore': z.object({ id, rev: z.number().int().min(1) }),
} as const;

export interface RevisionOutputs {
  'assets.revisions': RevisionSummary[];
  'assets.revision': Revision;
  'assets.restore': AssetDetail;
}

export type RevisionHandlers = HandlerMap<typeof revisionInputs, RevisionOutputs>;
