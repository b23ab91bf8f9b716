/**
 * The server's semantic plumbing with tiny stand-in ONNX graphs (not CLIP or BGE; they prove that
 * vectors are computed in the worker, stored in pgvector and searched — nothing about quality).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../server/server.ts';
import { TRUST_POLICY } from '../../shared/policy/trust.ts';
import { artwork } from '../helpers/images.ts';
import { SHARED_MODELS, tinyModelsDir } from '../helpers/models.ts';
import { client, rememberAdmins } from '../helpers/server.ts';

const have = existsSync(SHARED_MODELS);
if (!have) console.log('server semantic tests skipped: ../shared/models (tokenizer files) not found');

describe.skipIf(!have)('server with semantic layers (tiny stand-in graphs)', () => {
  let srv: RunningServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    const m = tinyModelsDir();
    srv = await startServer({
      dataDir: mkdtempSync(join(tmpdir(), 'mp-sem-')),
      inMemory: true,
      modelsDir: m.dir,
      manifest: m.manifest,
      serve,
    });
    rememberAdmins(srv, ['admin@sem.dev', 'admin@misrep.dev']);
    api = client(srv.url);
  });
  afterAll(() => srv.stop());

  it('stores pgvector embeddings, searches in hybrid mode, and uses vector neighbours in the analysis', async () => {
    const admin = await api.user('admin@sem.dev');
    const a = await api.user('a@sem.dev');
    const b = await api.user('b@sem.dev');
    for (const u of [a, b]) await api.grant(admin.token, u.id, { creatorTier: true });
    const card = {
      asset_type: 'location',
      name: 'Salt Cathedral',
      description: 'A cathedral carved inside a salt mine, lit by brine lamps.',
    };
    const s = await api.call('POST', '/v1/submissions', { token: a.token, form: api.form(card, await artwork(900)) });
    expect(s.body.check.layers).toMatchObject({ semantic_text: { state: 'ran' }, semantic_image: { state: 'ran' } });
    const row = (
      await srv.marketplace.db.query<{ has_img: boolean; has_meta: boolean; vector_models: Record<string, string> }>(
        'SELECT image_vector IS NOT NULL AS has_img, metadata_vector IS NOT NULL AS has_meta, vector_models FROM asset_versions WHERE asset_id = $1',
        [s.body.assetId],
      )
    ).rows[0];
    expect(row).toMatchObject({
      has_img: true,
      has_meta: true,
      vector_models: { clip_image: expect.stringMatching(/^[0-9a-f]{64}$/), bge_text: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    await api.approve(admin.token, s.body.assetId);

    const found = await api.call('GET', '/v1/search?q=salt%20cathedral');
    expect(found.body).toMatchObject({ mode: 'hybrid', items: [{ id: s.body.assetId }] });
    expect(found.body.note).toBeUndefined();

    // Same text, new image, another creator: the (stand-in) text vectors are identical, so the
    // semantic layer reports a near-identical meaning found through pgvector.
    const copy = await api.call('POST', '/v1/submissions', {
      token: b.token,
      form: api.form({ ...card, name: 'Salt Cathedral' }, await artwork(901)),
    });
    expect(copy.body.check.matches[0]).toMatchObject({ assetId: s.body.assetId, layers: { semantic_text: 1 } });
  });
});

describe.skipIf(!have)('misrepresentation detection plumbing (tiny stand-in graphs)', () => {
  // The stand-in graphs give arbitrary vectors, so the threshold is set above any cosine: this proves
  // that CLIP text↔image agreement is computed at submission, stored, and turned into a case for a
  // human — not that CLIP would judge this pair badly.
  let srv: RunningServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    const m = tinyModelsDir();
    srv = await startServer({
      dataDir: mkdtempSync(join(tmpdir(), 'mp-misrep-')),
      inMemory: true,
      modelsDir: m.dir,
      manifest: m.manifest,
      trustPolicy: { ...TRUST_POLICY, misrepresentationMinCosine: 2 },
      serve,
    });
    rememberAdmins(srv, ['admin@sem.dev', 'admin@misrep.dev']);
    api = client(srv.url);
  });
  afterAll(() => srv.stop());

  it('opens a misrepresentation case with the agreement score when the CLIP models ran, and reports carry it', async () => {
    const admin = await api.user('admin@misrep.dev');
    const a = await api.user('maker@misrep.dev');
    const b = await api.user('reader@misrep.dev');
    await api.grant(admin.token, a.id, { creatorTier: true });
    const s = await api.call('POST', '/v1/submissions', {
      token: a.token,
      form: api.form(
        { asset_type: 'item', name: 'Dragon egg', description: 'A speckled dragon egg, warm to the touch.' },
        await artwork(905),
      ),
    });
    expect(s.status).toBe(201);
    const cases = (await api.call('GET', '/v1/moderation/cases', { token: admin.token })).body as {
      kind: string;
      assetId: string;
      source: string;
      evidence: { clipAgreement?: number }[];
    }[];
    const c = cases.find((x) => x.assetId === s.body.assetId && x.kind === 'misrepresentation');
    expect(c?.source).toBe('automatic');
    expect(typeof c?.evidence[0]?.clipAgreement).toBe('number');
    // Nothing is removed: the submission waits for review as usual.
    await api.approve(admin.token, s.body.assetId);
    const r = await api.call('POST', `/v1/assets/${s.body.assetId}/reports`, {
      token: b.token,
      json: { kind: 'misrepresentation', details: 'the picture is not an egg at all' },
    });
    const after = (await api.call('GET', '/v1/moderation/cases', { token: admin.token })).body as {
      id: number;
      evidence: { clipAgreement?: unknown }[];
    }[];
    const withReport = after.find((x) => x.id === r.body.caseId);
    expect(typeof withReport?.evidence.at(-1)?.clipAgreement).toBe('number');
  });
});
