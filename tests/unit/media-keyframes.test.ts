/**
 * The video layer's keyframes (engine/media/keyframes.ts, keyframe-index.ts): which frames are kept,
 * their local features in the fingerprint blob, and what they find that the frame hashes cannot —
 * a crop to about half of the picture and a picture-in-picture copy — with where the copy sits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMedia } from '../../engine/explain-media.ts';
import { loadVocabulary } from '../../engine/image/local/vocab-file.ts';
import { type MediaFingerprint, fingerprintMedia } from '../../engine/media/fingerprint.ts';
import { deflateRawSync } from 'node:zlib';
import { MediaIndex, deserializeFingerprint, serializeFingerprint } from '../../engine/media/index.ts';
import { deserializeKeyframes, serializeKeyframes } from '../../engine/media/serialize.ts';
import { CACHED_VIDEOS, KeyframeIndex } from '../../engine/media/keyframe-index.ts';
import { KeyframeSampler, type VideoKeyframes, keyframeGeometry } from '../../engine/media/keyframes.ts';
import type { AssetCard } from '../../shared/asset.ts';
import type { MediaInfo } from '../../shared/media.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { UniquenessEngine } from '../../engine/library.ts';
import { AssetRows } from '../../engine/store/asset-rows.ts';
import { openDatabase } from '../../engine/store/db.ts';
import { Statements } from '../../engine/store/statements.ts';
import { ff, tempDir } from '../helpers/media.ts';

const t = tempDir('media-keyframes-');
afterAll(() => t.cleanup());

const CLIPART = '/usr/share/openclipart/png';

/**
 * A video of clip-art scenes (Debian's openclipart-png, dev categories): each drawing on a coloured
 * background for `each` seconds with a slow zoom, as the media eval's dev videos are made.
 */
function clipArtVideo(out: string, images: string[], each: number, size = '640x360'): void {
  const [w, h] = size.split('x').map(Number) as [number, number];
  const chains = images.map(
    (_, k) =>
      `color=c=${['0x2a4d69', '0xe8d5b7', '0x63ace5', '0x8b9556'][k % 4]}:s=${w * 2}x${h * 2}:r=1:d=1[bg${k}];` +
      `[${k}:v]format=rgba,scale=${h * 2 - 40}:${h * 2 - 40}:force_original_aspect_ratio=decrease[im${k}];` +
      `[bg${k}][im${k}]overlay=(W-w)/2:(H-h)/2,format=yuv420p,` +
      `zoompan=z='1.1+0.002*on':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=${each * 25}:s=${size}:fps=25,setsar=1[v${k}]`,
  );
  ff([
    ...images.flatMap((i) => ['-i', `${CLIPART}/${i}`]),
    '-filter_complex',
    `${chains.join(';')};${images.map((_, k) => `[v${k}]`).join('')}concat=n=${images.length}:v=1:a=0,format=yuv420p[v]`,
    '-map',
    '[v]',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    out,
  ]);
}

const info = (w: number, h: number, seconds: number): MediaInfo => ({
  kind: 'video',
  container: 'mov',
  durationSeconds: seconds,
  bytes: 1,
  audio: null,
  video: { codec: 'h264', width: w, height: h, fps: 25 },
});

describe('keyframe selection', () => {
  it('sizes keyframes to the local layer’s working frame and spreads at most maxKeyframes over a long video', () => {
    expect(keyframeGeometry(info(1920, 1080, 120))).toEqual({
      width: 480,
      height: 270,
      interval: 120 / MEDIA_POLICY.video.keyframes.maxKeyframes,
    });
    expect(keyframeGeometry(info(720, 1280, 8))).toMatchObject({
      width: 270,
      height: 480,
      interval: MEDIA_POLICY.video.keyframes.everySeconds,
    });
    expect(keyframeGeometry({ ...info(1, 1, 1), video: null })).toBeNull();
  });

  it('keeps a new shot at once, a held shot every holdSeconds, and no flat frame, across chunk boundaries', () => {
    const g = { width: 32, height: 16, interval: 1 };
    const s = new KeyframeSampler(g);
    const textured = (shift: number) =>
      Uint8Array.from({ length: 32 * 16 }, (_, i) => ((i % 32) + shift) * 7 + (Math.floor(i / 32) % 2) * 60);
    const flat = new Uint8Array(32 * 16).fill(128);
    // t = 0..9: a black frame, six seconds of one shot, a cut to another shot, held.
    const frames = [
      flat,
      textured(0),
      textured(0),
      textured(0),
      textured(0),
      textured(0),
      textured(0),
      textured(9),
      textured(9),
      textured(9),
    ];
    const bytes = Buffer.concat(frames.map((f) => Buffer.from(f)));
    // Chunks that do not line up with frames, as a pipe delivers them.
    for (let o = 0; o < bytes.length; o += 301) s.push(bytes.subarray(o, o + 301));
    const hold = MEDIA_POLICY.video.keyframes.holdSeconds;
    expect(s.kept.map((k) => k.t)).toEqual([1, 1 + hold, 7]);
    expect(s.kept[0]!.gray).toEqual(frames[1]);
  });
});

