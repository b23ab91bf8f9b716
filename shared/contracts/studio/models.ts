/** The studio's contract, models domain: which model weights are installed, fetching them, importing them from a folder. */
import { z } from 'zod';
import type { HandlerMap } from './common.ts';

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

export const modelInputs = {
  'models.status': z.object({}),
  'models.fetch': z.object({ model: z.string().max(100).optional() }),
  'models.import': z.object({ dir: z.string().min(1).max(4096) }),
} as const;

export interface ModelOutputs {
  'models.status': ModelsStatus;
  'models.fetch': { started: boolean };
  'models.import': { installed: string[]; missing: string[]; rejected: string[] };
}

export type ModelHandlers = HandlerMap<typeof modelInputs, ModelOutputs>;
