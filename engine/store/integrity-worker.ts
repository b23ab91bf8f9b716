/**
 * Worker thread of the background library check (integrity.ts quickCheckInBackground): runs
 * SQLite's `PRAGMA quick_check` on its own read-only connection, so the thread that opened the
 * library keeps serving checks while every page of a large file is read. Posts the problems found
 * (empty when the file is sound) or the error that stopped the check.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { z } from 'zod';

const { path } = z.object({ path: z.string().min(1) }).parse(workerData);
let reply: { problems: string[] } | { error: string };
try {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    reply = { problems: rows.map((r) => r.quick_check).filter((r) => r !== 'ok') };
  } finally {
    db.close();
  }
} catch (err) {
  reply = { error: (err as Error).message };
}
parentPort?.postMessage(reply);
