/**
 * The studio's own tables (revisions, workspace state, trash, sync outbox and links) live in the
 * library's SQLite file beside the engine's, under their own migration scope ('studio').
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DB, loadMigrations, migrate } from '../../../engine/store/db.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** From the sources: ./migrations; in the bundle (out/main): ./studio-migrations (electron.config.ts). */
export const STUDIO_MIGRATIONS_DIR =
  [join(here, 'migrations'), join(here, 'studio-migrations')].find((d) => existsSync(join(d, '001_workspace.sql'))) ??
  join(here, 'migrations');

export function migrateStudio(db: DB): number {
  return migrate(db, loadMigrations(STUDIO_MIGRATIONS_DIR), 'studio');
}
