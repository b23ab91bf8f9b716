/**
 * The studio's API contract: every call the renderer can make to the main process, with its zod
 * input schema and its output type. One handler map implements it (electron/main/handlers.ts);
 * the Electron IPC transport and the browser-mode HTTP transport both dispatch through it, and the
 * preload script exposes exactly these methods.
 */
import { z } from 'zod';
import { ASSET_TYPES, type AssetCard } from './asset.ts';
import type { CheckResult, CheckStatus } from './check.ts';

const id = z.string().trim().min(1).max(200);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
/** Up to 75 MB of base64 (about 56 MB of file). */
const base64 = z
  .string()
  .max(75_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const SORTS = ['recent', 'name', 'status'] as const;

export const apiInputs = {
  'app.info': z.object({}),
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
  'assets.revisions': z.object({ id }),
  'assets.revision': z.object({ id, rev: z.number().int().min(1) }),
  'assets.restore': z.object({ id, rev: z.number().int().min(1) }),
  'images.import': z.object({ name: z.string().max(500), data: base64 }),
  'media.import': z.object({ name: z.string().max(500), data: base64 }),
  'check.run': z.object({ card: z.unknown(), imageSha: sha256.optional(), excludeId: id.optional() }),
  'models.status': z.object({}),
  'models.fetch': z.object({ model: z.string().max(100).optional() }),
  'models.import': z.object({ dir: z.string().min(1).max(4096) }),
  'cards.export': z.object({ id }),
  'cards.import': z.object({ card: z.unknown(), image: base64.optional(), imageName: z.string().max(500).optional() }),
} as const;

export type ApiMethod = keyof typeof apiInputs;
export const API_METHODS = Object.keys(apiInputs) as ApiMethod[];
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;

export interface AssetSummary {
  id: string;
  name: string;
  assetType: AssetCard['asset_type'];
  imageSha: string | null;
  rev: number;
  updatedAt: string;
  /** Status of the last uniqueness check of the saved asset. */
  status: CheckStatus | null;
  tags: string[];
}

export interface AssetDetail extends AssetSummary {
  card: AssetCard;
  createdAt: string;
}

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

export interface ImageRef {
  sha: string;
  width: number;
  height: number;
  format: 'webp';
  bytes: number;
  /** The format of the file that was imported. */
  sourceFormat: string;
}

export interface MediaRef {
  sha: string;
  kind: 'image' | 'video' | 'audio';
  format: string;
  size: number;
}

export interface ModelFileInfo {
  model: string;
  path: string;
  role?: string | undefined;
  state: 'installed' | 'missing' | 'partial' | 'mismatch';
  expectedBytes: number | null;
  verifiedBy?: string | undefined;
}

export interface ModelsStatus {
  dir: string;
  files: ModelFileInfo[];
  layers: Record<'clip_image' | 'clip_text' | 'bge_text', { available: boolean; reason?: string | undefined }>;
  download: { active: boolean; file?: string; received?: number; total?: number | null; error?: string; done?: string[] };
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  dataDir: string;
  creatorId: string;
  assetCount: number;
  limits: MediaLimits;
}

export interface MediaLimits {
  image: { formats: string[]; maxBytes: number; maxPixels: number };
  video: { formats: string[]; maxBytes: number };
  audio: { formats: string[]; maxBytes: number };
}

export interface ApiOutputs {
  'app.info': AppInfo;
  'library.list': AssetSummary[];
  'assets.get': AssetDetail;
  'assets.create': AssetDetail;
  'assets.save': AssetDetail;
  'assets.delete': { deleted: string[] };
  'assets.undoDelete': { restored: string[] };
  'assets.revisions': RevisionSummary[];
  'assets.revision': Revision;
  'assets.restore': AssetDetail;
  'images.import': ImageRef;
  'media.import': MediaRef;
  'check.run': CheckResult;
  'models.status': ModelsStatus;
  'models.fetch': { started: boolean };
  'models.import': { installed: string[]; missing: string[]; rejected: string[] };
  'cards.export': { fileName: string; card: unknown; image?: string | undefined; imageFileName?: string | undefined };
  'cards.import': AssetDetail;
}
export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** Errors cross both transports in this shape. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string | undefined;
  /** Machine-readable context (e.g. the matches behind a refused submission). */
  details?: Record<string, unknown> | undefined;
}

export class ApiError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: string, message: string, field?: string, status = 400, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.status = status;
    this.details = details;
  }
  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field ? { field: this.field } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** What every transport gives the renderer. */
export interface StudioApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** URL the renderer can put in <img src> for a stored image (thumb = 256 px preview). */
  imageUrl(sha: string, thumb?: boolean): string;
  mode: 'electron' | 'browser';
}

/** Media limits shown in the editor and enforced on import. */
export const MEDIA_LIMITS: MediaLimits = {
  image: { formats: ['png', 'jpeg', 'webp', 'gif', 'avif', 'tiff'], maxBytes: 50 * 1024 * 1024, maxPixels: 40_000_000 },
  video: { formats: ['mp4', 'webm'], maxBytes: 50 * 1024 * 1024 },
  audio: { formats: ['mp3', 'ogg', 'wav', 'flac'], maxBytes: 50 * 1024 * 1024 },
};
