/** Prints an eval summary as a table: recall per family with 95 % Wilson intervals, false positives, latency, flagged unrelated pairs. */
import { describeSteps } from './params.ts';
import type { FamilySummary, ModalitySummary, QueryRecord } from './results.ts';
import { formatProportion } from './stats.ts';

const row = (label: string, s: FamilySummary) =>
  `  ${label.padEnd(24)} ${formatProportion(s).padEnd(30)}${
    s.wrongTop ? ` ${s.wrongTop} flagged with another top match (the source among the copy matches in ${s.sourceBelowTop})` : ''
  }${s.belowHeld ? ` (${s.belowHeld} of the hits found below a library drawing the query also holds: label audit)` : ''}`;

export function printSummary(title: string, s: ModalitySummary, records: readonly QueryRecord[], log: (line: string) => void): void {
  log(`\n${title}: ${s.indexed} indexed, ${records.length} checked`);
  log(`  ${'family'.padEnd(24)} recall [95 % Wilson] (hits/n)`);
  for (const f of s.families) {
    log(row(f.family, f));
    for (const b of s.breakdowns.filter((x) => x.family === f.family)) {
      log(`      ${b.label}: ${b.groups.map((g) => `${g.group} ${g.k}/${g.n}`).join(' · ')}`);
    }
  }
  if (s.combos.n > 0) {
    log(row('combinations (2–3)', s.combos));
    for (const f of s.combosWith.filter((x) => x.n > 0)) log(row(`  with ${f.family}`, f));
  }
  log(`  ${'false positives'.padEnd(24)} ${formatProportion(s.falsePositives)} of unrelated flagged`);
  log(`  ${'  not explained by audit'.padEnd(24)} ${formatProportion(s.falsePositivesUnexplained)}`);
  log(`  check latency (wall, incl. fingerprinting): p50 ${s.latencyMs.p50.toFixed(1)} ms, p95 ${s.latencyMs.p95.toFixed(1)} ms`);
  for (const r of records.filter((x) => x.heldAbove))
    log(`  found below a drawing it also holds: ${r.id} (${r.source} → ${r.topSource ?? '?'}): ${r.heldAbove}`);
  for (const r of records.filter((x) => x.expect === null && x.flagged)) {
    const audit = r.audited ? ` [label audit: ${r.audited}]` : ' [NOT AUDITED]';
    const steps = r.steps.length ? ` via ${describeSteps(r.steps)}` : '';
    log(
      `  flagged unrelated: ${r.source} ↔ ${r.topSource ?? '?'} (${r.id} → ${r.top}; ${r.signals.join(', ') || r.status})${steps}${audit}`,
    );
  }
}
