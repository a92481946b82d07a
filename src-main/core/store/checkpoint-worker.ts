// Copies the WAL back into the database file (a SQLite checkpoint) on a thread of its own, so
// the main thread's commits never pay for it: in a batch, automatic checkpoints were about a
// third of the cost of storing each outcome. PASSIVE: never waits for, nor blocks, readers or
// writers; what it cannot copy now it copies on the next turn.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const INTERVAL_MS = 500;
const port = parentPort;
if (!port) throw new Error('checkpoint-worker runs only as a worker thread');
const db = new Database((workerData as { file: string }).file);
db.pragma('busy_timeout = 1000');

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A full disk or a lock held elsewhere: tried again on the next turn.
  }
}, INTERVAL_MS);

port.on('message', (message: { stop: true }) => {
  if (!message.stop) return;
  clearInterval(timer);
  db.close();
  port.postMessage({ stopped: true });
});
