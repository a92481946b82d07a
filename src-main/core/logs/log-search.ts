import type { OutboxState } from '../../shared/models.ts';
import { sql, type Db } from '../store/database.ts';

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
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '""'))
    .filter((w) => w.length > 0)
    .slice(0, 16);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The search index (FTS5) over subjects, addresses and transcripts, one row per message. */
export class LogSearch {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Indexes a message whose outbox row already exists, and notes the index row on it. */
  addMessage(outboxId: string, subject: string, addresses: readonly string[]): void {
    const { lastInsertRowid } = sql(this.db, 'INSERT INTO log_search (outbox_id, subject, addresses, transcript) VALUES (?, ?, ?, ?)').run(outboxId, subject, addresses.join(' '), '');
    sql(this.db, 'UPDATE outbox SET search_rowid = ? WHERE id = ?').run(lastInsertRowid, outboxId);
  }

  addTranscript(outboxId: string, lines: readonly { text: string }[]): void {
    const text = lines.map((l) => l.text).join('\n');
    sql(this.db, 'UPDATE log_search SET transcript = transcript || char(10) || ? WHERE rowid = (SELECT search_rowid FROM outbox WHERE id = ?)').run(text, outboxId);
  }

  /** Before the outbox row goes: the index row is found through it. */
  removeMessage(outboxId: string): void {
    sql(this.db, 'DELETE FROM log_search WHERE rowid = (SELECT search_rowid FROM outbox WHERE id = ?)').run(outboxId);
  }

  /** Matching message ids, newest first, one page, and how many match in all. */
  search(query: LogQuery): { ids: string[]; total: number } {
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
    const ids = (sql(this.db, `SELECT o.id FROM outbox o ${clause} ORDER BY o.created_at DESC, o.rowid DESC LIMIT ? OFFSET ?`).all(...params, query.limit, query.offset) as { id: string }[]).map((r) => r.id);
    return { ids, total };
  }
}
