/**
 * The text query generator: edit families applied to a library card (a passage kept inside new
 * text, deletions, insertions, sentence reordering, reformatting, field moves) and random
 * combinations of 2–3 of them. Drawing (rng → steps) and applying (steps → card) are separate, so
 * recorded steps reproduce a query exactly.
 */
import type { AssetCard } from '../../shared/asset.ts';
import { NameGenerator } from './names.ts';
import { type ParamSpec, type Params, type Step } from './params.ts';
import { Rng, round } from './rng.ts';
import { type CardType, drawTags } from './text-cards.ts';
import { type TextSource, sentences, words } from './text-sources.ts';

export interface TextContext {
  /** Texts copiers add around a kept passage (never library or unrelated texts). */
  filler: readonly TextSource[];
}

export interface TextFamily {
  name: string;
  spec: ParamSpec;
  draw(rng: Rng, card: AssetCard, ctx: TextContext): Params;
  apply(card: AssetCard, p: Params, ctx: TextContext): AssetCard;
}

const n = (p: Params, k: string) => {
  const v = p[k];
  if (typeof v !== 'number') throw new Error(`parameter ${k} is not a number`);
  return v;
};
const s = (p: Params, k: string) => {
  const v = p[k];
  if (typeof v !== 'string') throw new Error(`parameter ${k} is not a string`);
  return v;
};
const fillerText = (ctx: TextContext, ids: string) =>
  ids
    .split(',')
    .filter(Boolean)
    .map((id) => {
      const f = ctx.filler.find((x) => x.id === id);
      if (!f) throw new Error(`unknown filler text ${id}`);
      return f.text;
    });

export const PASSAGE_MIN_WORDS = 12;

/** A token that is a word (holds a letter or digit), not punctuation standing alone. */
export const isWord = (token: string): boolean => /[\p{L}\p{N}]/u.test(token);

const passage: TextFamily = {
  name: 'passage',
  spec: {
    ranges: { keep: [0.3, 0.8], start: [0, 1], before: [0, 2], after: [0, 2] },
    choices: {},
    free: ['beforeIds', 'afterIds', 'newName'],
  },
  draw(rng, _card, ctx) {
    let before = rng.int(0, 2);
    const after = rng.int(0, 2);
    if (before + after === 0) before = 1;
    const ids = rng.sample(ctx.filler, before + after).map((f) => f.id);
    return {
      keep: round(rng.uniform(0.3, 0.8)),
      start: round(rng.next()),
      before,
      after,
      beforeIds: ids.slice(0, before).join(','),
      afterIds: ids.slice(before).join(','),
      newName: new NameGenerator(rng.fork('name')).next(),
    };
  },
  apply(card, p, ctx) {
    const ws = words(card.description);
    // At least 12 words (or the whole text): a shorter shared run is a phrase, not a passage.
    let len = Math.max(Math.min(ws.length, PASSAGE_MIN_WORDS), Math.round(ws.length * n(p, 'keep')));
    let from = Math.round((ws.length - len) * n(p, 'start'));
    // Words as the engine counts them: a dash or other punctuation standing alone is none, so the
    // run grows (forward, then back) until it holds 12 (seed 660061 kept "is the least expensive
    // -- takes a great deal of money. The": 12 tokens, 11 words).
    const need = Math.min(PASSAGE_MIN_WORDS, ws.filter(isWord).length);
    while (ws.slice(from, from + len).filter(isWord).length < need) {
      if (from + len < ws.length) len++;
      else {
        from--;
        len++;
      }
    }
    const kept = ws.slice(from, from + len).join(' ');
    const text = [...fillerText(ctx, s(p, 'beforeIds')), kept, ...fillerText(ctx, s(p, 'afterIds'))].join(' ');
    return { ...card, name: s(p, 'newName'), description: text };
  },
};

