import { randomUUID } from 'node:crypto';
import type { AccountRecord } from '../accounts/account-repo.ts';
import type { MailDomainResolver } from '../compose/mail-domain.ts';
import type { DirectDeliveryDeps } from '../direct/direct-delivery.ts';
import { AttemptRunner, sessionKey } from './attempt-runner.ts';
import { ConnectionBudget, type Admission, type Lease } from './connection-budget.ts';
import { ConnectionPool, DEFAULT_POOL, type PoolOptions } from './connection-pool.ts';
import { ConnectionWarmer } from './connection-warmer.ts';
import { decideOutcome } from './decide-outcome.ts';
import type { OutboxContext } from './outbox-context.ts';
import type { OutboxRecord } from './outbox-record.ts';
import { SettlementWriter, STORE_RETRY_MS } from './settlement-writer.ts';
import { TtlCache } from './ttl-cache.ts';

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
  /** How long to wait before the nth retry (the backoff of retry-policy.ts unless tests shorten it). */
  retryDelay?: (attemptNumber: number) => number;
  /** Direct delivery (issue 21): the DNS to find recipients' mail servers with, and the port they listen on. */
  direct: { resolver: MailDomainResolver; port: number; sts: DirectDeliveryDeps['sts'] };
};

/**
 * The send loop: works through due messages within the connection limits (ConnectionBudget),
 * each over a connection kept open between messages (ConnectionPool, ConnectionWarmer), its
 * SMTP part run by AttemptRunner and its outcome written with the next claim (SettlementWriter).
 * A claim is durable before any byte goes out.
 */
export class OutboxSender {
  private readonly deps: SenderDeps;
  private readonly pool: ConnectionPool;
  private readonly warmer: ConnectionWarmer;
  private readonly budget: ConnectionBudget;
  private readonly settlements: SettlementWriter;
  private readonly runner: AttemptRunner;
  private readonly accounts: TtlCache<string, AccountRecord>;
  private readonly inFlight = new Set<Promise<void>>();
  /** Bumped each time an account is saved; connections opened before are not reused. */
  private readonly generations = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private pumping = false;
  /** While offline, nothing new is started until this time (or until wake()). */
  private pausedUntil = 0;
  /** After the store refused a write, nothing new starts until this (performance.now()) time. */
  private storeBlockedUntil = 0;

  constructor(deps: SenderDeps) {
    this.deps = deps;
    this.pool = new ConnectionPool(deps.pool ?? DEFAULT_POOL);
    this.warmer = new ConnectionWarmer(this.pool, deps.now);
    this.budget = new ConnectionBudget({
      pool: this.pool,
      warmer: this.warmer,
      maxConnections: deps.maxConnections,
      accountLimit: (id) => deps.accounts.find(id)?.maxConnections ?? 1,
    });
    this.settlements = new SettlementWriter(deps.db, (error) => this.storeTrouble(error));
    // The account's settings, read at most once a second while a batch goes out.
    this.accounts = new TtlCache(1000, (id) => deps.accounts.require(id));
    this.runner = new AttemptRunner({
      ...deps,
      account: (id) => this.accounts.get(id),
      generation: (id) => this.generationOf(id),
      pool: this.pool,
      warmer: this.warmer,
      onStoreTrouble: (error) => this.storeTrouble(error),
    });
  }

  /**
   * A message for this account was just handed in, due at `dueAt`: open a connection for it
   * now, while it is saved (and while it waits out its undo delay), if the account has none
   * and the limits allow. What comes of it is reported by the message's attempt.
   */
  warm(accountId: string, messageId: string, dueAt: number): void {
    const now = this.deps.now();
    if (this.closed || now < this.pausedUntil || performance.now() < this.storeBlockedUntil) return;
    if (dueAt - now > WARM_AHEAD_MS || !this.budget.canOpenAhead(accountId)) return;
    let account: AccountRecord;
    try {
      account = this.accounts.get(accountId);
    } catch {
      return; // the attempt will say what is wrong with the account
    }
    const key = sessionKey(account);
    this.warmer.start(accountId, key, this.generationOf(accountId), { id: messageId, dueAt }, () =>
      this.runner.open(account, key),
    );
  }

  /**
   * The account was saved: what was cached of it is read again, its idle connections are closed,
   * and connections busy or being opened under the old settings are not used again.
   */
  accountChanged(accountId: string): void {
    this.accounts.forget(accountId);
    this.generations.set(accountId, this.generationOf(accountId) + 1);
    this.pool.closeIdle(accountId);
    // Signed in again, say: what waited for the account's sign-in goes now.
    try {
      if (this.deps.repo.signedInDueNow(accountId, this.deps.now()) > 0) this.kick();
    } catch (error) {
      this.storeTrouble(error);
    }
  }

