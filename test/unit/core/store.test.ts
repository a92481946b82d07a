import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openDatabase } from '../../../src-main/core/store/database.ts';
import { migrations } from '../../../src-main/core/store/migrations.ts';
import { Spool } from '../../../src-main/core/store/spool.ts';
import { resolveDataDir } from '../../../src-main/core/store/data-dir.ts';
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
    first.prepare("INSERT INTO accounts (id, name, email, host, port, security, username, created_at, updated_at) VALUES ('a','n','e@x.test','h',587,'starttls','u',1,1)").run();
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
    db.prepare("INSERT INTO accounts (id, name, email, host, port, security, username, created_at, updated_at) VALUES ('old', 'Old', 'old@example.test', 'h', 587, 'starttls', 'u', 1, 1)").run();
    db.close();
    const migrated = openDatabase(dir);
    expect(migrated.prepare('SELECT is_default, auth, socket_timeout_ms FROM accounts').get()).toEqual({ is_default: 1, auth: 'auto', socket_timeout_ms: 120000 });
    expect(migrated.prepare('SELECT from_name, from_address FROM identities').all()).toEqual([{ from_name: 'Old', from_address: 'old@example.test' }]);
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

  it('spools a message atomically under its final name only', () => {
    const spool = new Spool(fresh());
    const name = spool.write('abc', Buffer.from('Subject: x\r\n\r\nbody'));
    expect(readdirSync(spool.dir)).toEqual(['abc.eml']);
    expect(readFileSync(path.join(spool.dir, name), 'utf8')).toContain('body');
    expect(spool.read('../../abc.eml').toString()).toContain('body'); // no path escapes
  });

  it('finds the data folder from --data-dir, then POSTHORN_DATA_DIR', () => {
    expect(resolveDataDir(['--data-dir', '/tmp/a'], {})).toBe('/tmp/a');
    expect(resolveDataDir(['--data-dir=/tmp/b'], { POSTHORN_DATA_DIR: '/tmp/c' })).toBe('/tmp/b');
    expect(resolveDataDir([], { POSTHORN_DATA_DIR: '/tmp/c' })).toBe('/tmp/c');
    expect(resolveDataDir([], {})).toMatch(/Posthorn$/);
  });
});
