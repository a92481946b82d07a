import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fail } from '../../shared/errors.ts';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'posthorn.sqlite';

/** Opens (creating if needed) the one SQLite file in the data folder and brings it up to date. */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  let db: Db;
  try {
    db = new Database(path.join(dataDir, DATABASE_FILE));
  } catch (error) {
    fail('STORE', `Posthorn could not open its database in ${dataDir}: ${(error as Error).message}`, 'Check that the folder exists and that you can write to it.');
  }
  db.pragma('journal_mode = WAL');
  // FULL makes every commit durable on its own: an enqueued message survives power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    fail('STORE', `This data folder was written by a newer Posthorn (schema ${current}, this one knows ${newest}).`, 'Update Posthorn, or open a different data folder.');
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
