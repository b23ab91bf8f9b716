/**
 * Fingerprints as JSON (for the marketplace database and the index feed) and back. MinHash
 * signatures and vectors travel as base64 of their little-endian bytes; passage fingerprints as
 * base64 of their compact blob. JSON written before a layer existed lacks its field: the passage
 * fingerprint is then recomputed from the card when one is given. A media fingerprint travels as
 * base64 of its compact blob (engine/media/serialize.ts) with the file's probe facts and SHA-256;
 * one in an older fingerprint format is dropped (it must be recomputed from the file).
 */
import type { AssetCard } from '../shared/asset.ts';
import { z } from 'zod';
import type { MediaInfo } from '../shared/media.ts';
import { EngineError } from './errors.ts';
import type { ImageFingerprint } from './image/fingerprint.ts';
import { deserializeFingerprint, deserializeKeyframes, serializeFingerprint, serializeKeyframes } from './media/serialize.ts';
import type { AssetFingerprints, LexicalSig } from './fingerprints.ts';
import { deserialize as deserializeLocal, forLibrary, serialize as serializeLocal } from './image/local/serialize.ts';
import type { VectorSpace } from './semantic/types.ts';
import { decodePassageFingerprint, encodePassageFingerprint } from './text/passage-codec.ts';
import { DEFAULT_PASSAGE_PARAMS, type PassageFingerprint, passageFingerprint } from './text/winnow.ts';

export interface FingerprintsJson {
  metadataHash: string;
  text: { sig: string; size: number };
  code: { sig: string; size: number } | null;
  passages?: string;
  /** Local features (library form, no mirrored view), base64 of engine/image/local/serialize.ts. */
  local?: string;
  image: ImageFingerprint | null;
  /**
   * The audio/video fingerprint, base64 of engine/media/serialize.ts without keyframes, with the
   * file's facts; a video's keyframes (local features) apart, base64 of serializeKeyframes, so the
   * index feed can leave them out (see withoutKeyframes).
   */
  media?: { data: string; info: MediaInfo; sha256: string; keyframes?: string };
  vectors: Partial<Record<VectorSpace, string>>;
}

const u32 = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromB64<T extends Uint32Array | Float32Array>(s: string, make: (buf: ArrayBuffer) => T): T {
  const b = Buffer.from(s, 'base64');
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return make(copy);
}

const lex = (l: LexicalSig) => ({ sig: u32(l.sig), size: l.size });
const unlex = (l: { sig: string; size: number }): LexicalSig => ({ sig: fromB64(l.sig, (b) => new Uint32Array(b)), size: l.size });

/**
 * The fingerprints as the marketplace's index feed carries them: a video's keyframes (about 12 KB
 * each) stay on the server, the compact frame hashes and audio fingerprints travel.
 */
export function withoutKeyframes<T>(j: T): T {
  const media = (j as Partial<FingerprintsJson> | null)?.media;
  if (!media?.keyframes) return j;
  const { keyframes: _dropped, ...rest } = media;
  return { ...j, media: rest };
}

export function fingerprintsToJson(fp: AssetFingerprints, withVectors = true): FingerprintsJson {
  const vectors: FingerprintsJson['vectors'] = {};
  if (withVectors) for (const [k, v] of Object.entries(fp.vectors) as [VectorSpace, Float32Array][]) vectors[k] = f32(v);
  return {
    metadataHash: fp.metadataHash,
    text: lex(fp.text),
    code: fp.code ? lex(fp.code) : null,
    passages: encodePassageFingerprint(fp.passages, DEFAULT_PASSAGE_PARAMS).toString('base64'),
    ...(fp.local ? { local: serializeLocal(forLibrary(fp.local)).toString('base64') } : {}),
    image: fp.image,
    ...(fp.media
      ? {
          media: {
            data: serializeFingerprint(fp.media.fp, { keyframes: false }).toString('base64'),
            info: fp.media.info,
            sha256: fp.media.sha256,
            ...(fp.media.fp.video?.keyframes?.sets.length
              ? { keyframes: serializeKeyframes(fp.media.fp.video.keyframes).toString('base64') }
              : {}),
          },
        }
      : {}),
    vectors,
  };
}

const EMPTY_PASSAGES: PassageFingerprint = {
  words: 0,
  hashes: new Uint32Array(0),
  positions: new Uint32Array(0),
  terms: new Uint32Array(0),
  counts: new Uint16Array(0),
};

export function fingerprintsFromJson(j: FingerprintsJson, card?: AssetCard): AssetFingerprints {
  const vectors: AssetFingerprints['vectors'] = {};
  for (const [k, v] of Object.entries(j.vectors ?? {}) as [VectorSpace, string][]) vectors[k] = fromB64(v, (b) => new Float32Array(b));
  const passages = j.passages
    ? decodePassageFingerprint(Buffer.from(j.passages, 'base64')).fp
    : card
      ? passageFingerprint(card)
      : EMPTY_PASSAGES;
  return {
    metadataHash: j.metadataHash,
    text: unlex(j.text),
    code: j.code ? unlex(j.code) : null,
    passages,
    image: j.image,
    local: j.local ? deserializeLocal(Buffer.from(j.local, 'base64')) : null,
    media: j.media ? mediaFromJson(j.media) : null,
    vectors,
    semantic: {},
  };
}

const stream = z.object({ codec: z.string().max(100) }).passthrough();
const MediaJson = z.object({
  data: z.string().max(64 * 1024 * 1024),
  keyframes: z
    .string()
    .max(64 * 1024 * 1024)
    .optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  info: z
    .object({
      kind: z.enum(['audio', 'video']),
      container: z.string().max(100),
      durationSeconds: z.number().nonnegative().finite(),
      bytes: z.number().int().nonnegative(),
      audio: stream.extend({ sampleRate: z.number(), channels: z.number() }).nullable(),
      video: stream.extend({ width: z.number().int(), height: z.number().int(), fps: z.number() }).nullable(),
    })
    .strip(),
});

/** The media part alone (e.g. carried over to a new version); null when it is in an older format. */
export function mediaFromJson(raw: NonNullable<FingerprintsJson['media']>): AssetFingerprints['media'] {
  const r = MediaJson.safeParse(raw);
  if (!r.success) throw new EngineError('bad_fingerprint', `the media fingerprint's JSON is malformed: ${r.error.issues[0]?.message}`);
  const m = r.data;
  try {
    const fp = deserializeFingerprint(Buffer.from(m.data, 'base64'));
    if (m.keyframes && fp.video) fp.video.keyframes = deserializeKeyframes(Buffer.from(m.keyframes, 'base64'));
    return { fp, info: m.info as MediaInfo, sha256: m.sha256 };
  } catch (err) {
    if ((err as { code?: string }).code === 'stale_fingerprint') return null;
    throw err;
  }
}
