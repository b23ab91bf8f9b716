/** Per-query eval records and their summary: recall per family and for combinations, false positives, latency. */
import type { CheckResult } from '../../shared/check.ts';
import { type AuditFile, auditReason } from './audit.ts';
import { type BreakdownRow, breakdowns } from './breakdown.ts';
import { type RegionName, regionNames } from './probe-report.ts';
import type { Step } from './params.ts';
import { type Proportion, percentile, wilson } from './stats.ts';

export interface QueryRecord {
  id: string;
  /** A family name, 'combo', or 'unrelated'. */
  family: string;
  steps: Step[];
  /** Library id the query copies (null: unrelated). */
  expect: string | null;
  /** Source of the query (openclipart file or fortune id). */
  source: string;
  /** Share of the source drawing's ink the query keeps (kept.ts: single crops and cropped rotations only). */
  kept?: number;
  status: CheckResult['status'];
  flagged: boolean;
  top: string | null;
  topSource: string | null;
  signals: string[];
  /**
   * Flagged with the expected library item as the top match (copies only) — or found below matches
   * the query really holds: every match ranked above it is a library drawing that the label audit
   * pairs with the query's source artwork or with the clip-art host it was pasted into (heldAbove).
   */
  hit: boolean;
  /** Why the query holds the match(es) ranked above its source, when the hit relies on it. */
  heldAbove?: string;
  /**
   * Position (1-based) of the expected library item among the matches that carry a copy signal, or
   * null when it is not among them: a copy whose top match is another drawing the query also holds
   * (a host picture sharing a pictogram) is not a hit, but this says whether its source was found.
   */
  sourceRank: number | null;
  checkMs: number;
  /** Why the label audit accepts this flagged unrelated pair as a real copy. */
  audited?: string | null;
  /**
   * The top match's verified region, when it has one (local features): how many keypoints agree,
   * its scale, turn and stretch (1 when under policy region.stretched), and how much of each image
   * it covers — to see which geometry real copies and chance matches are verified with — and what
   * it is named (bent, stretched, mirrored, inverted, embossed: probe-report.ts regionNames).
   */
  region?: {
    inliers: number;
    scale: number;
    rotationDeg: number;
    stretch: number;
    matchCoverage: number;
    queryCoverage: number;
    named: RegionName[];
  };
}

/** The geometry of a match's verified region (QueryRecord.region), rounded for the JSON. */
export function regionSummary(r: NonNullable<CheckResult['matches'][number]['region']>): NonNullable<QueryRecord['region']> {
  const r3 = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    inliers: r.inliers,
    scale: r3(r.scale),
    rotationDeg: r3(r.rotationDeg),
    stretch: r3(r.stretch ?? 1),
    matchCoverage: r3(r.matchCoverage),
    queryCoverage: r3(r.queryCoverage),
    named: regionNames(r),
  };
}

/**
 * One generated query's record: what the check flagged, its top match and that match's source,
 * whether it is the expected copy, and — for a flagged unrelated query — the audit's reason, if any.
 */
export function generatedRecord(
  q: { id: string; family: string; steps: Step[]; expect: string | null; source: string; kept?: number },
  r: CheckResult,
  checkMs: number,
  bySource: ReadonlyMap<string, string>,
  audit: AuditFile,
  auditKey: string,
): QueryRecord {
  const top = r.matches[0]?.assetId ?? null;
  const flagged = r.status !== 'approved';
  const topSource = top ? (bySource.get(top) ?? null) : null;
  const held = heldBy(q.source, q.steps, bySource, audit, auditKey);
  const above = q.expect !== null && flagged && top !== q.expect ? matchesAbove(q.expect, r) : null;
  const reasons = above?.map((m) => held(m.assetId));
  const heldAbove = reasons?.length && reasons.every((x) => x !== null) ? [...new Set(reasons)].join(' / ') : null;
  const unrelatedAudit = q.expect === null && flagged && top ? held(top) : undefined;
  return {
    ...q,
    status: r.status,
    flagged,
    top,
    topSource,
    signals: r.matches[0]?.copySignals ?? [],
    hit: q.expect !== null && flagged && (top === q.expect || heldAbove !== null),
    ...(heldAbove ? { heldAbove } : {}),
    sourceRank: sourceRank(q.expect, r),
    checkMs,
    ...(unrelatedAudit !== undefined ? { audited: unrelatedAudit } : {}),
    ...(r.matches[0]?.region ? { region: regionSummary(r.matches[0].region) } : {}),
  };
}

