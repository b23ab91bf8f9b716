import { describe, expect, it } from 'vitest';
import { parseAssetCard } from '../../engine/cards.ts';
import { UniquenessEngine, lexicalScore, codeTokens } from '../../engine/library.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { hashTokens } from '../../engine/text/code.ts';
import { changedFields, metadataHash, metadataText, pythonJsonDumps } from '../../engine/text/metadata.ts';
import { charShingles, containment, minhash, minhashJaccard, normalizeText } from '../../engine/text/shingles.ts';

const shadowveil = {
  asset_type: 'character',
  name: 'Shadowveil, the Drow Rogue',
  description: 'A mysterious drow rogue with silver eyes and midnight black skin...',
  tags: ['drow', 'rogue', 'female', 'mysterious', 'dark_fantasy'],
  character: {
    race: 'Drow',
    class: 'Rogue',
    level: 5,
    alignment: 'Chaotic Neutral',
    personality_traits: ['sarcastic', 'cunning', 'honorable_thieves_code'],
    backstory_summary: 'Escaped from Underdark matriarchy...',
  },
};

function card(raw: unknown) {
  const r = parseAssetCard(raw);
  if (!r.ok) throw new Error(r.message);
  return r.card;
}

describe('metadata hash (anti-duplication spec)', () => {
  // Expected values computed with the spec's Python reference (json.dumps(sort_keys=True) + sha256).
  it('matches the Python reference for the spec example card', () => {
    expect(metadataHash(card(shadowveil))).toBe('05e0ae1c69a155f218daffd77efc1b96077e0200830cdedba7d8160a4d4529b5');
  });

  it('matches the Python reference with non-ASCII, escapes and astral characters', () => {
    const c = card({ asset_type: 'item', name: 'Épée — “Lune”', description: 'Line1\nLine2\t"q" \\ ünïcode 🐉', tags: ['b', 'a', 'É'] });
    expect(pythonJsonDumps({ a: 'é', b: [1, null, true] })).toBe('{"a": "\\u00e9", "b": [1, null, true]}');
    expect(metadataHash(c)).toBe('5a6419fc8b8cfcb3069cb110f49928512adb9ad5017d2ce9fc35bcaec1b39937');
  });

  it('ignores tag order and fields outside the spec normalisation, but not the name', () => {
    const a = card(shadowveil);
    const b = card({ ...shadowveil, tags: [...shadowveil.tags].reverse(), character: { ...shadowveil.character, level: 9 } });
    expect(metadataHash(b)).toBe(metadataHash(a));
    expect(metadataHash(card({ ...shadowveil, name: 'Other' }))).not.toBe(metadataHash(a));
  });

  it('extracts the searchable text and reports changed fields', () => {
    const a = card(shadowveil);
    expect(metadataText(a)).toContain('Escaped from Underdark');
    expect(metadataText(a)).toContain('honorable_thieves_code');
    const b = card({ ...shadowveil, name: 'Nightshade', tags: [...shadowveil.tags].reverse() });
    expect(changedFields(a, b)).toEqual(['name', 'tags (order only)']);
  });
});

