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
