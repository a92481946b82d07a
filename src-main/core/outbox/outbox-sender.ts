import { randomUUID } from 'node:crypto';
import { appError, AppFailure, type AppError } from '../../shared/errors.ts';
import { sendAttempt, type AttemptReport } from '../smtp/send-attempt.ts';
import type { OutboxContext } from './outbox-context.ts';
import { decideOutcome } from './decide-outcome.ts';
import type { OutboxRecord } from './outbox-repo.ts';

export type SenderDeps = OutboxContext & { trustedCertificates: readonly string[] };

/**
 * Works through due messages one at a time. One attempt per message per pass; its outcome
 * and transcript are stored in one transaction with the message's new state.
 */
export class OutboxSender {
  private readonly deps: SenderDeps;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(deps: SenderDeps) {
    this.deps = deps;
  }

  /** Starts a pass soon (never inside the caller's own call), or right after the current one. */
  kick(): void {
    setImmediate(() => this.startPass());
  }

  private startPass(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.startPass();
      } else {
        this.scheduleNextRetry();
      }
    });
  }

  /** Resolves once the current pass (if any) has finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const item = this.deps.repo.nextDue(this.deps.now());
      if (!item) return;
      await this.sendOne(item);
    }
  }

  private scheduleNextRetry(): void {
    if (this.closed) return;
    const next = this.deps.repo.earliestRetry();
    if (this.timer) clearTimeout(this.timer);
    if (next === null) return;
    // Timers longer than ~24.8 days overflow; re-check at least hourly.
    const delay = Math.min(Math.max(next - this.deps.now(), 0), 60 * 60_000);
    this.timer = setTimeout(() => this.startPass(), delay);
    this.timer.unref();
  }

  private async sendOne(item: OutboxRecord): Promise<void> {
    const { repo, attempts, events, now } = this.deps;
    const attemptId = randomUUID();
    this.deps.db.transaction(() => {
      repo.markSending(item.id, now());
      attempts.start(attemptId, item.id, now());
    })();
    events.emit({ name: 'outbox.changed', payload: { id: item.id, state: 'sending' } });

    const report = await this.attempt(item, attemptId);
    const settlement = decideOutcome(item, report, now());
    this.deps.db.transaction(() => {
      attempts.finish(attemptId, { ...report, endedAt: now() });
      repo.settle(item.id, { ...settlement, now: now() });
    })();
    events.emit({ name: 'outbox.changed', payload: { id: item.id, state: settlement.state } });
  }

  /** Everything that can go wrong before SMTP (account gone, keychain locked, spool lost) is a failed attempt too. */
  private async attempt(item: OutboxRecord, attemptId: string): Promise<AttemptReport> {
    try {
      if (!item.accountId) throw new AppFailure(appError('NOT_FOUND', 'The account of this message was deleted.', 'Add the account again and resend the message.'));
      const account = this.deps.accounts.require(item.accountId);
      const password = await this.deps.accounts.password(account);
      const raw = this.readSpool(item);
      return await sendAttempt(
        { ...account, password, trustedCertificates: this.deps.trustedCertificates },
        // Only the recipients still pending: nobody gets the message twice.
        { from: item.envelopeFrom, to: item.pending },
        raw,
        { onFinalDot: () => this.deps.attempts.markFinalDot(attemptId) },
      );
    } catch (error) {
      const appErr: AppError = error instanceof AppFailure ? error.error : appError('INTERNAL', `Sending failed inside Posthorn: ${(error as Error).message}`, 'Try again; if it keeps failing, restart Posthorn.');
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
      };
    }
  }

  private readSpool(item: OutboxRecord): Buffer {
    try {
      return this.deps.spool.read(item.spoolFile);
    } catch {
      throw new AppFailure(appError('SPOOL_MISSING', 'The saved copy of this message is missing from the spool folder, so it cannot be sent.', 'Write the message again.'));
    }
  }
}
