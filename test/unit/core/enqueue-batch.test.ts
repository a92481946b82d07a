import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EnqueueBatch } from '../../../src-main/core/outbox/enqueue-batch.ts';
import { DATABASE_FILE, openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { INLINE_MAX_BYTES, Spool } from '../../../src-main/core/store/spool.ts';
import { tempDataDir } from '../../support/temp-dir.ts';

describe('enqueue batch (group commit)', () => {
  let cleanup: (() => void)[] = [];
  afterEach(() => {
    cleanup.forEach((step) => step());
    cleanup = [];
  });

  function setUp(): { dir: string; db: Db; spool: Spool; batch: EnqueueBatch } {
    const data = tempDataDir('batch');
    const db = openDatabase(data.dir);
    db.exec('CREATE TABLE queued (id TEXT PRIMARY KEY, spool_file TEXT NOT NULL)');
    const spool = new Spool(data.dir, db);
    cleanup.push(() => {
      spool.close();
      db.close();
      data.remove();
    });
    return { dir: data.dir, db, spool, batch: new EnqueueBatch(db, spool) };
  }

  /** A message too large to be kept in the database: it becomes a file. */
  const large = (text: string) =>
    Buffer.concat([Buffer.from(`Subject: ${text}\r\n\r\n`), Buffer.alloc(INLINE_MAX_BYTES)]);

  it('commits small messages handed in together with their rows: one flush, no file, readable after reopening', async () => {
    const { dir, db, spool, batch } = setUp();
    const ids = Array.from({ length: 150 }, (_, i) => `m${i}`);
    const files = await Promise.all(
      ids.map((id) =>
        batch.submit({
          id,
          bytes: Buffer.from(`Subject: ${id}\r\n\r\nbody`),
          record: (spoolFile) => {
            // In the same transaction as the row: no file of its own to flush.
            expect(db.inTransaction).toBe(true);
            db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run(id, spoolFile);
          },
        }),
      ),
    );
    expect(files).toEqual(ids.map((id) => `${id}.eml`));
    expect(db.prepare('SELECT count(*) AS n FROM queued').get()).toEqual({ n: 150 });
    expect(readdirSync(spool.dir)).toEqual([]);
    // Another Spool over the same database (as after a restart) reads each one back, byte for byte.
    const reopened = new Spool(dir, db);
    expect(reopened.read('m149.eml').toString()).toBe('Subject: m149\r\n\r\nbody');
    expect(reopened.source('m0.eml').size).toBe('Subject: m0\r\n\r\nbody'.length);
    expect(reopened.has('m7.eml')).toBe(true);
    reopened.dropInline('m7.eml');
    expect(reopened.has('m7.eml')).toBe(false);
  });

  it('writes a larger message as a file, flushed before its row is written', async () => {
    const { spool, db, batch } = setUp();
    const bytes = large('big');
    const name = await batch.submit({
      id: 'big',
      bytes,
      record: (spoolFile) => {
        expect(existsSync(path.join(spool.dir, spoolFile))).toBe(true);
        db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run('big', spoolFile);
      },
    });
    expect(readdirSync(spool.dir)).toEqual([name]);
    expect(spool.read(name).equals(bytes)).toBe(true);
  });

  it('a row that cannot be written fails only its own message, and its copy is removed', async () => {
    const { db, spool, batch } = setUp();
    const submit = (id: string, broken = false) =>
      batch.submit({
        id,
        bytes: id === 'c' ? large(id) : Buffer.from('x'),
        record: (spoolFile) => {
          if (broken) throw new Error('constraint failed');
          db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run(id, spoolFile);
        },
      });
    const results = await Promise.allSettled([submit('a'), submit('b', true), submit('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT id FROM queued ORDER BY id').all()).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(['a.eml', 'b.eml', 'c.eml'].map((name) => spool.has(name))).toEqual([true, false, true]);
    expect(readdirSync(spool.dir).sort()).toEqual(['c.eml']);
  });

  it('a message whose file cannot be written is refused with what to do, and no row is written', async () => {
    const { db, batch } = setUp();
    const outcome = batch.submit({
      id: 'no-such-folder/x',
      bytes: large('x'),
      record: () => db.prepare("INSERT INTO queued VALUES ('x', 'x')").run(),
    });
    await expect(outcome).rejects.toMatchObject({
      error: { code: 'STORE', hint: expect.stringMatching(/free space/) },
    });
    expect(db.prepare('SELECT count(*) AS n FROM queued').get()).toEqual({ n: 0 });
  });

  it('another program holding the database: each message is refused, none left unanswered, and the batch goes on after', async () => {
    const { dir, db, spool, batch } = setUp();
    db.pragma('busy_timeout = 50');
    const other = new Database(path.join(dir, DATABASE_FILE));
    other.prepare('BEGIN IMMEDIATE').run();
    const submit = (id: string, bytes: Buffer) =>
      batch.submit({
        id,
        bytes,
        record: (spoolFile) => db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run(id, spoolFile),
      });
    const locked = await Promise.allSettled([submit('small', Buffer.from('x')), submit('big', large('big'))]);
    expect(locked.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((locked[1] as PromiseRejectedResult).reason)).toMatch(/locked/);
    // The large message's file does not outlive its refusal.
    expect(readdirSync(spool.dir)).toEqual([]);
    other.prepare('ROLLBACK').run();
    other.close();
    await expect(submit('after', large('after'))).resolves.toBe('after.eml');
    expect(db.prepare('SELECT id FROM queued').all()).toEqual([{ id: 'after' }]);
  });

  it('a long queue handed in while the store refuses: all answered after one wait, not one busy wait per batch', async () => {
    const { dir, db, spool, batch } = setUp();
    db.pragma('busy_timeout = 50');
    const other = new Database(path.join(dir, DATABASE_FILE));
    other.prepare('BEGIN IMMEDIATE').run();
    // Each write of a batch starts by storing its first small message: count those tries.
    const tries = vi.spyOn(spool, 'keepInline');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        batch.submit({
          id: `m${i}`,
          bytes: Buffer.from(`message ${i}`),
          record: (spoolFile) =>
            db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run(`m${i}`, spoolFile),
        }),
      ),
    );
    other.prepare('ROLLBACK').run();
    other.close();
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    // Only the first batch met the lock (at its first message, where the write stopped); the 136
    // behind it were answered with the same refusal, without a busy wait of their own each.
    expect(tries).toHaveBeenCalledTimes(1);
  });
});
