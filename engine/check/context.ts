/**
 * What every layer of a check shares: the query's fingerprints, the stored rows, the in-memory
 * indexes, the policy, the assets left out, and the evidence gathered per candidate so far (one
 * Evidence per library asset, opened by whichever layer finds it first).
 */
import type { AssetCard } from '../../shared/asset.ts';
import type { UniquenessPolicy } from '../../shared/policy/uniqueness.ts';
import type { AssetFingerprints } from '../fingerprints.ts';
import type { Entry } from '../index/entry.ts';
import type { LocalFeatureSet } from '../image/local/types.ts';
import type { SearchIndexes } from '../index/search-indexes.ts';
import { type Evidence, emptyEvidence } from '../scoring.ts';
import type { AssetRows } from '../store/asset-rows.ts';

export class CheckContext {
  /** Candidates' stored fingerprints, read from SQLite once per check. */
  private readonly entries = new Map<number, Entry | null>();
  /** Candidates' stored local features, read once per check (the whole query, its windows and the global layer's pixel check share them). */
  private readonly locals = new Map<number, LocalFeatureSet | null>();
  readonly evidence = new Map<number, Evidence>();

  constructor(
    readonly fp: AssetFingerprints,
    readonly card: AssetCard,
    readonly rows: AssetRows,
    readonly indexes: SearchIndexes,
    readonly policy: UniquenessPolicy,
    /** Rowids left out of every layer (the asset being re-checked, its marketplace copy). */
    readonly excluded: ReadonlySet<number>,
  ) {}

  entryOf(rowid: number): Entry | null {
    let e = this.entries.get(rowid);
    if (e === undefined) {
      e = this.rows.entry(rowid);
      this.entries.set(rowid, e);
    }
    return e;
  }

  localOf(rowid: number): LocalFeatureSet | null {
    let l = this.locals.get(rowid);
    if (l === undefined) {
      l = this.rows.local(rowid);
      this.locals.set(rowid, l);
    }
    return l;
  }

  /** The evidence of a candidate (opened on first use); null for an excluded asset. */
  acc(rowid: number): Evidence | null {
    if (this.excluded.has(rowid)) return null;
    let a = this.evidence.get(rowid);
    if (!a) {
      a = emptyEvidence();
      this.evidence.set(rowid, a);
    }
    return a;
  }
}
