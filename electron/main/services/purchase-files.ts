/**
 * What a buyer gets from a purchase, on this computer: the marketplace's delivery (which it grants
 * only to the buyer of a paid, unrefunded, unexpired purchase) saved into <dataDir>/purchases/<id>/
 * as card.json, license.txt, the image and the audio/video file; the list of what was saved; and
 * the purchased card added to the local library — declaring the listing as the parent where the
 * license allows derivatives, otherwise as a reference copy that says derivatives are not allowed.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { z } from 'zod';
import { ApiError } from '../../../shared/api.ts';
import type { AssetDetail } from '../../../shared/contracts/studio/library.ts';
import type { MediaRef } from '../../../shared/contracts/studio/media.ts';
import type { PurchaseFileView, PurchaseFilesView } from '../../../shared/contracts/studio/purchases.ts';
import { PURCHASE_FILE_NAME, PurchaseDelivery, type PurchaseFileRequest } from '../../../shared/purchase-delivery.ts';

/** Where a delivery and its files come from (the marketplace, through the studio's connection). */
export interface DeliverySource {
  delivery(purchaseId: string): Promise<PurchaseDelivery>;
  image(assetId: string, version: number): Promise<Buffer>;
  /** The audio/video file's body, streamed. */
  media(assetId: string, version: number): Promise<ReadableStream<Uint8Array>>;
}

/** The library the purchased card is added to (the Studio). */
export interface PurchaseLibrary {
  importCard(input: { card: unknown; image?: string; imageName?: string }): Promise<AssetDetail>;
  get(id: string): AssetDetail;
  media: { importPath(path: string, name?: string): Promise<MediaRef> };
}

const LibraryLink = z.object({
  assetId: z.string(),
  name: z.string(),
  parentAssetId: z.string().nullable(),
  parentName: z.string(),
  derivativesAllowed: z.boolean(),
});
const Saved = z.object({ savedAt: z.string(), delivery: PurchaseDelivery, library: LibraryLink.nullable().default(null) });
type Saved = z.infer<typeof Saved>;

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  m4a: 'audio/mp4',
};

/** The image's file extension, from its first bytes. */
export function imageExtension(b: Buffer): 'png' | 'jpg' | 'webp' | 'bin' {
  if (b[0] === 0x89 && b.subarray(1, 4).toString() === 'PNG') return 'png';
  if (b[0] === 0xff && b[1] === 0xd8) return 'jpg';
  return b.subarray(8, 12).toString() === 'WEBP' ? 'webp' : 'bin';
}

function kindOf(name: string): PurchaseFileView['kind'] {
  if (name === 'card.json') return 'card';
  if (name === 'license.txt') return 'license';
  return name.startsWith('image.') ? 'image' : 'media';
}

/** The note a library copy carries: where it came from, and whether derivatives are allowed. */
export function provenanceNote(d: PurchaseDelivery): string {
  const from = `“${d.asset.name}” by ${d.asset.creatorName} (marketplace listing ${d.asset.id}, version ${d.asset.version}; purchase ${d.purchaseId})`;
  return d.license.derivativesAllowed
    ? `Bought: ${from}. ${d.license.title} license: derivatives are allowed — publish them declaring this listing as their parent.`
    : `Reference copy of ${from}. Its ${d.license.title.toLowerCase()} license does not allow derivatives: keep it for reference, do not publish it or works built on it.`;
}

export class PurchaseFiles {
  constructor(
    /** <dataDir>/purchases */
    readonly dir: string,
    private readonly source: DeliverySource,
    private readonly library: PurchaseLibrary,
  ) {}

  private folder(purchaseId: string): string {
    return join(this.dir, purchaseId);
  }

  private read(purchaseId: string): Saved | null {
    const p = join(this.folder(purchaseId), 'delivery.json');
    if (!existsSync(p)) return null;
    try {
      return Saved.parse(JSON.parse(readFileSync(p, 'utf8')));
    } catch {
      return null;
    }
  }

  private write(purchaseId: string, s: Saved): void {
    writeFileSync(join(this.folder(purchaseId), 'delivery.json'), JSON.stringify(s, null, 2), { mode: 0o600 });
  }

  private view(purchaseId: string, s: Saved): PurchaseFilesView {
    const folder = this.folder(purchaseId);
    const files = readdirSync(folder)
      .filter((n) => PURCHASE_FILE_NAME.test(n))
      .sort()
      .map((name) => ({ name, kind: kindOf(name), bytes: statSync(join(folder, name)).size }));
    const d = s.delivery;
    return {
      purchaseId,
      folder,
      savedAt: s.savedAt,
      asset: {
        id: d.asset.id,
        name: d.asset.name,
        version: d.asset.version,
        creatorName: d.asset.creatorName,
        assetType: d.asset.assetType,
      },
      license: { title: d.license.title, key: d.license.key, derivativesAllowed: d.license.derivativesAllowed },
      files,
      library: s.library,
    };
  }

