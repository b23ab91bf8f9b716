/**
 * Bulk loading of the media index: the compact posting tables (postings.ts) and the deferred load
 * (MediaIndex.load) must answer exactly like tracks added one by one, honour adds and removes made
 * before the first query, skip unreadable blobs, and read nothing until a query needs it. The
 * background build (MediaIndex.prepare: audio tables on a worker thread, the video frame index
 * staged in slices) must answer exactly like the synchronous one, and give way to a query or a new
 * load made while it runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { UniquenessEngine } from '../../engine/library.ts';
import { AudioIndex } from '../../engine/media/audio-index.ts';
import { VideoIndex } from '../../engine/media/video-index.ts';
import { audioFingerprintFromPcm, fingerprintMedia } from '../../engine/media/fingerprint.ts';
import { MediaIndex, serializeFingerprint } from '../../engine/media/index.ts';
import { Postings } from '../../engine/media/postings.ts';
import { AssetRows } from '../../engine/store/asset-rows.ts';
import { openDatabase } from '../../engine/store/db.ts';
import { Statements } from '../../engine/store/statements.ts';
import { rng } from '../../engine/rng.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { ff, makeVideo, tempDir } from '../helpers/media.ts';

const RATE = MEDIA_POLICY.audio.sampleRate;

/** Seconds of a seeded two-voice note sequence (5 notes per second) as mono PCM at the policy's rate. */
function tune(seed: number, seconds: number): Float32Array {
  const r = rng(seed);
  const notes = Array.from({ length: Math.ceil(seconds * 5) + 1 }, () => [
    200 + 37 * Math.floor(r() * 23),
    800 + 41 * Math.floor(r() * 29),
  ]);
  const pcm = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < pcm.length; i++) {
    const t = i / RATE;
    const [f1, f2] = notes[Math.floor(t * 5)] as [number, number];
    const u = t % 0.2;
    const env = (1 - Math.exp(-40 * u)) * Math.exp(-6 * u);
    pcm[i] = 0.4 * env * (Math.sin(2 * Math.PI * f1 * t) + 0.6 * Math.sin(2 * Math.PI * f2 * t));
  }
  return pcm;
}

const excerpt = (pcm: Float32Array, from: number, seconds: number) => pcm.slice(from * RATE, (from + seconds) * RATE);

