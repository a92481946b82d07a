import { randomUUID } from 'node:crypto';
import { appError, AppFailure, type AppError } from '../../shared/errors.ts';
import type { DsnRequest } from '../../shared/schemas/compose.ts';
import type { AccountRecord } from '../accounts/account-repo.ts';
import type { AttemptReport } from '../smtp/attempt-report.ts';
import type { SmtpTarget } from '../smtp/connection-options.ts';
import { SmtpSession, type MessageSource, type SendEnvelope } from '../smtp/smtp-session.ts';
import type { TranscriptRecorder } from '../smtp/transcript-recorder.ts';
import { ConnectionPool, DEFAULT_POOL, type PoolOptions } from './connection-pool.ts';
import { ConnectionWarmer, type Opened } from './connection-warmer.ts';
import { decideOutcome } from './decide-outcome.ts';
import type { OutboxContext } from './outbox-context.ts';
import type { OutboxRecord } from './outbox-repo.ts';

/** An attempt's outcome: the rows to write, then what follows once they are written. */
type Settlement = { write: () => void; after: () => void };

/** After the store refused a write (locked, full), how long before the sender tries again. */
const STORE_RETRY_MS = 2000;

/**
 * A connection is opened ahead of a message only if the message is due within this time, so
 * it is still open (idle connections close after 15 s) when the message goes.
 */
const WARM_AHEAD_MS = 10_000;

export type SenderDeps = OutboxContext & {
  /** Told when the store refused the sender's bookkeeping (shown as a console warning). */
  reportStoreTrouble?: (error: unknown) => void;
  trustedCertificates: readonly string[];
  /** At most this many SMTP connections at once, across all accounts (read each time: the person may change it). */
  maxConnections: () => number;
  pool?: PoolOptions;
};

/** An attempt that ended before any SMTP (account gone, keychain locked, spool lost, a bug). */
function failedBeforeSmtp(error: unknown): AttemptReport {
  const appErr: AppError =
    error instanceof AppFailure
      ? error.error
      : appError(
          'INTERNAL',
          `Sending failed inside Posthorn: ${(error as Error).message}`,
          'Try again; if it keeps failing, restart Posthorn.',
        );
  return {
    outcome: 'failed',
    phase: 'connect',
    replyCode: null,
    enhancedCode: null,
    response: null,
    finalDotSent: false,
    error: appErr,
    accepted: [],
    refusals: [],
    lines: [{ t: 0, dir: 'error', text: appErr.message }],
    facts: null,
  };
}

/** RFC 3461 parameters for what the person asked; nodemailer adds them only if the server offers DSN. */
function dsnEnvelope(dsn: DsnRequest | null): Pick<SendEnvelope, 'dsn'> {
  if (!dsn || (!dsn.success && !dsn.failure)) return {};
  const notify = [...(dsn.success ? ['SUCCESS'] : []), ...(dsn.failure ? ['FAILURE', 'DELAY'] : [])];
  return { dsn: { notify, ret: 'HDRS' } };
}

/** Which connections may be reused for an account: the same server, login and certificate pin. */
function sessionKey(account: AccountRecord): string {
  return JSON.stringify([
    account.host,
    account.port,
    account.security,
    account.auth,
    account.username,
    account.ehloName,
    account.pinnedCertificate?.fingerprint256 ?? null,
    account.allowPlaintextAuth,
  ]);
}

/**
 * Works through due messages: up to `maxConnections` at once, and per account up to the
 * account's own limit, each over a connection kept open between messages. Each attempt's
 * outcome and transcript are stored in one transaction with the message's new state.
 */
export class OutboxSender {
  private readonly deps: SenderDeps;
  private readonly pool: ConnectionPool;
  private readonly warmer: ConnectionWarmer;
  private readonly busy = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private pumping = false;
  /** While offline, nothing new is started until this time (or until wake()). */
  private pausedUntil = 0;
  /** After the store refused a write, nothing new starts until this (performance.now()) time. */
  private storeBlockedUntil = 0;
  /** Connections in use right now (a message whose SMTP part ended no longer holds one). */
  private slots = 0;
  /** Idle connections being closed to make room under the global limit. */
  private evicting = 0;

