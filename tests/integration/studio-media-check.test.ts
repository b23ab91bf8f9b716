/**
 * Media through the studio end to end, over browser mode's real HTTP transport: a song and a video
 * streamed to /upload/media (token, 413 from Content-Length and while streaming, nothing stored on
 * failure), saved as assets (their fingerprints indexed), a re-encoded excerpt checked — the media
 * match reaches the caller with the timelines' durations and both files' SHA-256s — and the
 * preview images served with the token. The base64 media method is gone.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStudio, runBrowserMode } from '../../electron/main/browser-mode.ts';
import { createHandlers, dispatch } from '../../electron/main/handlers.ts';
import type { CheckResult } from '../../shared/check.ts';
import { MEDIA_POLICY } from '../../shared/policy/media.ts';
import { ff, makeMelody, makeVideo, tempDir } from '../helpers/media.ts';

const t = tempDir('studio-media-check-');
/** A smaller file limit than the policy's (sized for real video), so the oversized uploads below stay quick. */
const LIMITS = { ...MEDIA_POLICY.limits, maxBytes: 16 * 1024 * 1024 };
let s: RunningStudio;
const mediaDir = () => join(s.studio.opts.dataDir, 'media');

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'bm-media-'));
  mkdirSync(join(root, 'static'));
  writeFileSync(join(root, 'static', 'index.html'), '<!doctype html><title>studio</title>');
  s = await runBrowserMode({ dataDir: join(root, 'data'), staticDir: join(root, 'static'), mediaLimits: LIMITS });
  makeMelody(t.file('song.wav'), 31, 45);
  // A 15 s excerpt from 0:20, re-encoded to MP3 at 64 kbps.
  ff(['-ss', '20', '-t', '15', '-i', t.file('song.wav'), '-c:a', 'libmp3lame', '-b:a', '64k', t.file('excerpt.mp3')]);
  makeVideo(t.file('clip.mp4'), 12, 4);
});
afterAll(async () => {
  await s.stop();
  t.cleanup();
});

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw request; `body` chunks are written one by one (chunked unless a Content-Length is given). */
function send(method: string, path: string, headers: Record<string, string>, body: Buffer[] = []): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    for (const b of body) req.write(b);
    req.end();
  });
}

const auth = () => ({ authorization: `Bearer ${s.token}`, 'content-type': 'application/octet-stream' });
const upload = (name: string, bytes: Buffer) =>
  send('POST', `/upload/media?name=${encodeURIComponent(name)}`, { ...auth(), 'content-length': String(bytes.length) }, [bytes]);
