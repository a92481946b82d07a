import type { AppError } from '../../shared/errors.ts';
import type { OutboxItem, OutboxState } from '../../shared/models.ts';
import { parseStoredError } from '../logs/attempt-store.ts';
import type { Db } from '../store/database.ts';

export type OutboxRecord = OutboxItem & { envelopeFrom: string; spoolFile: string; nextAttemptAt: number | null };

type OutboxRow = {
  id: string;
  account_id: string | null;
  state: OutboxState;
  message_id: string;
  from_addr: string;
  envelope_from: string;
  recipients: string;
  subject: string;
  spool_file: string;
  size: number;
  attempt_count: number;
  last_reply: string | null;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: number;
  updated_at: number;
};

function fromRow(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    state: row.state,
    messageId: row.message_id,
    from: row.from_addr,
    envelopeFrom: row.envelope_from,
    to: JSON.parse(row.recipients) as string[],
    subject: row.subject,
    spoolFile: row.spool_file,
    size: row.size,
    attemptCount: row.attempt_count,
    lastReply: row.last_reply,
    lastError: parseStoredError(row.last_error),
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type NewOutboxRecord = Pick<OutboxRecord, 'id' | 'accountId' | 'messageId' | 'from' | 'envelopeFrom' | 'to' | 'subject' | 'spoolFile' | 'size' | 'createdAt'>;

export class OutboxRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(record: NewOutboxRecord): void {
    this.db
      .prepare(
        `INSERT INTO outbox (id, account_id, state, message_id, from_addr, envelope_from, recipients, subject, spool_file, size, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(record.id, record.accountId, record.messageId, record.from, record.envelopeFrom, JSON.stringify(record.to), record.subject, record.spoolFile, record.size, record.createdAt, record.createdAt, record.createdAt);
  }

  find(id: string): OutboxRecord | undefined {
    const row = this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  list(): OutboxRecord[] {
    return (this.db.prepare('SELECT * FROM outbox ORDER BY created_at DESC, rowid DESC').all() as OutboxRow[]).map(fromRow);
  }

  /** The oldest message that is due now: queued, or deferred whose retry time has come. */
  nextDue(now: number): OutboxRecord | undefined {
    const row = this.db
      .prepare("SELECT * FROM outbox WHERE state IN ('queued', 'deferred') AND coalesce(next_attempt_at, 0) <= ? ORDER BY next_attempt_at, created_at LIMIT 1")
      .get(now) as OutboxRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  earliestRetry(): number | null {
    const row = this.db.prepare("SELECT min(next_attempt_at) AS t FROM outbox WHERE state IN ('queued', 'deferred')").get() as { t: number | null };
    return row.t;
  }

  markSending(id: string, now: number): void {
    this.db.prepare("UPDATE outbox SET state = 'sending', attempt_count = attempt_count + 1, updated_at = ? WHERE id = ?").run(now, id);
  }

  settle(id: string, change: { state: OutboxState; lastReply: string | null; lastError: AppError | null; nextAttemptAt: number | null; now: number }): void {
    this.db
      .prepare('UPDATE outbox SET state = ?, last_reply = ?, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?')
      .run(change.state, change.lastReply, change.lastError ? JSON.stringify(change.lastError) : null, change.nextAttemptAt, change.now, id);
  }

  /** Marks an account's waiting messages cancelled (kept, with the reason); returns their ids. */
  cancelWaiting(accountId: string, reason: AppError, now: number): string[] {
    const ids = (this.db.prepare("SELECT id FROM outbox WHERE account_id = ? AND state IN ('queued', 'deferred')").all(accountId) as { id: string }[]).map((r) => r.id);
    const update = this.db.prepare("UPDATE outbox SET state = 'cancelled', last_error = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?");
    for (const id of ids) update.run(JSON.stringify(reason), now, id);
    return ids;
  }

  inState(state: OutboxState): OutboxRecord[] {
    return (this.db.prepare('SELECT * FROM outbox WHERE state = ?').all(state) as OutboxRow[]).map(fromRow);
  }
}

export function toItem(record: OutboxRecord): OutboxItem {
  const { envelopeFrom: _e, spoolFile: _s, nextAttemptAt: _n, ...item } = record;
  return item;
}
