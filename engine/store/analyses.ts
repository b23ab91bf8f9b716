/** Stores a check's outcome in similarity_analyses (the spec's table), one row per match. */
import type { CheckResult } from '../../shared/check.ts';
import { isCopy } from '../../shared/matches.ts';
import type { Statements } from './statements.ts';

export function recordAnalysis(sql: Statements, ref: string, r: CheckResult, duplicateThreshold: number): void {
  const ins = sql.get(
    `INSERT INTO similarity_analyses (query_ref, asset_id, status, metadata_similarity, visual_similarity, combined_similarity,
      is_duplicate, is_plagiarism, is_derivative, flagged_differences, analysis_details) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  sql.db.transaction(() => {
    if (!r.matches.length) ins.run(ref, null, r.status, null, null, null, 0, 0, 0, null, JSON.stringify({ layers: r.layers }));
    for (const m of r.matches) {
      const copy = isCopy(m, duplicateThreshold);
      ins.run(
        ref,
        m.assetId,
        r.status,
        m.metadata,
        m.visualScore,
        m.combined,
        copy ? 1 : 0,
        r.status === 'flagged_plagiarism' && copy ? 1 : 0,
        r.status === 'derivative_potential' ? 1 : 0,
        JSON.stringify(m.differences),
        JSON.stringify({ layers: m.layers, signals: m.copySignals, engineLayers: r.layers, region: m.region, passages: m.passages }),
      );
    }
  })();
}
