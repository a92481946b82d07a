import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnqueueBatch } from '../../../src-main/core/outbox/enqueue-batch.ts';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { Spool } from '../../../src-main/core/store/spool.ts';
import { tempDataDir } from '../../support/temp-dir.ts';

describe('enqueue batch (group commit)', () => {
  let cleanup: (() => void)[] = [];
  afterEach(() => {
    cleanup.forEach((step) => step());
    cleanup = [];
  });

  function setUp(): { db: Db; spool: Spool; batch: EnqueueBatch } {
    const data = tempDataDir('batch');
    const db = openDatabase(data.dir);
    db.exec('CREATE TABLE queued (id TEXT PRIMARY KEY, spool_file TEXT NOT NULL)');
    const spool = new Spool(data.dir);
    cleanup.push(() => {
      spool.close();
      db.close();
      data.remove();
    });
    return { db, spool, batch: new EnqueueBatch(db, spool) };
  }

  it('makes messages handed in together durable, each answered only once its file and row exist', async () => {
    const { db, spool, batch } = setUp();
    const ids = Array.from({ length: 150 }, (_, i) => `m${i}`);
    const files = await Promise.all(
      ids.map((id) =>
        batch.submit({
          id,
          bytes: Buffer.from(`Subject: ${id}\r\n\r\nbody`),
          record: (spoolFile) => {
            // The file is already there when the row is written.
            expect(existsSync(path.join(spool.dir, spoolFile))).toBe(true);
            db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run(id, spoolFile);
          },
        }),
      ),
    );
    expect(files).toEqual(ids.map((id) => `${id}.eml`));
    expect(db.prepare('SELECT count(*) AS n FROM queued').get()).toEqual({ n: 150 });
    expect(readdirSync(spool.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a row that cannot be written fails only its own message, and its file is removed', async () => {
    const { db, spool, batch } = setUp();
    const submit = (id: string, broken = false) =>
      batch.submit({
        id,
        bytes: Buffer.from('x'),
        record: (spoolFile) => {
          if (broken) throw new Error('constraint failed');
          db.prepare('INSERT INTO queued (id, spool_file) VALUES (?, ?)').run(id, spoolFile);
        },
      });
    const results = await Promise.allSettled([submit('a'), submit('b', true), submit('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT id FROM queued ORDER BY id').all()).toEqual([{ id: 'a' }, { id: 'c' }]);
    expect(readdirSync(spool.dir).sort()).toEqual(['a.eml', 'c.eml']);
  });

  it('a message whose file cannot be written is refused with what to do, and no row is written', async () => {
    const { db, batch } = setUp();
    const outcome = batch.submit({
      id: 'no-such-folder/x',
      bytes: Buffer.from('x'),
      record: () => db.prepare("INSERT INTO queued VALUES ('x', 'x')").run(),
    });
    await expect(outcome).rejects.toMatchObject({
      error: { code: 'STORE', hint: expect.stringMatching(/free space/) },
    });
    expect(db.prepare('SELECT count(*) AS n FROM queued').get()).toEqual({ n: 0 });
  });
});