describe('lexical near-copy layer', () => {
  it('normalises case, accents, punctuation and whitespace', () => {
    // Every l reads as i (leet.ts: a 1 or a capital I is written for either).
    expect(normalizeText('  Héllo,   WORLD!! ')).toBe('heiio worid');
  });

  it('drops invisible characters and folds lookalike letters of other scripts', () => {
    expect(normalizeText('he\u200Bl\u00ADlo w\u043Erld\uFEFF')).toBe(normalizeText('hello world'));
    expect(normalizeText('\u0422\u041D\u0415 \u0440\u03BFrt')).toBe('the port');
    const a = 'The old lighthouse keeper counted the ships every night in a leather book.';
    const b = a
      .replace(/[aeo]/g, (m) => ({ a: '\u0430', e: '\u0435', o: '\u043E' })[m] as string)
      .replace(/(\p{L})(?=\p{L})/gu, '$1\u200B');
    expect(b).not.toBe(a);
    expect(normalizeText(b)).toBe(normalizeText(a));
  });

  it('reads digits written for letters as those letters, and leaves numbers alone', () => {
    expect(normalizeText('7h3 l1gh7h0u53 k33p3r')).toBe('the iighthouse keeper');
    expect(normalizeText('In 1999, 42 ships')).toBe('in 1999 42 ships');
    expect(normalizeText('7h3 $h@d0w @rm0ur')).toBe('the shadow armour');
    expect(normalizeText('$5 @ the inn')).toBe('5 the inn');
    // A 4 or a 1 standing alone is the word a or I written in digits; other lone digits, and longer numbers, stay numbers.
    expect(normalizeText('4 lantern 1 saw, 3 ships and 14 oars')).toBe('a iantern i saw 3 ships and 14 oars');
    expect(normalizeText('4 constructor')).toBe('a constructor');
    // A long run of letters beside a digit is read in one pass (a backtracking pattern took minutes here).
    const long = `${'ab'.repeat(20_000)} 1 c0de`;
    expect(normalizeText(long)).toBe(`${'ab'.repeat(20_000)} i code`);
    expect(normalizeText(`${'$'.repeat(40_000)} 5 $afe`)).toBe('5 safe');
    const a = 'The old lighthouse keeper counted the ships every night in a leather book.';
    const b = a.replace(/[aeost]/g, (m, i: number) => (i % 2 === 0 ? ({ a: '4', e: '3', o: '0', s: '5', t: '7' }[m] as string) : m));
    expect(b).not.toBe(a);
    expect(normalizeText(b)).toBe(normalizeText(a));
  });

  it('reads 1, I and l alike, and "!" before a letter as i, so a 1 or a "!" written for either letter still matches', () => {
    const a = 'The old lighthouse keeper will light it in the still night, if it is lit.';
    // 1 for l and for i, a capital I for an l, "!" inside and at the start of words.
    const b = 'The o1d Iighthouse keeper wi11 l1ght !t in the st!ll n1ght, if it is l!t.';
    expect(normalizeText(b)).toBe(normalizeText(a));
    // A "!" that ends a word stays punctuation; a number keeps its 1s.
    expect(normalizeText('Halt! 11 ships')).toBe('hait 11 ships');
    // Each run of "!" is looked at once (linear).
    expect(normalizeText(`${'!'.repeat(40_000)}x`)).toBe('i'.repeat(40_000) + 'x');
  });

  it('estimates Jaccard within a few points of the exact value', () => {
    const a = charShingles(normalizeText('the quick brown fox jumps over the lazy dog near the river bank at dawn'));
    const b = charShingles(normalizeText('the quick brown fox leaps over the lazy dog near the river bank at dusk'));
    const exact = [...a].filter((x) => b.has(x)).length / new Set([...a, ...b]).size;
    expect(Math.abs(minhashJaccard(minhash(a), minhash(b)) - exact)).toBeLessThan(0.12);
  });

  it('scores a copy with a prepended sentence by containment', () => {
    const base = 'A weathered lighthouse keeper who trades stories for lamp oil, and never sleeps when the fog rolls in from the sea.';
    const s = (t: string) => {
      const set = charShingles(normalizeText(t));
      return { sig: minhash(set), size: set.size };
    };
    const a = s(base);
    const b = s(`Brand new and totally original, made by me this week for my shop. ${base}`);
    const c = s('A cheerful baker in the capital who bakes bread for the whole guard and sings in the morning.');
    expect(lexicalScore(a, b, 40)).toBeGreaterThan(0.85);
    expect(lexicalScore(a, c, 40)).toBeLessThan(0.4);
    expect(containment(0.5, 100, 100)).toBeCloseTo(2 / 3, 5);
    expect(containment(0, 0, 10)).toBe(0);
  });
});

