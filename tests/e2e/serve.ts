/**
 * Starts browser mode for the e2e tests on a fresh data folder (argv[2]) and prints one JSON line
 * with the URL and token; each line read on stdin asks for a fresh one-time launch URL, printed as
 * `{"openUrl": …}`. Runs as its own process, as `npm start` does.
 */
import { createInterface } from 'node:readline';
import { runBrowserMode } from '../../electron/main/browser-mode.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: serve.ts <data dir>');
const s = await runBrowserMode({ dataDir });
process.stdout.write(`${JSON.stringify({ url: s.url, openUrl: s.openUrl, token: s.token })}\n`);
createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify({ openUrl: s.newOpenUrl() })}\n`));
process.on('SIGTERM', () => void s.stop().then(() => process.exit(0)));
