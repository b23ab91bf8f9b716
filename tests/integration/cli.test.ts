import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../engine/cli/progress.ts';
import { main } from '../../engine/cli/main.ts';
import { FFMPEG_IN_USE } from '../../engine/media/ffmpeg.ts';
import { artwork, pngHeader, transforms } from '../helpers/images.ts';
import { cutSilentVideo, ff, makeMelody, makeVideo } from '../helpers/media.ts';

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      progress: new ProgressBar({ isTTY: false } as NodeJS.WriteStream),
      env,
    },
    out,
    err,
  };
}

async function fixtureDir() {
  const root = mkdtempSync(join(tmpdir(), 'cli-'));
  const lib = join(root, 'lib');
  mkdirSync(join(lib, 'heroes'), { recursive: true });
  writeFileSync(join(lib, 'heroes/aldric.png'), await artwork(50));
  writeFileSync(
    join(lib, 'heroes/aldric.json'),
    JSON.stringify({
      asset_type: 'character',
      name: 'Ser Aldric',
      description: 'A knight who walked out of a burning chapel with no memory, hunting the cult that lit the fire.',
      tags: ['knight'],
    }),
  );
  writeFileSync(join(lib, 'sunset.png'), await artwork(51));
  writeFileSync(
    join(lib, 'panel.json'),
    JSON.stringify({
      asset_type: 'custom_module',
      name: 'Glass panel',
      custom_module: { code: '.p{border-radius:12px;background:rgba(255,255,255,.2)} .p h1{margin:0}' },
    }),
  );
  const q = join(root, 'queries');
  mkdirSync(q);
  writeFileSync(join(q, 'flipped.png'), await transforms.hflip!(await artwork(50)));
  writeFileSync(join(q, 'new.png'), await artwork(52));
  writeFileSync(join(q, 'empty.png'), Buffer.alloc(0));
  writeFileSync(join(q, 'bomb.png'), pngHeader(30000, 30000));
  const corrupt = await artwork(53);
  corrupt.fill(0x42, 80, 700);
  writeFileSync(join(q, 'corrupt.png'), corrupt);
  writeFileSync(join(q, 'bad-card.json'), JSON.stringify({ asset_type: 'character', name: 'X', character: { level: 'five' } }));
  writeFileSync(join(q, 'not-json.json'), '{ nope');
  return { root, lib, q, db: join(root, 'lib.sqlite') };
}

