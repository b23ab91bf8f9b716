/**
 * Starts browser mode for the e2e tests on a fresh data folder (argv[2]) and prints one JSON line
 * with the URL and token; each line read on stdin asks for a fresh one-time launch URL, printed as
 * `{"openUrl": …}`. Runs as its own process, as `npm start` does.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../engine/store/db.ts';
import { runBrowserMode } from '../../electron/main/browser-mode.ts';

/** A library with a filler table spanning many pages, then one page near its end overwritten. */
function damagedLibrary(path: string): void {
  const db = openDatabase(path);
  db.exec('CREATE TABLE filler(x TEXT)');
  const ins = db.prepare('INSERT INTO filler VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) ins.run(`row ${i} ${'.'.repeat(100)}`);
  })();
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, statSync(path).size - 4096 * 3);
  closeSync(fd);
}

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: serve.ts <data dir>');
// ORIGINALS_E2E_DAMAGED_LIBRARY: the data folder starts with a library whose last pages are
// garbage, checked in the background as a large one would be (the damaged-library spec).
if (process.env.ORIGINALS_E2E_DAMAGED_LIBRARY) damagedLibrary(join(dataDir, 'library.sqlite'));
const s = await runBrowserMode({ dataDir, ...(process.env.ORIGINALS_E2E_DAMAGED_LIBRARY ? { backgroundCheckAbove: 0 } : {}) });
process.stdout.write(`${JSON.stringify({ url: s.url, openUrl: s.openUrl, token: s.token })}\n`);
createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify({ openUrl: s.newOpenUrl() })}\n`));
process.on('SIGTERM', () => void s.stop().then(() => process.exit(0)));
