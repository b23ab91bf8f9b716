/** Fingerprint blocklists (e.g. from rights holders): imported by admins, indexed in memory on first use, checked at submission on the copy layers. */
import { UniquenessEngine } from '../../../engine/library.ts';
import type { AssetFingerprints } from '../../../engine/library.ts';
import { type FingerprintsJson, fingerprintsFromJson } from '../../../engine/serialize.ts';
import { ApiError } from '../../../shared/api.ts';
import type { AssetCard } from '../../../shared/asset.ts';
import type { UserRow } from '../../auth.ts';
import type { Database } from '../../db.ts';
import type * as moderationRepo from '../../repos/moderation.ts';
import type { BlocklistRow } from '../../repos/moderation.ts';
import type { AuditLog } from './audit.ts';

export type BlocklistRepo = Pick<typeof moderationRepo, 'blocklistEntries' | 'insertBlocklistEntry'>;

export class Blocklists {
  private engine: UniquenessEngine | null = null;

  constructor(
    private readonly db: Database,
    private readonly repo: BlocklistRepo,
    private readonly auditLog: AuditLog,
  ) {}

  close(): void {
    this.engine?.close();
  }

  /** Copy-layer hits against imported blocklists (held for a human like any likely plagiarism). */
  async hits(card: AssetCard, fp: AssetFingerprints): Promise<{ list: string; label: string; signals: string[] }[]> {
    if (!this.engine) {
      this.engine = UniquenessEngine.open({ dbPath: ':memory:' });
      for (const r of await this.repo.blocklistEntries(this.db)) this.indexEntry(r);
    }
    if (!this.engine.size) return [];
    const r = this.engine.checkFingerprints({ card, creatorId: '__submitter__', fp: { ...fp, vectors: {} } });
    return r.matches
      .filter((m) => m.copySignals.length)
      .map((m) => ({ list: m.creatorId.replace(/^blocklist:/, ''), label: m.name, signals: m.copySignals }));
  }

  private indexEntry(r: BlocklistRow) {
    this.engine?.indexFingerprints(
      {
        id: `block:${r.id}`,
        creatorId: `blocklist:${r.list}`,
        card: { asset_type: 'media', name: r.label, description: '', tags: [] } as unknown as AssetCard,
      },
      { ...fingerprintsFromJson(r.fingerprints), vectors: {} },
    );
  }

  async importBlocklist(admin: UserRow, input: { list: string; entries: { label: string; fingerprints: unknown }[] }) {
    const added = await this.db.tx(async (sql) => {
      let n = 0;
      for (const e of input.entries) {
        try {
          fingerprintsFromJson(e.fingerprints as FingerprintsJson);
        } catch {
          throw new ApiError(
            'invalid_input',
            `entries.${n}.fingerprints: not engine fingerprints JSON (export an asset card to see the format)`,
            `entries.${n}.fingerprints`,
            400,
          );
        }
        await this.repo.insertBlocklistEntry(sql, input.list, e.label, e.fingerprints, admin.id);
        this.engine?.close();
        this.engine = null; // rebuilt on next use, from the database
        n += 1;
      }
      await this.auditLog.audit(sql, admin, 'blocklist_imported', { type: 'blocklist', id: input.list }, null, { entries: n });
      return n;
    });
    return { list: input.list, added };
  }
}
