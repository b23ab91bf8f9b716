/** The result of a uniqueness check, as the engine returns it to every caller. */
export const CHECK_STATUSES = ['approved', 'duplicate_self', 'flagged_plagiarism', 'derivative_potential'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type LayerName = 'exact' | 'visual' | 'text' | 'code' | 'semantic_image' | 'semantic_text';

export interface LayerRun {
  /** ran: computed; skipped: not applicable (e.g. no image); unavailable: needs model weights not installed. */
  state: 'ran' | 'skipped' | 'unavailable';
  reason?: string;
}

export interface MatchLayers {
  exact?: { bytes: boolean; pixels: boolean; metadata: boolean };
  visual?: number;
  text?: number;
  code?: number;
  semantic_image?: number;
  semantic_text?: number;
}

export interface Match {
  assetId: string;
  creatorId: string;
  name: string;
  assetType: string;
  /** sha256 of the matched asset's stored image (the studio's image store key), if it has one. */
  imageSha: string | null;
  /** 0..1: 0.6 × metadata + 0.4 × visual (or the one available), raised to 1 by an exact hit. */
  combined: number;
  metadata: number | null;
  visualScore: number | null;
  layers: MatchLayers;
  /** Signals strong enough on their own to call this a copy. */
  copySignals: string[];
  /** What differs: changed fields and the transform suspected for the image. */
  differences: { fields: string[]; transform: string[] };
}

export interface CheckResult {
  status: CheckStatus;
  reason: string;
  action: string;
  layers: Record<LayerName, LayerRun>;
  matches: Match[];
  metadataHash: string;
  policyVersion: number;
  elapsedMs: number;
}
