import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LogSearch } from '../../../src-main/core/logs/log-search.ts';
import { startCheckpointer } from '../../../src-main/core/store/checkpointer.ts';
import { resolveDataDir } from '../../../src-main/core/store/data-dir.ts';
import { DATABASE_FILE, openDatabase } from '../../../src-main/core/store/database.ts';
import { migrations } from '../../../src-main/core/store/migrations.ts';
import { Spool } from '../../../src-main/core/store/spool.ts';
import { tempDataDir } from '../../support/temp-dir.ts';

describe('store', () => {
  const dirs: ReturnType<typeof tempDataDir>[] = [];
  const fresh = () => {
    const d = tempDataDir('store');
    dirs.push(d);
    return d.dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('opens one SQLite file in WAL mode with foreign keys, at the newest migration', () => {
    const dir = fresh();
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    db.close();
    expect(existsSync(path.join(dir, DATABASE_FILE))).toBe(true);
  });

  it('reopening applies nothing twice and keeps the data', () => {
    const dir = fresh();
    const first = openDatabase(dir);
    first
      .prepare(
        "INSERT INTO accounts (id, name, email, host, port, security, username, created_at, updated_at) VALUES ('a','n','e@x.test','h',587,'starttls','u',1,1)",
      )
      .run();
    first.close();
    const second = openDatabase(dir);
    expect(second.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 1 });
    second.close();
  });

  it('migration 2 gives every existing account an identity and makes the oldest the default', () => {
    const dir = fresh();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.exec(migrations[0]?.sql ?? '');
    db.pragma('user_version = 1');
    db.prepare(
      "INSERT INTO accounts (id, name, email, host, port, security, username, created_at, updated_at) VALUES ('old', 'Old', 'old@example.test', 'h', 587, 'starttls', 'u', 1, 1)",
    ).run();
    db.close();
    const migrated = openDatabase(dir);
    expect(migrated.prepare('SELECT is_default, auth, socket_timeout_ms FROM accounts').get()).toEqual({
      is_default: 1,
      auth: 'auto',
      socket_timeout_ms: 120000,
    });
    expect(migrated.prepare('SELECT from_name, from_address FROM identities').all()).toEqual([
      { from_name: 'Old', from_address: 'old@example.test' },
    ]);
    migrated.close();
  });

  it('refuses a data folder written by a newer Posthorn, with what to do', () => {
    const dir = fresh();
    openDatabase(dir).close();
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(dir)).toThrow(/newer Posthorn/);
  });

  it('spools messages under their final names only; one that cannot be written does not stop the others', async () => {
    const dir = fresh();
    const db = openDatabase(dir);
    const spool = new Spool(dir, db);
    const results = await spool.writeMany([
      { id: 'abc', bytes: Buffer.from('Subject: x\r\n\r\nbody') },
      { id: 'no-such-folder/def', bytes: Buffer.from('lost') },
      { id: 'ghi', bytes: Buffer.from('Subject: y\r\n\r\nother') },
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(readdirSync(spool.dir).sort()).toEqual(['abc.eml', 'ghi.eml']);
    expect(readFileSync(path.join(spool.dir, 'abc.eml'), 'utf8')).toContain('body');
    expect(spool.read('../../ghi.eml').toString()).toContain('other'); // no path escapes
    spool.close();
    db.close();
  });

  it('migration 8 links existing search rows to their messages, so a transcript lands on the right one', () => {
    const dir = fresh();
    const db = new Database(path.join(dir, DATABASE_FILE));
    for (const migration of migrations.filter((m) => m.version <= 7)) db.exec(migration.sql);
    db.pragma('user_version = 7');
    db.prepare(
      "INSERT INTO accounts (id, name, email, host, port, security, username, created_at, updated_at) VALUES ('a', 'A', 'a@example.test', 'h', 587, 'starttls', 'u', 1, 1)",
    ).run();
    const insert = db.prepare(
      "INSERT INTO outbox (id, account_id, state, message_id, from_addr, envelope_from, recipients, subject, spool_file, size, next_attempt_at, created_at, updated_at) VALUES (?, 'a', 'queued', ?, 'a@example.test', 'a@example.test', '[]', ?, ?, 1, 1, 1, 1)",
    );
    for (const id of ['m1', 'm2']) {
      insert.run(id, `<${id}@x>`, `subject ${id}`, `${id}.eml`);
      db.prepare("INSERT INTO log_search (outbox_id, subject, addresses, transcript) VALUES (?, ?, '', '')").run(
        id,
        `subject ${id}`,
      );
    }
    db.close();
    const migrated = openDatabase(dir);
    const search = new LogSearch(migrated);
    search.addTranscript('m2', 'attempt-of-m2', [{ text: '250 2.0.0 queued as XYZZY' }]);
    search.flush();
    expect(migrated.prepare("SELECT outbox_id FROM log_search WHERE log_search MATCH 'XYZZY'").all()).toEqual([
      { outbox_id: 'm2' },
    ]);
    migrated.close();
  });

  it('finds the next due message and a search row without scanning or sorting the table', () => {
    const db = openDatabase(fresh());
    const plan = (query: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
    expect(
      plan(
        "SELECT * FROM outbox INDEXED BY outbox_due WHERE state IN ('queued', 'deferred') AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT 1",
        0,
      ),
    ).not.toMatch(/TEMP B-TREE|SCAN outbox/);
    // "INDEX 0:=" is FTS5's lookup by rowid; a bare "INDEX 0:" would be a full scan.
    expect(
      plan(
        'UPDATE log_search SET transcript = ? WHERE rowid = (SELECT search_rowid FROM outbox WHERE id = ?)',
        '',
        'x',
      ),
    ).toContain('VIRTUAL TABLE INDEX 0:=');
    db.close();
  });

  it('checkpoints run on their own thread while it lives; the main connection takes them back when it stops', async () => {
    const dir = fresh();
    const db = openDatabase(dir);
    const stop = startCheckpointer(db, path.join(dir, DATABASE_FILE));
    for (let i = 0; i < 100 && db.pragma('wal_autocheckpoint', { simple: true }) !== 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.exec("INSERT INTO settings (key, value) VALUES ('marker', '\"copied-back-by-the-thread\"')");
    // Committed to the WAL only; within a turn or two of the thread it is in the database file
    // itself, without the main connection's help.
    const inMainFile = () => readFileSync(path.join(dir, DATABASE_FILE)).includes('copied-back-by-the-thread');
    expect(inMainFile()).toBe(false);
    for (let i = 0; i < 40 && !inMainFile(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inMainFile()).toBe(true);
    await stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('finds the data folder from --data-dir, then POSTHORN_DATA_DIR', () => {
    expect(resolveDataDir('/tmp/a', {})).toBe(path.resolve('/tmp/a'));
    expect(resolveDataDir('/tmp/b', { POSTHORN_DATA_DIR: '/tmp/c' })).toBe(path.resolve('/tmp/b'));
    expect(resolveDataDir(undefined, { POSTHORN_DATA_DIR: '/tmp/c' })).toBe(path.resolve('/tmp/c'));
    expect(resolveDataDir(undefined, {})).toMatch(/Posthorn$/);
  });
});