describe('originals CLI', () => {
  it('indexes a folder (images, sidecars, standalone cards) and checks files, reporting per-file errors', async () => {
    const f = await fixtureDir();
    const a = io();
    expect(await main(['index', f.lib, '--db', f.db, '--creator', 'alice'], a.io)).toBe(0);
    expect(a.out.at(-1)).toMatch(
      /^indexed 3 of 3 assets \(2 with images, 1 cards only\) in .* s; 0 failed; 0 skipped; library now holds 3 assets$/,
    );

    const b = io();
    const files = [
      'flipped.png',
      'new.png',
      'empty.png',
      'bomb.png',
      'corrupt.png',
      'bad-card.json',
      'not-json.json',
      'missing.png',
      'missing.mp4',
    ].map((n) => join(f.q, n));
    expect(await main(['check', ...files, f.q, '--db', f.db, '--creator', 'bob', '--json'], b.io)).toBe(1);
    const lines = b.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatchObject({ query: files[0], status: 'flagged_plagiarism', matches: [{ assetId: 'heroes/aldric' }] });
    expect(lines[0].matches[0].layers.visual).toBeGreaterThan(0.9);
    expect(Object.keys(lines[0].layers)).toEqual([
      'exact',
      'visual',
      'local',
      'text',
      'passage',
      'code',
      'semantic_image',
      'semantic_text',
      'media',
    ]);
    expect(lines[1]).toMatchObject({ status: 'approved' });
    expect(lines[2].error.code).toBe('empty_file');
    expect(lines[3].error).toMatchObject({ code: 'too_many_pixels', message: expect.stringContaining('30000×30000') });
    expect(lines[4].error.code).toBe('corrupt_image');
    expect(lines[5].error).toMatchObject({ code: 'bad_card', message: expect.stringContaining('character.level') });
    expect(lines[6].error.code).toBe('bad_json');
    // File-system errors in words, with the errno code after.
    expect(lines[7].error).toMatchObject({ code: 'unreadable_file', message: 'cannot read the file: no such file (ENOENT)' });
    expect(lines[8].error).toMatchObject({ code: 'unreadable_file', message: 'cannot read the file: no such file (ENOENT)' });
    expect(lines[9].error).toMatchObject({
      code: 'unreadable_file',
      message: 'cannot read the file: it is a folder, not a file (EISDIR)',
    });
  });

  it('prints a readable report, and --fail-on-flag sets exit code 3', async () => {
    const f = await fixtureDir();
    await main(['index', f.lib, '--db', f.db, '--creator', 'alice'], io().io);
    const c = io();
    expect(await main(['check', join(f.q, 'flipped.png'), '--db', f.db, '--creator', 'bob', '--fail-on-flag'], c.io)).toBe(3);
    const text = c.out.join('\n');
    expect(text).toContain('FLAGGED_PLAGIARISM');
    expect(text).toMatch(/1\. heroes\/aldric \(by alice\) combined/);
    expect(text).toContain('mirrored');
    expect(text).toMatch(/semantic_image unavailable: model weights not installed/);
    expect(c.out.at(-1)).toMatch(/^checked 1 of 1; 1 flagged; 0 failed/);
  });

  it('reports index errors per file and keeps going', async () => {
    const f = await fixtureDir();
    const d = io();
    expect(await main(['index', f.q, '--db', f.db], d.io)).toBe(1);
    expect(d.err.join('\n')).toMatch(/error .*bomb\.png: .*30000×30000/);
    expect(d.err.join('\n')).toMatch(/error .*bad-card\.json: .*character\.level/);
    expect(d.out.at(-1)).toMatch(/^indexed 2 of 7 assets .* 5 failed/);
  });

  it('skips symlink loops and links out of the folder with a message per entry, and indexes the rest', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cli-links-'));
    const lib = join(root, 'lib');
    const outside = join(root, 'outside');
    mkdirSync(join(lib, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(lib, 'sub', 'gem.json'), JSON.stringify({ asset_type: 'item', name: 'Gem', description: 'A green gem.' }));
    writeFileSync(join(outside, 'secret.json'), JSON.stringify({ asset_type: 'item', name: 'Secret', description: 'Not in the folder.' }));
    symlinkSync(lib, join(lib, 'sub', 'up')); // a folder loop back to the root
    symlinkSync(join(lib, 'self-a.json'), join(lib, 'self-b.json')); // an ELOOP pair
    symlinkSync(join(lib, 'self-b.json'), join(lib, 'self-a.json'));
    symlinkSync(outside, join(lib, 'elsewhere')); // a folder outside
    symlinkSync(join(outside, 'secret.json'), join(lib, 'secret.json')); // a file outside
    mkdirSync(join(lib, '.drafts'));
    writeFileSync(join(lib, '.drafts', 'ring.json'), JSON.stringify({ asset_type: 'item', name: 'Ring', description: 'A silver ring.' }));
    symlinkSync(join(lib, '.drafts', 'ring.json'), join(lib, 'ring.json')); // inside the folder: followed
    const d = io();
    expect(await main(['index', lib, '--db', join(root, 'lib.sqlite')], d.io)).toBe(0);
    const err = d.err.join('\n');
    expect(err).toContain(`skipped ${join(lib, 'sub', 'up')}: symbolic link loop`);
    expect(err).toContain(`skipped ${join(lib, 'self-a.json')}: symbolic link loop: not followed`);
    expect(err).toContain(`skipped ${join(lib, 'self-b.json')}: symbolic link loop: not followed`);
    expect(err).toContain(`skipped ${join(lib, 'elsewhere')}: symbolic link to ${outside}, outside ${lib}: not followed`);
    expect(err).toContain(`skipped ${join(lib, 'secret.json')}: symbolic link to ${join(outside, 'secret.json')}, outside ${lib}`);
    expect(err).not.toContain('Secret');
    expect(d.out.at(-1)).toMatch(/^indexed 2 of 2 assets .* 0 failed; 5 skipped/);
  });

  it('refuses to check against a library that does not exist (a mistyped --db), and warns when it is empty', async () => {
    const f = await fixtureDir();
    const missing = join(f.root, 'typo', 'lib.sqlite');
    const a = io();
    expect(await main(['check', join(f.q, 'flipped.png'), '--db', missing], a.io)).toBe(2);
    expect(a.err.join('\n')).toBe(
      `there is no library at ${missing}: index a folder first (originals index <dir>), or name an existing one with --db`,
    );
    expect(a.out).toEqual([]);
    expect(existsSync(join(f.root, 'typo'))).toBe(false); // nothing created

    const empty = join(f.root, 'empty');
    mkdirSync(empty);
    expect(await main(['index', empty, '--db', f.db], io().io)).toBe(0);
    const b = io();
    expect(await main(['check', join(f.q, 'flipped.png'), '--db', f.db], b.io)).toBe(0);
    expect(b.err).toContain(`the library at ${f.db} holds no assets yet: there is nothing to compare against`);
    expect(b.out.at(-1)).toMatch(/^checked 1 of 1; 0 flagged; 0 failed/);
  });

  it('rejects bad usage with exit code 2 and the usage text', async () => {
    const e = io();
    expect(await main(['check'], e.io)).toBe(2);
    expect(e.err[0]).toContain('check needs at least one file');
    const t = io();
    expect(await main(['index', '.', '--type', 'dragon'], t.io)).toBe(2);
    expect(t.err[0]).toMatch(/^--type: /);
    expect(await main(['frobnicate'], io().io)).toBe(2);
  });

  it('runs as the `originals` bin, honouring ORIGINALS_DATA_DIR', async () => {
    const f = await fixtureDir();
    const env = { ...process.env, ORIGINALS_DATA_DIR: join(f.root, 'data') };
    execFileSync(process.execPath, ['bin/originals.mjs', 'index', f.lib, '--creator', 'alice'], { env });
    const r = spawnSync(process.execPath, ['bin/originals.mjs', 'check', join(f.q, 'flipped.png'), '--json'], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ status: 'flagged_plagiarism' });
    const s = spawnSync(process.execPath, ['bin/originals.mjs', 'models', 'status'], { env, encoding: 'utf8' });
    expect(s.stdout).toContain(join(f.root, 'data', 'models'));
    expect(s.stdout).toMatch(/semantic layer clip_image: unavailable/);
  });

  it('indexes and checks audio/video files: matched time ranges (audio, and video with its frame pair) in --json, a per-file error for bad media', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cli-media-'));
    const lib = join(root, 'lib');
    const q = join(root, 'queries');
    mkdirSync(lib);
    mkdirSync(q);
    makeMelody(join(lib, 'theme.wav'), 31, 32);
    writeFileSync(join(lib, 'theme.json'), JSON.stringify({ asset_type: 'media', name: 'Harbour theme', description: 'A slow theme.' }));
    makeVideo(join(lib, 'intro.mp4'), 12, 4);
    writeFileSync(join(lib, 'broken.ogg'), Buffer.from('OggS not really an ogg file'.repeat(40)));
    ff(['-ss', '10', '-t', '12', '-i', join(lib, 'theme.wav'), '-c:a', 'libopus', '-b:a', '48k', join(q, 'cut.opus')]);
    makeMelody(join(q, 'fresh.m4a'), 32, 15, ['-c:a', 'aac']);
    writeFileSync(join(q, 'empty.webm'), Buffer.alloc(0));
    const db = join(root, 'lib.sqlite');

    const a = io();
    expect(await main(['index', lib, '--db', db, '--creator', 'alice'], a.io)).toBe(1);
    expect(a.err.filter((l) => l === FFMPEG_IN_USE)).toHaveLength(1);
    expect(a.err.join('\n')).toMatch(/error .*broken\.ogg: not a readable audio or video file/);
    expect(a.out.at(-1)).toMatch(/^indexed 2 of 3 assets \(0 with images, 2 with audio\/video, 0 cards only\) .* 1 failed/);

    const b = io();
    const files = ['cut.opus', 'fresh.m4a', 'empty.webm'].map((n) => join(q, n));
    expect(await main(['check', ...files, '--db', db, '--creator', 'bob', '--json'], b.io)).toBe(1);
    expect(b.err).toEqual([FFMPEG_IN_USE]);
    const lines = b.out.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ status: 'flagged_plagiarism', layers: { media: { state: 'ran' } }, matches: [{ assetId: 'theme' }] });
    const m = lines[0].matches[0].media[0];
    expect(m).toMatchObject({ kind: 'audio', method: 'landmarks' });
    expect(m.ranges[0].query[0]).toBeLessThan(1);
    expect(m.ranges[0].match[0]).toBeGreaterThan(9.5);
    expect(m.ranges[0].match[0]).toBeLessThan(11);
    expect(m.ranges.at(-1).match[1]).toBeGreaterThan(20.5);
    expect(m.ranges.at(-1).match[1]).toBeLessThan(23);
    expect(lines[0].matches[0].summary).toMatch(/of this track is 0:1\d–0:2\d of “Harbour theme”/);
    expect(lines[1]).toMatchObject({ status: 'approved' });
    expect(lines[2].error).toMatchObject({ code: 'empty_file' });

    const c = io();
    expect(await main(['check', join(q, 'cut.opus'), '--db', db, '--creator', 'bob'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/audio \(landmarks\): 0:0\d–0:1\d ↔ 0:1\d–0:2\d/);

    // A 7 s cut of the indexed video from 0:03, resized and without sound: found by its frames, and
    // --json carries the matched ranges in both files and the representative frame pair.
    cutSilentVideo(join(lib, 'intro.mp4'), join(q, 'intro-cut.mkv'), 3, 7);
    const d = io();
    expect(await main(['check', join(q, 'intro-cut.mkv'), '--db', db, '--creator', 'bob', '--json'], d.io)).toBe(0);
    const video = JSON.parse(d.out[0]!);
    expect(video).toMatchObject({ status: 'flagged_plagiarism', matches: [{ assetId: 'intro' }] });
    const v = video.matches[0].media[0];
    expect(v).toMatchObject({ kind: 'video', method: 'frames', speedRatio: 1 });
    expect(v.mirrored).toBeUndefined();
    expect(v.ranges.length).toBeGreaterThan(0);
    expect(v.ranges[0].query[0]).toBeLessThan(1);
    expect(v.ranges[0].match[0]).toBeGreaterThan(2);
    expect(v.ranges[0].match[0]).toBeLessThan(4);
    expect(v.ranges.at(-1).query[1]).toBeGreaterThan(5);
    expect(v.ranges.at(-1).match[1]).toBeGreaterThan(8);
    expect(v.ranges.at(-1).match[1]).toBeLessThan(10.5);
    for (const r of v.ranges) expect(Math.abs(r.match[0] - r.query[0] - 3)).toBeLessThan(1);
    expect(Object.keys(v.framePair).sort()).toEqual(['matchT', 'queryT']);
    expect(v.framePair.queryT).toBeGreaterThanOrEqual(0);
    expect(v.framePair.queryT).toBeLessThanOrEqual(7);
    expect(Math.abs(v.framePair.matchT - v.framePair.queryT - 3)).toBeLessThan(1);
    expect(video.matches[0].summary).toMatch(/^0:0\d–0:0\d of this video is 0:0\d–0:(0\d|10) of “intro”/);
  });
});
