/**
 * The editor's drafts, as named calls: keep (write) the unsaved card, read it back, list the
 * drafts for the library, discard one. With the other files in renderer/src/data/, the only code
 * that talks to the main process (lint enforces it).
 */
import type { DraftDetail, DraftSummary } from '@shared/api.ts';
import { api } from '../api.ts';

export const putDraft = (id: string, card: unknown, imageSha: string | null, baseRev: number | null): Promise<DraftSummary> =>
  api.call('drafts.put', {
    id,
    card: card as { asset_type: DraftSummary['assetType']; name: string },
    imageSha,
    ...(baseRev ? { baseRev } : {}),
  });
export const getDraft = (id: string): Promise<DraftDetail | null> => api.call('drafts.get', { id });
export const listDrafts = (): Promise<DraftSummary[]> => api.call('drafts.list', {});
export const discardDraft = (id: string) => api.call('drafts.discard', { id });

/** Only the browser asks before a page with unkept typing is left (in Electron the question would block closing the window). */
export const asksBeforeLeaving = () => api.mode === 'browser';

/** A fresh id for a never-saved asset's draft ('new_' + 24 hex digits). */
export function newDraftId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `new_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
