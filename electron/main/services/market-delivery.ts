/**
 * The marketplace side of a purchase's delivery, through the studio's connection: the delivery
 * itself (the marketplace decides who gets it), the version's image, and its audio/video file
 * streamed with the session (which never reaches the page).
 */
import { ApiError } from '../../../shared/api.ts';
import type { Connection } from './connection.ts';
import type { DeliverySource } from './purchase-files.ts';

export function marketDelivery(conn: Connection): DeliverySource {
  return {
    delivery: (purchaseId) => conn.client.purchases.purchaseDelivery({ params: { id: purchaseId } }),
    async image(assetId, version) {
      const raw = await conn.client.media.assetImage({ params: { id: assetId }, query: { version } });
      return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    },
    async media(assetId, version) {
      const src = conn.mediaSource(assetId, version);
      const res = await fetch(src.url, { headers: src.authorization ? { authorization: src.authorization } : {} });
      if (!res.ok || !res.body)
        throw new ApiError('download_failed', `the marketplace answered ${res.status} for the audio/video file`, undefined, 502);
      return res.body;
    },
  };
}
