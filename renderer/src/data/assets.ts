/**
 * The studio's own data, as named calls: the app, the library, assets and their revisions, card
 * import/export, images and the uniqueness check. With the other files in renderer/src/data/, the
 * only code that talks to the main process (lint enforces it).
 */
import { useEffect, useState } from 'react';
import type { AssetDetail, AssetSummary, MediaRef, Revision } from '@shared/api.ts';
import type { AssetType } from '@shared/asset.ts';
import type { CheckResult } from '@shared/check.ts';
import { api, fileToBase64 } from '../api.ts';

export const appInfo = () => api.call('app.info', {});

export const listAssets = (q: string, type: AssetType | '', sort: 'recent' | 'name' | 'status'): Promise<AssetSummary[]> =>
  api.call('library.list', { q: q || undefined, type: type || undefined, sort });

export const getAsset = (id: string): Promise<AssetDetail> => api.call('assets.get', { id });

/** Saves a new revision of a stored asset, or creates it when it has no id yet. */
export function saveAsset(card: unknown, imageSha: string | null, current: { id: string; rev: number } | null): Promise<AssetDetail> {
  return current
    ? api.call('assets.save', { id: current.id, card, imageSha, baseRev: current.rev })
    : api.call('assets.create', { card, ...(imageSha ? { imageSha } : {}) });
}

export const createAsset = (card: unknown, imageSha?: string): Promise<AssetDetail> =>
  api.call('assets.create', { card, ...(imageSha ? { imageSha } : {}) });

export const deleteAssets = (ids: string[]) => api.call('assets.delete', { ids });
export const undoDelete = (ids: string[]) => api.call('assets.undoDelete', { ids });
export const listRevisions = (id: string) => api.call('assets.revisions', { id });
export const getRevision = (id: string, rev: number) => api.call('assets.revision', { id, rev });
export const restoreRevision = (id: string, rev: number) => api.call('assets.restore', { id, rev });

/** The live check; `caller`: the view checking (media.cancel with it stops this check's media work). */
export const runCheck = (card: unknown, imageSha: string | null, excludeId: string | null, caller?: string): Promise<CheckResult> =>
  api.call('check.run', { card, ...(imageSha ? { imageSha } : {}), ...(excludeId ? { excludeId } : {}), ...(caller ? { caller } : {}) });

/** Imports an image file (stored as WebP). */
export async function importImage(file: File) {
  return api.call('images.import', { name: file.name, data: await fileToBase64(file) });
}

/** Imports an asset card (.json), with its image when one came along. */
export async function importCard(card: unknown, image?: File) {
  return api.call('cards.import', { card, ...(image ? { image: await fileToBase64(image), imageName: image.name } : {}) });
}

/** Imports an asset card whose image is already base64 (an entry of a card bundle). */
export const importCardData = (card: unknown, image?: string, imageName?: string) =>
  api.call('cards.import', { card, ...(image ? { image, ...(imageName ? { imageName } : {}) } : {}) });

export const exportCard = (id: string) => api.call('cards.export', { id });

/** Every library asset's marketplace state, price and sales, as last synced (the cards' market line). */
export const listingSummaries = () => api.call('market.listings', {});

/** Audio/video travel as files: a path in Electron (the dialog's when no file is given), a streamed upload in browser mode. */
export const importMediaFile = (file?: File): Promise<MediaRef | null> => api.importMedia(file);

/** Where the page can show stored files (no call: a URL for <img>/<audio>/<video>). */
export const imageUrl = (sha: string, thumb?: boolean) => api.imageUrl(sha, thumb);
export const mediaImageUrl: typeof api.mediaImageUrl = (r) => api.mediaImageUrl(r);
export const marketMediaUrl: typeof api.marketMediaUrl = (r) => api.marketMediaUrl(r);
/** Electron imports media through its own file dialog; browser mode through an <input type=file>. */
export const hasNativeMediaDialog = () => api.mode === 'electron';

/** Two revisions of an asset, loaded together for the side-by-side compare (null until both are picked). */
export function useRevisionPair(id: string | undefined, picked: number[], onError: (message: string) => void) {
  const [pair, setPair] = useState<[Revision, Revision] | null>(null);
  useEffect(() => {
    if (!id || picked.length !== 2) return setPair(null);
    const [a, b] = [...picked].sort((x, y) => x - y) as [number, number];
    void Promise.all([getRevision(id, a), getRevision(id, b)]).then(
      ([ra, rb]) => setPair([ra, rb]),
      (err: unknown) => onError((err as Error).message),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [picked, id]);
  return pair;
}
