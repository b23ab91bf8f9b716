/** The studio's contract, check domain: the uniqueness check of a card (and its image or media file) against the library and the marketplace index. */
import { z } from 'zod';
import type { CheckResult } from '../../check.ts';
import { type HandlerMap, id, sha256 } from './common.ts';

export const checkInputs = {
  'check.run': z.object({ card: z.unknown(), imageSha: sha256.optional(), excludeId: id.optional() }),
} as const;

export interface CheckOutputs {
  'check.run': CheckResult;
}

export type CheckHandlers = HandlerMap<typeof checkInputs, CheckOutputs>;
