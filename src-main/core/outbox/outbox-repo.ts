import { fail } from '../../shared/errors.ts';
import type { AppError } from '../../shared/errors.ts';
import { draftContentSchema, type DraftContent } from '../../shared/schemas/compose.ts';
import type { OutboxState } from '../../shared/schemas/outbox.ts';
import { durably, sql, type Db } from '../store/database.ts';
import {
  fromRow,
  json,
  type NewOutboxRecord,
  type OutboxRecord,
  type OutboxRow,
  type Settlement,
} from './outbox-record.ts';

export class OutboxRepo {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  insert(record: NewOutboxRecord): void {
    sql(
      this.db,
      `INSERT INTO outbox (id, account_id, state, message_id, from_addr, envelope_from, recipients, subject, spool_file, size, next_attempt_at,
           expires_at, draft, dsn, route, leg_domain, leg_of, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      record.id,
      record.accountId,
      record.messageId,
      record.from,
      record.envelopeFrom,
      JSON.stringify(record.to),
      record.subject,
      record.spoolFile,
      record.size,
      record.notBefore,
      record.expiresAt,
      record.draft ? JSON.stringify(record.draft) : null,
      record.dsn ? JSON.stringify(record.dsn) : null,
      record.route === 'direct' ? 'direct' : null,
      record.legDomain,
      record.legOf,
      record.createdAt,
      record.createdAt,
    );
  }

  /** What the person wrote, read only when it is asked for (Undo, Edit as new), not on every send. */
  draft(id: string): DraftContent | null {
    const row = sql(this.db, 'SELECT draft FROM outbox WHERE id = ?').get(id) as { draft: string | null } | undefined;
    const parsed = draftContentSchema.safeParse(json<unknown>(row?.draft ?? null, null));
    return parsed.success ? parsed.data : null;
  }

  /** The message, or NOT_FOUND in words a person understands. */
  require(id: string): OutboxRecord {
    const record = this.find(id);
    if (!record) fail('NOT_FOUND', 'That message is no longer in the outbox.', 'Refresh the outbox list.');
    return record;
  }

  find(id: string): OutboxRecord | undefined {
    const row = sql(this.db, 'SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Several rows by id, in the order given. */
  findMany(ids: readonly string[]): OutboxRecord[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM outbox WHERE id IN (${ids.map(() => '?').join(', ')})`)
      .all(...ids) as OutboxRow[];
    const byId = new Map(rows.map((row) => [row.id, fromRow(row)]));
    return ids.map((id) => byId.get(id)).filter((r): r is OutboxRecord => r !== undefined);
  }

  /** What the Outbox view shows: everything not finished, and what finished since `recentSince`. */
  /** The legs of a message sent by direct delivery (its rows for each recipient domain), first leg first. */
  legs(legOf: string): OutboxRecord[] {
    return (sql(this.db, 'SELECT * FROM outbox WHERE leg_of = ? ORDER BY rowid').all(legOf) as OutboxRow[]).map(
      fromRow,
    );
  }

  listActive(recentSince: number): OutboxRecord[] {
    return (
      sql(
        this.db,
        "SELECT * FROM outbox WHERE state NOT IN ('sent', 'cancelled') OR updated_at >= ? ORDER BY created_at DESC, rowid DESC",
      ).all(recentSince) as OutboxRow[]
    ).map(fromRow);
  }

  /** Waiting messages and their spool files, for the start-up check. */
  activeSpoolFiles(): { id: string; state: OutboxState; spoolFile: string }[] {
    return sql(
      this.db,
      "SELECT id, state, spool_file AS spoolFile FROM outbox WHERE state IN ('queued', 'sending', 'deferred', 'uncertain')",
    ).all() as { id: string; state: OutboxState; spoolFile: string }[];
  }

  hasSpoolFile(name: string): boolean {
    return sql(this.db, 'SELECT 1 FROM outbox WHERE spool_file = ? LIMIT 1').get(name) !== undefined;
  }

