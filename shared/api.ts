/**
 * The studio's API contract: every call the renderer can make to the main process, with its zod
 * input schema and its output type. One handler map implements it (electron/main/handlers.ts);
 * the Electron IPC transport and the browser-mode HTTP transport both dispatch through it, and the
 * preload script exposes exactly these methods.
 */
import { z } from 'zod';
import { ASSET_TYPES, type AssetCard } from './asset.ts';
import type { CheckResult, CheckStatus } from './check.ts';
import {
  type AssetView,
  Decision,
  LoginInput,
  type NotificationView,
  type QueueItem,
  RegisterInput,
  type SearchResult,
  type UserView,
} from './marketplace.ts';
import {
  type DisputeView,
  type EarningsSummary,
  LicenseOfferInput,
  type LicenseOfferView,
  PERIODS,
  PricingInput,
  type PurchaseView,
  RefundInput,
  TopUpInput,
} from './payments.ts';
import { PRICING_MODELS, type SaleBreakdown } from './policy/money.ts';
import type { ProvenanceProof } from './provenance.ts';
import { MEDIA_POLICY } from './policy/media.ts';
import { MEDIA_PREVIEW, MarketMediaRequest, MediaImageRequest } from './media-files.ts';

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
  'media.info': z.object({ sha: sha256 }),
  // Internal: called by the Electron main process only (after its file dialog, for the app:// protocol).
  'media.importPath': z.object({ path: z.string().min(1).max(4096), name: z.string().max(500).optional() }),
  'media.imageFile': MediaImageRequest,
  'media.waveform': z.object({ sha: sha256, bins: z.number().int().min(16).max(4096).default(MEDIA_PREVIEW.waveformBins) }),
  'check.run': z.object({ card: z.unknown(), imageSha: sha256.optional(), excludeId: id.optional() }),
  'models.status': z.object({}),
  'models.fetch': z.object({ model: z.string().max(100).optional() }),
  'models.import': z.object({ dir: z.string().min(1).max(4096) }),
  'cards.export': z.object({ id }),
  'cards.import': z.object({ card: z.unknown(), image: base64.optional(), imageName: z.string().max(500).optional() }),
  // ---- the connected studio (electron/main/services/connection.ts, sync.ts, market.ts)
  'settings.get': z.object({}),
  'settings.set': z.object({ marketplaceUrl: z.string().trim().url('must be a URL such as https://market.example').max(500).nullable() }),
  'account.status': z.object({}),
  'account.signUp': RegisterInput,
  'account.signIn': LoginInput,
  'account.signOut': z.object({}),
  'sync.status': z.object({}),
  'sync.now': z.object({}),
  'sync.retry': z.object({ opId: id, parentAssetId: z.string().uuid().optional() }),
  'sync.discard': z.object({ opId: id }),
  'sync.resolve': z.object({ assetId: id, keep: z.enum(['local', 'server']) }),
  'market.submit': z.object({ assetId: id, parentAssetId: z.string().uuid().optional() }),
  'market.track': z.object({ assetId: id }),
  'market.appeal': z.object({ assetId: id, reason: z.string().trim().min(3, 'give the moderator a reason').max(2000) }),
  'market.pricing': z.object({ assetId: id }),
  'market.setPricing': z.object({ assetId: id, pricing: PricingInput }),
  'market.recommend': z.object({ assetId: id, model: z.enum(PRICING_MODELS).optional() }),
  'market.offers': z.object({ assetId: id }),
  'market.createOffer': z.object({ assetId: id, offer: LicenseOfferInput }),
  'market.withdrawOffer': z.object({ offerId: z.string().uuid() }),
  'market.offerPurchases': z.object({ offerId: z.string().uuid() }),
  'market.policy': z.object({}),
  'market.earnings': z.object({ period: z.enum(PERIODS).default('30d') }),
  'market.sales': z.object({}),
  'market.payouts': z.object({}),
  'market.csv': z.object({ kind: z.enum(['sales', 'payouts']) }),
  'market.payoutAccount': z.object({}),
  'market.payoutNow': z.object({}),
  'market.search': z.object({ q: z.string().trim().max(200).optional() }),
  'market.listing': z.object({ remoteId: z.string().uuid() }),
  'market.buy': z.object({ remoteId: z.string().uuid() }),
  'market.buyLicense': z.object({ offerId: z.string().uuid() }),
  'market.purchases': z.object({}),
  'market.balance': z.object({}),
  'market.topUp': TopUpInput.pick({ amountCents: true }),
  'market.purchase': z.object({ id: z.string().uuid() }),
  'market.refund': z.object({ id: z.string().uuid() }).extend(RefundInput.shape),
  'market.dispute': z.object({
    id: z.string().uuid(),
    reason: z.string().trim().min(10, 'describe the problem (10 characters or more)').max(4000),
  }),
  'market.disputes': z.object({}),
  'market.queue': z.object({}),
  'market.claim': z.object({ itemId: z.number().int().min(1) }),
  'market.decide': z.object({ itemId: z.number().int().min(1), decision: Decision }),
  'market.notifications': z.object({}),
  'market.markRead': z.object({ id: z.number().int().min(1) }),
  'trust.reputation': z.object({ creatorId: z.string().uuid().optional() }),
  'trust.report': z.object({
    remoteId: z.string().uuid(),
    kind: z.enum(['spam', 'misrepresentation', 'copyright', 'offensive']),
    details: z.string().trim().min(10, 'say what is wrong (at least 10 characters)').max(5000),
  }),
  'trust.myCases': z.object({}),
  'trust.appeal': z.object({
    caseId: z.number().int().min(1),
    reason: z.string().trim().min(3, 'explain why the takedown is wrong').max(4000),
  }),
  'trust.cases': z.object({ state: z.enum(['open', 'appeals', 'all']).default('open') }),
  'trust.decideCase': z.object({
    caseId: z.number().int().min(1),
    action: z.enum(['takedown', 'dismiss']),
    reason: z.string().trim().min(3, 'give the creator a reason they can act on').max(4000),
    strike: z.boolean().optional(),
  }),
  'trust.decideAppeal': z.object({
    caseId: z.number().int().min(1),
    decision: z.enum(['overturn', 'uphold']),
    reason: z.string().trim().min(3, 'give a reason').max(4000),
  }),
  'trust.provenance': z.object({ remoteId: z.string().uuid() }),
  'trust.badges': z.object({ remoteId: z.string().uuid() }),
  // Internal: the main process (Electron's app:// protocol, browser mode's file route) streams a
  // marketplace media file with this; the page only ever gets the studio-relative URL.
  'market.mediaSource': MarketMediaRequest,
  'market.image': z.object({
    path: z.string().regex(/^\/v1\/assets\/[0-9a-f-]{36}\/image(\?[\w=&.-]*)?$/, 'must be a marketplace image path'),
  }),
} as const;