describe('keyframes in fingerprints and the index', () => {
  let original: MediaFingerprint;
  let index: MediaIndex;

  async function copyOf(name: string, args: string[]): Promise<MediaFingerprint> {
    ff(['-i', t.file('original.mp4'), ...args, '-an', '-c:v', 'libx264', '-preset', 'ultrafast', t.file(name)]);
    return fingerprintMedia(t.file(name));
  }

  beforeAll(async () => {
    clipArtVideo(
      t.file('original.mp4'),
      ['buildings/us_capitol_building_cli_01.png', 'transportation/Evel_Knievel.png', 'transportation/beach_trip_ganson.png'],
      8,
    );
    clipArtVideo(t.file('unrelated.mp4'), ['transportation/big_truck_01.png', 'animals/lucertolone_architetto_f_01.png'], 6, '480x360');
    original = await fingerprintMedia(t.file('original.mp4'));
    index = new MediaIndex();
    index.add('original', original);
    index.add('unrelated', await fingerprintMedia(t.file('unrelated.mp4')));
  }, 60_000);

  it('describes keyframes over the whole video, with a mirrored view for queries only', () => {
    const k = original.video!.keyframes!;
    expect(k.sets.length).toBeGreaterThanOrEqual(4);
    expect(k.times[0]).toBeLessThan(2);
    expect(k.times.at(-1)).toBeGreaterThan(16);
    for (const s of k.sets) {
      expect([s.width, s.height]).toEqual([480, 270]);
      expect(s.primary.words.length).toBeGreaterThan(50);
      expect(s.mirror?.words.length).toBeGreaterThan(50);
    }
    // The stored blob keeps each keyframe's plain view (the library never needs the mirror).
    const back = deserializeFingerprint(serializeFingerprint(original)).video!.keyframes!;
    back.times.forEach((x, i) => expect(x).toBeCloseTo(k.times[i] as number, 3));
    expect(back.sets.map((s) => s.mirror)).toEqual(k.sets.map(() => undefined));
    expect(back.sets[0]!.primary.words).toEqual(k.sets[0]!.primary.words);
    // The feed's compact form leaves them out, and is far smaller.
    const compact = serializeFingerprint(original, { keyframes: false });
    expect(deserializeFingerprint(compact).video!.keyframes).toBeUndefined();
    expect(compact.length * 4).toBeLessThan(serializeFingerprint(original).length);
  });

  it('refuses a damaged keyframe section before it can allocate or half-index anything', () => {
    // A keyframe word the shipped vocabulary does not have (the index would refuse it half-added).
    const k = original.video!.keyframes!;
    const words = k.sets[0]!.primary.words.slice();
    words[0] = loadVocabulary().leaves + 7;
    const bad = {
      ...original,
      video: { ...original.video!, keyframes: { times: k.times, sets: [{ ...k.sets[0]!, primary: { ...k.sets[0]!.primary, words } }] } },
    };
    expect(() => deserializeFingerprint(serializeFingerprint(bad))).toThrow(/damaged keyframe/);
    expect(() => deserializeKeyframes(serializeKeyframes(bad.video.keyframes))).toThrow(/damaged keyframe/);
    // A stored library skips that blob and still finds the others.
    const lib = new MediaIndex();
    lib.load(() => [
      ['damaged', serializeFingerprint(bad)],
      ['original', serializeFingerprint(original)],
    ]);
    expect(lib.size).toBe(1);
    // A count of four billion keyframes in a few bytes is refused, not allocated.
    const body = Buffer.alloc(8);
    body.writeUInt32LE(0xfffffff0, 0);
    expect(() => deserializeKeyframes(Buffer.concat([Buffer.from('KF1\0', 'latin1'), deflateRawSync(body)]))).toThrow(/impossible length/);
  });

  it('still reads a format-2 blob (frame hashes only)', () => {
    const blob = serializeFingerprint(original, { keyframes: false });
    blob.writeUInt16LE(2, 4);
    const fp = deserializeFingerprint(blob);
    expect(fp.video!.times.length).toBe(original.video!.times.length);
    expect(fp.video!.keyframes).toBeUndefined();
  });

  it('finds a crop to about half of the picture, off-centre, and says where it sits', async () => {
    // 72 % × 72 % (52 % of the area) from the lower right: beyond the frame hashes' 70 % windows.
    const q = await copyOf('crop.mp4', ['-ss', '3', '-t', '12', '-vf', 'crop=iw*0.72:ih*0.72:iw*0.28:ih*0.28']);
    const [m, ...rest] = index.query(q);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({ assetRef: 'original', kind: 'video', method: 'frames' });
    const local = m!.local!;
    expect(local.keyframes).toBeGreaterThanOrEqual(MEDIA_POLICY.video.keyframes.minVerified);
    expect(local.region.mirrored).toBe(false);
    // The whole query is part of the original: its lower-right 52 %. The two keyframes of a pair are
    // not the same instant of a zooming shot, so the geometry is close, not exact.
    expect(local.region.queryCoverage).toBeGreaterThan(0.6);
    expect(local.region.matchCoverage).toBeGreaterThan(0.4);
    expect(local.region.matchCoverage).toBeLessThan(0.7);
    for (const v of [local.region.match.x, local.region.match.y]) {
      expect(v).toBeGreaterThan(0.15);
      expect(v).toBeLessThan(0.35);
    }
    expect(local.region.scale).toBeGreaterThan(1.05);
    expect(local.region.scale).toBeLessThan(1.6);
    // The keyframe pair shows the same shot of both videos (the excerpt starts 3 s in; shots are 8 s long).
    expect(Math.floor(local.matchT / 8)).toBe(Math.floor((local.queryT + 3) / 8));
    expect(m!.ranges[0]!.match[0]).toBeGreaterThan(1);
    expect(index.query(serializeFingerprint(q))[0]?.assetRef).toBe('original');
  }, 60_000);

  it('finds a mirrored picture-in-picture copy at a third of the width on a moving background', async () => {
    const q = await copyOf('pip.mp4', [
      '-t',
      '14',
      '-filter_complex',
      '[0:v]split[a][b];[b]hflip,scale=216:-2[s];[a]drawbox=c=0x336699:t=fill,noise=alls=40:allf=t[bg];[bg][s]overlay=x=W*0.1:y=H*0.4',
    ]);
    const [m] = index.query(q);
    // The frame hashes cannot see a copy this small: the keyframes alone find it.
    expect(m).toMatchObject({ assetRef: 'original', method: 'keyframes', mirrored: true });
    const local = m!.local!;
    expect(local.region.mirrored).toBe(true);
    // 216 of 640 pixels: the copy covers about 0.34² of the query, its top-left corner at (0.1, 0.4).
    expect(local.region.queryCoverage).toBeGreaterThan(0.07);
    expect(local.region.queryCoverage).toBeLessThan(0.2);
    expect(local.region.query.x).toBeGreaterThan(0.05);
    expect(local.region.query.x).toBeLessThan(0.2);
    expect(local.region.query.y).toBeGreaterThan(0.3);
    expect(local.region.query.y).toBeLessThan(0.5);
    expect(local.region.scale).toBeGreaterThan(0.25);
    expect(local.region.scale).toBeLessThan(0.45);
    expect(local.region.matchCoverage).toBeGreaterThan(0.8);
    // In words, as the uniqueness panel and the review screen say it.
    const words = describeMedia(m!, 'Sights', null, null, []);
    expect(words).toMatch(/; at \d:\d\d the picture is “Sights” pasted into a larger picture \(it fills \d+ % of this one\)/);
    expect(words).toMatch(/mirrored \(its \d:\d\d\)$/);
  }, 60_000);

  /** An index of the original and the unrelated video that reads keyframes back through a source, logging each read. */
  const sourcedIndex = async () => {
    const blobs = new Map([
      ['original', serializeFingerprint(original)],
      ['unrelated', serializeFingerprint(await fingerprintMedia(t.file('unrelated.mp4')))],
    ]);
    const reads: string[] = [];
    const stored = new MediaIndex();
    stored.useKeyframeSource((ref): VideoKeyframes | null => {
      reads.push(ref);
      const b = blobs.get(ref);
      return b ? (deserializeFingerprint(b).video?.keyframes ?? null) : null;
    });
    stored.load(() => blobs.entries());
    return { stored, reads, blobs };
  };

  it('reads stored keyframes back through a source instead of keeping them, with the same answer', async () => {
    const { stored, reads } = await sourcedIndex();
    const q = await fingerprintMedia(t.file('crop.mp4'));
    const [m] = stored.query(q);
    expect(m?.assetRef).toBe('original');
    expect(m?.local?.keyframes).toBeGreaterThanOrEqual(MEDIA_POLICY.video.keyframes.minVerified);
    expect(reads).toContain('original');
  }, 60_000);

  it('keeps the keyframes it read back in a small LRU: checking again reads nothing, a removed video is forgotten', async () => {
    const { stored, reads, blobs } = await sourcedIndex();
    const q = await fingerprintMedia(t.file('crop.mp4'));
    const first = stored.query(q);
    expect(first[0]?.local?.keyframes).toBeGreaterThanOrEqual(MEDIA_POLICY.video.keyframes.minVerified);
    const read = reads.length;
    expect(read).toBeGreaterThan(0);
    expect(stored.query(q)).toEqual(first); // the same check again: every video verified is cached
    expect(reads.length).toBe(read);
    // A video added again (a new track) is read again, never served from the cache of its old one.
    stored.add('original', blobs.get('original')!);
    expect(stored.query(q)[0]?.local?.keyframes).toBe(first[0]?.local?.keyframes);
    expect(reads.slice(read)).toContain('original');
    // Bounded: CACHED_VIDEOS videos at most, the least recently used dropped first. A query keyframe
    // without words verifies nothing, but reads the keyframes of each video it is asked to locate.
    const kf = new KeyframeIndex();
    const kfReads: number[] = [];
    kf.useSource((track) => {
      kfReads.push(track);
      return original.video!.keyframes!;
    });
    for (let track = 1; track <= CACHED_VIDEOS + 1; track++) kf.add(track, original.video!.keyframes);
    const set = original.video!.keyframes!.sets[0]!;
    const blank = {
      times: new Float32Array([0]),
      sets: [{ ...set, primary: { ...set.primary, words: new Uint32Array(0) }, mirror: undefined }],
    };
    for (let track = 1; track <= CACHED_VIDEOS + 1; track++) expect(kf.query(blank, [track])).toEqual([]);
    expect(kfReads).toEqual([...Array(CACHED_VIDEOS + 1).keys()].map((i) => i + 1));
    kf.query(blank, [CACHED_VIDEOS + 1]); // cached
    kf.query(blank, [2]); // cached, and now the most recently used
    expect(kfReads.length).toBe(CACHED_VIDEOS + 1);
    kf.query(blank, [1]); // the first one read was dropped when the cache overflowed
    expect(kfReads.slice(CACHED_VIDEOS + 1)).toEqual([1]);
  }, 60_000);

  it('a library stores keyframes apart from the fingerprint and verifies from them alone; a row that keeps them inside still works', async () => {
    const dbPath = t.file('lib.sqlite');
    const card: AssetCard = { asset_type: 'media', name: 'Sights', description: 'Three drawings.', tags: [] };
    const indexing = UniquenessEngine.open({ dbPath });
    await indexing.indexMedia({ id: 'original', creatorId: 'alice', card, path: t.file('original.mp4') });
    indexing.close();
    const db = openDatabase(dbPath);
    const rows = new AssetRows(new Statements(db), null as never, () => '');
    const rowid = rows.rowidOf('original')!;
    const data = (db.prepare('SELECT data FROM media_fingerprints WHERE asset_rowid = ?').get(rowid) as { data: Buffer }).data;
    expect(deserializeFingerprint(data).video!.keyframes).toBeUndefined();
    const apart = db.prepare('SELECT data FROM media_keyframes WHERE asset_rowid = ?').get(rowid) as { data: Buffer } | undefined;
    const words = original.video!.keyframes!.sets.map((x) => x.primary.words);
    expect(deserializeKeyframes(apart!.data).sets.map((x) => x.primary.words)).toEqual(words);
    expect(rows.mediaKeyframes(rowid)!.sets.map((x) => x.primary.words)).toEqual(words);
    expect([...rows.mediaBlobPages()].flat().map(([r, , k]) => [r, k?.length])).toEqual([[rowid, apart!.data.length]]);
    expect(rows.indexed(rowid)!.media!.video!.keyframes!.sets.map((x) => x.primary.words)).toEqual(words);

    const check = async () => {
      const e = UniquenessEngine.open({ dbPath });
      try {
        expect(await e.prepareMedia()).toBe('background');
        const r = await e.checkMedia({ card: { ...card, name: 'Mine' }, path: t.file('crop.mp4'), creatorId: 'bob' });
        return r.matches[0];
      } finally {
        e.close();
      }
    };
    const found = await check();
    expect(found?.assetId).toBe('original');
    expect(found?.media?.[0]?.local?.keyframes).toBeGreaterThanOrEqual(MEDIA_POLICY.video.keyframes.minVerified);

    // A row written before media_keyframes existed: the keyframes inside the fingerprint, no row apart.
    db.prepare('UPDATE media_fingerprints SET data = ? WHERE asset_rowid = ?').run(serializeFingerprint(original), rowid);
    db.prepare('DELETE FROM media_keyframes WHERE asset_rowid = ?').run(rowid);
    expect(rows.mediaKeyframes(rowid)!.sets.map((x) => x.primary.words)).toEqual(words);
    expect([...rows.mediaBlobPages()].flat().map(([r, , k]) => [r, k])).toEqual([[rowid, null]]);
    expect(rows.indexed(rowid)!.media!.video!.keyframes!.sets.map((x) => x.primary.words)).toEqual(words);
    const old = await check();
    expect(old?.assetId).toBe('original');
    expect(old?.media?.[0]?.local).toEqual(found?.media?.[0]?.local);

    // An older build re-wrote the blob (keyframes inside) and left a stale row apart: the blob's win.
    expect(words.length).toBeGreaterThan(1);
    const stale = { times: new Float32Array([0]), sets: [original.video!.keyframes!.sets[0]!] };
    db.prepare('INSERT OR REPLACE INTO media_keyframes (asset_rowid, data) VALUES (?, ?)').run(rowid, serializeKeyframes(stale));
    expect(rows.mediaKeyframes(rowid)!.sets.map((x) => x.primary.words)).toEqual(words);
    expect(rows.indexed(rowid)!.media!.video!.keyframes!.sets.map((x) => x.primary.words)).toEqual(words);
    expect((await check())?.media?.[0]?.local).toEqual(found?.media?.[0]?.local);
    db.close();
  }, 120_000);

  it('a library fingerprint skips the mirrored views (only a query uses them) and stores the same keyframes', async () => {
    const lib = await fingerprintMedia(t.file('original.mp4'), { mirror: false });
    const k = lib.video!.keyframes!;
    expect(k.sets.length).toBe(original.video!.keyframes!.sets.length);
    expect(k.sets.map((s) => s.mirror)).toEqual(k.sets.map(() => undefined));
    expect(k.sets.map((s) => s.primary.words)).toEqual(original.video!.keyframes!.sets.map((s) => s.primary.words));
    // As a library stores it, byte for byte the fingerprint made with the mirrored views.
    expect(serializeFingerprint(lib)).toEqual(serializeFingerprint(original));
  }, 60_000);

  /** The video part of a fingerprint with its keyframes but no frame hashes. */
  const noFrames = (f: MediaFingerprint) => ({
    ...f.video!,
    times: new Float32Array(0),
    hashes: new Uint32Array(0),
    fine: new Uint32Array(0),
  });

  it('keeps finding the crop among 2000 other videos, whose keyframes hold each word many times over', async () => {
    // 2000 videos of 3 × the original's keyframes, each third under other words (an affine
    // permutation of the vocabulary): a visual word sits on keyframes of hundreds of videos, as in a
    // large library, so an index with one entry per video would skip nearly every word as common.
    const leaves = loadVocabulary().leaves;
    const k = original.video!.keyframes!;
    const crowd = new MediaIndex();
    for (let v = 1; v <= 2000; v++) {
      const perms = [0, 1, 2].map((j) => {
        const a = 1 + 2 * (((3 * v + j) * 7919) % 9000);
        return (w: number) => (a * w + (3 * v + j) * 31) % leaves;
      });
      const sets = perms.flatMap((perm) => k.sets.map((s) => ({ ...s, primary: { ...s.primary, words: s.primary.words.map(perm) } })));
      const times = Float32Array.from(sets, (_, i) => i);
      crowd.add(`other-${v}`, { audio: null, video: { ...noFrames(original), keyframes: { times, sets } } });
    }
    crowd.add('original', original);
    const q = await fingerprintMedia(t.file('crop.mp4'));
    // Without its frame hashes, so that only the keyframes can find it.
    const m = crowd.query({ audio: null, video: noFrames(q) });
    expect(m[0]).toMatchObject({ assetRef: 'original', method: 'keyframes' });
    expect(m[0]?.local?.keyframes).toBeGreaterThanOrEqual(MEDIA_POLICY.video.keyframes.minVerified);
  }, 60_000);

  it('finds nothing in an unrelated video', async () => {
    clipArtVideo(t.file('other.mp4'), ['transportation/bicycle_philippe_colin_01.png', 'transportation/bus1_jarno_vasamaa_01.png'], 5);
    const q = await fingerprintMedia(t.file('other.mp4'));
    expect(index.query(q)).toEqual([]);
  }, 60_000);
});
