/**
 * The studio's API contract, as one import: the composed contract (shared/contracts/studio/, one
 * file per domain) and the errors (shared/errors.ts). Kept so that every `shared/api.ts` import
 * stays valid; new code may import from the domain files directly.
 */
export * from './contracts/studio/index.ts';
export type { AccountStatus } from './contracts/studio/account.ts';
export type { AdminUsersPage } from './contracts/studio/admin.ts';
export type { AdminUserView } from './contracts/marketplace/schemas.ts';
export { type AppInfo, MEDIA_LIMITS, type MediaLimits } from './contracts/studio/app.ts';
export { type AssetDetail, type AssetSummary, SORTS } from './contracts/studio/library.ts';
export type { DraftDetail, DraftSummary } from './contracts/studio/drafts.ts';
export type { ImageRef, MediaFileInfo, MediaRef, Waveform } from './contracts/studio/media.ts';
export type { ModelFileInfo, ModelsStatus } from './contracts/studio/models.ts';
export type { OfferPurchaseView, PayoutLineView, PricingView, SaleLineView } from './contracts/studio/money.ts';
export type { Revision, RevisionSummary } from './contracts/studio/revisions.ts';
export type { OutboxOpView, SyncPassView, SyncStatusView, Tracking } from './contracts/studio/sync.ts';
export type { CaseView, ReputationView } from './contracts/studio/trust.ts';
export { ApiError, type ApiErrorBody } from './errors.ts';
