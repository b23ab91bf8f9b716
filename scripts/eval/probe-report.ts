/**
 * What the probes print (probe.ts for images, probe-texts.ts for texts): per transform, recall and
 * the unrelated items flagged without an explanation, with 95 % Wilson intervals, what the found
 * copies' regions were named (bent, inverted, …), then every miss and every unrelated item flagged
 * (with the label audit's reason); at the end, the totals.
 */
import type { MatchedRegion } from '../../shared/check.ts';
import { formatProportion, wilson } from './stats.ts';

/** What a found copy's region is named as in the studio's words (shared/check.ts MatchedRegion). */
export const REGION_NAMES = ['bent', 'stretched', 'mirrored', 'inverted', 'embossed'] as const;
export type RegionName = (typeof REGION_NAMES)[number];

/** The names a region carries: its flags, and `stretched` when its stretch is reported. */
export function regionNames(r: MatchedRegion | undefined): RegionName[] {
  if (!r) return [];
  const on: Record<RegionName, boolean> = {
    bent: r.bent === true,
    stretched: r.stretch !== undefined,
    mirrored: r.mirrored,
    inverted: r.inverted === true,
    embossed: r.embossed === true,
  };
  return REGION_NAMES.filter((n) => on[n]);
}

export interface ProbeOutcome {
  kind: 'copy' | 'unrelated';
  source: string;
  steps: { name: string; params: Record<string, number | string> }[];
  flagged: boolean;
  hit: boolean;
  top: string | null;
  /** The label audit's reason for a flagged unrelated item (null: none); absent otherwise. */
  audited?: string | null;
  /** A found copy: what its match's region was named (regionNames; none for a match without a region). */
  named?: RegionName[];
}

/**
 * A check's outcome: flagged (anything but approved); a hit when `want` (the copy's library id) is
 * among the matches with a copy signal; the top match; and for a flagged unrelated item (`want`
 * null) the label audit's reason, by its own source or by a file one of its steps brought in (the
 * `fillers` parameter: "a|b"), as `explain(held, topSource)` finds it.
 */
export function judge(
  res: { status: string; matches: readonly { assetId: string; copySignals: readonly string[]; region?: MatchedRegion }[] },
  want: string | null,
  source: string,
  steps: ProbeOutcome['steps'],
  librarySource: (id: string) => string | undefined,
  explain: (held: string, topSource: string) => string | null,
): Pick<ProbeOutcome, 'flagged' | 'hit' | 'top' | 'audited' | 'named'> {
  const flagged = res.status !== 'approved';
  const top = res.matches[0]?.assetId ?? null;
  const found = want !== null && flagged ? res.matches.find((m) => m.assetId === want && m.copySignals.length > 0) : undefined;
  if (found) return { flagged, hit: true, top, named: regionNames(found.region) };
  const topSource = top ? (librarySource(top) ?? null) : null;
  if (want !== null || !flagged || !topSource) return { flagged, hit: false, top };
  const held = [source, ...steps.flatMap((s) => (typeof s.params.fillers === 'string' ? s.params.fillers.split('|') : []))];
  return { flagged, hit: false, top, audited: held.map((f) => explain(f, topSource)).find((why) => why !== null) ?? null };
}

/** "name(a=1, b=2) + other(c=3)". */
export const describeSteps = (o: ProbeOutcome): string =>
  o.steps
    .map(
      (s) =>
        `${s.name}(${Object.entries(s.params)
          .map(([a, b]) => `${a}=${b}`)
          .join(', ')})`,
    )
    .join(' + ');

const recall = (copies: readonly ProbeOutcome[]) => formatProportion(wilson(copies.filter((m) => m.hit).length, copies.length));

/**
 * One transform's lines. `librarySource` names a library id's source; `parts` are labelled subsets
 * of its copies, each given its own recall line; `note` adds to a flagged item's line.
 */
export function printTransform<T extends ProbeOutcome>(
  name: string,
  mine: readonly T[],
  librarySource: (id: string) => string | undefined,
  opts: { parts?: readonly (readonly [string, (m: T) => boolean])[]; note?: (m: T) => string } = {},
): void {
  const copies = mine.filter((m) => m.kind === 'copy');
  const unrelated = mine.filter((m) => m.kind === 'unrelated');
  const fp = unrelated.filter((m) => m.flagged && !m.audited).length;
  console.log(`  ${name.padEnd(12)} recall ${recall(copies)}` + (unrelated.length ? `  unexplained flags ${fp}/${unrelated.length}` : ''));
  for (const [label, keep] of opts.parts ?? []) {
    const part = copies.filter(keep);
    if (part.length) console.log(`    ${label.padEnd(10)} recall ${recall(part)}`);
  }
  const found = copies.filter((m) => m.hit);
  const named = REGION_NAMES.map((n) => [n, found.filter((m) => m.named?.includes(n)).length] as const).filter(([, k]) => k > 0);
  if (found.length && named.length)
    console.log(`    named      ${named.map(([n, k]) => `${n} ${k}`).join(', ')} (of ${found.length} found)`);
  for (const m of copies.filter((c) => !c.hit)) console.log(`      missed ${m.source} via ${describeSteps(m)} (top ${m.top ?? 'none'})`);
  for (const m of unrelated.filter((c) => c.flagged))
    console.log(
      `      flagged ${m.source} ↔ ${librarySource(m.top ?? '') ?? '?'} via ${describeSteps(m)}${opts.note?.(m) ?? ''}${m.audited ? ` [audit: ${m.audited}]` : ' [NOT AUDITED]'}`,
    );
}

/** The totals: recall over every copy, unexplained flags over every unrelated item, and the time taken. */
export function printTotals(records: readonly ProbeOutcome[], startedMs: number): void {
  const unrelated = records.filter((m) => m.kind === 'unrelated');
  const unexplained = unrelated.filter((m) => m.flagged && !m.audited).length;
  console.log(`  all copies   recall ${recall(records.filter((m) => m.kind === 'copy'))}`);
  console.log(`  unrelated    unexplained flags ${formatProportion(wilson(unexplained, unrelated.length))}`);
  console.log(`total ${((performance.now() - startedMs) / 1000).toFixed(1)} s`);
}