describe('media index bulk loading', () => {
  it('compact and growable posting lists return the same postings, and removal hides them', () => {
    for (const wide of [false, true]) {
      const bulk = new Postings(12, wide);
      const one = new Postings(12, wide);
      const tracks = [1, 2, 3].map((t) => ({
        t,
        keys: Array.from({ length: 200 }, (_, i) => (wide ? (i * 2654435761 * t) >>> 0 : (i * 37 * t) % 4096)),
        pos: Array.from({ length: 200 }, (_, i) => i),
      }));
      bulk.bulk((emit) => tracks.forEach((x) => emit(x.t, x.keys, x.pos)));
      tracks.forEach((x) => one.add(x.t, x.keys, x.pos));
      const all = (p: Postings, key: number) => {
        const out: string[] = [];
        p.forEach(key, (t, at) => out.push(`${t}:${at}`));
        return out.sort();
      };
      for (const key of tracks[1]!.keys.slice(0, 50)) expect(all(bulk, key)).toEqual(all(one, key));
      bulk.remove(2);
      one.remove(2);
      bulk.add(4, [tracks[0]!.keys[0]!], [99]);
      one.add(4, [tracks[0]!.keys[0]!], [99]);
      for (const key of tracks[1]!.keys.slice(0, 50)) {
        expect(all(bulk, key)).toEqual(all(one, key));
        expect(all(bulk, key).some((s) => s.startsWith('2:'))).toBe(false);
      }
      expect(all(bulk, tracks[0]!.keys[0]!)).toContain('4:99');
    }
  });

  it('an audio index loaded in bulk finds what one built track by track finds', async () => {
    const songs = await Promise.all([1, 2, 3, 4].map((s) => audioFingerprintFromPcm(tune(s, 30))));
    const bulk = new AudioIndex();
    bulk.addMany(songs.map((fp, i) => [i + 1, fp] as const));
    const one = new AudioIndex();
    songs.forEach((fp, i) => one.add(i + 1, fp));
    const q = await audioFingerprintFromPcm(excerpt(tune(3, 30), 8, 12));
    const a = bulk.query(q);
    expect(a[0]).toMatchObject({ track: 3, method: 'landmarks' });
    expect(a).toEqual(one.query(q));
    expect(bulk.remove(3)).toBe(true);
    expect(bulk.query(q).some((h) => h.track === 3)).toBe(false);
    bulk.add(3, songs[2]!);
    expect(bulk.query(q)[0]).toMatchObject({ track: 3 });
  });

  it('a deferred load reads nothing until queried, replays later changes, and skips unreadable blobs', async () => {
    const songs = await Promise.all([5, 6, 7].map((s) => audioFingerprintFromPcm(tune(s, 30))));
    let reads = 0;
    const index = new MediaIndex();
    index.load(function* () {
      reads++;
      yield ['a', serializeFingerprint({ audio: songs[0]!, video: null })] as const;
      yield ['b', serializeFingerprint({ audio: songs[1]!, video: null })] as const;
      yield ['broken', new Uint8Array([1, 2, 3])] as const;
    });
    index.remove('b');
    index.add('c', { audio: songs[2]!, video: null });
    expect(reads).toBe(0);
    const q = (s: number) => audioFingerprintFromPcm(excerpt(tune(s, 30), 10, 12)).then((fp) => index.query({ audio: fp, video: null }));
    expect((await q(5))[0]?.assetRef).toBe('a');
    expect(reads).toBe(1);
    expect(await q(6)).toEqual([]);
    expect((await q(7))[0]?.assetRef).toBe('c');
    expect(index.size).toBe(2);
    expect(index.has('broken')).toBe(false);
  });

  it('a background build (tables from a worker thread) answers exactly like the synchronous build, changes made meanwhile replayed', async () => {
    const songs = await Promise.all([11, 12, 13, 14].map((s) => audioFingerprintFromPcm(tune(s, 30))));
    const blobs = function* () {
      yield ['a', serializeFingerprint({ audio: songs[0]!, video: null })] as const;
      yield ['b', serializeFingerprint({ audio: songs[1]!, video: null })] as const;
      yield ['a', serializeFingerprint({ audio: songs[2]!, video: null })] as const; // a later blob of 'a' replaces it
      yield ['broken', new Uint8Array([9, 9])] as const;
    };
    const sync = new MediaIndex();
    sync.load(blobs);
    const bg = new MediaIndex();
    bg.load(blobs);
    const preparing = bg.prepare();
    bg.add('d', { audio: songs[3]!, video: null }); // while the worker runs: replayed after install
    sync.add('d', { audio: songs[3]!, video: null });
    expect(await preparing).toBe('background');
    const queries = await Promise.all([11, 12, 13, 14].map((s) => audioFingerprintFromPcm(excerpt(tune(s, 30), 9, 12))));
    const answers = queries.map((q) => bg.query({ audio: q, video: null }));
    expect(answers.map((a) => a[0]?.assetRef)).toEqual([undefined, 'b', 'a', 'd']);
    expect(answers).toEqual(queries.map((q) => sync.query({ audio: q, video: null })));
    expect(bg.size).toBe(3);
    expect(await bg.prepare()).toBe('ready'); // nothing deferred any more
  });

  it('a query made while the background build runs builds synchronously; the late worker result is dropped', async () => {
    const songs = await Promise.all([21, 22].map((s) => audioFingerprintFromPcm(tune(s, 30))));
    const index = new MediaIndex();
    index.load(function* () {
      yield ['x', serializeFingerprint({ audio: songs[0]!, video: null })] as const;
      yield ['y', serializeFingerprint({ audio: songs[1]!, video: null })] as const;
    });
    const preparing = index.prepare();
    const q = await audioFingerprintFromPcm(excerpt(tune(22, 30), 5, 12));
    expect(index.query({ audio: q, video: null })[0]?.assetRef).toBe('y');
    expect(await preparing).toBe('synchronous');
    expect(index.size).toBe(2);
    expect(index.query({ audio: q, video: null })[0]?.assetRef).toBe('y');
  });

  it('a store-backed load is read a page at a time, yielding between pages, with changes made during the build replayed', async () => {
    const songs = await Promise.all([31, 32, 33, 34, 35, 36].map((s) => audioFingerprintFromPcm(tune(s, 30))));
    const blob = (i: number) => serializeFingerprint({ audio: songs[i]!, video: null });
    const db = openDatabase(':memory:');
    const rows = new AssetRows(new Statements(db), null as never, () => '');
    const insA = db.prepare(
      "INSERT INTO assets (rowid, id, creator_id, asset_type, name, card_json, metadata_hash) VALUES (?, ?, 'c', 'media', 'n', '{}', ?)",
    );
    const putM = db.prepare("INSERT OR REPLACE INTO media_fingerprints (asset_rowid, kind, data) VALUES (?, 'audio', ?)");
    const put = (rowid: number, b: Uint8Array) => {
      insA.run(rowid, `a${rowid}`, `h${rowid}`);
      putM.run(rowid, b);
    };
    // 150 rows of four songs (a damaged one among them), read 16 at a time.
    for (let r = 1; r <= 150; r++) put(r, r === 77 ? new Uint8Array([1, 2, 3]) : blob(r % 4));
    // Turns of the event loop (one per check phase) seen by each page read.
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const pageTicks: number[] = [];
    const pages = function* () {
      for (const page of rows.mediaBlobPages(16)) {
        pageTicks.push(ticks);
        yield page.map(([rowid, b, k]) => [String(rowid), b, k] as const);
      }
    };
    const bg = new MediaIndex();
    bg.loadPages(pages);
    const preparing = bg.prepare();
    // While it reads (each page is its own query: the store can be written between them), as the
    // engine does: the row is written, then the index told.
    await new Promise((resolve) => setImmediate(resolve));
    expect(pageTicks.length).toBeLessThan(10); // not all read at once
    db.prepare('DELETE FROM assets WHERE rowid = 149').run(); // not read yet
    bg.remove('149');
    putM.run(140, blob(4)); // a row not read yet, changed
    bg.add('140', blob(4));
    put(151, blob(5)); // after the last row: read by the last page, and replayed
    bg.add('151', blob(5));
    db.prepare('DELETE FROM assets WHERE rowid = 2').run(); // already read
    bg.remove('2');
    expect(await preparing).toBe('background');
    ticking = false;
    expect(pageTicks.length).toBe(10); // 149 rows, the last page short
    for (let i = 1; i < pageTicks.length; i++) expect(pageTicks[i]).toBeGreaterThan(pageTicks[i - 1]!);
    // The same as a synchronous build of the store as it is now.
    const sync = new MediaIndex();
    sync.loadPages(pages);
    expect(bg.size).toBe(sync.size);
    expect(bg.size).toBe(148); // 151 rows, two deleted, one damaged
    for (const ref of ['1', '2', '77', '140', '149', '151']) expect(bg.has(ref)).toBe(sync.has(ref));
    const q = async (s: number) => {
      const fp = await audioFingerprintFromPcm(excerpt(tune(s, 30), 9, 12));
      return [bg, sync].map((index) => index.query({ audio: fp, video: null }).map((m) => m.assetRef));
    };
    expect(await q(35)).toEqual([['140'], ['140']]);
    expect(await q(36)).toEqual([['151'], ['151']]);
    db.close();
  });

  it('an engine closed while its background media build reads pages stops it: no page read from the closed store', async () => {
    const song = await audioFingerprintFromPcm(tune(41, 20));
    const dir = tempDir('media-bulk-close-');
    const path = dir.file('closing.sqlite');
    const db = openDatabase(path);
    const insA = db.prepare(
      "INSERT INTO assets (rowid, id, creator_id, asset_type, name, card_json, metadata_hash) VALUES (?, ?, 'c', 'media', 'n', '{}', ?)",
    );
    const putM = db.prepare("INSERT INTO media_fingerprints (asset_rowid, kind, data) VALUES (?, 'audio', ?)");
    const b = serializeFingerprint({ audio: song, video: null });
    db.transaction(() => {
      for (let r = 1; r <= 400; r++) {
        insA.run(r, `a${r}`, `h${r}`);
        putM.run(r, b);
      }
    })();
    db.close();
    // A first open builds from the rows and writes the snapshots; the next one defers the media index.
    UniquenessEngine.open({ dbPath: path }).close();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const e = UniquenessEngine.open({ dbPath: path });
      const building = e.prepareMedia();
      await new Promise((resolve) => setImmediate(resolve));
      e.close();
      // It stops at its next pause, builds nothing and reads nothing more (a read would throw).
      expect(await building).toBe('synchronous');
      // Long enough for the build to reach its next page read (it yields between pages).
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      dir.cleanup();
    }
  });

  describe('videos', () => {
    const t = tempDir('media-bulk-video-');
    afterAll(() => t.cleanup());

    it('the background build stages the video frame index in slices and answers exactly like the synchronous build', async () => {
      makeVideo(t.file('one.mp4'), 12, 1);
      makeVideo(t.file('two.mp4'), 12, 5, '320x240', 1);
      ff(['-ss', '3', '-t', '6', '-i', t.file('one.mp4'), '-vf', 'hflip', '-an', '-c:v', 'libx264', '-crf', '32', t.file('copy.mp4')]);
      const [one, two, copy] = await Promise.all(['one', 'two', 'copy'].map((n) => fingerprintMedia(t.file(`${n}.mp4`))));
      const blobs = function* () {
        yield ['one', serializeFingerprint(one!)] as const;
        yield ['two', serializeFingerprint(two!)] as const;
      };
      const sync = new MediaIndex();
      sync.load(blobs);
      const bg = new MediaIndex();
      bg.load(blobs);
      const preparing = bg.prepare();
      bg.remove('two'); // while it runs: replayed after the staged index is swapped in
      sync.remove('two');
      expect(await preparing).toBe('background');
      const answer = bg.query(copy!);
      expect(answer[0]).toMatchObject({ assetRef: 'one', kind: 'video', mirrored: true });
      expect(answer).toEqual(sync.query(copy!));
      expect(bg.size).toBe(1);
      // A video added after the swap goes into the same frame index.
      bg.add('two', two!);
      expect(bg.query(two!)[0]?.assetRef).toBe('two');
      expect(bg.query(copy!)).toEqual(answer);

      // The staging itself: it pauses between slices, and is refused once the live index changed.
      let pauses = 0;
      const pause = () => {
        pauses++;
        return Promise.resolve();
      };
      const live = new VideoIndex();
      const staged = await live.stage(
        [
          [1, one!.video!],
          [2, two!.video!],
        ],
        pause,
        0,
      );
      expect(pauses).toBeGreaterThanOrEqual(2);
      expect(live.size).toBe(0); // nothing visible before the swap
      expect(live.installStaged(staged)).toBe(true);
      expect(live.size).toBe(2);
      expect(live.query(copy!.video!)[0]?.track).toBe(1);
      const other = new VideoIndex();
      const late = await other.stage([[1, one!.video!]], pause);
      other.add(7, two!.video!);
      expect(other.installStaged(late)).toBe(false);
      expect(other.size).toBe(1);
    });
  });
});