export type ApiMethod = keyof typeof apiInputs;
/**
 * Methods only the Electron main process calls (its file dialog hands the backend a path; its
 * app:// protocol asks for a preview file's path): never exposed to the page, nor over HTTP.
 */
export const INTERNAL_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['media.importPath', 'media.imageFile', 'market.mediaSource']);
/** The methods the page may call. */
export const API_METHODS = (Object.keys(apiInputs) as ApiMethod[]).filter((m) => !INTERNAL_METHODS.has(m));
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
  /** The stored audio/video file of a media asset (library thumbnails: a video frame, a waveform icon). */
  media?: { kind: 'video' | 'audio'; sha: string } | undefined;
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

/** A stored audio/video file as the editor shows it: what the probe read from its header. */
export interface MediaFileInfo extends MediaRef {
  kind: 'video' | 'audio';
  durationSeconds: number;
  /** FFmpeg's demuxer name (mov, matroska, ogg, …). */
  container: string;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  video: { codec: string; width: number; height: number; fps: number } | null;
}

/** Peaks of an audio track for drawing its waveform: per bin, the largest absolute sample (0..1). */
export interface Waveform {
  sha: string;
  durationSeconds: number;
  peaks: number[];
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
  'media.info': MediaFileInfo;
  'media.waveform': Waveform;
  'media.importPath': MediaRef;
  'media.imageFile': { path: string };
  'check.run': CheckResult;
  'models.status': ModelsStatus;
  'models.fetch': { started: boolean };
  'models.import': { installed: string[]; missing: string[]; rejected: string[] };
  'cards.export': { fileName: string; card: unknown; image?: string | undefined; imageFileName?: string | undefined };
  'cards.import': AssetDetail;
  'settings.get': { marketplaceUrl: string | null };
  'settings.set': { marketplaceUrl: string | null; changed: boolean };
  'account.status': AccountStatus;
  'account.signUp': AccountStatus;
  'account.signIn': AccountStatus;
  'account.signOut': AccountStatus;
  'sync.status': SyncStatusView;
  'sync.now': SyncStatusView;
  'sync.retry': OutboxOpView;
  'sync.discard': { discarded: boolean };
  'sync.resolve': Tracking;
  'market.submit': OutboxOpView;
  'market.track': Tracking;
  'market.appeal': { ok: true };
  'market.pricing': PricingView;
  'market.setPricing': OutboxOpView;
  'market.recommend': { model: string; recommendedCents: number; range: { minCents: number; maxCents: number }; reasoning: string[] };
  'market.offers': LicenseOfferView[];
  'market.createOffer': OutboxOpView;
  'market.withdrawOffer': LicenseOfferView;
  'market.offerPurchases': {
    purchaseId: string;
    buyer: string;
    companyName: string | null;
    status: string;
    paidAt: string | null;
    impressionsUsed: number;
  }[];
  'market.policy': Record<string, unknown>;
  'market.earnings': EarningsSummary & { cachedAt?: string | null };
  'market.sales': SaleLineView[];
  'market.payouts': {
    id: string;
    amountCents: number;
    reversedCents: number;
    status: string;
    transferId: string | null;
    transferGroup: string | null;
    createdAt: string;
  }[];
  'market.csv': { fileName: string; csv: string };
  'market.payoutAccount': { accountId: string; onboardingUrl: string | null };
  'market.payoutNow': { id: string; amountCents: number } | null;
  'market.search': SearchResult;
  'market.listing': { asset: AssetView; pricing: PricingView; offers: LicenseOfferView[] };
  'market.buy': PurchaseView;
  'market.buyLicense': PurchaseView;
  'market.purchases': PurchaseView[];
  'market.balance': { availableMicros: number; availableCents: number };
  'market.topUp': PurchaseView;
  'market.purchase': PurchaseView;
  'market.refund': PurchaseView;
  'market.dispute': DisputeView;
  'market.disputes': DisputeView[];
  'market.queue': QueueItem[];
  'market.claim': { ok: true };
  'market.decide': { ok: true };
  'market.notifications': NotificationView[];
  'market.markRead': { ok: true };
  'market.image': { dataUrl: string };
  'market.mediaSource': { url: string; authorization: string | null };
  'trust.reputation': ReputationView;
  'trust.report': { reportId: number; caseId: number; state: 'open' };
  'trust.myCases': CaseView[];
  'trust.appeal': CaseView;
  'trust.cases': CaseView[];
  'trust.decideCase': CaseView;
  'trust.decideAppeal': CaseView;
  /** keyWarning: the marketplace lists signing keys other than those pinned on first use. */
  'trust.provenance': { proof: ProvenanceProof; verified: boolean; problem: string | null; keyWarning: string | null };
  'trust.badges': { badges: string[]; rules: Record<string, string> };
}