  constructor(deps: SenderDeps) {
    this.deps = deps;
    this.pool = new ConnectionPool(deps.pool ?? DEFAULT_POOL);
    this.warmer = new ConnectionWarmer(this.pool, deps.now);
  }

  /**
   * A message for this account was just handed in, due at `dueAt`: open a connection for it
   * now, while it is saved (and while it waits out its undo delay), if the account has none
   * and the limits allow. What comes of it is reported by the message's attempt.
   */
  warm(accountId: string, messageId: string, dueAt: number): void {
    const now = this.deps.now();
    if (
      this.closed ||
      now < this.pausedUntil ||
      performance.now() < this.storeBlockedUntil ||
      dueAt - now > WARM_AHEAD_MS
    )
      return;
    if ((this.busy.get(accountId) ?? 0) > 0 || this.pool.idleCount(accountId) > 0 || this.warmer.has(accountId)) return;
    if (this.openConnections() >= this.deps.maxConnections()) return;
    let account: AccountRecord;
    try {
      account = this.account(accountId);
    } catch {
      return; // the attempt will say what is wrong with the account
    }
    const key = sessionKey(account);
    this.warmer.start(accountId, key, messageId, dueAt, () => this.open(account, key));
  }

  /** Connections open or opening: in use, idle, being closed to make room, or opened ahead. */
  private openConnections(): number {
    return this.slots + this.pool.idleTotal() + this.evicting + this.warmer.inProgress;
  }

  /** Starts whatever is due, soon (never inside the caller's own call). */
  kick(): void {
    setImmediate(() => this.pump());
  }

  /** The machine woke or the network came back: end an offline pause and look at once. */
  wake(): void {
    this.pausedUntil = 0;
    // What waited only for the network goes now, not at its next check.
    try {
      this.deps.repo.offlineDueNow(this.deps.now());
    } catch (error) {
      this.storeTrouble(error);
    }
    this.kick();
  }

  /** Resolves once nothing is being sent. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle();
    await this.warmer.settle();
    await this.pool.closeAll();
  }

  private pump(): void {
    if (this.closed || this.pumping) return;
    const blockedFor = this.storeBlockedUntil - performance.now();
    if (blockedFor > 0) {
      // The store refused a write a moment ago: look again when the pause is over.
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), blockedFor + 1);
      this.timer.unref();
      return;
    }
    this.pumping = true;
    try {
      while (this.slots < this.deps.maxConnections() && this.deps.now() >= this.pausedUntil) {
        const item = this.deps.repo.nextDue(this.deps.now(), this.fullAccounts());
        if (!item) break;
        // The global limit counts open connections, idle ones included: a new connection for
        // this account needs a free place, or an idle one of another account to close first.
        const reusable =
          item.accountId !== null && (this.pool.idleCount(item.accountId) > 0 || this.warmer.has(item.accountId));
        const open = this.openConnections();
        let evict = false;
        if (!reusable && item.accountId !== null && open >= this.deps.maxConnections()) {
          if (this.pool.idleTotal() - this.pool.idleCount(item.accountId) <= 0) break;
          evict = true;
          this.evicting++;
        }
        const attemptId = randomUUID();
        try {
          this.claim(item, attemptId);
        } catch (error) {
          // The store refused (locked by another program, disk full): nothing was claimed, the
          // message is still waiting. Look again a little later instead of failing it.
          if (evict) this.evicting--;
          this.storeTrouble(error);
          break;
        }
        const accountKey = item.accountId ?? '';
        this.busy.set(accountKey, (this.busy.get(accountKey) ?? 0) + 1);
        let released = false;
        // The connection slot is freed as soon as the SMTP part is over, before the bookkeeping.
        const release = () => {
          if (released) return;
          released = true;
          this.busy.set(accountKey, (this.busy.get(accountKey) ?? 1) - 1);
          this.slots--;
        };
        this.slots++;
        const work: Promise<void> = this.sendOne(item, attemptId, release, evict).finally(() => {
          release();
          this.inFlight.delete(work);
          this.kick();
        });
        this.inFlight.add(work);
      }
    } finally {
      this.pumping = false;
    }
    // While messages are in flight, each one's end pumps again; the timer is for quiet times
    // (unless the store's own retry timer is set).
    if (this.slots === 0 && performance.now() >= this.storeBlockedUntil) this.scheduleNextRetry();
  }

  /** Accounts already using all the connections they may have (limits read once a second at most). */
  private fullAccounts(): string[] {
    const full: string[] = [];
    for (const [accountId, count] of this.busy) {
      if (accountId && count >= this.limitOf(accountId)) full.push(accountId);
    }
    return full;
  }

