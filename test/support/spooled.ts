import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../src-main/core/store/database.ts';

/**
 * Every frozen message a data folder holds, by name (`<id>.eml`), sorted: the small ones kept in
 * the database (`spool_inline`) and the larger ones as files in the spool folder.
 */
export function spooledMessages(dataDir: string): string[] {
  const spool = path.join(dataDir, 'spool');
  const files = existsSync(spool) ? readdirSync(spool).filter((name) => name.endsWith('.eml')) : [];
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const inline = db.prepare('SELECT name FROM spool_inline').pluck().all() as string[];
    return [...files, ...inline].sort();
  } finally {
    db.close();
  }
}