export interface ReputationView {
  creatorId: string;
  displayName: string;
  verified: boolean;
  strikes: number;
  sellingBanned: boolean;
  strikeHistory: { caseId: number; asset: string | null; reason: string; active: boolean; at: string; liftedAt: string | null }[];
  badges: string[];
  total: number;
  level: string;
  components: Record<string, { score: number; weight: number; explanation: string; toRaise: string }>;
  inputs: Record<string, Record<string, number>>;
  history: { total: number; level: string; reason: string; at: string }[];
}

export interface CaseView {
  id: number;
  assetId: string | null;
  assetName: string | null;
  asset: AssetView | null;
  creatorId: string;
  creatorName: string;
  creatorStrikes: number;
  creatorBanned: boolean;
  creatorReputation: number;
  kind: string;
  source: 'report' | 'automatic';
  state: 'open' | 'actioned' | 'dismissed';
  evidence: Record<string, unknown>[];
  reports: { id: number; kind: string; details: string; state: string; reporter: string; at: string | null }[];
  decision: string | null;
  reason: string | null;
  decidedAt: string | null;
  appeal: { state: string; reason: string | null; decisionReason: string | null } | null;
  createdAt: string;
}

export interface AccountStatus {
  url: string | null;
  local: boolean;
  server: string | null;
  online: boolean;
  lastError: string | null;
  user: UserView | null;
  tokenProtection: string;
}