  private readonly limits = new Map<string, { limit: number; at: number }>();
  private readonly accountCache = new Map<string, { record: AccountRecord; at: number }>();

  /** The account's settings, read at most once a second while a batch goes out. */
  private account(id: string): AccountRecord {
    const cached = this.accountCache.get(id);
    const at = performance.now();
    if (cached && at - cached.at < 1000) return cached.record;
    const record = this.deps.accounts.require(id);
    this.accountCache.set(id, { record, at });
    return record;
  }

  private limitOf(accountId: string): number {
    const cached = this.limits.get(accountId);
    const at = performance.now();
    if (cached && at - cached.at < 1000) return cached.limit;
    const limit = this.deps.accounts.find(accountId)?.maxConnections ?? 1;
    this.limits.set(accountId, { limit, at });
    return limit;
  }

  private scheduleNextRetry(): void {
    if (this.closed) return;
    const due = this.deps.repo.earliestRetry();
    if (this.timer) clearTimeout(this.timer);
    if (due === null) return;
    const next = Math.max(due, this.pausedUntil);
    // Timers longer than ~24.8 days overflow; re-check at least hourly.
    const delay = Math.min(Math.max(next - this.deps.now(), 0), 60 * 60_000);
    this.timer = setTimeout(() => this.pump(), delay);
    this.timer.unref();
  }

  /**
   * Durable before any byte goes out, so a crash leaves a row that says an attempt began. The
   * outcomes of attempts that just ended are written in the same transaction: one commit per
   * message instead of two while a batch goes out.
   */
  private claim(item: OutboxRecord, attemptId: string): void {
    const { repo, attempts, now } = this.deps;
    const settled = this.takeSettlements();
    try {
      this.deps.db.transaction(() => {
        for (const settlement of settled) settlement.write();
        repo.markSending(item.id, now());
        attempts.start(attemptId, item.id, now());
      })();
    } catch (error) {
      this.settlements.unshift(...settled); // still owed; written on the next turn or claim
      throw error;
    }
    for (const settlement of settled) settlement.after();
    this.deps.events.emit({ name: 'outbox.changed', payload: { id: item.id, state: 'sending' } });
  }

  /** Outcomes waiting to be written: by the next claim, or at the latest on the next turn of the event loop. */
  private settlements: Settlement[] = [];
  private settlementsWritten: Promise<void> | null = null;

  private queueSettlement(settlement: Settlement): Promise<void> {
    this.settlements.push(settlement);
    this.settlementsWritten ??= new Promise<void>((resolve) => {
      const attempt = () => {
        try {
          this.writeSettlements();
          resolve();
        } catch (error) {
          // Kept (writeSettlements puts them back) and written when the store lets us: an
          // outcome is never dropped, and until it is written the message stays "sending",
          // which recovery would settle correctly after a crash.
          this.storeTrouble(error);
          setTimeout(attempt, STORE_RETRY_MS).unref();
        }
      };
      setImmediate(attempt);
    });
    return this.settlementsWritten;
  }

