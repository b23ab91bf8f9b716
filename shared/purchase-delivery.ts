/** What a paid purchase delivers to its buyer (GET /v1/purchases/{id}/delivery): the card, its files' marketplace paths, the license. */
import { z } from 'zod';
import { ASSET_TYPES } from './asset.ts';
import { LICENSE_TYPES, LicenseTerms } from './payments.ts';

/** What a paid purchase delivers: the version's card, its files (marketplace paths), the license as text and whether derivatives are allowed. */
export const PurchaseDelivery = z
  .object({
    purchaseId: z.string(),
    kind: z.enum(['one_time', 'license', 'subscription']),
    asset: z.object({
      id: z.string(),
      name: z.string(),
      version: z.number().int(),
      assetType: z.enum(ASSET_TYPES),
      creatorName: z.string(),
      parentAssetId: z.string().nullable(),
      card: z.record(z.string(), z.unknown()),
    }),
    license: z.object({
      type: z.enum(LICENSE_TYPES).nullable(),
      title: z.string(),
      key: z.string().nullable(),
      terms: LicenseTerms.nullable(),
      expiresAt: z.string().nullable(),
      derivativesAllowed: z.boolean(),
      text: z.string().describe('the license as a plain-text document'),
    }),
    files: z.array(
      z.object({
        kind: z.enum(['image', 'media']),
        path: z.string().describe('the marketplace path that serves it (the image or the audio/video file of the version bought)'),
      }),
    ),
  })
  .meta({ id: 'PurchaseDelivery' });

export type PurchaseDelivery = z.infer<typeof PurchaseDelivery>;

/** The files the studio saves for a purchase (in <dataDir>/purchases/<purchaseId>/) and serves to the page. */
export const PURCHASE_FILE_NAME = /^(card\.json|license\.txt|image\.(png|jpg|webp|bin)|media\.[a-z0-9]{1,8})$/;

export const PurchaseFileRequest = z.object({
  purchaseId: z.string().uuid(),
  name: z.string().regex(PURCHASE_FILE_NAME, 'not a purchase file'),
});
export type PurchaseFileRequest = z.infer<typeof PurchaseFileRequest>;

/** Where the studio serves a saved purchase file (browser mode: with ?t=<token>; Electron: app://studio<path>). */
export function purchaseFilePath(r: PurchaseFileRequest): string {
  return `/files/purchases/${r.purchaseId}/${r.name}`;
}

export function parsePurchaseFilePath(pathname: string): PurchaseFileRequest | null {
  const m = /^\/files\/purchases\/([0-9a-f-]{36})\/([^/]+)$/.exec(pathname);
  if (!m) return null;
  const r = PurchaseFileRequest.safeParse({ purchaseId: m[1], name: m[2] });
  return r.success ? r.data : null;
}