/** The clip-art host pictures a query's steps pasted it into (generated scenes hold no library drawing). */
export function hostFiles(steps: readonly Step[]): string[] {
  return steps.flatMap((s) =>
    s.family === 'paste' && s.params.host === 'clipart' && typeof s.params.hostFile === 'string' ? [s.params.hostFile] : [],
  );
}

/**
 * Why the query holds a library item although it copies another (or none): the label audit pairs
 * the item's source with the query's source artwork (the two share a drawing) or with a clip-art
 * host picture the query was pasted into; null when it does neither.
 */
function heldBy(
  source: string,
  steps: readonly Step[],
  bySource: ReadonlyMap<string, string>,
  audit: AuditFile,
  auditKey: string,
): (assetId: string) => string | null {
  const hosts = hostFiles(steps);
  return (assetId) => {
    const file = bySource.get(assetId);
    if (!file) return null;
    const own = auditReason(audit, auditKey, source, file);
    if (own) return own;
    for (const h of hosts) {
      const why = auditReason(audit, auditKey, h, file);
      if (why) return `the host picture ${h} holds ${file}: ${why}`;
    }
    return null;
  };
}

/** The matches ranked above the expected item when it is among the copy matches (null: it is not). */
function matchesAbove(expect: string, r: CheckResult): CheckResult['matches'] | null {
  const i = r.matches.findIndex((m) => m.assetId === expect && m.copySignals.length > 0);
  return i < 0 ? null : r.matches.slice(0, i);
}

/** Where the expected item sits among the matches with a copy signal (null: not there, or no copy expected). */
export function sourceRank(expect: string | null, r: CheckResult): number | null {
  if (expect === null || r.status === 'approved') return null;
  const i = r.matches.filter((m) => m.copySignals.length > 0).findIndex((m) => m.assetId === expect);
  return i < 0 ? null : i + 1;
}

export interface FamilySummary extends Proportion {
  family: string;
  /** Flagged, but with another library item on top. */
  wrongTop: number;
  /** Of those, how many still had the expected item among the matches with a copy signal. */
  sourceBelowTop: number;
  /** Hits found below library drawings the query also holds (QueryRecord.heldAbove). */
  belowHeld: number;
}

export interface ModalitySummary {
  indexed: number;
  families: FamilySummary[];
  combos: FamilySummary;
  /** Recall of combinations that include each family. */
  combosWith: FamilySummary[];
  falsePositives: Proportion;
  /** False positives the label audit does not explain, out of the unrelated items it does not explain. */
  falsePositivesUnexplained: Proportion;
  latencyMs: { p50: number; p95: number };
  /** Recall of single-family copies by parameter group. */
  breakdowns: BreakdownRow[];
}

function familySummary(family: string, qs: readonly QueryRecord[]): FamilySummary {
  return {
    family,
    ...wilson(qs.filter((q) => q.hit).length, qs.length),
    wrongTop: qs.filter((q) => q.flagged && !q.hit).length,
    sourceBelowTop: qs.filter((q) => !q.hit && (q.sourceRank ?? 0) > 1).length,
    belowHeld: qs.filter((q) => q.hit && q.heldAbove).length,
  };
}

export function summarise(records: readonly QueryRecord[], familyNames: readonly string[], indexed: number): ModalitySummary {
  const copies = records.filter((r) => r.expect !== null);
  const combos = copies.filter((r) => r.family === 'combo');
  const unrelated = records.filter((r) => r.expect === null);
  const flagged = unrelated.filter((r) => r.flagged);
  const explained = flagged.filter((r) => r.audited).length;
  return {
    indexed,
    families: familyNames.map((f) =>
      familySummary(
        f,
        copies.filter((r) => r.family === f),
      ),
    ),
    combos: familySummary('combo', combos),
    combosWith: familyNames.map((f) =>
      familySummary(
        f,
        combos.filter((r) => r.steps.some((s) => s.family === f)),
      ),
    ),
    falsePositives: wilson(flagged.length, unrelated.length),
    falsePositivesUnexplained: wilson(flagged.length - explained, unrelated.length - explained),
    latencyMs: {
      p50: percentile(
        records.map((r) => r.checkMs),
        0.5,
      ),
      p95: percentile(
        records.map((r) => r.checkMs),
        0.95,
      ),
    },
    breakdowns: breakdowns(records),
  };
}
