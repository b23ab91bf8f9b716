/**
 * The studio backend, run in an Electron utility process so that hashing, indexing and inference
 * never block the window. It owns the Studio services and answers the main process's forwarded
 * API calls through the same handler map and dispatcher browser mode uses.
 */
import { createHandlers, dispatch } from './handlers.ts';
import { Studio, readVersion } from './services/studio.ts';

interface Request {
  id: number;
  method: string;
  input: unknown;
}

const dataDir = process.env.ORIGINALS_DATA_DIR;
if (!dataDir) throw new Error('backend started without ORIGINALS_DATA_DIR');

const studio = await Studio.open({ dataDir, mode: 'electron', version: readVersion() });
const handlers = createHandlers(studio);
const port = process.parentPort;

port.on('message', (e: { data: Request }) => {
  const { id, method, input } = e.data;
  void dispatch(handlers, method, input).then((result) => port.postMessage({ id, result }));
});
port.postMessage({ ready: true });
