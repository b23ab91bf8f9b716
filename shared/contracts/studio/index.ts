/**
 * The studio's API contract, composed: every call the renderer can make to the main process, from
 * the per-domain contracts in this folder (each with its input schemas, output types and handler
 * type), as one `apiInputs` map, one `ApiOutputs` type and one `Handlers` type — the handler map
 * electron/main/handlers.ts builds from the per-domain maps, which both transports (Electron IPC,
 * browser-mode HTTP) dispatch through and the preload script exposes.
 */
import type { z } from 'zod';
import type { MarketMediaRequest, MediaImageRequest } from '../../media-files.ts';
import type { PurchaseFileRequest } from '../../purchase-delivery.ts';
import { type AccountHandlers, type AccountOutputs, accountInputs } from './account.ts';
import { type AdminHandlers, type AdminOutputs, adminInputs } from './admin.ts';
import { type AppHandlers, type AppOutputs, appInputs } from './app.ts';
import { type CheckHandlers, type CheckOutputs, checkInputs } from './check.ts';
import { type DraftHandlers, type DraftOutputs, draftInputs } from './drafts.ts';
import { type LibraryHandlers, type LibraryOutputs, libraryInputs } from './library.ts';
import { type MarketHandlers, type MarketOutputs, marketInputs } from './market.ts';
import { type MediaHandlers, type MediaOutputs, type MediaRef, mediaInputs } from './media.ts';
import { type ModelHandlers, type ModelOutputs, modelInputs } from './models.ts';
import { type MoneyHandlers, type MoneyOutputs, moneyInputs } from './money.ts';
import { type RevisionHandlers, type RevisionOutputs, revisionInputs } from './revisions.ts';
import { type SyncHandlers, type SyncOutputs, syncInputs } from './sync.ts';
import { type TrustHandlers, type TrustOutputs, trustInputs } from './trust.ts';

export const apiInputs = {
  ...appInputs,
  ...libraryInputs,
  ...revisionInputs,
  ...mediaInputs,
  ...checkInputs,
  ...draftInputs,
  ...modelInputs,
  ...accountInputs,
  ...adminInputs,
  ...syncInputs,
  ...marketInputs,
  ...moneyInputs,
  ...trustInputs,
} as const;

export type ApiMethod = keyof typeof apiInputs;

export type ApiOutputs = AppOutputs &
  LibraryOutputs &
  RevisionOutputs &
  MediaOutputs &
  CheckOutputs &
  DraftOutputs &
  ModelOutputs &
  AccountOutputs &
  AdminOutputs &
  SyncOutputs &
  MarketOutputs &
  MoneyOutputs &
  TrustOutputs;

/** The one handler map: the domains' handler maps together, one handler per method. */
export type Handlers = AppHandlers &
  LibraryHandlers &
  RevisionHandlers &
  MediaHandlers &
  CheckHandlers &
  DraftHandlers &
  ModelHandlers &
  AccountHandlers &
  AdminHandlers &
  SyncHandlers &
  MarketHandlers &
  MoneyHandlers &
  TrustHandlers;

/** Compile-time: every method has exactly one output, and no output is left without its method. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _outputsMatchMethods: Exact<keyof ApiOutputs, ApiMethod> = true;
const _handlersMatchMethods: Exact<keyof Handlers, ApiMethod> = true;
void _outputsMatchMethods;
void _handlersMatchMethods;

/**
 * Methods only the Electron main process calls (its file dialog hands the backend a path; its
 * app:// protocol asks for a preview file's path): never exposed to the page, nor over HTTP.
 */
export const INTERNAL_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'media.importPath',
  'media.imageFile',
  'market.mediaSource',
  'market.purchaseFile',
]);
/** The methods the page may call. */
export const API_METHODS = (Object.keys(apiInputs) as ApiMethod[]).filter((m) => !INTERNAL_METHODS.has(m));
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;
export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** What every transport gives the renderer. */
export interface StudioApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** URL the renderer can put in <img src> for a stored image (thumb = 256 px preview). */
  imageUrl(sha: string, thumb?: boolean): string;
  /** URL of a stored audio/video file's preview image (thumbnail strip, poster, a frame). */
  mediaImageUrl(r: MediaImageRequest): string;
  /** URL of a marketplace version's audio/video file for <audio>/<video> (streamed by the studio, seekable). */
  marketMediaUrl(r: MarketMediaRequest): string;
  /** URL that downloads a purchase's saved file (card, license, image, audio/video), served by the studio. */
  purchaseFileUrl(r: PurchaseFileRequest): string;
  /**
   * Imports an audio/video file as a file, never as base64 JSON: in Electron by path (a dropped
   * file's path, or the file dialog when none is given), in browser mode as a streamed upload.
   * Resolves null when the creator cancels the dialog.
   */
  importMedia(file?: File): Promise<MediaRef | null>;
  mode: 'electron' | 'browser';
}
