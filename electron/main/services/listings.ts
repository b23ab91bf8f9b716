/**
 * What the studio knows about its assets on the marketplace, read from what sync keeps (the
 * listing links, the outbox, the cached earnings, the creators' display names from the index
 * feed), so it works offline: every library asset's state, price and sales (the library cards),
 * and match cards worded for people (one per asset, the other creator by display name).
 */
import type { CheckResult } from '../../../shared/check.ts';
import { type ListingSummary, summarizeListing } from '../../../shared/listings.ts';
import { type ListingLink, MARKET_PREFIX, groupMatches } from '../../../shared/matches.ts';
import type { Connection } from './connection.ts';
import type { Studio } from './studio.ts';
import type { SyncEngine } from './sync.ts';

/** sync_state key prefix of a marketplace creator's display name (written by the index pull). */
export const CREATOR_NAME_KEY = 'creator_name:';

export class Listings {
  constructor(
    private readonly studio: Studio,
    private readonly conn: Connection,
    private readonly sync: SyncEngine,
  ) {}

  private get db() {
    return this.studio.engine.db;
  }

  /** Every local asset's listing link on the connected marketplace. */
  links(): ListingLink[] {
    return (
      this.db.prepare('SELECT asset_id, remote_id FROM remote_links WHERE server = ?').all(this.conn.server ?? '') as {
        asset_id: string;
        remote_id: string;
      }[]
    ).map((r) => ({ localId: r.asset_id, remoteId: r.remote_id }));
  }

  /** A marketplace creator's display name as the index feed gave it (null when not known). */
  creatorName(creatorId: string): string | null {
    const uuid = creatorId.startsWith(MARKET_PREFIX) ? creatorId.slice(MARKET_PREFIX.length) : creatorId;
    const row = this.db.prepare('SELECT value FROM sync_state WHERE key = ?').get(`${CREATOR_NAME_KEY}${uuid}`) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  /** The library cards' marketplace lines, one per local asset. */
  summaries(): ListingSummary[] {
    const ids = (this.db.prepare(`SELECT id FROM assets WHERE source = 'local'`).all() as { id: string }[]).map((r) => r.id);
    const perAsset = this.sync.cachedEarnings('all')?.summary.perAsset ?? [];
    const sales = new Map(perAsset.map((a) => [a.assetId, a.sales]));
    return ids.map((id) => {
      const link = this.sync.link(id);
      return summarizeListing(id, link, this.sync.outbox(id), link ? (sales.get(link.remoteId) ?? 0) : null);
    });
  }

  /** The check's matches, one per asset, with the marketplace creators' display names. */
  describe(r: CheckResult): CheckResult {
    const named = r.matches.map((m) =>
      m.assetId.startsWith(MARKET_PREFIX) && m.creatorId.startsWith(MARKET_PREFIX)
        ? { ...m, creatorName: this.creatorName(m.creatorId) }
        : m,
    );
    return { ...r, matches: groupMatches(named, this.links()) };
  }
}
