/**
 * The server's own fingerprints of a submission: the card and image on the engine, the audio/video
 * file on the engine's media worker, side by side; engine errors become API errors naming the part
 * at fault (a 5xx only where the server is at fault), and a vanished client stops the decoding.
 */
import { EngineError } from '../../../engine/errors.ts';
import type { MediaData } from '../../../engine/fingerprints.ts';
import { probeImage } from '../../../engine/image/decode.ts';
import type { AssetCard } from '../../../engine/cards.ts';
import type { AssetFingerprints, UniquenessEngine } from '../../../engine/library.ts';
import { mediaData } from '../../../engine/media-pool.ts';
import { ApiError } from '../../../shared/api.ts';

/** Media errors that are the server's fault, not the file's (anything else is a 4xx naming "media"). */
const MEDIA_SERVER_ERRORS = new Set(['ffmpeg_unavailable', 'chromaprint_unavailable', 'chromaprint_failed', 'file_not_found']);

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
      // A 5xx, so an Idempotency-Key retry after the disconnect runs again instead of replaying this.
      if (err instanceof EngineError && err.code === 'cancelled')
        throw new ApiError('cancelled', 'media: the client went away; the file was not processed', 'media', 503);
      if (err instanceof EngineError && !MEDIA_SERVER_ERRORS.has(err.code))
        throw new ApiError(err.code, `media: ${err.message}`, 'media', err.code === 'file_too_large' ? 413 : 400);
      throw err;
    }
  }

  private async card(card: AssetCard, image?: Uint8Array): Promise<AssetFingerprints> {
    try {
      if (image) await probeImage(image);
      return await this.engine().fingerprint(card, image);
    } catch (err) {
      if (err instanceof EngineError)
        throw new ApiError(
          err.code,
          `image: ${err.message}`,
          'image',
          err.code === 'too_many_pixels' || err.code === 'file_too_large' ? 413 : 400,
        );
      throw err;
    }
  }
}
