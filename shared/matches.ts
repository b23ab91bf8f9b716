/**
 * Match cards as people read them, from the engine's matches: one card per asset (a local asset and
 * the marketplace copy of the same listing are one match), each led by its own verdict and its
 * strongest reason, the other creator named by display name (never an internal id), and the
 * differences in plain words (never field names, never a transform that did not happen). Pure:
 * the studio's main process groups, the uniqueness panel words, tests call both.
 */
import type { MatchedRegion, Match } from './check.ts';
import { UNIQUENESS_POLICY, type UniquenessPolicy } from './policy/uniqueness.ts';

/** The prefix of marketplace entries in the studio's local index (`mp:<listing uuid>`). */
export const MARKET_PREFIX = 'mp:';

/** A local asset's marketplace listing. */
export interface ListingLink {
  localId: string;
  remoteId: string;
}

/** The listing a match's index entry is, when it is a marketplace entry (`mp:<uuid>` → uuid). */
export const listingIdOf = (assetId: string): string | null =>
  assetId.startsWith(MARKET_PREFIX) ? assetId.slice(MARKET_PREFIX.length) : null;

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/**
 * One match per asset: a local asset and the marketplace entry of its own listing become one match
 * (the stronger evidence of the two, their copy signals together), which says both where it is in
 * this library (`localId`) and which listing it is (`listingId`). Order is kept (the first of a pair
 * takes the pair's place).
 */
export function groupMatches(matches: Match[], links: ListingLink[]): Match[] {
  const localOf = new Map(links.map((l) => [l.remoteId, l.localId]));
  const remoteOf = new Map(links.map((l) => [l.localId, l.remoteId]));
  const out: Match[] = [];
  const at = new Map<string, number>();
  for (const m of matches) {
    const listing = listingIdOf(m.assetId) ?? remoteOf.get(m.assetId) ?? null;
    const local = listingIdOf(m.assetId) ? (localOf.get(listingIdOf(m.assetId) as string) ?? null) : m.assetId;
    const key = listing ? `listing:${listing}` : `local:${m.assetId}`;
    const tagged: Match = { ...m, listingId: listing, localId: local };
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push(tagged);
      continue;
    }
    const prev = out[i] as Match;
    const [strong, weak] = prev.combined >= tagged.combined ? [prev, tagged] : [tagged, prev];
    out[i] = {
      ...strong,
      // The card opens the local copy and names its creator as the marketplace knows them.
      assetId: local ?? strong.assetId,
      localId: local,
      listingId: listing,
      creatorName: strong.creatorName ?? weak.creatorName ?? null,
      imageSha: strong.imageSha ?? weak.imageSha,
      copySignals: union(strong.copySignals, weak.copySignals),
    };
  }
  return out;
}

/** What one match amounts to, as the card's headline. */
export type MatchTone = 'copy' | 'duplicate' | 'later' | 'derivative' | 'similar';

export const MATCH_TITLES: Record<MatchTone, string> = {
  copy: 'Likely copy',
  duplicate: 'Duplicate of yours',
  later: 'Your later asset reuses this',
  derivative: 'Possible derivative',
  similar: 'Similar, not a copy',
};

/**
 * Whether a match is a copy: it carries a copy signal, or its combined score is above the policy's
 * duplicate threshold. The one predicate behind the verdict, the card's tone and the stored analyses.
 */
export const isCopy = (m: Pick<Match, 'copySignals' | 'combined'>, duplicate: number = UNIQUENESS_POLICY.duplicate): boolean =>
  m.copySignals.length > 0 || m.combined > duplicate;

/**
 * How much of each image a verified region holds (policy `region`): `whole` — all of the other
 * image; `all` — all of this one; `fills` — most of this one (a crop rather than a pasted part).
 */
export function regionExtent(
  r: Pick<MatchedRegion, 'matchCoverage' | 'queryCoverage'>,
  pol: UniquenessPolicy = UNIQUENESS_POLICY,
): { whole: boolean; all: boolean; fills: boolean } {
  return {
    whole: r.matchCoverage >= pol.region.whole,
    all: r.queryCoverage >= pol.region.whole,
    fills: r.queryCoverage >= pol.region.fills,
  };
}

/** The match's own verdict, with the thresholds the whole check uses (shared/policy/uniqueness.ts). */
export function matchTone(
  m: Pick<Match, 'copySignals' | 'combined' | 'derivativeSignals'> & { later?: boolean },
  yours: boolean,
  pol = UNIQUENESS_POLICY,
): MatchTone {
  if (isCopy(m, pol.duplicate)) return yours ? (m.later ? 'later' : 'duplicate') : 'copy';
  if (!yours && (m.combined > pol.derivative || Boolean(m.derivativeSignals?.length))) return 'derivative';
  return 'similar';
}

