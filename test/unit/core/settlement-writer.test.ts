import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettlementWriter, STORE_RETRY_MS } from '../../../src-main/core/outbox/settlement-writer.ts';

describe('SettlementWriter: outcomes share a commit, and none is ever dropped', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE IF NOT EXISTS log (what TEXT)');
  const rows = () => (db.prepare('SELECT what FROM log ORDER BY rowid').all() as { what: string }[]).map((r) => r.what);
  afterEach(() => {
    db.exec('DELETE FROM log');
    vi.useRealTimers();
  });
  const insert = (what: string) => () => void db.prepare('INSERT INTO log (what) VALUES (?)').run(what);

  it('writes outcomes waiting together on the next turn, then runs what follows each', async () => {
    const after: string[] = [];
    const writer = new SettlementWriter(db, () => undefined);
    const first = writer.queue({ write: insert('a'), after: () => after.push('a') });
    const second = writer.queue({ write: insert('b'), after: () => after.push('b') });
    expect(first).toBe(second); // one write for both
    expect(rows()).toEqual([]);
    await first;
    expect(rows()).toEqual(['a', 'b']);
    expect(after).toEqual(['a', 'b']);
  });

  it('a claim takes the waiting outcomes into its own transaction', async () => {
    const writer = new SettlementWriter(db, () => undefined);
    const written = writer.queue({ write: insert('outcome'), after: () => undefined });
    writer.writeWith(insert('claim'));
    expect(rows()).toEqual(['outcome', 'claim']);
    await written;
    expect(rows()).toEqual(['outcome', 'claim']); // not written twice
  });

  it('when the store refuses, the claim fails whole and the outcome is kept and written later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setImmediate'] });
    const trouble: unknown[] = [];
    const writer = new SettlementWriter(db, (error) => trouble.push(error));
    let refuse = true;
    const flaky = () => {
      if (refuse) throw new Error('SQLITE_BUSY: database is locked');
      insert('outcome')();
    };
    const written = writer.queue({ write: flaky, after: () => undefined });
    expect(() => writer.writeWith(insert('claim'))).toThrow(/locked/);
    expect(rows()).toEqual([]); // the claim's row was rolled back with it
    await vi.advanceTimersByTimeAsync(0);
    expect(trouble).toHaveLength(1);
    refuse = false;
    await vi.advanceTimersByTimeAsync(STORE_RETRY_MS);
    await written;
    expect(rows()).toEqual(['outcome']);
  });

  it('an outcome queued while others are being followed up gets a write of its own', async () => {
    const writer = new SettlementWriter(db, () => undefined);
    let late: Promise<void> | null = null;
    await writer.queue({
      write: insert('first'),
      after: () => (late = writer.queue({ write: insert('late'), after: () => undefined })),
    });
    await late;
    expect(rows()).toEqual(['first', 'late']);
  });
});
