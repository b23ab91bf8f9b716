import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../../engine/store/db.ts';
import { STUDIO_MIGRATIONS_DIR, migrateStudio } from '../../electron/main/store/migrate.ts';

/** The studio's own migrations (workspace, sync, drafts…), by number. */
const studioVersions = () =>
  readdirSync(STUDIO_MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((f) => Number(f.split('_')[0]))
    .sort((a, b) => a - b);

describe('local store', () => {
  it('applies numbered migrations once, in order, and records them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'store-')), 'lib.sqlite');
    const db = openDatabase(path);
    expect(migrateStudio(db)).toBe(studioVersions().length);
    const versions = (scope: string) =>
      (db.prepare('SELECT version FROM schema_versions WHERE scope = ? ORDER BY version').all(scope) as { version: number }[]).map(
        (r) => r.version,
      );
    expect(versions('engine')).toEqual(loadMigrations().map((m) => m.version));
    expect(versions('studio')).toEqual(studioVersions());
    expect(migrate(db)).toBe(0);
    db.close();
    const again = openDatabase(path);
    expect(migrate(again)).toBe(0);
    expect(migrateStudio(again)).toBe(0);
    const tables = (again.prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name").all() as { name: string }[]).map(
      (r) => r.name,
    );
    for (const t of [
      'assets',
      'revisions',
      'fingerprints',
      'similarity_analyses',
      'vec_clip_image',
      'vec_bge_text',
      'vector_meta',
      'asset_state',
      'trash',
    ])
      expect(tables).toContain(t);
    again.close();
  });

  it('rolls a failing migration back whole, leaving the database as it was', () => {
    const db = new Database(':memory:');
    sqliteVec.load(db);
    const good = { version: 1, name: '001_a.sql', sql: 'CREATE TABLE a (x INTEGER);' };
    const bad = { version: 2, name: '002_b.sql', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);' };
    expect(() => migrate(db, [good, bad])).toThrow(/no such table: nope/);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toContain('a');
    expect(names).not.toContain('b');
    expect((db.prepare('SELECT version FROM schema_versions').all() as { version: number }[]).map((r) => r.version)).toEqual([1]);
  });

  it('adopts a library written before migrations were scoped: engine 1–3 stay, studio 4–5 become studio 1–2', () => {
    const db = new Database(':memory:');
    sqliteVec.load(db);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const all = loadMigrations();
    for (const m of all.filter((x) => x.version <= 3)) db.exec(m.sql);
    db.exec(readFileSync(join(STUDIO_MIGRATIONS_DIR, '001_workspace.sql'), 'utf8'));
    db.exec(readFileSync(join(STUDIO_MIGRATIONS_DIR, '002_sync.sql'), 'utf8'));
    const ins = db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)');
    for (const [v, n] of [
      [1, '001_init.sql'],
      [2, '002_vectors.sql'],
      [3, '003_vector_bits.sql'],
      [4, '004_studio.sql'],
      [5, '005_sync.sql'],
    ] as const)
      ins.run(v, n, '2026-01-01T00:00:00Z');
    expect(migrate(db)).toBe(all.filter((x) => x.version > 3).length);
    // The legacy 4–5 are the studio's 1–2; only the studio migrations added since run.
    expect(migrateStudio(db)).toBe(studioVersions().filter((v) => v > 2).length);
    const legacy = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").get();
    expect(legacy).toBeUndefined();
  });

  it('declares cosine vec0 tables and answers MATCH … AND k = ? queries', () => {
    const db = openDatabase(':memory:');
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'vec_bge_text'").get() as { sql: string }).sql;
    expect(sql).toContain('distance_metric=cosine');
    const v = (xs: number[]) => Buffer.from(Float32Array.from([...xs, ...new Array(384 - xs.length).fill(0)]).buffer);
    db.prepare('INSERT INTO vec_bge_text (rowid, embedding) VALUES (?, ?)').run(1n, v([1, 0]));
    db.prepare('INSERT INTO vec_bge_text (rowid, embedding) VALUES (?, ?)').run(2n, v([0, 1]));
    const rows = db.prepare('SELECT rowid, distance FROM vec_bge_text WHERE embedding MATCH ? AND k = ?').all(v([0.9, 0.1]), 2) as {
      rowid: number;
      distance: number;
    }[];
    expect(rows.map((r) => Number(r.rowid))).toEqual([1, 2]);
    expect(1 - (rows[0]?.distance as number)).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 5);
  });
});