const FILLER_WORDS = [
  'very',
  'quite',
  'old',
  'strange',
  'little',
  'great',
  'truly',
  'dark',
  'bright',
  'quiet',
  'ancient',
  'simply',
  'really',
  'curious',
  'bold',
  'gentle',
  'wild',
  'famous',
  'hidden',
  'certainly',
];

const edit = (name: string, lo: number, hi: number, op: (ws: string[], p: Params, rng: Rng) => string[]): TextFamily => ({
  name,
  spec: { ranges: { fraction: [lo, hi], seed: [0, 2 ** 31 - 1] }, choices: {}, free: [] },
  draw: (rng) => ({ fraction: round(rng.uniform(lo, hi)), seed: rng.int(0, 2 ** 31 - 1) }),
  apply: (card, p) => ({ ...card, description: op(words(card.description), p, new Rng(n(p, 'seed'), name)).join(' ') }),
});

/** Deletes `fraction` of the words, at random positions. */
const deleteWords = edit('delete', 0.1, 0.4, (ws, p, rng) => {
  const drop = new Set(rng.sample([...ws.keys()], Math.round(ws.length * n(p, 'fraction'))));
  return ws.filter((_, i) => !drop.has(i));
});

/** Inserts up to 40 % new words (adjectives and adverbs) at random positions. */
const insertWords = edit('insert', 0.05, 0.4, (ws, p, rng) => {
  const out = [...ws];
  for (let k = Math.round(ws.length * n(p, 'fraction')); k > 0; k--) out.splice(rng.int(0, out.length), 0, rng.pick(FILLER_WORDS));
  return out;
});

/** Keys next to each letter on a QWERTY keyboard (a slip of the finger). */
const NEIGHBOURS: Record<string, string> = {
  a: 'qwsz',
  b: 'vghn',
  c: 'xdfv',
  d: 'serfcx',
  e: 'wsdr',
  f: 'drtgvc',
  g: 'ftyhbv',
  h: 'gyujnb',
  i: 'ujko',
  j: 'huikmn',
  k: 'jiolm',
  l: 'kop',
  m: 'njk',
  n: 'bhjm',
  o: 'iklp',
  p: 'ol',
  q: 'wa',
  r: 'edft',
  s: 'awedxz',
  t: 'rfgy',
  u: 'yhji',
  v: 'cfgb',
  w: 'qase',
  x: 'zsdc',
  y: 'tghu',
  z: 'asx',
};

/**
 * Misspells `fraction` of the words of three letters or more, one slip each: two neighbouring
 * letters swapped, a letter dropped, a letter doubled, or a letter hit on the key beside it.
 */
const typos = edit('typo', 0.05, 0.3, (ws, p, rng) => {
  const long = [...ws.keys()].filter((i) => /\p{L}{3}/u.test(ws[i] as string));
  const slip = new Set(rng.sample(long, Math.max(1, Math.round(long.length * n(p, 'fraction')))));
  return ws.map((w, i) => {
    if (!slip.has(i)) return w;
    const letters = [...w.matchAll(/\p{L}/gu)].map((m) => m.index);
    const at = letters[rng.int(0, letters.length - 1)] as number;
    // The letter at `at` dropped: kind 1, and the fallback of a swap or a wrong key that cannot be made.
    const dropped = w.slice(0, at) + w.slice(at + 1);
    const kind = rng.int(0, 3);
    if (kind === 0) {
      // Two neighbouring letters that differ (swapping "ee" would change nothing); a word without
      // such a pair loses a letter instead.
      const pairs = letters.filter((k) => k !== undefined && /\p{L}/u.test(w[k + 1] ?? '') && w[k] !== w[k + 1]) as number[];
      const k = pairs.length ? (pairs[rng.int(0, pairs.length - 1)] as number) : -1;
      if (k >= 0) return w.slice(0, k) + w[k + 1] + w[k] + w.slice(k + 2);
      return dropped;
    }
    if (kind === 1) return dropped;
    if (kind === 2) return w.slice(0, at + 1) + w[at] + w.slice(at + 1);
    const c = w[at] as string;
    const near = NEIGHBOURS[c.toLowerCase()];
    if (!near) return dropped;
    const r = near[rng.int(0, near.length - 1)] as string;
    return w.slice(0, at) + (c === c.toLowerCase() ? r : r.toUpperCase()) + w.slice(at + 1);
  });
});

