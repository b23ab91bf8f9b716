/**
 * The verdict as people read it, from a check result and what the editor knows about the card:
 * never "Original · Ready to submit" for a blank card, one the check refused, or one whose save
 * failed or was refused; and when some layers could not run (no model weights), it says which ran
 * ("checked by the copy layers only"); and an approval from a library with nothing else in it says
 * so instead of "Original". Pure: the uniqueness panel renders it, tests call it.
 */
import type { CheckResult, CheckStatus, LayerName } from './check.ts';

/** Short human names of the layers, for the verdict's "checked by" line. */
export const LAYER_SHORT_NAMES: Record<LayerName, string> = {
  exact: 'exact copy',
  visual: 'visual copy',
  local: 'partial image copy',
  text: 'text near-copy',
  passage: 'reused passages',
  code: 'module structure',
  media: 'audio/video copy',
  semantic_image: 'image meaning',
  semantic_text: 'text meaning',
};

/** The layers that compare meaning with model weights; the others compare copies. */
export const MEANING_LAYERS: readonly LayerName[] = ['semantic_image', 'semantic_text'];

export const STATUS_TITLES: Record<CheckStatus, string> = {
  approved: 'Original',
  duplicate_self: 'Duplicate of yours',
  flagged_plagiarism: 'Likely copy',
  derivative_potential: 'Possible derivative',
};

export interface VerdictInput {
  check: Pick<CheckResult, 'status' | 'reason' | 'action' | 'layers' | 'compared'> | null;
  /** The card has nothing in it yet beyond its type's blank template (see isBlankCard). */
  blank: boolean;
  /** Why the last save failed or was refused, if it did. */
  saveError: string | null;
  /** Why the check could not run on this card (it refused the card), if it could not. */
  checkError: string | null;
  /** The card has changes that are not saved yet. */
  unsaved: boolean;
}

export interface Verdict {
  /** The check's status, or 'unchecked' when there is no verdict on this card. */
  tone: CheckStatus | 'unchecked';
  title: string;
  reason: string;
  action: string;
  /** Which layers ran, when some could not; null when every applicable layer ran. */
  coverage: string | null;
}

/** Which layers the verdict rests on, in words, when some could not run; null when none was unavailable. */
export function coverageLine(layers: CheckResult['layers']): string | null {
  const entries = Object.entries(layers) as [LayerName, CheckResult['layers'][LayerName]][];
  const unavailable = entries.filter(([, v]) => v.state === 'unavailable').map(([k]) => k);
  if (unavailable.length === 0) return null;
  const ran = entries.filter(([, v]) => v.state === 'ran').map(([k]) => k);
  if (ran.length === 0) return 'no layer could run';
  if (ran.every((k) => !MEANING_LAYERS.includes(k)) && unavailable.every((k) => MEANING_LAYERS.includes(k)))
    return 'checked by the copy layers only';
  return `checked by ${ran.map((k) => LAYER_SHORT_NAMES[k]).join(', ')} only`;
}

export function verdictOf(v: VerdictInput): Verdict {
  if (v.checkError) {
    return {
      tone: 'unchecked',
      title: 'Not checked',
      reason: `The check could not run on this card: ${v.checkError}`,
      action: 'Fix it; the card is checked again as you type',
      coverage: null,
    };
  }
  if (v.blank) {
    return {
      tone: 'unchecked',
      title: 'Nothing to check yet',
      reason: 'This card is still blank',
      action: 'Add a description, an image or the details of its type; it is checked as you type',
      coverage: null,
    };
  }
  const r = v.check;
  if (!r) return { tone: 'unchecked', title: 'Not checked yet', reason: 'The check has not run on this card', action: '', coverage: null };
  const coverage = coverageLine(r.layers);
  // "No similar assets" from an empty library says nothing: say there was nothing to compare with.
  const alone = r.status === 'approved' && r.compared === 0;
  const status = alone ? 'Nothing to compare with yet' : STATUS_TITLES[r.status];
  const title = `${status}${v.saveError ? ' · not saved' : ''}${coverage ? ` · ${coverage}` : ''}`;
  const reason = alone
    ? 'Your library holds no other asset and no copy of the marketplace index, so this check compared it with nothing'
    : r.reason;
  let action = alone ? `${r.action}; the marketplace checks it against its published assets` : r.action;
  if (v.saveError) action = `Not saved (${v.saveError}): fix that and save; only a saved asset can be submitted`;
  else if (v.unsaved && r.status === 'approved') action = 'Save it; a saved asset can then be submitted';
  if (r.status === 'approved' && coverage && !v.saveError && !v.unsaved)
    action = `${action}; the layers that could not run need their models (Models screen)`;
  return { tone: r.status, title, reason, action, coverage };
}

const isEmpty = (x: unknown): boolean =>
  x === undefined ||
  x === null ||
  (typeof x === 'string' && x.trim() === '') ||
  (Array.isArray(x) && x.every(isEmpty)) ||
  (typeof x === 'object' && !Array.isArray(x) && Object.values(x as object).every(isEmpty));

/** The card without its empty values (empty strings, lists and objects), for comparing content. */
function content(x: unknown): unknown {
  if (Array.isArray(x)) return x.filter((e) => !isEmpty(e)).map(content);
  if (x && typeof x === 'object')
    return Object.fromEntries(
      Object.entries(x as Record<string, unknown>)
        .filter(([, val]) => !isEmpty(val))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, val]) => [k, content(val)]),
    );
  return typeof x === 'string' ? x.trim() : x;
}

/**
 * Whether a card holds nothing beyond its type's blank template (its name aside: "Untitled
 * character 3" is not content) and has no image.
 */
export function isBlankCard(card: object, template: object, imageSha: string | null): boolean {
  if (imageSha) return false;
  // Any card shape (an AssetCard, a draft, a template): only its own fields are read.
  const strip = (c: object) => {
    const { name: _n, ...rest } = c as Record<string, unknown>;
    return JSON.stringify(content(rest));
  };
  return strip(card) === strip(template);
}
