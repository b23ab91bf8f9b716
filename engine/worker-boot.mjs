// Starts a TypeScript worker from source: registers tsx in this worker thread, then loads the
// entry named in workerData.__entry. (Node 20 does not apply `--import tsx` from a Worker's
// execArgv.) Built bundles start their compiled .js workers directly and never use this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
