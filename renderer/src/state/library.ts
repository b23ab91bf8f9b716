/**
 * Library slice: the app's info, the asset list with its search/filter/sort, each asset's
 * marketplace line (state, price, sales), the selection and its bulk actions (delete with undo,
 * submit through the outbox, one price, export to one file), and import (cards, card bundles, files).
 */
import type { AppInfo, AssetSummary } from '@shared/api.ts';
import type { AssetType } from '@shared/asset.ts';
import { isCardBundle } from '@shared/card-bundle.ts';
import type { ListingSummary } from '@shared/listings.ts';
import type { PricingInput } from '@shared/payments.ts';
import { STATUS_TEXT } from '../components/StatusBadge.tsx';
import * as data from '../data/assets.ts';
import { bundleOutcome, cardRefusal, readCardBundle, readCardJson } from './card-file.ts';
import { exportBundle, submitEach, priceEach } from './library-bulk.ts';
import { type Slice, type Studio, asFieldError } from './types.ts';

export type LibrarySort = 'recent' | 'name' | 'status';

export interface LibrarySlice {
  info: AppInfo | null;
  items: AssetSummary[];
  q: string;
  typeFilter: AssetType | '';
  sort: LibrarySort;
  selected: string[];
  loading: boolean;
  /** Each asset's marketplace line, by asset id (empty until loaded; kept when a reload fails). */
  listings: Record<string, ListingSummary>;
  init(): Promise<void>;
  loadLibrary(): Promise<void>;
  setFilter(p: Partial<Pick<LibrarySlice, 'q' | 'typeFilter' | 'sort'>>): void;
  toggleSelect(id: string, multi: boolean): void;
  clearSelection(): void;
  deleteAssets(ids: string[]): Promise<void>;
  /** Re-reads the marketplace lines (after a bulk action, or when sync reports a change). */
  loadListings(): Promise<void>;
  /** Queues a submission for each selected asset not on the marketplace yet (the outbox sends them). */
  submitAssets(ids: string[]): Promise<void>;
  /** Sets one price on each selected asset that is submitted or queued (through the outbox, as the pricing editor does). */
  priceAssets(ids: string[], pricing: PricingInput): Promise<void>;
  /** Saves the selected cards (with their images) as one card bundle file. */
  exportAssets(ids: string[]): Promise<void>;
  /** Imports dropped or chosen files: asset cards (.json, with the image of the same name), images, audio and video. */
  importFiles(files: FileList | File[]): Promise<void>;
}

/** A failed import's message about a file: its name once (the studio's message may name it already). */
export const aboutFile = (name: string, message: string) => (message.includes(name) ? message : `${name}: ${message}`);

const isAudioVideo = (f: File) => /^(audio|video)\//.test(f.type) || /\.(mkv|opus|m4a|flac)$/i.test(f.name);

