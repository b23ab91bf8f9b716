/**
 * Validation problems in people's words: zod issues turned into plain sentences that name the
 * field by its form label ("Level must be a whole number from 0 to 1000", "Backstory can be at most
 * 20 000 characters", "Display name is required"), never by its path or zod's own wording. Used by
 * the renderer's forms (every field at once) and by `invalidInput` (shared/errors.ts), whose error
 * payload keeps the path for programs and carries these sentences for people. No Node-only code.
 *
 * Number and length bounds are read from the schema when it is given, so an out-of-range value is
 * told the real range: zod's `.int()` adds its own safe-integer bound, and a huge number would
 * otherwise be told "at most 9007199254740991" instead of the field's own maximum.
 */
import { fieldLabel } from './card-fields.ts';

/** The parts of a zod issue used here (what crosses a transport as JSON, too). */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  minimum?: number | bigint | undefined;
  maximum?: number | bigint | undefined;
  origin?: string | undefined;
  expected?: string | undefined;
  format?: string | undefined;
  values?: readonly unknown[] | undefined;
}

/** A field's path as one string ("character.level", "terms.territory.0"). */
export const issuePath = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** Labels of fields outside the card (the card's are card-fields.ts's), as the forms say them. */
const LABELS: Record<string, string> = {
  displayName: 'Display name',
  email: 'Email',
  password: 'Password',
  priceCents: 'Price',
  licenseType: 'Type',
  'terms.usageRights': 'Usage rights',
  'terms.territory': 'Territory',
  'terms.durationDays': 'Duration',
  'terms.maxImpressions': 'Max impressions',
  'terms.royaltyPercent': 'Royalty',
  'terms.requiresAttribution': 'Attribution',
  'terms.allowsAiTraining': 'AI training',
};

/**
 * The default name of a field path: the forms' labels, then the card's; a leading `card.` or
 * `offer.` (the envelope of a studio call) is not part of the name, nor is a list position.
 */
export function defaultLabel(path: string): string {
  const p = path.replace(/^(card|offer|input)\./, '');
  const bare = p.replace(/\.\d+$/, '');
  return LABELS[p] ?? LABELS[bare] ?? fieldLabel(p || '(input)');
}