  /**
   * The oldest message that is due now (queued or deferred, whose time has come), skipping accounts with no free
   * connection.
   */
  nextDue(now: number, skipAccounts: readonly string[] = []): OutboxRecord | undefined {
    const skip =
      skipAccounts.length > 0 ? `AND coalesce(account_id, '') NOT IN (${skipAccounts.map(() => '?').join(', ')})` : '';
    // Same condition as the partial index outbox_due, so SQLite walks it in order and stops at once.
    const row = sql(
      this.db,
      `SELECT * FROM outbox INDEXED BY outbox_due WHERE state IN ('queued', 'deferred') AND next_attempt_at <= ? ${skip} ORDER BY next_attempt_at, created_at LIMIT 1`,
    ).get(now, ...skipAccounts) as OutboxRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Messages deferred only because the machine was offline become due now (the network is back). */
  offlineDueNow(now: number): number {
    return sql(
      this.db,
      "UPDATE outbox SET next_attempt_at = ? WHERE state = 'deferred' AND next_attempt_at > ? AND json_extract(last_error, '$.code') = 'OFFLINE'",
    ).run(now, now).changes;
  }

  /** An account signed in again: its messages that waited for it become due now. */
  signedInDueNow(accountId: string, now: number): number {
    return sql(
      this.db,
      "UPDATE outbox SET next_attempt_at = ? WHERE account_id = ? AND state = 'deferred' AND json_extract(last_error, '$.code') = 'SIGN_IN'",
    ).run(now, accountId).changes;
  }

  /** When the next waiting message falls due after `now` (those due already are started as room frees up). */
  earliestRetry(now: number): number | null {
    const row = sql(
      this.db,
      "SELECT min(next_attempt_at) AS t FROM outbox WHERE state IN ('queued', 'deferred') AND next_attempt_at > ?",
    ).get(now) as { t: number | null };
    return row.t;
  }

  markSending(id: string, now: number): void {
    sql(
      this.db,
      "UPDATE outbox SET state = 'sending', attempt_count = attempt_count + 1, updated_at = ? WHERE id = ?",
    ).run(now, id);
  }

  /** An attempt that never reached any server (offline) does not count toward the backoff. */
  unburnAttempt(id: string): void {
    sql(this.db, 'UPDATE outbox SET attempt_count = max(attempt_count - 1, 0) WHERE id = ?').run(id);
  }

  /** `current` is the row as the caller last read it, for the bookkeeping the change leaves alone. */
  settle(
    id: string,
    change: Settlement,
    current: Pick<OutboxRecord, 'delivered' | 'rejected' | 'pending'> | undefined = this.find(id),
  ): void {
    if (!current) return;
    sql(
      this.db,
      'UPDATE outbox SET state = ?, last_reply = ?, last_error = ?, next_attempt_at = ?, delivered = ?, rejected = ?, pending = ?, updated_at = ? WHERE id = ?',
    ).run(
      change.state,
      change.lastReply,
      change.lastError ? JSON.stringify(change.lastError) : null,
      change.nextAttemptAt,
      JSON.stringify(change.delivered ?? current.delivered),
      JSON.stringify(change.rejected ?? current.rejected),
      JSON.stringify(change.pending ?? current.pending),
      change.now,
      id,
    );
  }

  /** A state change that keeps the delivery bookkeeping, only if the message is still in one of `from`. */
  transition(
    id: string,
    from: readonly OutboxState[],
    to: OutboxState,
    now: number,
    extra: { lastReply?: string | null; lastError?: AppError | null; nextAttemptAt?: number | null } = {},
  ): boolean {
    const placeholders = from.map(() => '?').join(', ');
    const sets = ['state = ?', 'updated_at = ?'];
    const values: unknown[] = [to, now];
    if (extra.lastReply !== undefined) {
      sets.push('last_reply = ?');
      values.push(extra.lastReply);
    }
    if (extra.lastError !== undefined) {
      sets.push('last_error = ?');
      values.push(extra.lastError ? JSON.stringify(extra.lastError) : null);
    }
    if (extra.nextAttemptAt !== undefined) {
      sets.push('next_attempt_at = ?');
      values.push(extra.nextAttemptAt);
    }
    return (
      sql(this.db, `UPDATE outbox SET ${sets.join(', ')} WHERE id = ? AND state IN (${placeholders})`).run(
        ...values,
        id,
        ...from,
      ).changes > 0
    );
  }

  remove(id: string): void {
    sql(this.db, 'DELETE FROM outbox WHERE id = ?').run(id);
  }

  /** Marks an account's waiting messages cancelled (kept, with the reason); returns their ids. */
  cancelWaiting(accountId: string, reason: AppError, now: number): string[] {
    const ids = (
      sql(this.db, "SELECT id FROM outbox WHERE account_id = ? AND state IN ('queued', 'deferred')").all(accountId) as {
        id: string;
      }[]
    ).map((r) => r.id);
    durably(this.db, () => {
      for (const id of ids)
        this.transition(id, ['queued', 'deferred'], 'cancelled', now, { lastError: reason, nextAttemptAt: null });
    });
    return ids;
  }

  inState(state: OutboxState): OutboxRecord[] {
    return (sql(this.db, 'SELECT * FROM outbox WHERE state = ?').all(state) as OutboxRow[]).map(fromRow);
  }
}
