/**
 * CLIP's byte-level BPE tokenizer (as in the model's tokenizer.json): NFC, whitespace collapsed,
 * lower case; split on CLIP's pattern; bytes mapped to printable characters; BPE merges with the
 * `</w>` end-of-word suffix; <|startoftext|> … <|endoftext|>, truncated and padded to 77.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CLIP_CONTEXT = 77;

const PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu;

function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table = new Array<string>(256);
  bs.forEach((b, i) => {
    table[b] = String.fromCodePoint(cs[i] as number);
  });
  return table;
}

export class ClipTokenizer {
  private readonly vocab: Map<string, number>;
  private readonly ranks: Map<string, number>;
  private readonly byteChars = bytesToUnicode();
  private readonly cache = new Map<string, string[]>();
  readonly bos: number;
  readonly eos: number;

  constructor(vocab: Record<string, number>, merges: string[]) {
    this.vocab = new Map(Object.entries(vocab));
    this.ranks = new Map(merges.map((m, i) => [m, i]));
    this.bos = this.id('<|startoftext|>');
    this.eos = this.id('<|endoftext|>');
  }

  /** Loads vocab.json and merges.txt from a model folder. */
  static fromDir(dir: string): ClipTokenizer {
    const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as Record<string, number>;
    const merges = readFileSync(join(dir, 'merges.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#version'));
    return new ClipTokenizer(vocab, merges);
  }

  private id(tok: string): number {
    const v = this.vocab.get(tok);
    if (v === undefined) throw new Error(`token ${tok} missing from CLIP vocabulary`);
    return v;
  }

  private bpe(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    let parts = [...word];
    parts[parts.length - 1] += '</w>';
    for (;;) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < parts.length; i++) {
        const r = this.ranks.get(`${parts[i]} ${parts[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const a = parts[best] as string;
      const b = parts[best + 1] as string;
      const merged: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        if (i + 1 < parts.length && parts[i] === a && parts[i + 1] === b) {
          merged.push(a + b);
          i++;
        } else merged.push(parts[i] as string);
      }
      parts = merged;
    }
    if (this.cache.size < 50_000) this.cache.set(word, parts);
    return parts;
  }

  /** Token ids without padding: [bos, …, eos], truncated to the context length. */
  encode(text: string): number[] {
    const norm = text.normalize('NFC').replace(/\s+/g, ' ').toLowerCase();
    const ids: number[] = [this.bos];
    for (const m of norm.matchAll(PATTERN)) {
      const piece = m[0];
      if (piece === '<|startoftext|>' || piece === '<|endoftext|>') {
        ids.push(this.id(piece));
        continue;
      }
      const mapped = [...Buffer.from(piece, 'utf8')].map((b) => this.byteChars[b] as string).join('');
      for (const t of this.bpe(mapped)) ids.push(this.vocab.get(t) ?? this.eos);
    }
    if (ids.length > CLIP_CONTEXT - 1) ids.length = CLIP_CONTEXT - 1;
    ids.push(this.eos);
    return ids;
  }

  /** Padded to 77 with <|endoftext|> (the model's pad token), as BigInt64 for ONNX. */
  encodePadded(text: string): BigInt64Array {
    const ids = this.encode(text);
    const out = new BigInt64Array(CLIP_CONTEXT).fill(BigInt(this.eos));
    ids.forEach((v, i) => {
      out[i] = BigInt(v);
    });
    return out;
  }
}
