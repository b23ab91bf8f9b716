/**
 * Withdrawing a listing cancels the analysis of a new version still running for it (marketplace
 * server in-process, real FFmpeg): the withdrawal (POST /v1/assets/{id}/withdraw, through
 * SubmissionsService.withdraw) kills the new version's video decoding at once (the processes are gone
 * from the OS), the submission is answered 409 `withdrawn` saying so, and nothing of it is stored —
 * no blob, no version, no review item.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { expectNoFfmpeg, makeLongVideo, waitForFfmpeg } from '../helpers/ffmpeg-processes.ts';
import { makeMelody, tempDir } from '../helpers/media.ts';
import { blobCount, client, mediaForm, testServer } from '../helpers/server.ts';

const t = tempDir('server-media-withdraw-');
const card = (name: string) => ({ asset_type: 'media', name, description: 'A test asset.', tags: [] });

/** Posts to `path` with a form; resolves with the status and body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function post(srv: RunningServer, token: string, path: string, form: FormData): Promise<{ status: number; body: any }> {
  const r = await fetch(new URL(path, srv.url), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: r.status, body: await r.json() };
}

beforeAll(() => {
  makeLongVideo(t.file('long.mp4'), 10);
  makeMelody(t.file('tune.flac'), 43, 8);
}, 60_000);
afterAll(() => t.cleanup());

describe('withdrawing a listing mid-analysis', () => {
  it('kills the new version’s FFmpeg, answers 409 withdrawn and stores nothing of it', async () => {
    const dir = t.file('one');
    mkdirSync(dir, { recursive: true });
    const srv = await testServer(['admin@withdraw.dev'], { dataDir: dir });
    try {
      const api = client(srv.url);
      const admin = await api.user('admin@withdraw.dev');
      const alice = await api.user('alice@withdraw.dev');
      await api.grant(admin.token, alice.id, { creatorTier: true });
      const first = await post(srv, alice.token, '/v1/submissions', mediaForm(card('Tune'), t.file('tune.flac')));
      expect(first.status).toBe(201);
      const id = first.body.assetId as string;
      await api.approve(admin.token, id);
      expect(blobCount(dir)).toBe(1);

      // A new version with a long video: its analysis decodes for seconds.
      const version = post(srv, alice.token, `/v1/assets/${id}/versions`, mediaForm(card('Tune, the film'), t.file('long.mp4')));
      const pids = await waitForFfmpeg(1);
      await new Promise((r) => setTimeout(r, 150));
      const withdrawn = await api.call('POST', `/v1/assets/${id}/withdraw`, { token: alice.token });
      expect(withdrawn).toMatchObject({ status: 200, body: { assetId: id, status: 'withdrawn' } });

      const r = await version;
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'withdrawn' });
      expect(r.body.error.message).toContain('while the new version was being analysed');
      await expectNoFfmpeg(pids, 1500);
      expect(blobCount(dir)).toBe(1);
      const rows = await srv.marketplace.db.query<{ latest_version: number; status: string }>(
        `SELECT latest_version, status FROM assets WHERE id = $1`,
        [id],
      );
      expect(rows.rows).toEqual([{ latest_version: 1, status: 'withdrawn' }]);
      expect((await srv.marketplace.db.query(`SELECT 1 FROM asset_versions WHERE asset_id = $1 AND version = 2`, [id])).rows).toEqual([]);
    } finally {
      await srv.stop();
    }
  }, 120_000);
});
