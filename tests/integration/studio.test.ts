import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type Handlers, createHandlers, dispatch } from '../../electron/main/handlers.ts';
import { connectStudio } from '../../electron/main/services/connected.ts';
import { OwnerOnlyFileSecretStore } from '../../electron/main/services/connection.ts';
import { Studio } from '../../electron/main/services/studio.ts';
import { artwork, pngHeader, transforms } from '../helpers/images.ts';

async function studio(): Promise<{ s: Studio; h: Handlers; call: (m: string, i: unknown) => Promise<unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'studio-'));
  const s = await Studio.open({ dataDir: dir, mode: 'browser', version: 'test' });
  // No marketplace here (tests/integration/connected.test.ts covers the connected studio).
  const h = createHandlers(
    s,
    await connectStudio({ studio: s, dataDir: dir, secrets: new OwnerOnlyFileSecretStore(join(dir, 's')), localMarketplace: false }),
  );
  const call = async (m: string, i: unknown) => {
    const r = await dispatch(h, m, i);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  };
  return { s, h, call };
}

const b64 = (b: Buffer) => b.toString('base64');
const hero = {
  asset_type: 'character',
  name: 'Ser Aldric',
  description: 'A knight who walked out of a burning chapel with no memory.',
  tags: ['knight'],
  character: { race: 'Human', class: 'Paladin', level: 5 },
};

