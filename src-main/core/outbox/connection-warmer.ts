import type { AttemptReport } from '../smtp/attempt-report.ts';
import type { SmtpSession } from '../smtp/smtp-session.ts';
import type { TranscriptRecorder } from '../smtp/transcript-recorder.ts';
import type { ConnectionPool } from './connection-pool.ts';

/** A connection opened and logged in, or the report of why it could not be. */
export type Opened = { session: SmtpSession; recorder: TranscriptRecorder } | { report: AttemptReport };

type Warming = { key: string; generation: number; result: Promise<Opened> };
/** `generation`: the account's save it was opened under; a failure from before a save is old news. */
type Failure = { accountId: string; key: string; generation: number; report: AttemptReport; until: number };

/**
 * Connections opened ahead of a message, while it is frozen and saved and while it waits out
 * its undo delay, so that when it is due the slow part of SMTP (connect, TLS, login) is
 * already done. At most one per account, and only for an account with no connection at all.
 *
 * An attempt that finds no idle connection takes the one being opened for its account and
 * reports whatever came of it, so a failed login is tried once per message, not twice. If
 * nobody has taken it when it is ready, a working connection waits in the pool like any idle
 * one; a failure is kept (until shortly after the message is due) only for the message it was
 * opened for, because any other would be reporting an old failure as its own.
 */
export class ConnectionWarmer {
  private readonly pool: ConnectionPool;
  private readonly now: () => number;
  private readonly warming = new Map<string, Warming>();
  /** Failures nobody has reported yet, by the message they were opened for. */
  private readonly failures = new Map<string, Failure>();
  private readonly unsettled = new Set<Promise<void>>();

  constructor(pool: ConnectionPool, now: () => number) {
    this.pool = pool;
    this.now = now;
  }

  /** Connections being opened right now (they count against the global limit). */
  get inProgress(): number {
    return this.warming.size;
  }

  has(accountId: string): boolean {
    return this.warming.has(accountId);
  }

  /** Opens a connection for the account's next message (the one given, due at `dueAt`). */
  start(
    accountId: string,
    key: string,
    generation: number,
    forMessage: { id: string; dueAt: number },
    open: () => Promise<Opened>,
  ): void {
    if (this.warming.has(accountId)) return;
    this.forgetOldFailures();
    const entry: Warming = { key, generation, result: open() };
    this.warming.set(accountId, entry);
    const settled = entry.result.then((opened) => {
      // Taken by an attempt meanwhile: it owns the outcome now.
      if (this.warming.get(accountId) !== entry) return;
      this.warming.delete(accountId);
      if ('session' in opened) this.pool.give(accountId, opened.session);
      else
        this.failures.set(forMessage.id, {
          accountId,
          key,
          generation,
          report: opened.report,
          until: Math.max(forMessage.dueAt, this.now()) + FAILURE_KEPT_MS,
        });
    });
    this.unsettled.add(settled);
    void settled.finally(() => this.unsettled.delete(settled));
  }

  /**
   * For an attempt that found no idle connection: the connection being opened for its account
   * (same server settings), or the failure met by the one opened for this very message, unless
   * the account was saved since (a fixed password is tried, not reported as wrong again).
   */
  take(accountId: string, key: string, generation: number, messageId: string): Promise<Opened> | undefined {
    const entry = this.warming.get(accountId);
    // One opened before the account was saved again is not handed over, even while it is
    // still logging in: a fixed password is tried, not the old one's answer reported.
    if (entry && entry.key === key && entry.generation === generation) {
      this.warming.delete(accountId);
      return entry.result;
    }
    const failure = this.failures.get(messageId);
    if (!failure || failure.accountId !== accountId) return undefined;
    this.failures.delete(messageId);
    const current = failure.key === key && failure.generation === generation && this.now() <= failure.until;
    return current ? Promise.resolve({ report: failure.report }) : undefined;
  }

  /** Failures whose message never came for them (undone, cancelled) are dropped once too old to report. */
  private forgetOldFailures(): void {
    const now = this.now();
    for (const [messageId, failure] of this.failures) if (now > failure.until) this.failures.delete(messageId);
  }

  /** Waits for connections still being opened (they end up in the pool, to be closed with it). */
  async settle(): Promise<void> {
    while (this.unsettled.size > 0) await Promise.all([...this.unsettled]);
  }
}

/** How long after its message was due a failed early connection is still that message's news. */
const FAILURE_KEPT_MS = 10_000;