const reorder: TextFamily = {
  name: 'reorder',
  spec: { ranges: {}, choices: {}, free: ['order'] },
  draw(rng, card) {
    const k = sentences(card.description).length;
    let order = rng.shuffle([...Array(k).keys()]);
    // Never the original order: with two sentences that means swapping them.
    if (order.every((v, i) => v === i)) order = [...order.slice(1), order[0] as number];
    return { order: order.join(',') };
  },
  apply(card, p) {
    const ss = sentences(card.description);
    const order = s(p, 'order').split(',').map(Number);
    const picked = order.filter((i) => i < ss.length).map((i) => ss[i] as string);
    // Sentences the order does not name (an earlier step added them) stay at the end.
    return { ...card, description: [...picked, ...ss.filter((_, i) => !order.includes(i))].join(' ') };
  },
};

export const STYLES = [
  'bullets',
  'numbered',
  'markdown',
  'upper',
  'lower',
  'title',
  'strip_punct',
  'swap_punct',
  'linebreaks',
  'invisible',
  'lookalike',
  'leet',
] as const;

/** Zero-width space, soft hyphen, word joiner: typed inside words, they show nothing. */
const INVISIBLES = ['\u200B', '\u00AD', '\u2060'];
/** Cyrillic letters drawn like Latin ones. */
const LOOKALIKES: Record<string, string> = {
  a: '\u0430',
  e: '\u0435',
  o: '\u043E',
  p: '\u0440',
  c: '\u0441',
  x: '\u0445',
  y: '\u0443',
  i: '\u0456',
};

/** Digits drawn like letters (leetspeak): a 1 stands for an l as often as for an i. */
const LEET: Record<string, string> = { a: '4', e: '3', i: '1', l: '1', o: '0', s: '5', t: '7' };
/** Symbols drawn like letters. */
const SYMBOL: Record<string, string> = { a: '@', s: '$', i: '!' };