  /** Reported once per trouble, not per retry; the queue looks again after a pause. */
  private storeTrouble(error: unknown): void {
    this.deps.reportStoreTrouble?.(error);
    // Real time, not the injected clock: this is about the disk, not about mail being due.
    this.storeBlockedUntil = performance.now() + STORE_RETRY_MS;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), STORE_RETRY_MS);
    this.timer.unref();
  }

  private takeSettlements(): Settlement[] {
    const taken = this.settlements;
    this.settlements = [];
    return taken;
  }

  private writeSettlements(): void {
    const settled = this.takeSettlements();
    if (settled.length === 0) {
      this.settlementsWritten = null;
      return;
    }
    try {
      this.deps.db.transaction(() => {
        for (const settlement of settled) settlement.write();
      })();
    } catch (error) {
      this.settlements.unshift(...settled);
      throw error;
    }
    this.settlementsWritten = null;
    for (const settlement of settled) settlement.after();
  }

  private async sendOne(item: OutboxRecord, attemptId: string, releaseSlot: () => void, evict: boolean): Promise<void> {
    const { repo, attempts, events, now } = this.deps;
    if (evict) {
      try {
        await this.pool.evictOther(item.accountId ?? '');
      } finally {
        this.evicting--;
      }
    }
    const report = await this.attempt(item, attemptId);
    const { unburn, ...settlement } = decideOutcome(item, report, now());
    const written = this.queueSettlement({
      write: () => {
        attempts.finish(attemptId, { ...report, endedAt: now() });
        this.deps.search.addTranscript(item.id, attemptId, report.lines);
        repo.settle(item.id, { ...settlement, now: now() }, item);
        if (unburn) repo.unburnAttempt(item.id);
      },
      after: () => {
        // Offline: pause the whole queue rather than fail every message the same way.
        if (unburn && settlement.nextAttemptAt !== null) this.pausedUntil = settlement.nextAttemptAt;
        if (settlement.state !== 'deferred') this.deps.spool.release(item.spoolFile);
        events.emit({ name: 'outbox.changed', payload: { id: item.id, state: settlement.state } });
      },
    });
    // Put the next message on the wire at once; its claim writes this outcome down too.
    releaseSlot();
    if (!unburn) this.pump();
    await written;
  }

  /** Everything that can go wrong before SMTP (account gone, keychain locked, spool lost) is a failed attempt too. */
  private async attempt(item: OutboxRecord, attemptId: string): Promise<AttemptReport> {
    try {
      if (!item.accountId)
        throw new AppFailure(
          appError(
            'NOT_FOUND',
            'The account of this message was deleted.',
            'Add the account again and resend the message.',
          ),
        );
      const account = this.account(item.accountId);
      const message = this.readSpool(item);
      const key = sessionKey(account);
      let session = this.pool.take(account.id, key);
      let recorder: TranscriptRecorder;
      if (session) {
        recorder = session.reuse();
      } else {
        const warm = this.warmer.take(account.id, key, item.id);
        const opened = await (warm ?? this.open(account, key));
        if ('report' in opened) return opened.report;
        session = opened.session;
        recorder = opened.recorder;
        if (warm)
          recorder.note(
            'info',
            'This connection was opened ahead of the message, while it was being saved; the lines above came before the attempt began.',
          );
      }
      // Only the recipients still pending: nobody gets the message twice.
      const report = await session.send(
        recorder,
        { from: item.envelopeFrom, to: item.pending, ...dsnEnvelope(item.dsn) },
        message,
        {
          onFinalDot: () => this.deps.attempts.markFinalDot(attemptId),
          onProgress: this.progressReporter(item.id, attemptId),
        },
      );
      this.pool.give(account.id, session);
      return report;
    } catch (error) {
      return failedBeforeSmtp(error);
    }
  }

  /** Opens and logs in a connection for the account (password from the keychain); never throws. */
  private async open(account: AccountRecord, key: string): Promise<Opened> {
    try {
      const target: SmtpTarget = {
        ...account,
        password: await this.deps.accounts.password(account),
        trustedCertificates: this.deps.trustedCertificates,
      };
      const opened = await SmtpSession.open(target, key);
      const capabilities = 'session' in opened ? opened.session.capabilities : null;
      try {
        if (capabilities) this.deps.accounts.recordCapabilities(account.id, { at: this.deps.now(), capabilities });
      } catch (error) {
        // A note for the account screen; a store that refuses it must not cost the message its connection.
        this.storeTrouble(error);
      }
      return opened;
    } catch (error) {
      return { report: failedBeforeSmtp(error) };
    }
  }

  /** At most about five progress events a second per message, and always the last one. */
  private progressReporter(id: string, attemptId: string): (sent: number, total: number) => void {
    let last = 0;
    return (sent, total) => {
      const at = performance.now();
      if (sent < total && at - last < 200) return;
      last = at;
      this.deps.events.emit({ name: 'attempt.progress', payload: { id, attemptId, sent, total } });
    };
  }

  private readSpool(item: OutboxRecord): MessageSource {
    try {
      return this.deps.spool.source(item.spoolFile);
    } catch {
      throw new AppFailure(
        appError(
          'SPOOL_MISSING',
          'The saved copy of this message is missing from the spool folder, so it cannot be sent.',
          'Write the message again.',
        ),
      );
    }
  }
}