  private generationOf(accountId: string): number {
    return this.generations.get(accountId) ?? 0;
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
      this.setTimer(blockedFor + 1);
      return;
    }
    this.pumping = true;
    try {
      while (this.budget.hasRoom() && this.deps.now() >= this.pausedUntil) {
        const item = this.deps.repo.nextDue(this.deps.now(), this.budget.fullAccounts());
        if (!item) break;
        const admission = this.budget.canOpen(item.accountId);
        if (admission === 'full' || !this.start(item, admission)) break;
      }
    } finally {
      this.pumping = false;
    }
    // Every waiting message keeps its own due time, whatever is in flight on other connections:
    // the timer is set for the next one (unless the store's own retry timer is set). Messages due
    // already but held back by the limits start when an attempt ends (each end pumps again).
    if (performance.now() >= this.storeBlockedUntil) this.scheduleNextRetry();
  }

  /** Claims the message and sends it in the background; false if the store refused the claim. */
  private start(item: OutboxRecord, admission: Admission): boolean {
    const attemptId = randomUUID();
    try {
      this.claim(item, attemptId);
    } catch (error) {
      // The store refused (locked by another program, disk full): nothing was claimed, the
      // message is still waiting. Look again a little later instead of failing it.
      this.storeTrouble(error);
      return false;
    }
    const lease = this.budget.take(item.accountId, admission === 'evict');
    const work: Promise<void> = this.sendOne(item, attemptId, lease, admission === 'evict').finally(() => {
      lease.release();
      this.inFlight.delete(work);
      this.kick();
    });
    this.inFlight.add(work);
    return true;
  }

  private scheduleNextRetry(): void {
    if (this.closed) return;
    const due = this.deps.repo.earliestRetry(this.deps.now());
    if (this.timer) clearTimeout(this.timer);
    if (due === null) return;
    const next = Math.max(due, this.pausedUntil);
    // Timers longer than ~24.8 days overflow; re-check at least hourly.
    this.setTimer(Math.min(Math.max(next - this.deps.now(), 0), 60 * 60_000));
  }

  private setTimer(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), delayMs);
    this.timer.unref();
  }

  /**
   * Durable before any byte goes out, so a crash leaves a row that says an attempt began. The
   * outcomes of attempts that just ended are written in the same transaction: one commit per
   * message instead of two while a batch goes out.
   */
  private claim(item: OutboxRecord, attemptId: string): void {
    const { repo, attempts, now } = this.deps;
    this.settlements.writeWith(() => {
      repo.markSending(item.id, now());
      attempts.start(attemptId, item.id, now());
    });
    this.deps.events.emit({ name: 'outbox.changed', payload: { id: item.id, state: 'sending' } });
  }

  /** Reported once per trouble, not per retry; the queue looks again after a pause. */
  private storeTrouble(error: unknown): void {
    this.deps.reportStoreTrouble?.(error);
    // Real time, not the injected clock: this is about the disk, not about mail being due.
    this.storeBlockedUntil = performance.now() + STORE_RETRY_MS;
    this.setTimer(STORE_RETRY_MS);
  }

  private async sendOne(item: OutboxRecord, attemptId: string, lease: Lease, evict: boolean): Promise<void> {
    const { repo, attempts, events, now } = this.deps;
    if (evict) {
      try {
        await this.pool.evictOther(item.accountId ?? '');
      } finally {
        lease.evicted();
      }
    }
    const report = await this.runner.run(item, attemptId);
    const { unburn, pauseQueue, ...settlement } = decideOutcome(item, report, now(), this.deps.retryDelay);
    const written = this.settlements.queue({
      write: () => {
        attempts.finish(attemptId, { ...report, endedAt: now() });
        this.deps.search.addTranscript(item.id, attemptId, report.lines);
        repo.settle(item.id, { ...settlement, now: now() }, item);
        if (unburn) repo.unburnAttempt(item.id);
      },
      after: () => {
        // Offline: pause the whole queue rather than fail every message the same way.
        if (pauseQueue && settlement.nextAttemptAt !== null) this.pausedUntil = settlement.nextAttemptAt;
        if (settlement.state !== 'deferred') this.deps.spool.release(item.spoolFile);
        events.emit({ name: 'outbox.changed', payload: { id: item.id, state: settlement.state } });
      },
    });
    // Put the next message on the wire at once; its claim writes this outcome down too.
    lease.release();
    if (!pauseQueue) this.pump();
    await written;
  }
}
