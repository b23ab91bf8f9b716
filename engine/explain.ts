/**
 * Evidence in plain words and in context: shared passages with the text around them in both
 * cards, so the studio and the review screen can highlight them side by side.
 */
import type { AssetCard } from '../shared/asset.ts';
import { type MatchedRegion, type NormBox, PASSAGE_CONTEXT, type SharedPassage } from '../shared/check.ts';
import { regionExtent } from '../shared/matches.ts';
import { cardTextFields } from './text/fields.ts';

function around(text: string | undefined, [s, e]: [number, number]): [string, string] {
  if (!text) return ['', ''];
  const before = text.slice(Math.max(0, s - PASSAGE_CONTEXT), s);
  const after = text.slice(e, e + PASSAGE_CONTEXT);
  return [before, after];
}

/** Adds the surrounding text of each passage in both cards (and the passage as the other card has it). */
export function withContext(passages: SharedPassage[], query: AssetCard, match: AssetCard): SharedPassage[] {
  const q = new Map(cardTextFields(query).map((f) => [f.field, f.text]));
  const m = new Map(cardTextFields(match).map((f) => [f.field, f.text]));
  return passages.map((p) => {
    const mt = m.get(p.matchField);
    return {
      ...p,
      context: {
        query: around(q.get(p.queryField), p.query),
        match: around(mt, p.match),
        matchText: mt ? mt.slice(p.match[0], p.match[1]) : p.text,
      },
    };
  });
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
/** "a" or "an" before a percentage as it is read aloud: an 8 %, an 11 %, an 18 %, an 80–89 %. */
const aPct = (x: number) => {
  const n = Math.round(x * 100);
  return `${n === 8 || n === 11 || n === 18 || (n >= 80 && n <= 89) ? 'an' : 'a'} ${pct(x)}`;
};

/** A box side this close to the frame's edge (a share of it) keeps that edge. */
const AT_EDGE = 0.03;

/**
 * Where a box lies along one axis: the side whose edge it keeps when it keeps only one (a crop cut
 * away from the other side), none when it keeps both, and by its centre when it keeps neither. A
 * large crop's centre is never far from the frame's (a 70 % crop's lies within 0.35–0.65), so the
 * centre alone called the upper-right 70 % of a picture its "centre".
 */
function side(lo: number, hi: number, low: string, high: string): string {
  const atLow = lo <= AT_EDGE;
  const atHigh = hi >= 1 - AT_EDGE;
  if (atLow !== atHigh) return atLow ? low : high;
  if (atLow) return '';
  const c = (lo + hi) / 2;
  return c < 0.4 ? low : c > 0.6 ? high : '';
}

function position(b: NormBox): string {
  const col = side(b.x, b.x + b.w, 'left', 'right');
  const row = side(b.y, b.y + b.h, 'upper', 'lower');
  if (row && col) return `${row}-${col}`;
  if (row) return row === 'upper' ? 'top' : 'bottom';
  return col || 'centre';
}

/**
 * The kind of copy in plain words, from a verified region's two coverages: "a 60 % crop of the
 * upper-left of X, rotated 15°, mirrored", "X pasted into a larger image (it fills 35 % of this
 * one)", "all of X, with more around it" (all of X, making up 60–85 % of this image).
 */
export function describeRegion(r: MatchedRegion, name: string, noun = 'image'): string {
  const { whole, all, fills } = regionExtent(r);
  let what: string;
  if (whole && all) what = `the whole of “${name}”`;
  else if (whole && fills) what = `all of “${name}”, with more around it (it makes up ${pct(r.queryCoverage)} of this ${noun})`;
  else if (whole) what = `“${name}” pasted into a larger ${noun} (it fills ${pct(r.queryCoverage)} of this one)`;
  else if (fills) what = `${aPct(r.matchCoverage)} crop of the ${position(r.match)} of “${name}”`;
  else what = `${pct(r.matchCoverage)} of “${name}” (its ${position(r.match)}) reused in part of this ${noun}`;
  return [what, ...howWords(r)].join(', ');
}

/**
 * The same region told from the original's side, for the creator's own later asset that reuses
 * this one (Match.later): "“X” is a 35 % crop of the centre of this image", "this image pasted into
 * “X” (it fills 40 % of it)", never "X pasted into a larger image" — X was cut from this one, not
 * put into it.
 */
export function describeRegionReusedBy(r: MatchedRegion, laterName: string, noun = 'image'): string {
  const { whole, all } = regionExtent(r);
  let what: string;
  if (whole && all) what = `“${laterName}” is the whole of this ${noun}`;
  else if (whole) what = `“${laterName}” is ${aPct(r.queryCoverage)} crop of the ${position(r.query)} of this ${noun}`;
  else if (all) what = `this ${noun} pasted into “${laterName}” (it fills ${pct(r.matchCoverage)} of it)`;
  else what = `“${laterName}” reuses ${pct(r.queryCoverage)} of this ${noun} (its ${position(r.query)})`;
  return [what, ...howWords(r)].join(', ');
}

/**
 * How the copy was turned, stretched, bent, mirrored, inverted or embossed, in words. A bent copy's
 * stretch is one part's (MatchedRegion.bent), so it is named bent instead.
 */
function howWords(r: MatchedRegion): string[] {
  const how: string[] = [];
  const rot = (((Math.round(r.rotationDeg) % 360) + 540) % 360) - 180;
  if (Math.abs(rot) >= 3) how.push(`rotated ${Math.abs(rot)}°`);
  if (r.bent) how.push('bent out of shape');
  else if (r.stretch !== undefined) how.push(`stretched or sheared (${r.stretch.toFixed(1)} : 1)`);
  if (r.mirrored) how.push('mirrored');
  if (r.inverted) how.push('colours inverted');
  if (r.embossed) how.push('embossed');
  return how;
}
