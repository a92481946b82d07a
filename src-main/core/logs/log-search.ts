import type { OutboxState } from '../../shared/schemas/outbox.ts';
import { sql, type Db } from '../store/database.ts';
import { storedTranscript } from './attempt-store.ts';

export type LogQuery = {
  text?: string | undefined;
  accountId?: string | undefined;
  state?: OutboxState | undefined;
  since?: number | undefined;
  until?: number | undefined;
  recipient?: string | undefined;
  offset: number;
  limit: number;
};

/**
 * What a person types, made safe for FTS5: each word becomes a quoted phrase (so `"`, `-`, `:`
 * or `OR` are plain text, never query syntax); the last one matches as a prefix while typing.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    // Control characters (NUL ends an FTS5 query string early) are no part of a word.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '""'))
    .filter((w) => w.length > 0)
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** How long a finished attempt's transcript may wait before it is added to the index. */
const INDEX_DELAY_MS = 250;

type PendingTranscript = { outboxId: string; attemptId: string; text: string };

/**
 * The search index (FTS5) over subjects, addresses and transcripts, one row per message.
 *
 * Transcripts are indexed a little after their attempt is stored, many in one transaction:
 * FTS5 writes a new index segment for every transaction that changes it, which made indexing
 * the dearest part of storing an outcome while a batch went out. Nothing is missed by waiting:
 * every search first indexes what is pending, and an attempt stays marked `indexed = 0` until
 * its transcript is in the index, so after a crash start-up indexes it from its stored lines.
 */
export class LogSearch {
  private readonly db: Db;
  private pending: PendingTranscript[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(db: Db) {
    this.db = db;
  }

  /** Indexes a message whose outbox row already exists, and notes the index row on it. */
  addMessage(outboxId: string, subject: string, addresses: readonly string[]): void {
    const { lastInsertRowid } = sql(
      this.db,
      'INSERT INTO log_search (outbox_id, subject, addresses, transcript) VALUES (?, ?, ?, ?)',
    ).run(outboxId, subject, addresses.join(' '), '');
    sql(this.db, 'UPDATE outbox SET search_rowid = ? WHERE id = ?').run(lastInsertRowid, outboxId);
  }

  /**
   * Called in the transaction that stores a finished attempt (which marks it as waiting for the
   * index, durably, with the outcome): queues its text for the next flush.
   */
  addTranscript(outboxId: string, attemptId: string, lines: readonly { text: string }[]): void {
    this.pending.push({ outboxId, attemptId, text: lines.map((l) => l.text).join('\n') });
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), INDEX_DELAY_MS);
      this.timer.unref();
    }
  }

  /** Adds every waiting transcript to the index, in one transaction. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) this.index(item);
      })();
    } catch (error) {
      this.pending = [...batch, ...this.pending]; // still marked in the store; tried again on the next flush or start
      throw error;
    }
  }

  /** At start-up: transcripts stored before a crash but not yet indexed. Returns how many. */
  recoverPending(): number {
    const rows = sql(this.db, 'SELECT id, outbox_id AS outboxId FROM attempts WHERE indexed = 0').all() as {
      id: string;
      outboxId: string;
    }[];
    if (rows.length === 0) return 0;
    this.db.transaction(() => {
      for (const row of rows) {
        const text = storedTranscript(this.db, row.id)
          .map((l) => l.text)
          .join('\n');
        this.index({ outboxId: row.outboxId, attemptId: row.id, text });
      }
    })();
    return rows.length;
  }

  private index(item: PendingTranscript): void {
    sql(
      this.db,
      'UPDATE log_search SET transcript = transcript || char(10) || ? WHERE rowid = (SELECT search_rowid FROM outbox WHERE id = ?)',
    ).run(item.text, item.outboxId);
    sql(this.db, 'UPDATE attempts SET indexed = 1 WHERE id = ?').run(item.attemptId);
  }

  /** Before the outbox row goes: the index row is found through it. */
  removeMessage(outboxId: string): void {
    this.flush();
    sql(this.db, 'DELETE FROM log_search WHERE rowid = (SELECT search_rowid FROM outbox WHERE id = ?)').run(outboxId);
  }

  /** Matching message ids, newest first, one page, and how many match in all. */
  search(query: LogQuery): { ids: string[]; total: number } {
    this.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    const match = query.text ? ftsQuery(query.text) : null;
    if (match) {
      where.push('o.id IN (SELECT outbox_id FROM log_search WHERE log_search MATCH ?)');
      params.push(match);
    }
    if (query.accountId) {
      where.push('o.account_id = ?');
      params.push(query.accountId);
    }
    if (query.state) {
      where.push('o.state = ?');
      params.push(query.state);
    }
    if (query.since !== undefined) {
      where.push('o.created_at >= ?');
      params.push(query.since);
    }
    if (query.until !== undefined) {
      where.push('o.created_at < ?');
      params.push(query.until);
    }
    if (query.recipient) {
      // LIKE with "!" as the escape character, so % and _ in what was typed match themselves.
      where.push("o.recipients LIKE ? ESCAPE '!'");
      params.push(`%${query.recipient.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (sql(this.db, `SELECT count(*) AS n FROM outbox o ${clause}`).get(...params) as { n: number }).n;
    const ids = (
      sql(this.db, `SELECT o.id FROM outbox o ${clause} ORDER BY o.created_at DESC, o.rowid DESC LIMIT ? OFFSET ?`).all(
        ...params,
        query.limit,
        query.offset,
      ) as { id: string }[]
    ).map((r) => r.id);
    return { ids, total };
  }
}
