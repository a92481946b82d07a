import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fail } from '../../shared/errors.ts';

export const LOCK_FILE = 'posthorn.lock';

type Holder = { pid: number; host: string; since: number };

/** Folders this process holds, so two cores in one process are refused like two processes. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // exists, owned by someone else
  }
}

function readHolder(file: string): Holder | null {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' && typeof holder.host === 'string'
      ? { pid: holder.pid, host: holder.host, since: Number(holder.since) || 0 }
      : null;
  } catch {
    return null;
  }
}

/**
 * One Posthorn per data folder: two would send the same queued mail twice. A lock file names
 * the process holding the folder; one left by a process that no longer runs (a crash, a
 * SIGKILL) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const key = path.resolve(dataDir);
  const file = path.join(key, LOCK_FILE);
  const refuse = (holder: Holder) =>
    fail(
      'CONFLICT',
      `Another Posthorn (process ${holder.pid}${holder.host === os.hostname() ? '' : ` on ${holder.host}`}) is already using the data folder ${key}.`,
      'Switch to the Posthorn that is open, or quit it first. To run two at once, give each its own folder with --data-dir.',
    );
  if (heldHere.has(key)) refuse({ pid: process.pid, host: os.hostname(), since: 0 });
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: Date.now() });
  for (let tries = 0; tries < 2; tries++) {
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
      heldHere.add(key);
      return () => {
        heldHere.delete(key);
        if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      // Another machine's process cannot be checked (a shared network folder): trust its lock.
      if (holder && (holder.host !== os.hostname() || (holder.pid !== process.pid && alive(holder.pid))))
        refuse(holder);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return fail(
    'CONFLICT',
    `Posthorn could not take the data folder ${key}: another program keeps creating ${LOCK_FILE}.`,
    'Quit other Posthorn windows and try again.',
  );
}