const api = async <T>(method: string, input: unknown): Promise<T> => {
  const r = await send('POST', `/api/${method}`, { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, [
    Buffer.from(JSON.stringify(input)),
  ]);
  const body = JSON.parse(r.body) as { value?: T; error?: { code: string; message: string } };
  if (body.error) throw Object.assign(new Error(body.error.message), body.error);
  return body.value as T;
};

describe('media in the studio over browser mode', () => {
  it('refuses uploads without the token, over the limit, or that are not media — storing nothing', async () => {
    const song = readFileSync(t.file('song.wav'));
    expect((await send('POST', '/upload/media?name=a.wav', { 'content-type': 'application/octet-stream' }, [song])).status).toBe(401);
    expect((await send('POST', '/upload/media', { ...auth(), 'content-length': '4' }, [Buffer.from('abcd')])).status).toBe(400);
    // Declared over the limit: 413 at once, from the header.
    const declared = await send('POST', '/upload/media?name=big.wav', { ...auth(), 'content-length': String(LIMITS.maxBytes + 1) }, [
      Buffer.alloc(1024),
    ]).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    expect(declared.status).toBe(413);
    // Chunked, growing past the limit: 413 once it does, the rest drained.
    const mb = Buffer.alloc(1024 * 1024, 1);
    const over = Math.ceil(LIMITS.maxBytes / mb.length) + 1;
    const chunked = await send(
      'POST',
      '/upload/media?name=big.wav',
      auth(),
      Array.from({ length: over }, () => mb),
    );
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('file_too_large');
    const text = await upload('notes.mp3', Buffer.from('not audio, only words '.repeat(100)));
    expect(text.status).toBe(400);
    expect(JSON.parse(text.body).error.code).toBe('not_media');
    expect(readdirSync(mediaDir())).toEqual([]);
    // Media never travels as base64 JSON any more.
    await expect(api('media.import', { name: 'a.wav', data: '' })).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(api('media.importPath', { path: t.file('song.wav') })).rejects.toMatchObject({ code: 'unknown_method' });
  });

  it('indexes an uploaded song and finds a re-encoded excerpt with the matched range on both timelines', async () => {
    const up = await upload('song.wav', readFileSync(t.file('song.wav')));
    expect(up.status).toBe(200);
    const song = JSON.parse(up.body).value as { sha: string; kind: string; format: string; size: number };
    expect(song).toMatchObject({ kind: 'audio', format: 'wav' });
    const saved = await api<{ id: string; status: string }>('assets.create', {
      card: {
        asset_type: 'media',
        name: 'Harbour at dawn',
        description: 'A melody',
        tags: [],
        media: { type: 'audio', format: song.format, size: song.size, sha256: song.sha },
      },
    });
    expect(saved.status).toBe('approved');
    const ex = JSON.parse((await upload('excerpt.mp3', readFileSync(t.file('excerpt.mp3')))).body).value as { sha: string; size: number };
    const r = await api<CheckResult>('check.run', {
      card: {
        asset_type: 'media',
        name: 'Morning tide',
        description: 'Something else entirely',
        tags: [],
        media: { type: 'audio', format: 'mp3', size: ex.size, sha256: ex.sha },
      },
    });
    expect(r.layers.media.state).toBe('ran');
    expect(r.status).not.toBe('approved');
    const m = r.matches.find((x) => x.assetId === saved.id);
    const mm = m?.media?.[0];
    expect(mm?.kind).toBe('audio');
    expect(mm?.queryDurationSeconds).toBeCloseTo(15, 0);
    expect(mm?.matchDurationSeconds).toBeCloseTo(45, 0);
    expect([mm?.querySha256, mm?.matchSha256]).toEqual([ex.sha, song.sha]);
    // The excerpt's seconds map onto 0:20–0:35 of the song.
    const first = mm?.ranges[0];
    expect(first).toBeDefined();
    const offset = (first?.match[0] ?? 0) - (first?.query[0] ?? 0);
    expect(offset).toBeGreaterThan(19);
    expect(offset).toBeLessThan(21);
    expect(m?.summary).toMatch(/Harbour at dawn/);
    // The waveform and the probe facts of the stored song.
    const w = await api<{ peaks: number[]; durationSeconds: number }>('media.waveform', { sha: song.sha, bins: 100 });
    expect(w.peaks).toHaveLength(100);
    expect(Math.max(...w.peaks)).toBeGreaterThan(0.2);
  });

  it('imports by path only for the Electron backend’s internal dispatch (its main process, after the file dialog)', async () => {
    const h = createHandlers(s.studio, s.connected);
    const refused = await dispatch(h, 'media.importPath', { path: t.file('excerpt.mp3') });
    expect(refused).toMatchObject({ ok: false, status: 404 });
    const r = await dispatch(h, 'media.importPath', { path: t.file('excerpt.mp3') }, { internal: true });
    expect(r.ok && r.value).toMatchObject({ kind: 'audio', format: 'mp3' });
    const missing = await dispatch(h, 'media.importPath', { path: t.file('nope.wav') }, { internal: true });
    expect(missing).toMatchObject({ ok: false, status: 404, error: { code: 'file_not_found' } });
  });

  it('serves a video’s strip and poster with the session token only, and lists the asset with its media', async () => {
    const up = JSON.parse((await upload('clip.mp4', readFileSync(t.file('clip.mp4')))).body).value as { sha: string; kind: string };
    expect(up.kind).toBe('video');
    const strip = await send('GET', `/files/media/${up.sha}/strip.webp?t=${encodeURIComponent(s.token)}`, {});
    expect([strip.status, strip.headers['content-type']]).toEqual([200, 'image/webp']);
    expect((await send('GET', `/files/media/${up.sha}/poster.webp`, {})).status).toBe(401);
    expect((await send('GET', `/files/media/${'0'.repeat(64)}/poster.webp?t=${encodeURIComponent(s.token)}`, {})).status).toBe(404);
    const info = await api<{ kind: string; durationSeconds: number; video: { width: number } }>('media.info', { sha: up.sha });
    expect(info.video.width).toBe(320);
    await api('assets.create', {
      card: {
        asset_type: 'media',
        name: 'Fractal clip',
        description: '',
        tags: [],
        media: { type: 'video', format: 'mp4', size: 1, sha256: up.sha },
      },
    });
    const list = await api<{ name: string; media?: { kind: string; sha: string } }[]>('library.list', {});
    expect(list.find((a) => a.name === 'Fractal clip')?.media).toEqual({ kind: 'video', sha: up.sha });
  });
});