describe('lexical containment far apart in size (policy text.maxContainmentRatio)', () => {
  // Signatures agreeing on `agree` of their 128 slots, for sets of the given sizes.
  const pair = (agree: number, small: number, large: number) => {
    const a = Uint32Array.from({ length: 128 }, (_, i) => i + 1);
    const b = Uint32Array.from({ length: 128 }, (_, i) => (i < agree ? i + 1 : 100_000 + i));
    return [
      { sig: a, size: small },
      { sig: b, size: large },
    ] as const;
  };

  it('reads a few chance agreements between a short and a 30× longer text as a copy only without the cap', () => {
    const [a, b] = pair(6, 100, 3000);
    expect(lexicalScore(a, b, 40)).toBe(1);
    expect(lexicalScore(a, b, 40, UNIQUENESS_POLICY.text.maxContainmentRatio)).toBeCloseTo(6 / 128, 6);
  });

  it('still uses containment up to the ratio', () => {
    const [a, b] = pair(40, 100, 400);
    const j = 40 / 128;
    expect(lexicalScore(a, b, 40, 8)).toBeCloseTo(containment(j, 100, 400), 6);
    expect(lexicalScore(a, b, 40, 8)).toBeGreaterThan(0.8);
  });

  it('a short card kept whole in a text ten times longer is still found (passage layer); the long text alone is not', async () => {
    const short =
      'A weathered lighthouse keeper who trades stories for lamp oil, and never sleeps when the fog rolls in from the grey sea.';
    const filler = [
      'The baker of the capital kneads rye dough before dawn and hums old marching songs to the guard.',
      'Copper miners count their coins by the furnace while mountain goats climb the quarry walls above them.',
      'An orchard thief hides pears under a velvet cloak and blames the crows for every missing fruit.',
      'Merchants on the river barges trade salt for wool and argue about the weather until the tide turns.',
      'The cartographer draws coastlines from memory and refuses to admit that any island has ever moved.',
    ];
    const around = Array.from({ length: 12 }, (_, i) => filler[i % filler.length]).join(' ');
    const engine = UniquenessEngine.open({ dbPath: ':memory:' });
    try {
      await engine.index({
        id: 'keeper',
        creatorId: 'A',
        card: { asset_type: 'character', name: 'The Keeper', description: short, tags: [] },
      });
      const buried = `${around.slice(0, around.length / 2)} ${short} ${around.slice(around.length / 2)}`;
      expect(buried.length).toBeGreaterThan(10 * short.length);
      const copy = await engine.check({
        card: { asset_type: 'item', name: 'Harbour tales', description: buried, tags: [] },
        creatorId: 'B',
      });
      expect(copy.status).toBe('flagged_plagiarism');
      expect(copy.matches[0]?.assetId).toBe('keeper');
      const alone = await engine.check({
        card: { asset_type: 'item', name: 'Harbour tales', description: around, tags: [] },
        creatorId: 'B',
      });
      expect(alone.status).toBe('approved');
    } finally {
      engine.close();
    }
  });
});

describe('module and template normalisation', () => {
  const css = `.card { color: red; padding: 4px; } .card h2 { font-size: 2em; margin: 0 } #main > .btn { border: 1px solid #333; }`;
  const renamed = `/* mine */ #root > .button{border:1px solid #333}
    .tile h2 { margin: 0; font-size: 2em; }
    .tile { padding: 4px; color: red }`;
  const other = `body { background: black; } a:hover { text-decoration: underline; } .x { display: grid; gap: 8px }`;
  const sim = (x: string, y: string) => {
    const tok = (c: string) =>
      minhash(hashTokens(codeTokens(card({ asset_type: 'custom_module', name: 'm', custom_module: { code: c } })) as string[]));
    return minhashJaccard(tok(x), tok(y));
  };

  it('recognises a module with renamed classes and reordered rules', () => {
    expect(sim(css, renamed)).toBeGreaterThan(0.9);
    expect(sim(css, other)).toBeLessThan(0.2);
  });

  it('normalises HTML markup with class names and inline styles', () => {
    const html = `<style>.a{color:red}</style><div class="a"><h2 id="t">Title here</h2><p>Some words of text</p></div>`;
    const html2 = `<style>.zz { color: red }</style>\n<div class="zz">\n  <h2 id="q">Title here</h2>\n  <p>Some words of text</p>\n</div>`;
    expect(sim(html, html2)).toBeGreaterThan(0.9);
  });

  it('treats room templates by structure, ignoring module order', () => {
    const t = (modules: unknown[]) =>
      minhash(
        hashTokens(
          codeTokens(
            card({
              asset_type: 'room_template',
              name: 'r',
              room_template: { layout: { grid: '3x3' }, modules, customization: { theme: 'dark' } },
            }),
          ) as string[],
        ),
      );
    const a = t([
      { type: 'chat', pos: 1 },
      { type: 'dice', pos: 2 },
    ]);
    const b = t([
      { type: 'dice', pos: 2 },
      { type: 'chat', pos: 1 },
    ]);
    expect(minhashJaccard(a, b)).toBe(1);
  });
});
