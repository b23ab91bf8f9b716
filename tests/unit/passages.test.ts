/**
 * Passage layer: per-field words with offsets, winnowed passage fingerprints, the passage and term
 * indexes (both directions, df cap, add/remove, persistence) and the aligned shared passages with
 * character offsets, on inline texts written for these tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssetCard } from '../../shared/asset.ts';
import { UNIQUENESS_POLICY } from '../../shared/policy/uniqueness.ts';
import { oneSlip, sharedPassages } from '../../engine/text/align.ts';
import { cardTextFields } from '../../engine/text/fields.ts';
import { decodePassageFingerprint, decodePassageFingerprints, encodePassageFingerprint } from '../../engine/text/passage-codec.ts';
import { PassageIndex } from '../../engine/text/passage-index.ts';
import { PassageLayer, passageVerdict } from '../../engine/text/passage-layer.ts';
import { describePassages } from '../../engine/text/passage-summary.ts';
import { orderedOverlap } from '../../engine/text/ordered.ts';
import { PostingsTable } from '../../engine/text/postings.ts';
import { TermIndex, TermStats, contentWords, termCosine } from '../../engine/text/term-index.ts';
import { kgramHashes, passageFingerprint, winnow } from '../../engine/text/winnow.ts';
import { normalizeWord, tokenizeWords, wordHash } from '../../engine/text/words.ts';

const POL = UNIQUENESS_POLICY.passage;

const TEXTS = {
  lantern:
    'The lantern was forged by a blind tinsmith who worked only at night. Its glass is cracked in three places, yet no wind has ever put out the flame inside. ' +
    'Sailors say that whoever carries it will always find the harbour, though never the one they were looking for. The handle is warm to the touch even in deep winter.',
  orchard:
    'Beyond the mill lies an orchard where the apples ripen in the wrong season. The farmer who planted it vanished the summer the first tree bore fruit. ' +
    'Children dare each other to eat one, because the story goes that you dream of the farmer for a week. Crows avoid the place entirely.',
  duelist:
    'Mirela learned to fence from her grandmother, a retired duelist with a ruined knee and a perfect memory for insults. She never draws first. ' +
    'She collects the buttons of every opponent she has beaten and sews them onto a coat that has grown absurdly heavy. Her only fear is deep water.',
  bridge:
    'Travellers must pay the toll keeper of the stone bridge in riddles rather than coins. A good riddle buys passage for a whole caravan, a poor one for nobody. ' +
    'The keeper has heard every riddle in the kingdom twice and grows more bored each year. Some say he would trade the bridge for a new joke.',
  clock:
    'A clock tower stands at the centre of the market and strikes thirteen at dawn. Nobody has climbed it since the clockmaker locked the door and swallowed the key. ' +
    'Merchants set their prices by the chimes, and a stranger who asks why is charged double. Pigeons nest in the gears without stopping them.',
  glacier:
    'Deep in the glacier sleeps a whale of blue ice whose heart still beats once a month. Hunters who camp nearby report hearing songs through the floor of their tents. ' +
    'The monks of the valley leave bowls of salt at the edge of the ice as an offering. No one remembers what the salt is meant to buy.',
};

const item = (name: string, description: string, extra: Partial<AssetCard> = {}): AssetCard => ({
  asset_type: 'item',
  name,
  description,
  tags: [],
  ...extra,
});

const library: AssetCard[] = Object.entries(TEXTS).map(([k, v]) => item(k, v));
const fps = library.map((c) => passageFingerprint(c));
const passageIndex = () => PassageIndex.build(fps.map((f, i) => [i, f]));
const termIndex = () => TermIndex.build(fps.map((f, i) => [i, f]));
const span = (text: string, part: string): [number, number] => {
  const at = text.indexOf(part);
  if (at < 0) throw new Error(`"${part}" not in text`);
  return [at, at + part.length];
};
const wordCount = (s: string) => tokenizeWords(s).words.length;

describe('words and fields', () => {
  it('normalises case, accents, punctuation and markdown while keeping raw offsets', () => {
    const raw = '1. **Épée** of the _North_\n- don’t   PANIC!';
    const s = tokenizeWords(raw);
    expect(s.words).toEqual(['epee', 'of', 'the', 'north', 'dont', 'panic']);
    expect(s.words.map((_, i) => raw.slice(s.start[i], s.end[i]))).toEqual(['Épée', 'of', 'the', 'North', 'don’t', 'PANIC']);
  });

  it('keeps a word whole across invisible characters, combining marks and lookalike letters, offsets on the raw text', () => {
    // A zero-width space, a soft hyphen and a word joiner inside words; Cyrillic а/е/о/р and Greek ο
    // in Latin words; a decomposed accent and stacked combining marks.
    const raw = 'ke\u200Beper of the li\u00ADght\u2060house: n\u0430\u0435ve \u0440\u03BFrt, cafe\u0301 z\u0337e\u0337n';
    const s = tokenizeWords(raw);
    // (l reads as i: leet.ts.)
    expect(s.words).toEqual(['keeper', 'of', 'the', 'iighthouse', 'naeve', 'port', 'cafe', 'zen']);
    expect(raw.slice(s.start[0], s.end[0])).toBe('ke\u200Beper');
    expect(raw.slice(s.start[3], s.end[3])).toBe('li\u00ADght\u2060house');
    expect(raw.slice(s.start[6], s.end[6])).toBe('cafe\u0301');
    // Plain Latin text is tokenised as before; ASCII is never folded (confusables would make "m" "rn").
    expect(tokenizeWords('Mummy, I am 10!').words).toEqual(['mummy', 'i', 'am', '10']);
    // A text in another script keeps its words: only letters that look like Latin ones fold, the
    // same way on both sides of a comparison.
    const ru = tokenizeWords('\u0441\u043B\u043E\u0432\u043E \u0434\u0435\u043B\u043E').words;
    expect(ru).toHaveLength(2);
    expect(ru).toEqual(tokenizeWords('\u0421\u041B\u041E\u0412\u041E \u0414\u0415\u041B\u041E').words);
  });

  it('reads a word with digits written for letters as the word, offsets on the raw text; numbers stay numbers', () => {
    const raw = 'Th3 0ld k33p3r c0un73d 12 5h1p5 in 1999.';
    const s = tokenizeWords(raw);
    expect(s.words).toEqual(['the', 'oid', 'keeper', 'counted', '12', 'ships', 'in', '1999']);
    expect(raw.slice(s.start[3], s.end[3])).toBe('c0un73d');
    // "@" and "$" touching a letter are letters too; alone or beside digits they stay punctuation.
    const sym = 'Th3 $h@dow @rmour costs $5 @ the inn.';
    const t = tokenizeWords(sym);
    expect(t.words).toEqual(['the', 'shadow', 'armour', 'costs', '5', 'the', 'inn']);
    expect(sym.slice(t.start[1], t.end[1])).toBe('$h@dow');
    expect(sym.slice(t.start[2], t.end[2])).toBe('@rmour');
    // A word that really mixes letters and digits is read the same way on both sides of a comparison.
    expect(tokenizeWords('3D mp3').words).toEqual(tokenizeWords('3d MP3').words);
  });

  it('reads a lone 4 or 1 as the word a or I it is written for, so a leetspeak copy is one passage, not pieces', () => {
    const a = 'The keeper lit a lantern and I watched the harbour while a storm broke over the old stone pier every night';
    const b = a.replace(/\ba\b/g, '4').replace(/\bI\b/g, '1');
    expect(b).toContain('lit 4 lantern and 1 watched');
    expect(tokenizeWords(b).words).toEqual(tokenizeWords(a).words);
    const ps = sharedPassages(item('Copy', b), item('Original', a));
    // Read as numbers, the lone digits broke every 3-word seed around them: 13 words from "watched" on.
    expect(ps.map((p) => p.words)).toEqual([wordCount(a)]);
    expect(ps[0]?.text).toBe(b);
    // Other lone digits stay numbers.
    expect(tokenizeWords('3 ships, 14 oars').words).toEqual(['3', 'ships', '14', 'oars']);
  });

  it('lists the text fields of a character card with their paths, lists marked', () => {
    const c: AssetCard = {
      asset_type: 'character',
      name: 'Mirela',
      description: 'A duelist.',
      tags: ['fencer', 'noble'],
      character: { race: 'Human', backstory_summary: 'Raised by her grandmother.', equipment: ['rapier', 'coat'] },
      quest_hook: { objective: 'Find the buttons', steps: [{ text: 'Visit the tailor' }] },
    };
    expect(cardTextFields(c)).toEqual([
      { field: 'name', text: 'Mirela' },
      { field: 'description', text: 'A duelist.' },
      { field: 'tags', text: 'fencer, noble', list: true },
      { field: 'character.race', text: 'Human' },
      { field: 'character.backstory_summary', text: 'Raised by her grandmother.' },
      { field: 'character.equipment', text: 'rapier, coat', list: true },
      { field: 'quest_hook.objective', text: 'Find the buttons' },
      { field: 'quest_hook.steps[0].text', text: 'Visit the tailor' },
    ]);
  });
});

describe('winnowing', () => {
  it('keeps one hash per window and at least one in any window-sized stretch', () => {
    const h = new Uint32Array([9, 3, 7, 3, 8, 1, 6, 5, 4, 2]);
    const kept = winnow(h, 4);
    expect(kept).toEqual([3, 5, 9]);
    for (let s = 0; s + 4 <= h.length; s++) expect(kept.some((i) => i >= s && i < s + 4)).toBe(true);
  });

  it('guarantees a shared hash for any shared run of window + k − 1 words (property)', () => {
    const t = POL.window + POL.k - 1;
    const word = fc.constantFrom(...'ash birch cedar dune elm fern gorse heath iris juniper kelp larch moss nettle oak'.split(' '));
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 30 }),
        fc.array(word, { maxLength: 30 }),
        fc.array(word, { minLength: t, maxLength: 30 }),
        (a, b, shared) => {
          const kept = (ws: string[]) => {
            const kh = kgramHashes(ws.map(wordHash), POL.k);
            return new Set(winnow(kh, POL.window).map((i) => kh[i]));
          };
          const x = kept([...a, ...shared, ...a]);
          const y = kept([...b, 'zzz', ...shared, 'yyy', ...b]);
          expect([...x].some((h) => y.has(h))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('shared passages and the passage index', () => {
  const passage = 'whoever carries it will always find the harbour, though never the one they were looking for';
  const lantern = library[0] as AssetCard;

  it('finds a verbatim 16-word passage inside new sentences, with exact offsets in both texts', () => {
    const q = `A brass compass from a drowned ship. Legend says ${passage}. Its needle spins near gold.`;
    expect(wordCount(passage)).toBe(16);
    const ps = sharedPassages(item('Compass', q), lantern);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toEqual({
      queryField: 'description',
      matchField: 'description',
      query: span(q, passage),
      match: span(TEXTS.lantern, passage),
      words: 16,
      text: passage,
    });
    const hits = passageIndex().candidates(passageFingerprint(item('Compass', q)));
    expect(hits[0]?.rowid).toBe(0);
    expect(hits[0]?.sharedWords).toBeGreaterThanOrEqual(POL.k);
  });

  it('finds it the other way round: a short card that is a passage of a long library card', () => {
    const short = item('Saying', `Sailors say ${passage}.`);
    const ps = sharedPassages(short, lantern);
    // "Sailors say" is two words, under the 3-word seed: the passage starts at "whoever".
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ query: span(short.description, passage), match: span(TEXTS.lantern, passage), words: 16 });
    // Indexed the other way: the long card queried against an index holding the short one.
    const idx = new PassageIndex();
    idx.add(7, passageFingerprint(short));
    const hit = idx.candidates(passageFingerprint(lantern))[0];
    expect(hit?.rowid).toBe(7);
    expect(hit?.matchCoverage).toBeGreaterThan(hit?.queryCoverage ?? 1);
  });

  it('finds most of a description kept with a new ending', () => {
    const kept = TEXTS.orchard.slice(0, TEXTS.orchard.indexOf(' Crows'));
    const q = item('Grove', `${kept} Now the village elders burn the fallen leaves every spring to keep the ghosts away.`);
    const ps = sharedPassages(q, library[1] as AssetCard);
    expect(ps[0]?.words).toBe(wordCount(kept));
    expect(ps[0]?.query).toEqual([0, kept.length - 1]); // up to the final word, without the full stop
    expect(passageIndex().candidates(passageFingerprint(q))[0]?.rowid).toBe(1);
    expect(describePassages(ps, library[1] as AssetCard)).toBe(`reuses 3 sentences (${wordCount(kept)} words) of “orchard”’s description`);
  });

  it('finds a passage moved to another field and says so', () => {
    const q: AssetCard = {
      asset_type: 'character',
      name: 'Old Captain',
      description: 'A retired captain who trades maps for stories.',
      tags: ['npc'],
      character: { backstory_summary: `Long ago, he stole a lantern. ${passage}. He keeps it lit.` },
    };
    const ps = sharedPassages(q, lantern);
    expect(ps[0]).toMatchObject({ queryField: 'character.backstory_summary', matchField: 'description', words: 16 });
    expect(q.character?.backstory_summary?.slice(...(ps[0]?.query ?? [0, 0]))).toBe(passage);
    expect(describePassages(ps, lantern)).toBe('reuses 1 sentence (16 words) of “lantern”’s description, moved into the backstory summary');
    expect(passageIndex().candidates(passageFingerprint(q))[0]?.rowid).toBe(0);
  });

  it('survives reformatting into a markdown list, upper case and other punctuation', () => {
    const sentences = TEXTS.bridge.match(/[^.]+\./g) ?? [];
    const variants = [
      sentences.map((s) => `- *${s.trim()}*`).join('\n'),
      TEXTS.bridge.toUpperCase(),
      TEXTS.bridge.replace(/\./g, ';').replace(/,/g, ' —').replace(/ /g, '\n'),
    ];
    for (const v of variants) {
      const q = item('Toll', v);
      const ps = sharedPassages(q, library[3] as AssetCard);
      const total = ps.reduce((s, p) => s + p.words, 0);
      expect(total).toBe(wordCount(TEXTS.bridge));
      for (const p of ps) expect(tokenizeWords(v.slice(...p.query)).words).toEqual(tokenizeWords(TEXTS.bridge.slice(...p.match)).words);
      expect(passageIndex().candidates(passageFingerprint(q))[0]?.rowid).toBe(3);
    }
  });

  it('reports each reordered sentence as its own passage', () => {
    const s = TEXTS.clock.match(/[^.]+\./g)?.map((x) => x.trim()) ?? [];
    const q = item('Tower', [s[2], s[0], s[3], s[1]].join(' '));
    const ps = sharedPassages(q, library[4] as AssetCard);
    expect(ps.length).toBe(4);
    expect(ps.reduce((n, p) => n + p.words, 0)).toBe(wordCount(TEXTS.clock));
    const ti = termIndex();
    expect(ti.similar(passageFingerprint(q))[0]).toMatchObject({ rowid: 4 });
    expect(ti.similar(passageFingerprint(q))[0]?.cosine).toBeGreaterThan(0.95); // only the names differ
  });

  it('bridges one inserted or changed word inside a passage', () => {
    const q = item('Lamp', TEXTS.lantern.replace('always find', 'always, somehow, find').replace('deep winter', 'bitter winter'));
    const ps = sharedPassages(q, lantern);
    expect(ps[0]?.words).toBeGreaterThan(40);
  });

  it('reads a word one slip off as the word after an exact seed: a passage misspelt every few words stays one passage', () => {
    // A swap, a dropped letter, a doubled letter and a dropped letter again, among exact runs of 3–4 words.
    const typed = 'whoever carires it will always fnd the harbour, though nevver the one they were lookig for';
    const q = `A brass compass from a drowned ship. Legend says ${typed}. Its needle spins near gold.`;
    const ps = sharedPassages(item('Compass', q), lantern);
    expect(ps[0]).toMatchObject({ query: span(q, typed), match: span(TEXTS.lantern, passage), words: 16 });
    // The session-63 alignment (exact words only) bridged it to 10 matched words, under minSharedWords.
    expect(oneSlip('carries', 'carires')).toBe(true);
    expect(oneSlip('find', 'fnd')).toBe(true);
    expect(oneSlip('never', 'nevver')).toBe(true);
    expect(oneSlip('harbour', 'harbiur')).toBe(true);
    // Two slips, or a short word, are another word.
    expect(oneSlip('keeper', 'kipper')).toBe(false);
    expect(oneSlip('looking', 'lookig!!')).toBe(false);
    expect(oneSlip('cat', 'cut')).toBe(false);
    expect(oneSlip('cat', 'cat')).toBe(true);
  });

  it('seeds a passage on three words one of which is misspelt: a passage with a typo in every three words is still found', () => {
    // Typos at words 2, 5, 8, 10, 13 and 15: no three words in a row are the same in both texts.
    const typed = 'whoever carires it will alwasy find the harbuor, though nevr the one tehy were lookng for';
    const words = (t: string) => t.toLowerCase().match(/\p{L}+/gu) ?? [];
    const [a, b] = [words(typed), words(passage)];
    expect(a.some((_, i) => i + 3 <= a.length && a.slice(i, i + 3).join(' ') === b.slice(i, i + 3).join(' '))).toBe(false);
    const q = `A brass compass from a drowned ship. Legend says ${typed}. Its needle spins near gold.`;
    const ps = sharedPassages(item('Compass', q), lantern);
    expect(ps[0]).toMatchObject({ query: span(q, typed), match: span(TEXTS.lantern, passage), words: 16 });
    // Two typos in every three words seed nothing (only one may be a slip): "fnd the harbuor".
    const twice = 'whoevr carires it wil alwasy fnd the harbuor, tohugh nevr teh oen tehy wree lookng fro';
    expect(sharedPassages(item('Compass', `Legend says ${twice}.`), lantern)).toEqual([]);
  });
});

describe('word cosine', () => {
  it('survives deleting 40 % of the words', () => {
    const words = TEXTS.duelist.split(' ');
    const kept = words.filter((_, i) => i % 5 !== 1 && i % 5 !== 3); // 40 % deleted
    const q = passageFingerprint(item('Fencer', kept.join(' ')));
    const hit = termIndex().similar(q)[0];
    expect(hit?.rowid).toBe(2);
    expect(hit?.cosine).toBeGreaterThanOrEqual(POL.copyCosine);
  });

  it('survives inserting 30 % new words', () => {
    const filler = (
      'quietly brightly silver ancient restless hollow distant crimson gentle wooden narrow bitter ' +
      'golden humble rusty frozen sudden patient broken tiny lonely wild crooked pale'
    ).split(' ');
    const out: string[] = [];
    TEXTS.glacier.split(' ').forEach((w, i) => {
      out.push(w);
      if (i % 10 === 2 || i % 10 === 5 || i % 10 === 8) out.push(filler[out.length % filler.length] as string);
    });
    const hit = termIndex().similar(passageFingerprint(item('Whale', out.join(' '))))[0];
    expect(hit?.rowid).toBe(5);
    expect(hit?.cosine).toBeGreaterThanOrEqual(POL.copyCosine);
  });

  it('keeps unrelated texts low and without shared passages', () => {
    const q = item(
      'Garden',
      'A hedge maze grows behind the abbey, trimmed each night by invisible gardeners. Visitors who reach the centre find a bench, a kettle and fresh tea.',
    );
    const ti = termIndex();
    for (const [i, c] of library.entries()) {
      expect(sharedPassages(q, c)).toEqual([]);
      expect(ti.cosine(passageFingerprint(q), fps[i] as never)).toBeLessThan(0.3);
    }
    expect(passageIndex().candidates(passageFingerprint(q))).toEqual([]);
  });

  it('gives no signal for common short phrases or very short cards', () => {
    const a = item('A sword.', 'A sword.');
    const b = item('Sword', 'A sword.');
    expect(sharedPassages(a, b)).toEqual([]);
    expect(contentWords(passageFingerprint(a))).toBeLessThan(POL.minCosineWords);
    const stock1 = item('Tale', 'Once upon a time there was a baker who sold bread at the end of the day to anyone who asked.');
    const stock2 = item('Story', 'Once upon a time there was a dragon that slept at the end of the road under a hill.');
    expect(sharedPassages(stock1, stock2).filter((p) => p.words >= POL.minSharedWords)).toEqual([]);
  });
});

describe('document-frequency cap', () => {
  it('ignores boilerplate shared by more cards than the cap, but not a rarer shared quote', () => {
    const boiler = 'This item was created for the summer campaign and may be used freely in any adventure you run at home';
    const quote = 'the difference between a good story and a great one is the courage to leave something unexplained';
    const cards: [number, ReturnType<typeof passageFingerprint>][] = [];
    for (let i = 0; i < 40; i++)
      cards.push([i, passageFingerprint(item(`c${i}`, `${Object.values(TEXTS)[i % 6]} ${boiler}. Number ${i}.`))]);
    cards.push([99, passageFingerprint(item('Sage', `My teacher used to say that ${quote}, and she was right.`))]);
    const idx = PassageIndex.build(cards, undefined, { min: 25, fraction: 0 });
    expect(idx.candidates(passageFingerprint(item('q', `Plain new words about a frog. ${boiler}.`)))).toEqual([]);
    expect(idx.candidates(passageFingerprint(item('q', `Grandfather always told me ${quote}.`)))[0]?.rowid).toBe(99);
  });
});

describe('index maintenance and persistence', () => {
  it('removes, re-adds and compacts', () => {
    const idx = passageIndex();
    const q = passageFingerprint(item('q', TEXTS.orchard));
    expect(idx.candidates(q)[0]?.rowid).toBe(1);
    expect(idx.remove(1)).toBe(true);
    expect(idx.candidates(q).map((c) => c.rowid)).not.toContain(1);
    idx.add(1, fps[1] as never);
    expect(idx.candidates(q)[0]?.rowid).toBe(1);
    expect(idx.size).toBe(6);
  });

  it('round-trips a fingerprint through its binary form', () => {
    for (const fp of fps) {
      const buf = encodePassageFingerprint(fp, { k: POL.k, window: POL.window });
      expect(buf.length).toBeLessThan(8 + 5 * fp.hashes.length + 5 * fp.terms.length + 2 * fp.terms.length);
      expect(decodePassageFingerprint(buf)).toEqual({ params: { k: POL.k, window: POL.window }, fp });
    }
    expect(() => decodePassageFingerprint(Buffer.from([9, 5, 8]))).toThrow(/format/);
  });

  it('decodes many stored fingerprints at once into shared arrays, skipping other parameters', () => {
    const params = { k: POL.k, window: POL.window };
    const rows: [number, Uint8Array][] = fps.map((f, i) => [i + 1, encodePassageFingerprint(f, params)]);
    rows.push([99, encodePassageFingerprint(passageFingerprint(library[0] as AssetCard, { k: 4, window: 6 }), { k: 4, window: 6 })]);
    const { items, stale } = decodePassageFingerprints(rows, params);
    expect(stale).toEqual([99]);
    expect(items.map(([r]) => r)).toEqual([1, 2, 3, 4, 5, 6]);
    items.forEach(([, fp], i) => expect({ ...fp }).toEqual({ ...fps[i] }));
    expect(items[0]?.[1].hashes.buffer).toBe(items[5]?.[1].hashes.buffer);
  });

  it('aligns repetitive text in bounded time', () => {
    const la = item('Song', 'la '.repeat(3000));
    const t0 = Date.now();
    const ps = sharedPassages(la, la);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(ps.reduce((n, p) => n + p.words, 0)).toBeLessThanOrEqual(3000);
  });

  it('round-trips the passage index and keeps working after load', () => {
    const idx = passageIndex();
    idx.remove(2);
    const loaded = PassageIndex.fromBuffer(idx.toBuffer());
    for (const fp of fps) expect(loaded.candidates(fp)).toEqual(idx.candidates(fp));
    loaded.add(2, fps[2] as never);
    expect(loaded.candidates(fps[2] as never)[0]?.rowid).toBe(2);
    // An unaligned copy loads too.
    const raw = idx.toBuffer();
    const unaligned = Buffer.alloc(raw.length + 1).subarray(1);
    raw.copy(unaligned);
    expect(PassageIndex.fromBuffer(unaligned).candidates(fps[0] as never)[0]?.rowid).toBe(0);
  });

  it('postings table compacts additions and removals without losing postings', () => {
    const t = PostingsTable.build(new Uint32Array([1, 2, 1]), new Uint32Array([10, 10, 11]), new Uint32Array([5, 6, 7]));
    for (let r = 100; r < 70_100; r++) t.add(r, [r % 7], [r]); // crosses the compaction threshold
    t.remove(10, 2);
    const got: [number, number][] = [];
    t.forEach(1, (r, v) => got.push([r, v]));
    expect(got.slice(0, 1)).toEqual([[11, 7]]);
    expect(got.length).toBe(1 + 10_000);
    // A removed row added again (an edited card): only its new postings are live.
    const u = PostingsTable.build(new Uint32Array([1, 2]), new Uint32Array([5, 5]), new Uint32Array([0, 1]));
    u.remove(5, 2);
    u.add(5, [2, 3], [7, 8]);
    u.remove(5, 2);
    u.add(5, [3, 4], [9, 10]);
    const live = (tb: PostingsTable, k: number) => {
      const o: number[] = [];
      tb.forEach(k, (r, v) => o.push(r, v));
      return o;
    };
    expect([1, 2, 3, 4].map((k) => live(u, k))).toEqual([[], [], [5, 9], [5, 10]]);
    u.compact();
    expect([1, 2, 3, 4].map((k) => live(u, k))).toEqual([[], [], [5, 9], [5, 10]]);
    const back = PostingsTable.fromBuffer(t.toBuffer());
    expect(back.count(1)).toBe(10_001);
    const rows2: number[] = [];
    back.forEach(2, (r) => rows2.push(r));
    expect(rows2).toHaveLength(10_000);
    expect(rows2).not.toContain(10);
  });

  it('keeps document frequencies current on add and remove, and persists them', () => {
    const ti = termIndex();
    const sailors = wordHash(normalizeWord('sailors'));
    expect(ti.stats.df.get(sailors)).toBe(1);
    const extra = passageFingerprint(item('x', 'Sailors and sailors again.'));
    ti.add(10, extra);
    expect(ti.stats.df.get(sailors)).toBe(2);
    expect(ti.stats.docs).toBe(7);
    ti.remove(10);
    expect(ti.stats.df.get(sailors)).toBe(1);
    expect(ti.stats.docs).toBe(6);
    const loaded = TermIndex.fromBuffer(ti.toBuffer());
    expect(loaded.stats.docs).toBe(6);
    expect(loaded.similar(fps[3] as never)).toEqual(ti.similar(fps[3] as never));
    loaded.remove(3);
    expect(loaded.stats.df.get(wordHash(normalizeWord('riddles')))).toBeUndefined();
    expect(loaded.similar(fps[3] as never).map((c) => c.rowid)).not.toContain(3);
    const back = TermStats.fromBuffer(ti.stats.toBuffer());
    expect(back.docs).toBe(6);
    expect([...back.df]).toEqual([...ti.stats.df]);
    expect(termCosine(fps[0] as never, fps[0] as never, back)).toBeCloseTo(1, 6);
  });
});

describe('passage layer (both indexes and the verdict)', () => {
  const layer = () => PassageLayer.build(fps.map((f, i) => [i, f]));

  it('flags a shared quote as a copied passage and says where it came from', () => {
    const quote = 'a door that opens only for those who have forgotten why they wanted to enter';
    const lib = item('Door', `In the abbey cellar there is ${quote}. The monks use it as a test of humility.`);
    const q = item('Gate', `Our heroes reach ${quote}, so the wizard drinks until he forgets.`);
    const l = layer();
    const lfp = passageFingerprint(lib);
    l.add(50, lfp);
    const qfp = passageFingerprint(q);
    expect(l.candidates(qfp)[0]?.rowid).toBe(50);
    const v = passageVerdict(q, qfp, lib, lfp, l.terms.stats);
    expect(v.signals).toEqual(['copied passage']);
    expect(v.longest).toBe(wordCount(quote));
    expect(v.summary).toBe(`reuses a passage of ${wordCount(quote)} words of “Door”’s description`);
  });

  it('flags a reworded copy by word cosine and gives no signal for short or unrelated cards', () => {
    const l = layer();
    const shortened = TEXTS.duelist
      .split(' ')
      .filter((_, i) => i % 5 !== 1 && i % 5 !== 3)
      .join(' ');
    const q = item('Fencer', shortened);
    const qfp = passageFingerprint(q);
    const top = l.candidates(qfp)[0];
    expect(top?.rowid).toBe(2);
    expect(passageVerdict(q, qfp, library[2] as AssetCard, fps[2] as never, l.terms.stats).signals).toContain('reworded copy');
    const a = item('Sword', 'A sword.');
    const b = item('Blade', 'A sword.');
    const v = passageVerdict(a, passageFingerprint(a), b, passageFingerprint(b), l.terms.stats);
    expect(v.cosine).toBeGreaterThan(POL.copyCosine); // high, but two words are too few to mean anything
    expect(v.signals).toEqual([]);
    const u = item('Garden', 'A hedge maze grows behind the abbey, trimmed each night by invisible gardeners who leave no footprints.');
    for (const [i, c] of library.entries())
      expect(passageVerdict(u, passageFingerprint(u), c, fps[i] as never, l.terms.stats).signals).toEqual([]);
  });

  it('marks a short card’s passage kept with words deleted inside new text as reworked in part (a derivative), by its share of the card', () => {
    // Under orderedMinWords content words, no verbatim run and a low cosine: what counts is that the
    // dense ordered words are much of the short card (policy passage.orderedShort) — not a copy
    // signal (a remix of a premise keeps as much), but a derivative's.
    const lamp = 'A hollow lamp of green glass that glows only when a liar speaks nearby, dimming slowly as the truth returns to the room.';
    const lib = item('Hollow lamp', lamp);
    const q = item(
      'Tavern',
      'The tavern keeper trusts no one and keeps odd things behind the bar. A lamp of green glass glows when a liar nearby, ' +
        'dimming as the truth returns. Regulars pretend not to notice, and strangers rarely stay long.',
    );
    const l = layer();
    const v = passageVerdict(q, passageFingerprint(q), lib, passageFingerprint(lib), l.terms.stats);
    expect(v.ordered).toBeLessThan(POL.orderedMinWords);
    expect(v.longest).toBeLessThan(POL.minSharedWords);
    expect([v.signals, v.reworksPart]).toEqual([[], true]);
    expect(v.summary).toBe(`keeps ${v.ordered} content words of “Hollow lamp” in the same order, with words changed between them`);
    expect(q.description?.slice(...(v.passages[0]?.query ?? [0, 0]))).toMatch(/^lamp of green glass/i);
    // The same words kept from a long card are a small share of it: not enough on their own.
    const long = item(
      'Hollow lamp',
      `${lamp} It was made by a glassblower who had been cheated by every merchant in the valley, and she sold it to the ` +
        'magistrate for a single silver coin. The magistrate keeps it on his bench during trials, and defendants have learned to stare at it while they answer his questions.',
    );
    const w = passageVerdict(q, passageFingerprint(q), long, passageFingerprint(long), l.terms.stats);
    expect(w.ordered).toBe(v.ordered);
    expect([w.signals, w.reworksPart]).toEqual([[], false]);
    // Two cards of one series share a framing and an attribution (dense runs of 4 content words),
    // not a passage: no signal, though those words are half of each card (segments of 4 do not count).
    const series = (name: string, quote: string) =>
      item(name, `Thus spake the forge master: "${quote}" -- Brann Coldhammer, Book of Forges`);
    const a = series('Iron memory', 'Iron remembers every blow, so strike as if it could answer back.');
    const b = series('Quenched anger', 'A blade quenched in anger will shatter in the first winter.');
    const o = orderedOverlap(a, b, { maxGap: POL.orderedMaxGap, minSegment: POL.orderedMinSegment });
    expect(o.segments.map((x) => x.words)).toEqual([4, 4]);
    expect(o.words).toBeGreaterThanOrEqual(POL.orderedShort.minWords);
    expect(o.words).toBeGreaterThanOrEqual(POL.orderedShort.minShare * o.smaller);
    const t = passageVerdict(a, passageFingerprint(a), b, passageFingerprint(b), l.terms.stats);
    expect([t.signals, t.reworksPart]).toEqual([[], false]);
  });

  it('counts the verbatim parts of a passage cut by edits together, each place once, in prose fields only', () => {
    // Two sentences of the lantern kept in swapped order, one cut short: runs of 11 and 7 words,
    // each under minSharedWords, together a copied passage (policy passage.minPartWords).
    const harbour = 'Sailors say that whoever carries it will always find the harbour';
    const glass = 'Its glass is cracked in three places';
    expect([wordCount(harbour), wordCount(glass)]).toEqual([11, 7]);
    const lib = item('Lantern', TEXTS.lantern, { tags: ['relic', 'sea', 'light', 'curse', 'night', 'glass'] });
    const q = item('Harbour lamp', `The ferryman trusts one old thing. ${harbour}, or so he claims. ${glass}, and he mends it with pitch.`);
    const l = layer();
    const v = passageVerdict(q, passageFingerprint(q), lib, passageFingerprint(lib), l.terms.stats);
    expect(v.longest).toBe(11);
    expect(v.signals).toContain('copied passage');
    expect(v.passages.map((p) => [p.words, q.description?.slice(...p.query), lib.description?.slice(...p.match)])).toEqual([
      [11, harbour, harbour],
      [7, glass, glass],
    ]);
    expect(v.summary).toBe('reuses 2 passages (18 words) of “Lantern”’s description');
    // Counted alone (parts of 12 words or more only), neither part is enough.
    const alone = { ...UNIQUENESS_POLICY, passage: { ...POL, minPartWords: POL.minSharedWords } };
    expect(passageVerdict(q, passageFingerprint(q), lib, passageFingerprint(lib), l.terms.stats, alone).signals).not.toContain(
      'copied passage',
    );
    // The 7-word part written twice is one place in the lantern: 7 words, no signal; nor do the
    // same six tags in the same order add to it (a list, not prose).
    const twice = item('Cracked lamp', `${glass}. The lamp hangs by the door. ${glass}, the innkeeper says.`, { tags: lib.tags ?? [] });
    const w = passageVerdict(twice, passageFingerprint(twice), lib, passageFingerprint(lib), l.terms.stats);
    expect(sharedPassages(twice, lib, { minWords: 5 }).map((p) => [p.queryField, p.words])).toEqual([
      ['description', 7],
      ['description', 7],
      ['tags', 6],
    ]);
    expect([w.signals, w.reworksPart]).toEqual([[], false]);
  });

  it('persists both indexes in one blob', () => {
    const l = layer();
    l.remove(4);
    const back = PassageLayer.fromBuffer(l.toBuffer());
    expect(back.size).toBe(5);
    for (const fp of fps) expect(back.candidates(fp)).toEqual(l.candidates(fp));
  });
});

describe('dense ordered overlap', () => {
  const base =
    'The old ferryman keeps a lantern for every soul he carried across the black river, and on moonless nights the lanterns float upstream searching for their owners.';
  const card = (description: string): AssetCard => ({ asset_type: 'location', name: 'x', description, tags: [] });
  /** A new word after every third word. */
  const interleave = (t: string) =>
    t
      .split(' ')
      .flatMap((w, i) => (i % 3 === 2 ? [w, 'quietly'] : [w]))
      .join(' ');
  it('finds a passage whose words were interleaved with new ones every few words', () => {
    const q = card(`Travellers tell many stories about this crossing. ${interleave(base)} Nobody knows his name.`);
    const r = orderedOverlap(q, card(base), { maxGap: 3, minSegment: 4 });
    expect(r.words).toBeGreaterThanOrEqual(12);
    const seg = r.segments[0];
    expect(seg?.queryField).toBe('description');
    expect(q.description?.slice(seg?.query[0], seg?.query[1])).toMatch(/^old ferryman/i);
  });
  it('finds reordered blocks, and unrelated texts chain almost nothing', () => {
    const [s1, s2] = [base.slice(0, 80), base.slice(80)];
    const r = orderedOverlap(card(`${s2} And then: ${s1}`), card(base), { maxGap: 3, minSegment: 4 });
    expect(r.words).toBeGreaterThanOrEqual(12);
    const other = card('A brass compass that points toward whatever its owner fears most, spinning wildly in crowded markets and taverns.');
    expect(orderedOverlap(other, card(base), { maxGap: 3, minSegment: 4 }).words).toBe(0);
  });
  it('reads a word one slip off as the word: a passage interleaved with new words and misspelt keeps its order', () => {
    // Six of its seventeen content words misspelt (a swap, a dropped, a doubled, a wrong-key, a
    // dropped and a swapped letter) and a new word after every third word.
    const slips: [string, string][] = [
      ['ferryman', 'ferrymna'],
      ['lantern ', 'lanten '],
      ['carried', 'carrried'],
      ['moonless', 'moonkess'],
      ['upstream', 'upstram'],
      ['searching', 'seraching'],
    ];
    const typed = slips.reduce((t, [from, to]) => t.replace(from, to), base);
    const q = card(`Travellers tell many stories about this crossing. ${interleave(typed)} Nobody knows his name.`);
    const r = orderedOverlap(q, card(base), { maxGap: 3, minSegment: 4 });
    expect(r.words).toBe(17);
    expect(r.segments).toHaveLength(1);
    expect(q.description?.slice(r.segments[0]?.query[0], r.segments[0]?.query[1])).toMatch(/^old ferrymna .* owners$/);
    // Each misspelt word put out of reach (another word entirely): the exact words chain 11, under orderedMinWords.
    const apart = slips.reduce((t, [, to]) => t.replace(to.trim(), 'zebra'), typed);
    expect(orderedOverlap(card(interleave(apart)), card(base), { maxGap: 3, minSegment: 4 }).words).toBe(11);
  });
});
