/** The studio's contract, check domain: the uniqueness check of a card (and its image or media file) against the library and the marketplace index. */
import { z } from 'zod';
import type { CheckResult } from '../../check.ts';
import { MediaCaller } from '../../media-files.ts';
import { type HandlerMap, id, sha256 } from './common.ts';

export const checkInputs = {
  // `caller`: the view checking; media.cancel with it stops this check's media fingerprint.
  'check.run': z.object({ card: z.unknown(), imageSha: sha256.optional(), excludeId: id.optional(), caller: MediaCaller.optional() }),
} as const;

export interface CheckOutputs {
  'check.run': CheckResult;
}

export type CheckHandlers = HandlerMap<typeof checkInputs, CheckOutputs>;
