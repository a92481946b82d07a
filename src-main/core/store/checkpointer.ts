import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

/** The worker's file next to this one: .ts when run from source (tests, bench), .js when built. */
const workerUrl = new URL(`./checkpoint-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** SQLite's own rhythm (every 1,000 WAL pages), used again if the thread cannot run. */
const AUTOMATIC = 1000;

/**
 * Moves WAL checkpoints off the main thread (see checkpoint-worker.ts): the main connection
 * stops checkpointing on its own only once the thread is running, and takes it back if the
 * thread cannot start or stops. Returns the stop function (awaited before the database closes,
 * whose close then makes the last checkpoint).
 */
export function startCheckpointer(db: Db, file: string): () => Promise<void> {
  let worker: Worker;
  try {
    worker = new Worker(workerUrl, { workerData: { file } });
  } catch {
    return async () => {};
  }
  let running = true;
  const fallBack = () => {
    if (!running) return;
    running = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOMATIC}`);
  };
  worker.on('online', () => {
    if (running && db.open) db.pragma('wal_autocheckpoint = 0');
  });
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  worker.unref(); // never what keeps the process alive
  return () =>
    new Promise<void>((resolve) => {
      if (!running) return resolve();
      running = false;
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOMATIC}`);
      // Held while it stops, or a process with nothing else to do would exit before it is told.
      worker.ref();
      const done = () => resolve();
      worker.once('exit', done);
      worker.once('message', () => void worker.terminate());
      worker.postMessage({ stop: true });
      // A worker that does not answer is ended anyway.
      setTimeout(() => void worker.terminate(), 2000).unref();
    });
}