/** Copy signals, strongest first, with the words the card leads with. Unknown signals rank last, as they are. */
const SIGNAL_WORDS: [string, string][] = [
  ['identical image file', 'The same image file'],
  ['identical media file', 'The same audio or video file'],
  ['identical image pixels', 'The same image, saved again'],
  ['partial copy (local features, geometrically verified)', 'Part of its image is copied'],
  ['visual copy', 'A copy of its image'],
  ['video copy (aligned frames)', 'A copy of its video'],
  ['audio copy (aligned fingerprints)', 'A copy of its audio'],
  ['copied text', 'Its text, copied'],
  ['reused passage', 'Passages of its text, reused'],
  ['reworked passage (same words in the same order, edited between)', 'Passages of its text, reworked'],
  ['copied module/template code', 'Its module code, copied'],
  ['identical metadata (same metadata hash)', 'The same name, description and tags'],
  ['near-identical image (CLIP)', 'An image that looks the same'],
  ['same meaning (BGE)', 'Text that says the same thing'],
  ['same words, reworded or cut (word overlap)', 'The same words, reworded or cut'],
];
const LOCAL_SIGNAL = 'partial copy (local features, geometrically verified)';
const SIGNAL_RANK = new Map(SIGNAL_WORDS.map(([s], i) => [s, i]));

/** Layer scores in words, for a match without a copy signal. */
const LAYER_WORDS: [keyof Match['layers'], string][] = [
  ['media', 'audio/video'],
  ['local', 'part of the image'],
  ['visual', 'image'],
  ['semantic_image', 'image meaning'],
  ['text', 'text'],
  ['passage', 'wording'],
  ['code', 'module code'],
  ['semantic_text', 'text meaning'],
];

/** The copy signals in order of strength. */
export const rankedSignals = (signals: string[]): string[] =>
  [...signals].sort((a, b) => (SIGNAL_RANK.get(a) ?? SIGNAL_WORDS.length) - (SIGNAL_RANK.get(b) ?? SIGNAL_WORDS.length));

/** The signal in the words the card uses. */
export const signalWords = (s: string): string => SIGNAL_WORDS.find(([k]) => k === s)?.[1] ?? s.charAt(0).toUpperCase() + s.slice(1);

/** The one reason the card leads with: its strongest copy signal, or else its most similar layer. */
export function strongestReason(
  m: Pick<Match, 'copySignals' | 'layers'> & { region?: Match['region']; derivativeSignals?: string[] | undefined; later?: boolean },
): string {
  const top = rankedSignals(m.copySignals)[0];
  // The local layer's signal says "part"; its verified region can say more (engine/explain.ts).
  const extent = top === LOCAL_SIGNAL && m.region ? regionExtent(m.region) : null;
  // The creator's own later asset lying wholly inside this image was cut from it, not put into it.
  if (extent?.whole && !extent.all && m.later) return 'Its image is cut from this one';
  if (extent?.whole) return extent.all ? 'A copy of its image' : 'All of its image is used in this one';
  if (top) return signalWords(top);
  // A short card's wording kept in order (engine/text/passage-layer.ts reworksPart): a derivative's evidence.
  if (m.derivativeSignals?.length) return 'Part of its wording, reworked';
  let best: [string, number] | null = null;
  for (const [k, words] of LAYER_WORDS) {
    const v = m.layers[k];
    if (typeof v === 'number' && (!best || v > best[1])) best = [words, v];
  }
  return best ? `Its ${best[0]} is ${Math.round(best[1] * 100)}% alike` : 'A little alike';
}

/** The other signals (after the strongest), in words. */
export const otherReasons = (signals: string[]): string[] => rankedSignals(signals).slice(1).map(signalWords);

/** Who the match is by, in words: never an internal id (one's own asset sent to the marketplace may still wait for review: "submitted"). */
export function creatorLine(m: Pick<Match, 'creatorName' | 'listingId' | 'localId'>, yours: boolean): string {
  if (yours) return m.listingId ? 'yours, in your library and submitted to the marketplace' : 'yours, in your library';
  return m.creatorName ? `by ${m.creatorName}` : 'by another creator on the marketplace';
}

const FIELD_WORDS: Record<string, string> = {
  asset_type: 'another kind of asset',
  name: 'another name',
  description: 'another description',
  'description (none here)': 'no description here',
  'description (none there)': 'a description (it has none)',
  tags: 'other tags',
  'tags (order only)': 'the same tags in another order',
  character: 'other character details',
  location: 'other location details',
  item: 'other item details',
  quest_hook: 'another quest hook',
  room_template: 'another room layout',
  custom_module: 'other module code',
  media: 'other media file details',
};

/** A changed field in words ("another description"); unknown paths without their separators. */
export const fieldWords = (f: string): string => FIELD_WORDS[f] ?? `another ${f.replace(/[._]+/g, ' ').trim()}`;

/**
 * What differs, in words ("image mirrored", "another name"): the changed fields, and what was done to its image or file — only
 * transforms the evidence shows (an identical file had none; identical pixels were only saved again).
 */
export function differenceWords(m: Pick<Match, 'differences' | 'layers' | 'media'>): string[] {
  const exact = m.layers.exact;
  let transforms = m.differences.transform;
  if (exact?.bytes) transforms = [];
  else if (exact?.pixels) transforms = transforms.filter((x) => x.startsWith('re-encoded')).slice(0, 1);
  const noun = m.media?.[0]?.kind === 'audio' ? 'audio' : m.media?.[0]?.kind === 'video' ? 'video' : 'image';
  // "Same pixels" only where the exact layer saw them; a re-encoded audio or video track is not pixels.
  const again = (x: string) => `${noun} saved again in another format${x.includes('same pixels') ? ' (same pixels)' : ''}`;
  const t = transforms.map((x) => (x.startsWith('re-encoded') ? again(x) : `${noun} ${x}`));
  const f = m.differences.fields.map(fieldWords);
  return [...new Set([...t, ...f])];
}