function restyle(text: string, style: string, name: string): string {
  const ss = sentences(text);
  switch (style) {
    case 'bullets':
      return ss.map((x) => `- ${x}`).join('\n');
    case 'numbered':
      return ss.map((x, i) => `${i + 1}. ${x}`).join('\n');
    case 'markdown':
      return `## ${name}\n\n${ss.map((x, i) => (i % 2 === 0 ? `**${x}**` : `_${x}_`)).join('\n\n')}`;
    case 'upper':
      return text.toUpperCase();
    case 'lower':
      return text.toLowerCase();
    case 'title':
      return text.replace(/\b([a-z])/g, (c) => c.toUpperCase());
    case 'strip_punct':
      return text
        .replace(/[.,;:!?"'()\-–—]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    case 'swap_punct':
      return text.replace(/\.(\s|$)/g, '!$1').replace(/,/g, ';');
    case 'invisible': {
      // After every second letter inside a word, the three invisible characters in turn.
      let k = 0;
      return text.replace(/(\p{L}{2})(?=\p{L})/gu, (m) => m + (INVISIBLES[k++ % INVISIBLES.length] as string));
    }
    case 'lookalike': {
      // Every other letter that has a Cyrillic lookalike.
      let k = 0;
      return text.replace(/[aeopcxyi]/g, (m) => (k++ % 2 === 0 ? (LOOKALIKES[m] as string) : m));
    }
    case 'leet': {
      // Every other letter that has a digit drawn like it; every other a, s and i so replaced gets "@", "$" or "!" instead.
      let k = 0;
      let sym = 0;
      return text.replace(/[aeilostAEILOST]/g, (m) => {
        if (k++ % 2 !== 0) return m;
        const c = m.toLowerCase();
        return SYMBOL[c] !== undefined && sym++ % 2 === 1 ? SYMBOL[c] : (LEET[c] as string);
      });
    }
    default:
      return ss.join('\n\n');
  }
}

const reformat: TextFamily = {
  name: 'reformat',
  spec: { ranges: {}, choices: { style: STYLES, style2: [...STYLES, 'none'] }, free: [] },
  draw(rng) {
    const [a, b] = rng.sample(STYLES, 2) as [string, string];
    return { style: a, style2: rng.bool() ? b : 'none' };
  },
  apply(card, p) {
    let d = restyle(card.description, s(p, 'style'), card.name);
    if (s(p, 'style2') !== 'none') d = restyle(d, s(p, 'style2'), card.name);
    return { ...card, description: d };
  },
};

const TARGET: Record<CardType, [string, string]> = {
  character: ['character', 'backstory_summary'],
  location: ['location', 'history'],
  item: ['item', 'lore'],
  quest_hook: ['quest_hook', 'hook'],
};

const fieldMove: TextFamily = {
  name: 'field_move',
  spec: {
    ranges: {},
    choices: { variant: ['move_description', 'rename'], leftover: ['empty', 'filler_sentence'] },
    free: ['newName', 'newTags', 'fillerId'],
  },
  draw(rng, _card, ctx): Params {
    const name = new NameGenerator(rng.fork('name')).next();
    if (rng.bool()) return { variant: 'rename', newName: name, newTags: drawTags(rng.fork('tags')).join(',') };
    const leftover = rng.pick(['empty', 'filler_sentence'] as const);
    return { variant: 'move_description', newName: name, leftover, ...(leftover === 'empty' ? {} : { fillerId: rng.pick(ctx.filler).id }) };
  },
  apply(card, p, ctx) {
    if (s(p, 'variant') === 'rename') return { ...card, name: s(p, 'newName'), tags: s(p, 'newTags').split(',') };
    const [section, field] = TARGET[card.asset_type as CardType] ?? TARGET.item;
    const leftover = s(p, 'leftover') === 'empty' ? '' : (sentences(fillerText(ctx, s(p, 'fillerId'))[0] as string)[0] ?? '');
    const moved = { ...card, name: s(p, 'newName'), description: leftover };
    return { ...moved, asset_type: section as CardType, [section]: { [field]: card.description } } as AssetCard;
  },
};

/** Families in the order they are applied within a combination. */
export const TEXT_FAMILIES: readonly TextFamily[] = [passage, insertWords, deleteWords, typos, reorder, reformat, fieldMove];
export const TEXT_FAMILY_NAMES = TEXT_FAMILIES.map((f) => f.name);

export function textFamily(name: string): TextFamily {
  const f = TEXT_FAMILIES.find((x) => x.name === name);
  if (!f) throw new Error(`unknown text family ${name}`);
  return f;
}

/** Draws the steps of one query (a single family, or 2–3 distinct ones for 'combo'), each drawn on the card as edited so far. */
export function drawTextSteps(rng: Rng, family: string, card: AssetCard, ctx: TextContext): Step[] {
  const names =
    family === 'combo'
      ? (() => {
          const picked = rng.fork('families').sample(TEXT_FAMILY_NAMES, rng.fork('k').int(2, 3));
          return TEXT_FAMILY_NAMES.filter((f) => picked.includes(f));
        })()
      : [textFamily(family).name];
  const steps: Step[] = [];
  let current = card;
  for (const name of names) {
    const f = textFamily(name);
    const params = f.draw(rng.fork(name), current, ctx);
    steps.push({ family: name, params });
    current = f.apply(current, params, ctx);
  }
  return steps;
}

export function applyTextSteps(card: AssetCard, steps: readonly Step[], ctx: TextContext): AssetCard {
  return steps.reduce((c, st) => textFamily(st.family).apply(c, st.params, ctx), card);
}