export const createLibrarySlice: Slice<LibrarySlice> = (set, get) => ({
  info: null,
  items: [],
  q: '',
  typeFilter: '',
  sort: 'recent',
  selected: [],
  loading: false,
  listings: {},

  async init() {
    try {
      set({ info: await data.appInfo() });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
    await get().loadLibrary();
  },

  async loadLibrary() {
    set({ loading: true });
    try {
      const { q, typeFilter, sort } = get();
      const [items, info] = await Promise.all([data.listAssets(q, typeFilter, sort), data.appInfo(), get().loadDrafts()]);
      set({ items, info, selected: get().selected.filter((id) => items.some((i) => i.id === id)) });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    } finally {
      set({ loading: false });
    }
    await get().loadListings();
  },

  async loadListings() {
    try {
      const list = await data.listingSummaries();
      set({ listings: Object.fromEntries(list.map((l) => [l.assetId, l])) });
    } catch {
      // The cards keep their last marketplace line; the library itself still works.
    }
  },

  async submitAssets(ids) {
    const r = await submitEach(ids, get().listings);
    get().toast(r.message, r.failed ? 'error' : 'info');
    await get().loadListings();
  },

  async priceAssets(ids, pricing) {
    const r = await priceEach(ids, get().listings, pricing);
    get().toast(r.message, r.failed ? 'error' : 'info');
    await get().loadListings();
  },

  async exportAssets(ids) {
    try {
      get().toast(await exportBundle(ids));
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  setFilter(p) {
    set(p);
    void get().loadLibrary();
  },

  toggleSelect(id, multi) {
    const sel = get().selected;
    if (multi) set({ selected: sel.includes(id) ? sel.filter((x) => x !== id) : [...sel, id] });
    else set({ selected: sel.length === 1 && sel[0] === id ? [] : [id] });
  },

  clearSelection() {
    set({ selected: [] });
  },

  async deleteAssets(ids) {
    try {
      await data.deleteAssets(ids);
      set({ selected: [] });
      await get().loadLibrary();
      get().toast(`Deleted ${ids.length} asset${ids.length > 1 ? 's' : ''}`, 'info', {
        label: 'Undo',
        run: () => {
          void data.undoDelete(ids).then(
            () => get().loadLibrary(),
            (err: unknown) => get().toast(asFieldError(err).message, 'error'),
          );
        },
      });
    } catch (err) {
      get().toast(asFieldError(err).message, 'error');
    }
  },

  async importFiles(files) {
    const { toast } = get();
    const list = [...files];
    const cards = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
    const images = list.filter((f) => !f.name.toLowerCase().endsWith('.json'));
    for (const c of cards) {
      try {
        const card = readCardJson(await c.text());
        if (isCardBundle(card)) {
          // Each card of a bundle stands alone: the good ones come in, each refused one is named.
          const entries = readCardBundle(card);
          const refused: { entry: number; fileName: string; reason: string }[] = [];
          for (const [i, e] of entries.entries()) {
            try {
              await data.importCardData(e.card, e.image, e.imageFileName);
            } catch (err) {
              refused.push({ entry: i + 1, fileName: e.fileName, reason: cardRefusal(err) });
            }
          }
          toast(bundleOutcome(c.name, entries.length, refused), refused.length ? 'error' : undefined);
          continue;
        }
        const stem = c.name.replace(/\.json$/i, '');
        const img = images.find((i) => i.name.replace(/\.[^.]+$/, '') === stem);
        if (img) images.splice(images.indexOf(img), 1);
        const a = await data.importCard(card, img);
        toast(`Imported “${a.name}”`);
      } catch (err) {
        toast(aboutFile(c.name, cardRefusal(err)), 'error');
      }
    }
    for (const f of images) {
      try {
        let a;
        if (isAudioVideo(f)) {
          // Audio and video travel as files (a path in Electron, a streamed upload in browser mode).
          const ref = await data.importMediaFile(f);
          if (!ref) continue;
          a = await data.createAsset({
            asset_type: 'media',
            name: f.name.replace(/\.[^.]+$/, '') || `Media ${get().items.length + 1}`,
            media: { type: ref.kind, format: ref.format, size: ref.size, sha256: ref.sha },
          });
        } else {
          const ref = await data.importImage(f);
          const name = f.name.replace(/\.[^.]+$/, '') || `Image ${get().items.length + 1}`;
          a = await data.createAsset({ asset_type: 'media', name, media: { type: 'image', format: 'webp', size: ref.bytes } }, ref.sha);
        }
        toast(`Imported “${a.name}” — ${a.status ? STATUS_TEXT[a.status].toLowerCase() : 'not checked'}`);
      } catch (err) {
        toast(aboutFile(f.name, (err as Error).message), 'error');
      }
    }
    await get().loadLibrary();
  },
});

export const selectInfo = (s: Studio) => s.info;
export const selectItems = (s: Studio) => s.items;
export const selectSelected = (s: Studio) => s.selected;
/** The toolbar's search, filter and sort (an object: subscribe with useShallow). */
export const selectFilters = (s: Studio) => ({ q: s.q, typeFilter: s.typeFilter, sort: s.sort, loading: s.loading });
/** The library's actions (stable functions; an object: subscribe with useShallow). */
export const selectLibraryActions = (s: Studio) => ({
  setFilter: s.setFilter,
  toggleSelect: s.toggleSelect,
  clearSelection: s.clearSelection,
  loadListings: s.loadListings,
  deleteAssets: s.deleteAssets,
  submitAssets: s.submitAssets,
  priceAssets: s.priceAssets,
  exportAssets: s.exportAssets,
  importFiles: s.importFiles,
  newAsset: s.newAsset,
  openAsset: s.openAsset,
});
/** One asset's marketplace line (undefined until loaded). */
export const selectListing = (id: string) => (s: Studio) => s.listings[id];
