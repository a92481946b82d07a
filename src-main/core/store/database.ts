import path from 'node:path';
import Database from 'better-sqlite3';
import { AppFailure, fail } from '../../shared/errors.ts';
import { migrations } from './migrations.ts';
import { privateFile, privateFolder } from './private-files.ts';
import { storeFailure } from './store-errors.ts';

export type Db = Database.Database;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per database and reused: preparing is far dearer than
 * running, and the outbox runs the same few statements for every message.
 */
export function sql(db: Db, text: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

export const DATABASE_FILE = 'posthorn.sqlite';

/** Opens (creating if needed) the one SQLite file in the data folder and brings it up to date. */
export function openDatabase(dataDir: string): Db {
  privateFolder(dataDir);
  let db: Db | undefined;
  try {
    // Created private first: SQLite gives its -wal and -shm files the database file's mode.
    privateFile(path.join(dataDir, DATABASE_FILE));
    db = new Database(path.join(dataDir, DATABASE_FILE));
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives any crash of Posthorn itself; what must also survive a power cut
    // (an enqueued message, an account) is written through durably() below.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    // A damaged, locked or unwritable file gets its own explanation; the file is left as it is.
    const known = storeFailure(error);
    if (known) throw new AppFailure({ ...known, message: `${known.message} (${dataDir})` });
    fail(
      'STORE',
      `Posthorn could not open its database in ${dataDir}: ${(error as Error).message}`,
      'Check that the folder exists and that you can write to it.',
    );
  }
}

/**
 * Runs a transaction whose commit is flushed to the disk before it returns (synchronous=FULL):
 * for what a person was told is safe (a queued message, a saved account, a decision they made).
 * The sender's own bookkeeping commits without the flush: a power cut can then at worst cost a
 * note that a message was sent, which recovery turns into a retry or "uncertain", never a loss.
 */
export function durably<T>(db: Db, work: () => T): T {
  if (db.inTransaction) return work(); // the outer transaction decides
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(work)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    fail(
      'STORE',
      `This data folder was written by a newer Posthorn (schema ${current}, this one knows ${newest}).`,
      'Update Posthorn, or open a different data folder.',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
