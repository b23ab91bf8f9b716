/**
 * The studio backend, run in an Electron utility process so that hashing, indexing and inference
 * never block the window. It owns the Studio services and answers the main process's forwarded
 * API calls through the same handler map and dispatcher browser mode uses.
 */
import { createHandlers, dispatch } from './handlers.ts';
import { join } from 'node:path';
import { connectStudio } from './services/connected.ts';
import { EncryptedFileSecretStore } from './services/connection.ts';
import { Studio, readVersion } from './services/studio.ts';

interface Request {
  id: number;
  method: string;
  input: unknown;
}

const dataDir = process.env.ORIGINALS_DATA_DIR;
if (!dataDir) throw new Error('backend started without ORIGINALS_DATA_DIR');

const port = process.parentPort;

// The marketplace session token is encrypted with Electron's safeStorage, which only the main
// process can use: the backend asks it over this port.
let cryptSeq = 0;
const cryptPending = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
const askMain = (op: 'encrypt' | 'decrypt', data: string) =>
  new Promise<string>((resolve, reject) => {
    const id = ++cryptSeq;
    cryptPending.set(id, { resolve, reject });
    port.postMessage({ crypt: { id, op, data } });
  });
const secrets = new EncryptedFileSecretStore(join(dataDir, 'marketplace-session.bin'), {
  encrypt: async (s) => Buffer.from(await askMain('encrypt', s), 'base64'),
  decrypt: (b) => askMain('decrypt', b.toString('base64')),
});

const studio = await Studio.open({ dataDir, mode: 'electron', version: readVersion() });
const connected = await connectStudio({ studio, dataDir, secrets });
const handlers = createHandlers(studio, connected);

port.on('message', (e: { data: Request | { cryptReply: { id: number; data?: string; error?: string } } }) => {
  if ('cryptReply' in e.data) {
    const r = e.data.cryptReply;
    const p = cryptPending.get(r.id);
    cryptPending.delete(r.id);
    if (r.error !== undefined) p?.reject(new Error(r.error));
    else p?.resolve(r.data ?? '');
    return;
  }
  const { id, method, input } = e.data;
  void dispatch(handlers, method, input).then((result) => port.postMessage({ id, result }));
});
port.postMessage({ ready: true });
