/**
 * Recall of single-family queries broken down by a drawn parameter (crop area, rotation angle,
 * JPEG quality, overlay kind…), so a report shows where along a range the engine stops finding
 * copies. Bin edges are fixed, readable divisions of each declared range, not fitted to results.
 */
import type { Params } from './params.ts';
import type { QueryRecord } from './results.ts';

interface Breakdown {
  label: string;
  /** The value binned: from the query's drawn parameters, or from what was measured of it (its record). */
  value: (p: Params, r: QueryRecord) => number | string | undefined;
  /** Bin edges for numeric values (ascending; the last bin includes its upper edge). */
  edges?: number[];
}

const n = (k: string) => (p: Params) => (typeof p[k] === 'number' ? (p[k] as number) : undefined);
const c = (k: string) => (p: Params) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
const maxOf = (keys: string[]) => (p: Params) => Math.max(...keys.map((k) => Math.abs((p[k] as number) ?? 0)));

/** Share of the drawing's ink still in the frame (kept.ts), measured for crops and cropped rotations. */
const kept = (_p: Params, r: QueryRecord) => r.kept;
const KEPT_EDGES = [0, 0.25, 0.5, 0.75, 1];

export const BREAKDOWNS: Record<string, Breakdown[]> = {
  crop: [
    { label: 'area', value: n('area'), edges: [0.4, 0.55, 0.7, 0.9] },
    { label: 'drawing kept', value: kept, edges: KEPT_EDGES },
  ],
  rotate: [
    { label: '|angle|', value: (p) => Math.abs(p.angle as number), edges: [0, 10, 45, 90, 135, 180] },
    { label: 'canvas', value: c('canvas') },
    { label: 'drawing kept (canvas crop)', value: kept, edges: KEPT_EDGES },
  ],
  shear: [{ label: 'max |shear|', value: maxOf(['shx', 'shy']), edges: [0, 0.2, 0.3, 0.45] }],
  perspective: [{ label: 'max corner shift', value: n('strength'), edges: [0.05, 0.12, 0.18, 0.25] }],
  stretch: [{ label: 'factor', value: n('factor'), edges: [0.55, 0.7, 1, 1.4, 1.8] }],
  mirror: [{ label: 'axis', value: c('axis') }],
  paste: [
    { label: 'scale', value: n('scale'), edges: [0.3, 0.47, 0.63, 0.8] },
    { label: 'mode', value: c('mode') },
    { label: 'host', value: c('host') },
  ],
  background: [{ label: 'texture', value: c('texture') }],
  overlay: [
    { label: 'kind', value: c('kind') },
    { label: 'opacity', value: n('opacity'), edges: [0.15, 0.5, 0.75, 1] },
  ],
  colour: [{ label: 'kind', value: c('kind') }],
  noise: [{ label: 'kind', value: c('kind') }],
  blur: [{ label: 'sigma', value: n('sigma'), edges: [1, 2, 3.5, 5] }],
  reencode: [
    { label: 'format', value: c('format') },
    { label: 'quality', value: n('quality'), edges: [5, 12, 20, 30] },
  ],
  upscale: [{ label: 'thumbnail px', value: n('thumb'), edges: [48, 64, 80, 96] }],
  passage: [{ label: 'kept share', value: n('keep'), edges: [0.3, 0.47, 0.63, 0.8] }],
  delete: [{ label: 'deleted', value: n('fraction'), edges: [0.1, 0.2, 0.3, 0.4] }],
  insert: [{ label: 'inserted', value: n('fraction'), edges: [0.05, 0.15, 0.25, 0.4] }],
  typo: [{ label: 'misspelt', value: n('fraction'), edges: [0.05, 0.15, 0.22, 0.3] }],
  reformat: [{ label: 'style', value: c('style') }],
  field_move: [{ label: 'variant', value: c('variant') }],
};

export interface BreakdownRow {
  family: string;
  label: string;
  groups: { group: string; k: number; n: number }[];
}

function groupOf(v: number | string, edges: number[] | undefined): string {
  if (typeof v === 'string' || !edges) return String(v);
  for (let i = 0; i < edges.length - 1; i++) {
    if (v < (edges[i + 1] as number) || i === edges.length - 2) return `${edges[i]}–${edges[i + 1]}`;
  }
  return String(v);
}

/** Hits/n per parameter group for each single-family copy query. */
export function breakdowns(records: readonly QueryRecord[]): BreakdownRow[] {
  const rows: BreakdownRow[] = [];
  for (const [family, list] of Object.entries(BREAKDOWNS)) {
    const qs = records.filter((r) => r.expect !== null && r.family === family && r.steps.length === 1);
    if (qs.length === 0) continue;
    for (const b of list) {
      const groups = new Map<string, { k: number; n: number }>();
      for (const q of qs) {
        const v = b.value(q.steps[0]?.params ?? {}, q);
        if (v === undefined) continue;
        const g = groupOf(v, b.edges);
        const e = groups.get(g) ?? { k: 0, n: 0 };
        e.n++;
        if (q.hit) e.k++;
        groups.set(g, e);
      }
      const order = b.edges ? (g: string) => Number.parseFloat(g) : () => 0;
      const sorted = [...groups].sort((x, y) => order(x[0]) - order(y[0]) || x[0].localeCompare(y[0]));
      rows.push({ family, label: b.label, groups: sorted.map(([group, e]) => ({ group, ...e })) });
    }
  }
  return rows;
}