  /** Asks the marketplace for the purchase's delivery (refused unless it is still valid) and saves its files. */
  async download(purchaseId: string): Promise<PurchaseFilesView> {
    const d = await this.source.delivery(purchaseId);
    const folder = this.folder(purchaseId);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const put = (name: string, data: string | Buffer) => writeFileSync(join(folder, name), data, { mode: 0o600 });
    put('card.json', `${JSON.stringify(d.asset.card, null, 2)}\n`);
    put('license.txt', d.license.text);
    for (const f of d.files) {
      if (f.kind === 'image') {
        const bytes = await this.source.image(d.asset.id, d.asset.version);
        put(`image.${imageExtension(bytes)}`, bytes);
      } else {
        const format = String((d.asset.card.media as { format?: unknown } | undefined)?.format ?? '').toLowerCase();
        const name = `media.${/^[a-z0-9]{1,8}$/.test(format) ? format : 'bin'}`;
        const body = await this.source.media(d.asset.id, d.asset.version);
        await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), createWriteStream(join(folder, name), { mode: 0o600 }));
      }
    }
    const saved: Saved = { savedAt: new Date().toISOString(), delivery: d, library: this.read(purchaseId)?.library ?? null };
    this.write(purchaseId, saved);
    return this.view(purchaseId, saved);
  }

  /** Every purchase saved on this computer, newest first. */
  downloads(): PurchaseFilesView[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((id) => {
        const s = this.read(id);
        return s ? this.view(id, s) : null;
      })
      .filter((v): v is PurchaseFilesView => v !== null)
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }

  /**
   * Adds the purchased card (with its image and audio/video file) to the library, once: a fresh
   * delivery first, so a refunded or expired purchase adds nothing. The copy says where it came from;
   * its declared parent is the listing when the license allows derivatives.
   */
  async addToLibrary(purchaseId: string): Promise<PurchaseFilesView> {
    const v = await this.download(purchaseId);
    const s = this.read(purchaseId) as Saved;
    if (s.library && this.exists(s.library.assetId)) return v;
    const d = s.delivery;
    const card = { ...d.asset.card } as Record<string, unknown>;
    const note = provenanceNote(d);
    card.description = `${note}\n\n${String(card.description ?? '')}`.trim().slice(0, 20_000);
    if (!d.license.derivativesAllowed) card.name = `${d.asset.name} (reference copy)`.slice(0, 255);
    const media = v.files.find((f) => f.kind === 'media');
    if (media && card.media && typeof card.media === 'object') {
      const ref = await this.library.media.importPath(join(v.folder, media.name), `${d.asset.name}.${media.name.split('.')[1]}`);
      card.media = { ...(card.media as object), sha256: ref.sha, size: ref.size };
    }
    const image = v.files.find((f) => f.kind === 'image');
    const asset = await this.library.importCard({
      card,
      ...(image ? { image: readFileSync(join(v.folder, image.name)).toString('base64'), imageName: image.name } : {}),
    });
    const library = {
      assetId: asset.id,
      name: asset.name,
      parentAssetId: d.license.derivativesAllowed ? d.asset.id : null,
      parentName: d.asset.name,
      derivativesAllowed: d.license.derivativesAllowed,
    };
    this.write(purchaseId, { ...s, library });
    return this.view(purchaseId, { ...s, library });
  }

  /** The declared parent (a marketplace listing id) of a library asset added from a purchase, if any. */
  declaredParent(assetId: string): string | null {
    return this.downloads().find((v) => v.library?.assetId === assetId)?.library?.parentAssetId ?? null;
  }

  /** A refunded purchase's saved files are deleted (the marketplace no longer delivers them either). */
  forget(purchaseId: string): void {
    rmSync(this.folder(purchaseId), { recursive: true, force: true });
  }

  /** A saved file's path and type, for the transports to serve. */
  file(r: PurchaseFileRequest): { path: string; contentType: string } {
    const path = join(this.folder(r.purchaseId), r.name);
    if (!existsSync(path)) throw new ApiError('not_found', 'this purchase file is not saved here: download it first', 'name', 404);
    return { path, contentType: CONTENT_TYPES[r.name.split('.').pop() as string] ?? 'application/octet-stream' };
  }

  private exists(assetId: string): boolean {
    try {
      this.library.get(assetId);
      return true;
    } catch {
      return false;
    }
  }
}
