/**
 * The server's own fingerprints of a submission: the card and image on the engine, the audio/video
 * file on the engine's media worker, side by side; engine errors become API errors naming the part
 * at fault (a 5xx only where the server is at fault), and a vanished client stops the decoding.
 */
import type { MediaData } from '../../../engine/fingerprints.ts';
import { probeImage } from '../../../engine/image/decode.ts';
import type { AssetCard } from '../../../engine/cards.ts';
import type { AssetFingerprints, UniquenessEngine } from '../../../engine/library.ts';
import { mediaData } from '../../../engine/media-pool.ts';
import { fromEngineError } from '../../../shared/errors.ts';

export class Fingerprinter {
  constructor(
    private readonly engine: () => Pick<UniquenessEngine, 'fingerprint'>,
    private readonly decodeMedia: (path: string, signal?: AbortSignal) => Promise<MediaData> = mediaData,
  ) {}

  async fingerprint(card: AssetCard, image?: Uint8Array, mediaPath?: string, signal?: AbortSignal): Promise<AssetFingerprints> {
    // The media file is probed, decoded and fingerprinted on the engine's media worker (its FFmpeg
    // pool bounds the processes), side by side with the card and image layers.
    const [fp, mediaFp] = await Promise.all([this.card(card, image), mediaPath ? this.media(mediaPath, signal) : null]);
    return mediaFp ? { ...fp, media: mediaFp } : fp;
  }

  private async media(path: string, signal?: AbortSignal): Promise<MediaData> {
    try {
      return await this.decodeMedia(path, signal);
    } catch (err) {
      // A cancelled job (the client went away) is a 503, so an Idempotency-Key retry runs again instead of replaying this;
      // a host fault (no FFmpeg, ...) stays the server's own 500.
      throw fromEngineError(err, { field: 'media', prefix: 'media', hostFaultsInternal: true });
    }
  }

  private async card(card: AssetCard, image?: Uint8Array): Promise<AssetFingerprints> {
    try {
      if (image) await probeImage(image);
      return await this.engine().fingerprint(card, image);
    } catch (err) {
      throw fromEngineError(err, { field: 'image', prefix: 'image' });
    }
  }
}
