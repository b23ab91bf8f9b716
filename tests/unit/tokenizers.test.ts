/**
 * Tokenizers against the real vocabularies in ../shared/models. Expected ids are the ones the
 * reference Hugging Face tokenizers produce for these strings (e.g. CLIP "a photo of a cat" is the
 * documented [49406, 320, 1125, 539, 320, 2368, 49407]; BERT "hello world" is [101, 7592, 2088, 102]).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIP_CONTEXT, ClipTokenizer } from '../../engine/semantic/clip-tokenizer.ts';
import { WordPieceTokenizer } from '../../engine/semantic/wordpiece.ts';

const CLIP_DIR = new URL('../../../shared/models/Xenova/clip-vit-base-patch32', import.meta.url).pathname;
const BGE_DIR = new URL('../../../shared/models/Xenova/bge-small-en-v1.5', import.meta.url).pathname;
const have = existsSync(CLIP_DIR) && existsSync(BGE_DIR);
if (!have) console.log(`tokenizer tests skipped: ../shared/models not found beside the repository (${CLIP_DIR})`);

describe.skipIf(!have)('CLIP BPE tokenizer (real vocab.json + merges.txt)', () => {
  const tok = have ? ClipTokenizer.fromDir(CLIP_DIR) : (undefined as never);

  it('encodes known sentences to the reference ids', () => {
    expect(tok.encode('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(tok.encode('A photo of a DOG')).toEqual([49406, 320, 1125, 539, 320, 1929, 49407]);
  });

  it('splits words into BPE pieces with the </w> suffix, digits one by one', () => {
    // shadow + veil</w> , </w> the</w> d row</w> rogue</w> 's</w> 2</w> blades</w>
    expect(tok.encode("Shadowveil, the Drow Rogue's 2 blades")).toEqual([
      49406, 15243, 23516, 267, 518, 67, 1044, 15162, 568, 273, 16893, 49407,
    ]);
  });

  it('pads to 77 with <|endoftext|> and truncates long text keeping the end token', () => {
    const padded = tok.encodePadded('a cat');
    expect(padded.length).toBe(CLIP_CONTEXT);
    expect(Number(padded[CLIP_CONTEXT - 1])).toBe(49407);
    const long = tok.encode('word '.repeat(200));
    expect(long.length).toBe(CLIP_CONTEXT);
    expect(long[0]).toBe(49406);
    expect(long.at(-1)).toBe(49407);
  });
});

describe.skipIf(!have)('BERT WordPiece tokenizer (real vocab.txt of bge-small-en-v1.5)', () => {
  const tok = have ? WordPieceTokenizer.fromDir(BGE_DIR) : (undefined as never);

  it('encodes known sentences to the reference ids', () => {
    expect(tok.encode('Hello world').inputIds).toEqual([101, 7592, 2088, 102]);
    expect(tok.encode('unaffable').inputIds).toEqual([101, 14477, 20961, 3468, 102]); // una ##ffa ##ble
  });

  it('lower-cases, strips accents, splits punctuation and uses ## continuations', () => {
    expect(tok.basicTokens('Héllo, Shadowveil!')).toEqual(['hello', ',', 'shadowveil', '!']);
    expect(tok.encode('Héllo, Shadowveil!').inputIds).toEqual([101, 7592, 1010, 5192, 3726, 4014, 999, 102]);
  });

  it('builds attention mask and token types, and truncates at 512', () => {
    const e = tok.encode('tavern '.repeat(600));
    expect(e.inputIds.length).toBe(512);
    expect(e.inputIds.at(-1)).toBe(102);
    expect(e.attentionMask.every((v) => v === 1)).toBe(true);
    expect(e.tokenTypeIds.every((v) => v === 0)).toBe(true);
  });
});