describe('studio services', () => {
  it('keeps every save as a revision, compares and restores without losing history', async () => {
    const { call } = await studio();
    const img = (await call('images.import', { name: 'a.png', data: b64(await artwork(1)) })) as { sha: string; format: string };
    expect(img.format).toBe('webp');
    const a = (await call('assets.create', { card: hero, imageSha: img.sha })) as { id: string; rev: number; status: string };
    expect(a).toMatchObject({ rev: 1, status: 'approved' });
    const b = (await call('assets.save', { id: a.id, card: { ...hero, description: 'Edited once.' }, baseRev: 1 })) as { rev: number };
    expect(b.rev).toBe(2);
    await call('assets.save', { id: a.id, card: { ...hero, name: 'Ser Aldric the Ashen', description: 'Edited once.' }, baseRev: 2 });
    const revs = (await call('assets.revisions', { id: a.id })) as { rev: number; changed: string[] }[];
    expect(revs.map((r) => r.rev)).toEqual([3, 2, 1]);
    expect(revs[0]?.changed).toEqual(['name']);
    expect(revs[1]?.changed).toEqual(['description']);
    const restored = (await call('assets.restore', { id: a.id, rev: 1 })) as {
      rev: number;
      name: string;
      card: { description: string };
      imageSha: string;
    };
    expect(restored).toMatchObject({ rev: 4, name: 'Ser Aldric', imageSha: img.sha });
    expect(restored.card.description).toBe(hero.description);
    expect(((await call('assets.revisions', { id: a.id })) as unknown[]).length).toBe(4);
  });

  it('refuses a save on top of a newer revision, and leaves the stored asset untouched', async () => {
    const { call } = await studio();
    const a = (await call('assets.create', { card: hero })) as { id: string };
    await call('assets.save', { id: a.id, card: { ...hero, description: 'v2' }, baseRev: 1 });
    await expect(call('assets.save', { id: a.id, card: { ...hero, description: 'stale edit' }, baseRev: 1 })).rejects.toMatchObject({
      code: 'conflict',
      field: 'baseRev',
    });
    expect(((await call('assets.get', { id: a.id })) as { card: { description: string }; rev: number }).card.description).toBe('v2');
    // The search index still agrees with the database after the refused save.
    const r = (await call('check.run', { card: { ...hero, description: 'stale edit' } })) as { matches: { assetId: string }[] };
    expect(r.matches[0]?.assetId).toBe(a.id);
  });

  it('deletes with undo', async () => {
    const { call } = await studio();
    const img = (await call('images.import', { name: 'a.png', data: b64(await artwork(2)) })) as { sha: string };
    const a = (await call('assets.create', { card: hero, imageSha: img.sha })) as { id: string };
    await call('assets.save', { id: a.id, card: { ...hero, description: 'v2' }, baseRev: 1 });
    await call('assets.delete', { ids: [a.id] });
    expect(await call('library.list', {})).toEqual([]);
    expect((await call('check.run', { card: { asset_type: 'item', name: 'x' }, imageSha: img.sha })) as { status: string }).toMatchObject({
      status: 'approved',
    });
    await call('assets.undoDelete', { ids: [a.id] });
    const list = (await call('library.list', {})) as { id: string; rev: number }[];
    expect(list).toMatchObject([{ id: a.id, rev: 2 }]);
    expect(((await call('assets.revisions', { id: a.id })) as unknown[]).length).toBe(2);
  });

  it('flags a transformed copy of the creator’s own image as a duplicate, with the original as the match', async () => {
    const { call } = await studio();
    const orig = await artwork(3);
    const img = (await call('images.import', { name: 'a.png', data: b64(orig) })) as { sha: string };
    const a = (await call('assets.create', { card: hero, imageSha: img.sha })) as { id: string };
    const copy = (await call('images.import', { name: 'b.png', data: b64(await transforms.hflip!(orig)) })) as { sha: string };
    const r = (await call('check.run', { card: { asset_type: 'media', name: 'flipped' }, imageSha: copy.sha })) as {
      status: string;
      matches: { assetId: string; imageSha: string; differences: { transform: string[] } }[];
    };
    expect(r.status).toBe('duplicate_self');
    expect(r.matches[0]).toMatchObject({ assetId: a.id, imageSha: img.sha });
    expect(r.matches[0]?.differences.transform).toContain('mirrored');
  });

  it('describes the edited image once across live checks while only the card changes, with the same outcome', async () => {
    const { s, call } = await studio();
    const orig = await artwork(5);
    const img = (await call('images.import', { name: 'a.png', data: b64(orig) })) as { sha: string };
    const a = (await call('assets.create', { card: hero, imageSha: img.sha })) as { id: string };
    const copy = (await call('images.import', { name: 'b.png', data: b64(await transforms.crop!(orig)) })) as { sha: string };
    const kept = s.engine.memoisedImages;
    const runs = [];
    for (const description of ['first words', 'first words and more', 'other words altogether']) {
      runs.push(
        (await call('check.run', { card: { ...hero, name: 'Copy', description }, imageSha: copy.sha })) as {
          status: string;
          matches: { assetId: string; copySignals: string[] }[];
        },
      );
    }
    expect(s.engine.memoisedImages).toBe(kept + 1); // one image described, kept for the next check
    for (const r of runs) {
      expect(r.status).toBe('duplicate_self');
      expect(r.matches[0]).toMatchObject({ assetId: a.id, copySignals: runs[0]?.matches[0]?.copySignals });
    }
  });

  it('lists with type filter, text search and sorts', async () => {
    const { call } = await studio();
    await call('assets.create', { card: hero });
    await call('assets.create', { card: { asset_type: 'location', name: 'Ashen Chapel', description: 'ruins' } });
    await call('assets.create', { card: { asset_type: 'item', name: 'Bread knife', description: '100% steel' } });
    expect(((await call('library.list', { type: 'location' })) as { name: string }[]).map((x) => x.name)).toEqual(['Ashen Chapel']);
    expect(((await call('library.list', { q: 'ASHEN' })) as { name: string }[]).map((x) => x.name)).toEqual(['Ashen Chapel']);
    expect(((await call('library.list', { q: '100%' })) as { name: string }[]).map((x) => x.name)).toEqual(['Bread knife']);
    expect(((await call('library.list', { sort: 'name' })) as { name: string }[]).map((x) => x.name)).toEqual([
      'Ashen Chapel',
      'Bread knife',
      'Ser Aldric',
    ]);
  });

  it('gives clear errors for bad input and stores nothing', async () => {
    const { call } = await studio();
    const big = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    await expect(call('images.import', { name: 'huge.png', data: b64(big) })).rejects.toMatchObject({
      code: 'too_many_pixels',
      message: expect.stringContaining('8000×8000'),
    });
    await expect(call('images.import', { name: 'bomb.png', data: b64(pngHeader(30000, 30000)) })).rejects.toMatchObject({
      code: 'too_many_pixels',
    });
    await expect(call('images.import', { name: 'notes.txt', data: b64(Buffer.from('hello')) })).rejects.toMatchObject({
      code: 'not_an_image',
      message: expect.stringContaining('notes.txt'),
    });
    await expect(
      call('assets.create', { card: { asset_type: 'custom_module', name: 'm', custom_module: { code: '<script>alert(1)</script>' } } }),
    ).rejects.toMatchObject({
      code: 'invalid_card',
      field: 'card.custom_module.code',
      message: expect.stringContaining('CSS/HTML only'),
    });
    await expect(
      call('assets.create', { card: { asset_type: 'character', name: 'x', character: { level: 'five' } } }),
    ).rejects.toMatchObject({
      field: 'card.character.level',
      // For people: the field's label and its own range, never its path or zod's words.
      details: { issues: [{ field: 'card.character.level', message: 'Level must be a whole number from 0 to 1000' }] },
    });
    await expect(call('assets.save', { id: 'nope', card: hero, baseRev: 0 })).rejects.toMatchObject({
      code: 'invalid_input',
      field: 'baseRev',
    });
    await expect(call('images.import', { name: 'x', data: 'not base64!' })).rejects.toMatchObject({ field: 'data' });
    await call('assets.create', { card: hero });
    await expect(call('assets.create', { card: hero })).rejects.toMatchObject({ code: 'duplicate_metadata' });
    expect(((await call('library.list', {})) as unknown[]).length).toBe(1);
  });

  it('exports the spec asset card with its image and imports it back', async () => {
    const { call } = await studio();
    const img = (await call('images.import', { name: 'a.png', data: b64(await artwork(4)) })) as { sha: string };
    const a = (await call('assets.create', { card: hero, imageSha: img.sha })) as { id: string };
    const e = (await call('cards.export', { id: a.id })) as {
      fileName: string;
      card: { luna_asset_card: Record<string, unknown> };
      image: string;
    };
    expect(e.fileName).toBe('ser-aldric.json');
    expect(e.card.luna_asset_card).toMatchObject({
      version: '1.0',
      asset_type: 'character',
      name: 'Ser Aldric',
      fingerprints: {
        metadata_hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        perceptual_hash: expect.stringMatching(/^phash:[0-9a-f]{16}$/),
      },
    });
    const { call: call2 } = await studio();
    const imported = (await call2('cards.import', { card: e.card, image: e.image, imageName: 'ser-aldric.webp' })) as {
      name: string;
      imageSha: string;
    };
    expect(imported).toMatchObject({ name: 'Ser Aldric', imageSha: img.sha });
  });
});
