/**
 * BERT WordPiece tokenizer (BGE-small uses bert-base-uncased's vocabulary): clean text, CJK
 * characters split out, lower case with accents stripped, split on whitespace and punctuation,
 * greedy longest-match WordPiece with `##` continuations, [CLS] … [SEP], at most 512 tokens.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BERT_MAX_LEN = 512;

function isPunct(cp: number): boolean {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(String.fromCodePoint(cp));
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export interface BertEncoding {
  inputIds: number[];
  attentionMask: number[];
  tokenTypeIds: number[];
}

export class WordPieceTokenizer {
  private readonly vocab: Map<string, number>;
  readonly cls: number;
  readonly sep: number;
  readonly unk: number;
  readonly pad: number;

  constructor(tokens: string[]) {
    this.vocab = new Map(tokens.map((t, i) => [t, i]));
    const need = (t: string) => {
      const v = this.vocab.get(t);
      if (v === undefined) throw new Error(`${t} missing from WordPiece vocabulary`);
      return v;
    };
    this.cls = need('[CLS]');
    this.sep = need('[SEP]');
    this.unk = need('[UNK]');
    this.pad = need('[PAD]');
  }

  static fromDir(dir: string): WordPieceTokenizer {
    return new WordPieceTokenizer(
      readFileSync(join(dir, 'vocab.txt'), 'utf8')
        .split('\n')
        .map((l) => l.replace(/\r$/, ''))
        .filter((l, i, a) => l !== '' || i < a.length - 1),
    );
  }

  /** BertNormalizer + BertPreTokenizer. */
  basicTokens(text: string): string[] {
    let clean = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      if (cp === 0 || cp === 0xfffd || (/\p{Cc}|\p{Cf}/u.test(ch) && ch !== '\t' && ch !== '\n' && ch !== '\r')) continue;
      if (/\s/u.test(ch)) clean += ' ';
      else if (isCjk(cp)) clean += ` ${ch} `;
      else clean += ch;
    }
    clean = clean
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '');
    const out: string[] = [];
    for (const word of clean.split(' ')) {
      if (!word) continue;
      let cur = '';
      for (const ch of word) {
        if (isPunct(ch.codePointAt(0) as number)) {
          if (cur) out.push(cur);
          out.push(ch);
          cur = '';
        } else cur += ch;
      }
      if (cur) out.push(cur);
    }
    return out;
  }

  private wordPiece(word: string): number[] {
    const chars = [...word];
    if (chars.length > 100) return [this.unk];
    const out: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        found = this.vocab.get(sub);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unk];
      out.push(found);
      start = end;
    }
    return out;
  }

  encode(text: string, maxLen = BERT_MAX_LEN): BertEncoding {
    const ids = [this.cls];
    for (const w of this.basicTokens(text)) ids.push(...this.wordPiece(w));
    if (ids.length > maxLen - 1) ids.length = maxLen - 1;
    ids.push(this.sep);
    return { inputIds: ids, attentionMask: ids.map(() => 1), tokenTypeIds: ids.map(() => 0) };
  }
}