/** A number for people: groups of three digits from 10 000 up, with a no-break space ("20 000"). */
export function count(n: number | bigint): string {
  const s = String(n);
  return Math.abs(Number(n)) < 10_000 ? s : s.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

interface Bounds {
  kind: 'number' | 'string' | 'array' | 'other';
  int: boolean;
  min: number | undefined;
  max: number | undefined;
}

type Def = {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
  valueType?: unknown;
  checks?: unknown[];
};
type CheckDef = {
  check?: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  minimum?: unknown;
  maximum?: unknown;
  length?: unknown;
};
type Internals = { _zod?: { def?: Def } };
const defOf = (s: unknown): Def | undefined => (s as Internals | undefined)?._zod?.def;

/** The schema a path names inside `schema` (objects, lists, records; through optional, nullable, default and pipes). */
function schemaAt(schema: unknown, path: readonly PropertyKey[]): unknown {
  let s = schema;
  const unwrap = () => {
    for (
      let d = defOf(s);
      d && ['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'pipe'].includes(d.type ?? '');
      d = defOf(s)
    )
      s = d.type === 'pipe' ? d.in : d.innerType;
  };
  for (const key of path) {
    unwrap();
    const d = defOf(s);
    if (d?.type === 'object') s = d.shape?.[String(key)];
    else if (d?.type === 'array') s = d.element;
    else if (d?.type === 'record') s = d.valueType;
    else return undefined;
  }
  unwrap();
  return s;
}

/** A bound worth telling a person: zod's own safe-integer bound of `.int()` is not one. */
const finite = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined;

/** The bounds the schema at `path` declares (a whole number or not, minimum and maximum value or length), from its checks. */
function boundsAt(schema: unknown, path: readonly PropertyKey[]): Bounds | undefined {
  const d = defOf(schemaAt(schema, path));
  if (!d) return undefined;
  const kind = d.type === 'number' || d.type === 'string' || d.type === 'array' ? d.type : 'other';
  const b: Bounds = { kind, int: false, min: undefined, max: undefined };
  const tighter = (a: number | undefined, v: number, f: (x: number, y: number) => number) => (a === undefined ? v : f(a, v));
  for (const check of d.checks ?? []) {
    const c = defOf(check) as CheckDef | undefined;
    if (!c) continue;
    if (c.check === 'number_format') b.int ||= c.format === 'safeint' || c.format === 'int32' || c.format === 'uint32';
    // An exclusive bound of a whole number is the next whole number (`.positive()` is "at least 1").
    else if (c.check === 'greater_than' && typeof c.value === 'number') b.min = tighter(b.min, c.value + (c.inclusive ? 0 : 1), Math.max);
    else if (c.check === 'less_than' && typeof c.value === 'number') b.max = tighter(b.max, c.value - (c.inclusive ? 0 : 1), Math.min);
    else if (c.check === 'min_length' && typeof c.minimum === 'number') b.min = tighter(b.min, c.minimum, Math.max);
    else if (c.check === 'max_length' && typeof c.maximum === 'number') b.max = tighter(b.max, c.maximum, Math.min);
    else if (c.check === 'length_equals' && typeof c.length === 'number') b.min = b.max = c.length;
  }
  return b;
}

/** zod's own wording ("Too small: …", "Invalid input: …"), as opposed to a message a schema wrote for people. */
const ZOD_WORDING =
  /^(Too (small|big)|Invalid (input|option|string|number|email|url|uuid|format|key|element|value|type|date)|Unrecognized key|Expected)/;

/** "Size must be …": the range sentence of a number field. */
function numberSentence(label: string, b: Pick<Bounds, 'int' | 'min' | 'max'>): string {
  const what = b.int ? 'a whole number' : 'a number';
  if (b.min !== undefined && b.max !== undefined) return `${label} must be ${what} from ${count(b.min)} to ${count(b.max)}`;
  if (b.min === 1 && b.int) return `${label} must be a whole number of 1 or more`;
  if (b.min !== undefined) return `${label} must be ${what} of at least ${count(b.min)}`;
  if (b.max !== undefined) return `${label} must be ${what} of at most ${count(b.max)}`;
  return `${label} must be ${what}`;
}

const capitalised = (s: string) => (s ? (s[0]?.toUpperCase() ?? '') + s.slice(1) : s);

/**
 * One issue as a sentence naming the field by `label`. With `schema` (the one that was parsed),
 * number and length bounds come from the field's own declaration.
 */
export function issueSentence(issue: IssueLike, label: string, schema?: unknown): string {
  const b = schema === undefined ? undefined : boundsAt(schema, issue.path);
  const min = finite(issue.minimum === undefined ? undefined : Number(issue.minimum));
  const max = finite(issue.maximum === undefined ? undefined : Number(issue.maximum));
  const custom = !ZOD_WORDING.test(issue.message);
  const isNumber =
    b?.kind === 'number' || issue.origin === 'number' || issue.origin === 'int' || /^(number|int)$/.test(issue.expected ?? '');
  const missing = /received undefined$/.test(issue.message);

  // A rule across fields (a refinement) wrote its message for people: said as it is, as a sentence.
  if (issue.code === 'custom') return capitalised(issue.message);
  if (missing) return `${label} is required`;
  if (isNumber && ['too_small', 'too_big', 'invalid_type', 'not_multiple_of'].includes(issue.code)) {
    const int = b?.int ?? (issue.origin === 'int' || issue.expected === 'int');
    return numberSentence(label, {
      int,
      min: b?.min ?? (issue.code === 'too_small' ? min : undefined),
      max: b?.max ?? (issue.code === 'too_big' ? max : undefined),
    });
  }
  const kind = b?.kind ?? issue.origin;
  if (issue.code === 'too_small' && kind === 'string')
    return min === 1 || (min ?? 0) <= 1 ? `${label} is required` : `${label} must be at least ${count(min ?? 0)} characters`;
  if (issue.code === 'too_big' && kind === 'string') return `${label} can be at most ${count(max ?? b?.max ?? 0)} characters`;
  if (issue.code === 'too_small' && kind === 'array')
    return (min ?? 0) <= 1 ? `${label}: choose at least one` : `${label}: choose at least ${count(min ?? 0)}`;
  if (issue.code === 'too_big' && kind === 'array') return `${label} can have at most ${count(max ?? b?.max ?? 0)} entries`;
  if (issue.code === 'invalid_format' && issue.format === 'email') return `${label} must be an email address, like name@example.com`;
  if (issue.code === 'invalid_format') return `${label} is not in the expected form`;
  if (issue.code === 'invalid_value' && issue.values?.length)
    return `${label} must be one of: ${issue.values.map((v) => String(v).replace(/_/g, ' ')).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.expected === 'string') return `${label} must be text`;
  if (issue.code === 'invalid_type' && issue.expected === 'boolean') return `${label} must be yes or no`;
  if (issue.code === 'invalid_type' && issue.expected === 'array') return `${label} must be a list`;
  if (issue.code === 'unrecognized_keys') return `${label} has a field this form does not know`;
  // A message the schema wrote for this field, else nothing better than "not valid".
  return custom ? `${label}: ${issue.message}` : `${label} is not valid`;
}

/** What a form shows: one sentence per field path (its first problem), every field at once. */
export type FieldErrors = Record<string, string>;

/**
 * Every field's problem at once, keyed by the field's path (`terms.durationDays`); `label` names a
 * path as the form does (default: `defaultLabel`), `schema` gives the fields' own bounds.
 * A number field's several issues (zod's safe-integer bound and the field's) say the one range.
 */
export function fieldErrors(issues: readonly IssueLike[], opts: { label?: (path: string) => string; schema?: unknown } = {}): FieldErrors {
  const out: FieldErrors = {};
  const label = opts.label ?? defaultLabel;
  for (const issue of issues) {
    const path = issuePath(issue.path);
    if (path in out) continue;
    out[path] = issueSentence(issue, label(path), opts.schema);
  }
  return out;
}

/** The issues as sentences, in order, one per field (for a message that lists them all). */
export const issueSentences = (issues: readonly IssueLike[], opts: { label?: (path: string) => string; schema?: unknown } = {}): string[] =>
  Object.values(fieldErrors(issues, opts));
