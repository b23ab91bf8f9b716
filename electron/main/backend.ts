/**
 * The studio backend, run in an Electron utility process so that hashing, indexing and inference
 * never block the window. It owns the Studio services and answers the main process's forwarded
 * API calls through the same handler map and dispatcher browser mode uses; its push events
 * (electron/main/push.ts) are posted to the main process as `{ push }` messages; `{ abort: id }`
 * from the main process aborts a call still running (backend-calls.ts).
 */
import { restrictUmask } from '../../engine/private-dir.ts';
import { restoreBackup } from '../../engine/store/backup.ts';
import { LibraryFileError } from '../../engine/store/integrity.ts';
import { BackendAbort, BackendCall, BackendCalls } from './backend-calls.ts';
import { type Handlers, createHandlers } from './handlers.ts';
import { join } from 'node:path';
import { connectStudio } from './services/connected.ts';
import { EncryptedFileSecretStore } from './services/connection.ts';
import { Studio, readVersion } from './services/studio.ts';

const dataDir = process.env.ORIGINALS_DATA_DIR;
if (!dataDir) throw new Error('backend started without ORIGINALS_DATA_DIR');

const port = process.parentPort;

// The marketplace session token is encrypted with Electron's safeStorage, which only the main
// process can use: the backend asks it over this port.
let cryptSeq = 0;
const cryptPending = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
const askMain = (op: 'encrypt' | 'decrypt' | 'describe', data: string) =>
  new Promise<string>((resolve, reject) => {
    const id = ++cryptSeq;
    cryptPending.set(id, { resolve, reject });
    port.postMessage({ crypt: { id, op, data } });
  });

let answerFatal: (restore: boolean) => void = () => {};
/** Set once the studio is open; calls before then are answered 503. */
const api: { handlers?: Handlers } = {};

/** The calls being answered, each abortable by the main process (backend-calls.ts). */
const calls = new BackendCalls(() => api.handlers);

type Message = BackendCall | { abort: number } | { cryptReply: { id: number; data?: string; error?: string } } | { restoreBackup: boolean };

port.on('message', (e: { data: Message }) => {
  if ('restoreBackup' in e.data) return answerFatal(e.data.restoreBackup);
  if ('cryptReply' in e.data) {
    const r = e.data.cryptReply;
    const p = cryptPending.get(r.id);
    cryptPending.delete(r.id);
    if (r.error !== undefined) p?.reject(new Error(r.error));
    else p?.resolve(r.data ?? '');
    return;
  }
  // The main process stopped waiting for a call (its window went away, an app:// request closed).
  const abort = BackendAbort.safeParse(e.data);
  if (abort.success) return void calls.abort(abort.data.abort);
  const call = BackendCall.safeParse(e.data);
  if (!call.success) return;
  const { id } = call.data;
  void calls.run(call.data).then((result) => port.postMessage({ id, result }));
});
restrictUmask();
// Said as it is: on Linux without a keychain safeStorage only obfuscates (basic_text).
const protection = await askMain('describe', '');
const secrets = new EncryptedFileSecretStore(
  join(dataDir, 'marketplace-session.bin'),
  {
    encrypt: async (s) => Buffer.from(await askMain('encrypt', s), 'base64'),
    decrypt: (b) => askMain('decrypt', b.toString('base64')),
  },
  protection,
);

/**
 * Opens the studio. A damaged library is not a crash: the main process is told what is wrong (the
 * message names the file and the newest backup) and may answer `restoreBackup`, after which the
 * newest backup is put in place and the studio opens on it.
 */
async function openStudio(): Promise<Studio> {
  for (;;) {
    try {
      return await Studio.open({ dataDir: dataDir as string, mode: 'electron', version: readVersion() });
    } catch (err) {
      if (!(err instanceof LibraryFileError)) throw err;
      port.postMessage({ fatal: { code: err.code, message: err.message, backup: err.backup } });
      const restore = await new Promise<boolean>((resolve) => (answerFatal = resolve));
      if (!restore) process.exit(1);
      restoreBackup(err.path);
    }
  }
}

const studio = await openStudio();
// Push events go to the main process, which hands them to the window (ipc.ts sendPush).
studio.push.subscribe((event) => port.postMessage({ push: event }));
// A large library's whole-file check ends after opening: damage found then gets the same dialog
// ("late": the app restarts on the restored backup, as the studio cannot swap its file while open).
void studio.checked.then(async () => {
  const err = studio.libraryDamage;
  if (!err) return;
  port.postMessage({ fatal: { code: err.code, message: err.message, backup: err.backup, late: true } });
  const restore = await new Promise<boolean>((resolve) => (answerFatal = resolve));
  if (!restore) return; // the main process quits the app
  await studio.close();
  restoreBackup(err.path);
  port.postMessage({ relaunch: true });
});
const connected = await connectStudio({ studio, dataDir, secrets });
api.handlers = createHandlers(studio, connected);
port.postMessage({ ready: true });
