/**
 * Several asset cards in one file: the library's bulk export writes it, its import reads it back.
 * Each entry is what `cards.export` answers for one asset (the spec card, its image as base64).
 */
import { z } from 'zod';

export const CardBundleEntry = z.object({
  fileName: z.string().max(500),
  card: z.unknown(),
  image: z.string().max(200_000_000).optional(),
  imageFileName: z.string().max(500).optional(),
});
export type CardBundleEntry = z.infer<typeof CardBundleEntry>;

export const CardBundle = z.object({
  originals_card_bundle: z.object({
    version: z.literal(1),
    exported_at: z.string(),
    cards: z.array(CardBundleEntry).min(1).max(10_000),
  }),
});
export type CardBundle = z.infer<typeof CardBundle>;

/** The bundle of the given exported cards. */
export const cardBundle = (cards: CardBundleEntry[], at = new Date()): CardBundle => ({
  originals_card_bundle: { version: 1, exported_at: at.toISOString(), cards },
});

/** Whether a parsed .json file is a bundle (rather than one card). */
export const isCardBundle = (x: unknown): boolean => typeof x === 'object' && x !== null && 'originals_card_bundle' in x;