export interface OutboxOpView {
  id: string;
  kind: 'submit' | 'pricing' | 'offer';
  assetId: string | null;
  payload: Record<string, unknown>;
  state: 'pending' | 'done' | 'failed' | 'needs_action';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  result: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface SyncStatusView {
  running: boolean;
  lastPullAt: string | null;
  lastError: string | null;
  outbox: OutboxOpView[];
  index: { count: number; cursor: number; syncedAt: string | null };
  conflicts: { assetId: string; name: string }[];
  unread: number;
}

export interface Tracking {
  assetId: string;
  remoteId: string | null;
  remote: AssetView | null;
  remoteStatus: string | null;
  conflict: { localRev: number; remoteVersion: number; remoteCard: Record<string, unknown>; detectedAt: string } | null;
  ops: OutboxOpView[];
}

export interface PricingView {
  model: 'one_time' | 'subscription' | 'per_use' | null;
  priceCents: number | null;
  interval: 'month' | 'year' | null;
  breakdown: SaleBreakdown | null;
}

export interface SaleLineView {
  txId: number;
  at: string;
  kind: string;
  assetId: string | null;
  assetName: string | null;
  purchaseId: string | null;
  role: 'creator' | 'parent';
  gross: number;
  processorFee: number;
  platformFee: number;
  parentRoyalty: number;
  amount: number;
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
  /** URL of a stored audio/video file's preview image (thumbnail strip, poster, a frame). */
  mediaImageUrl(r: MediaImageRequest): string;
  /** URL of a marketplace version's audio/video file for <audio>/<video> (streamed by the studio, seekable). */
  marketMediaUrl(r: MarketMediaRequest): string;
  /**
   * Imports an audio/video file as a file, never as base64 JSON: in Electron by path (a dropped
   * file's path, or the file dialog when none is given), in browser mode as a streamed upload.
   * Resolves null when the creator cancels the dialog.
   */
  importMedia(file?: File): Promise<MediaRef | null>;
  mode: 'electron' | 'browser';
}

/** Media limits shown in the editor and enforced on import. */
export const MEDIA_LIMITS: MediaLimits = {
  image: { formats: ['png', 'jpeg', 'webp', 'gif', 'avif', 'tiff'], maxBytes: 50 * 1024 * 1024, maxPixels: 40_000_000 },
  video: { formats: ['mp4', 'mov', 'webm', 'mkv'], maxBytes: MEDIA_POLICY.limits.maxBytes },
  audio: { formats: ['mp3', 'ogg', 'opus', 'wav', 'flac', 'm4a'], maxBytes: MEDIA_POLICY.limits.maxBytes },
};
