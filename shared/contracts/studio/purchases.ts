/**
 * The studio's contract, what a buyer does with a purchase: save its files (card, license text,
 * image, audio/video) into the studio's data folder, list what was saved, add the purchased card to
 * the local library (declaring the listing as its parent where the license allows derivatives), and
 * — internal — the path of a saved file for the transports to serve.
 */
import { z } from 'zod';
import { PurchaseFileRequest } from '../../purchase-delivery.ts';
import type { HandlerMap } from './common.ts';

export interface PurchaseFileView {
  name: string;
  kind: 'card' | 'license' | 'image' | 'media';
  bytes: number;
}

export interface PurchaseFilesView {
  purchaseId: string;
  /** The folder the files are in (on this computer). */
  folder: string;
  savedAt: string;
  asset: { id: string; name: string; version: number; creatorName: string; assetType: string };
  license: { title: string; key: string | null; derivativesAllowed: boolean };
  files: PurchaseFileView[];
  /** Set once added to the library: the local asset and its declared parent (the listing), or null when derivatives are not allowed. */
  library: { assetId: string; name: string; parentAssetId: string | null; parentName: string; derivativesAllowed: boolean } | null;
}

const purchase = z.object({ purchaseId: z.string().uuid() });

export const purchaseInputs = {
  'market.download': purchase,
  'market.downloads': z.object({}),
  'market.addToLibrary': purchase,
  // Internal: the transports (browser mode's file route, Electron's app:// protocol) serve a saved file with this.
  'market.purchaseFile': PurchaseFileRequest,
} as const;

export interface PurchaseOutputs {
  'market.download': PurchaseFilesView;
  'market.downloads': PurchaseFilesView[];
  'market.addToLibrary': PurchaseFilesView;
  'market.purchaseFile': { path: string; contentType: string };
}

export type PurchaseHandlers = HandlerMap<typeof purchaseInputs, PurchaseOutputs>;
