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
