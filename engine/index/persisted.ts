/**
 * The in-memory search indexes kept in step with SQLite across processes and restarts: loaded
 * from their snapshots plus the journal of assets changed since (or rebuilt from every stored
 * fingerprint when no usable snapshot exists), written back as snapshots on close and whenever the
 * journal grows past a tenth of the library. A write generation in engine_meta tells when another
 * process wrote since this one loaded; its snapshots would then be stale, so it saves none.
 */
import type { AssetRows } from '../store/asset-rows.ts';
import type { DB } from '../store/db.ts';
import type { Statements } from '../store/statements.ts';
import { type IndexedData, SNAPSHOT_FORMAT, SearchIndexes, mediaRef } from './search-indexes.ts';

export class PersistedIndexes {
  indexes = new SearchIndexes();
  /** The write generation the in-memory indexes reflect (engine_meta.generation). */
  private generation = 0;
  /** Another process wrote since this engine loaded: its snapshots would be stale, so it saves none. */
  private stale = false;
  private journalSize = 0;

  constructor(
    private readonly db: DB,
    private readonly sql: Statements,
    private readonly rows: AssetRows,
  ) {}

  private stmt(text: string) {
    return this.sql.get(text);
  }

  /**
   * Loads the search structures: from the snapshots plus the journal of assets changed since, or,
   * without usable snapshots, from every stored fingerprint (and then writes snapshots).
   */
  load(): void {
    this.generation = this.readGeneration();
    this.stale = false;
    const snaps = Object.fromEntries(
      (this.stmt('SELECT name, data FROM index_snapshots WHERE format = ?').all(SNAPSHOT_FORMAT) as { name: string; data: Buffer }[]).map(
        (r) => [r.name, r.data],
      ),
    );
    let loaded: SearchIndexes | null = null;
    try {
      loaded = SearchIndexes.fromSnapshots(snaps);
    } catch {
      loaded = null; // a damaged snapshot is rebuilt from the rows
    }
    if (loaded) {
      this.indexes = loaded;
      this.deferMedia();
      const journal = this.stmt('SELECT asset_rowid FROM index_journal').all() as { asset_rowid: number }[];
      this.journalSize = journal.length;
      for (const { asset_rowid } of journal) {
        const d = this.rows.indexed(asset_rowid);
        if (d) this.indexes.add(asset_rowid, d);
        else this.indexes.remove(asset_rowid);
      }
      // A snapshot in an older layout that is still read: the next flush (at the latest on close) saves the current one.
      if (loaded.local.fromOlderFormat) this.journalSize = Number.POSITIVE_INFINITY;
      return;
    }
    this.indexes = new SearchIndexes();
    const rows = this.rows;
    this.indexes.media.useKeyframeSource((ref) => rows.mediaKeyframes(Number(ref)));
    for (const [rowid, d] of this.rows.allIndexed()) this.indexes.add(rowid, d);
    this.journalSize = Number.POSITIVE_INFINITY; // no snapshot yet: the next flush writes one
    if (this.rows.count() > 0) this.flush();
  }

  /**
   * The media index is not snapshotted: it is rebuilt from every stored media fingerprint, in bulk
   * and only when the first media check needs it or prepareMedia starts it (opening reads nothing).
   * The blobs are read a page at a time (AssetRows.mediaBlobPages), so a background build never
   * reads them all in one synchronous step. Unreadable blobs are skipped.
   */
  private deferMedia(): void {
    const rows = this.rows;
    this.indexes.media.useKeyframeSource((ref) => rows.mediaKeyframes(Number(ref)));
    this.indexes.media.loadPages(function* () {
      for (const page of rows.mediaBlobPages()) yield page.map(([rowid, blob, keyframes]) => [mediaRef(rowid), blob, keyframes] as const);
    });
  }

  /** Takes committed assets into the in-memory indexes. */
  add(rowid: number, d: IndexedData): void {
    this.indexes.add(rowid, d);
  }

  remove(rowid: number): void {
    this.indexes.remove(rowid);
  }

  private readGeneration(): number {
    return (this.stmt("SELECT value FROM engine_meta WHERE key = 'generation'").get() as { value: number }).value;
  }

  /** Inside a write transaction: records the change in the journal and advances the generation. */
  recordWrite(rowid: number): void {
    this.stmt('INSERT OR IGNORE INTO index_journal (asset_rowid) VALUES (?)').run(rowid);
    const g = (this.stmt("UPDATE engine_meta SET value = value + 1 WHERE key = 'generation' RETURNING value").get() as { value: number })
      .value;
    if (g !== this.generation + 1) this.stale = true;
    this.generation = g;
    this.journalSize++;
  }

  /**
   * Writes the index snapshots and empties the journal, in one transaction. Done on close and once
   * the journal grows past a tenth of the library, so opening replays little. Skipped when another
   * process wrote since this engine loaded (its snapshots would miss that process's changes).
   */
  flush(): void {
    if (this.stale || this.journalSize === 0 || this.db.memory) return;
    this.db.transaction(() => {
      if (this.readGeneration() !== this.generation) {
        this.stale = true;
        return;
      }
      const ins = this.stmt('INSERT OR REPLACE INTO index_snapshots (name, format, data) VALUES (?, ?, ?)');
      for (const [name, data] of Object.entries(this.indexes.snapshots())) ins.run(name, SNAPSHOT_FORMAT, data);
      this.stmt('DELETE FROM index_journal').run();
    })();
    if (!this.stale) this.journalSize = 0;
  }

  /** Flushes once the journal holds more than a tenth of the library (at least 2000 changes). */
  maybeFlush(librarySize: number): void {
    if (this.journalSize > Math.max(2000, librarySize / 10)) this.flush();
  }
}
