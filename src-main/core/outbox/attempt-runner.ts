import { appError, AppFailure, type AppError } from '../../shared/errors.ts';
import type { DsnRequest } from '../../shared/schemas/compose.ts';
import type { AccountRecord } from '../accounts/account-repo.ts';
import type { AccountService } from '../accounts/account-service.ts';
import type { MailDomainResolver } from '../compose/mail-domain.ts';
import { deliverDirect, type DirectDeliveryDeps } from '../direct/direct-delivery.ts';
import type { EventHub } from '../events.ts';
import type { AttemptStore } from '../logs/attempt-store.ts';
import type { AttemptReport } from '../smtp/attempt-report.ts';
import type { SmtpTarget } from '../smtp/connection-options.ts';
import { SmtpSession, type MessageSource, type SendEnvelope } from '../smtp/smtp-session.ts';
import type { Spool } from '../store/spool.ts';
import type { ConnectionPool } from './connection-pool.ts';
import type { ConnectionWarmer, Opened } from './connection-warmer.ts';
import type { OutboxRecord } from './outbox-record.ts';

type RunnerDeps = {
  accounts: AccountService;
  /** An account's settings (cached by the sender while a batch goes out). */
  account: (id: string) => AccountRecord;
  /** The account's current generation (bumped by each save): older connections are not reused. */
  generation: (id: string) => number;
  attempts: AttemptStore;
  events: EventHub;
  spool: Spool;
  pool: ConnectionPool;
  warmer: ConnectionWarmer;
  trustedCertificates: readonly string[];
  now: () => number;
  /** The store refused a note about the account; the message goes on regardless. */
  onStoreTrouble: (error: unknown) => void;
  direct: { resolver: MailDomainResolver; port: number; sts: DirectDeliveryDeps['sts'] };
};

/** An attempt that ended before any SMTP (account gone, keychain locked, spool lost, a bug). */
export function failedBeforeSmtp(error: unknown): AttemptReport {
  const appErr: AppError =
    error instanceof AppFailure
      ? error.error
      : appError(
          'INTERNAL',
          `Sending failed inside Posthorn: ${(error as Error).message}`,
          'Try again; if it keeps failing, restart Posthorn.',
        );
  return {
    // A sign-in that must be renewed or redone is nobody's failure: the message waits (decide-outcome.ts).
    outcome: appErr.code === 'SIGN_IN' ? 'deferred' : 'failed',
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
export function sessionKey(account: AccountRecord): string {
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
 * One message's SMTP part: a connection (idle, opened ahead, or new), the send to the
 * recipients still pending, and the report of what happened. Never throws: whatever goes
 * wrong before SMTP is a failed attempt with its reason.
 */
export class AttemptRunner {
  private readonly deps: RunnerDeps;

  constructor(deps: RunnerDeps) {
    this.deps = deps;
  }

  async run(item: OutboxRecord, attemptId: string): Promise<AttemptReport> {
    try {
      if (!item.accountId)
        throw new AppFailure(
          appError(
            'NOT_FOUND',
            'The account of this message was deleted.',
            'Add the account again and resend the message.',
          ),
        );
      const account = this.deps.account(item.accountId);
      const message = this.readSpool(item);
      if (item.route === 'direct') return await this.deliverDirect(item, account, message, attemptId);
      const connection = await this.connection(account, item.id);
      if ('report' in connection) return connection.report;
      // Only the recipients still pending: nobody gets the message twice.
      const report = await connection.session.send(
        connection.recorder,
        { from: item.envelopeFrom, to: item.pending, ...dsnEnvelope(item.dsn) },
        message,
        {
          onFinalDot: () => this.deps.attempts.markFinalDot(attemptId),
          onProgress: this.progressReporter(item.id, attemptId),
          onClosingLines: (lines) => {
            try {
              this.deps.attempts.keepClosingLines(attemptId, lines);
            } catch (error) {
              this.deps.onStoreTrouble(error); // the lines are a courtesy; the outcome is stored
            }
          },
        },
      );
      // Saved again meanwhile (a new server, login or pin): this connection is not used again.
      if (connection.session.generation === this.deps.generation(account.id))
        this.deps.pool.give(account.id, connection.session);
      else void this.deps.pool.retire(connection.session);
      return report;
    } catch (error) {
      return failedBeforeSmtp(error);
    }
  }

  /** Opens and logs in a connection for the account (password from the keychain); never throws. */
  async open(account: AccountRecord, key: string): Promise<Opened> {
    // Read before the keychain is: a save while it answers makes this connection old, not current.
    const generation = this.deps.generation(account.id);
    try {
      const target: SmtpTarget = {
        ...account,
        password: await this.deps.accounts.logins.loginSecret(account),
        ...this.deps.accounts.logins.loginExtras(account),
        trustedCertificates: this.deps.trustedCertificates,
      };
      const opened = await SmtpSession.open(target, key);
      if ('session' in opened) opened.session.generation = generation;
      else if (opened.report.error?.code === 'SMTP_AUTH') this.deps.accounts.logins.loginRefused(account);
      const capabilities = 'session' in opened ? opened.session.capabilities : null;
      try {
        if (capabilities) this.deps.accounts.recordCapabilities(account.id, { at: this.deps.now(), capabilities });
      } catch (error) {
        // A note for the account screen; a store that refuses it must not cost the message its connection.
        this.deps.onStoreTrouble(error);
      }
      return opened;
    } catch (error) {
      return { report: failedBeforeSmtp(error) };
    }
  }

  /** An idle connection, else the one opened ahead for this message's account, else a new one. */
  private async connection(account: AccountRecord, messageId: string): Promise<Opened> {
    const key = sessionKey(account);
    const idle = this.deps.pool.take(account.id, key);
    if (idle) return { session: idle, recorder: idle.reuse() };
    const ahead = this.deps.warmer.take(account.id, key, this.deps.generation(account.id), messageId);
    const opened = await (ahead ?? this.open(account, key));
    // Opened ahead under settings saved over since: open again with the new ones, read afresh
    // (the record this attempt began with is the old one).
    if (ahead && 'session' in opened && opened.session.generation !== this.deps.generation(account.id)) {
      void this.deps.pool.retire(opened.session);
      const current = this.deps.accounts.require(account.id);
      return this.open(current, sessionKey(current));
    }
    if (ahead && 'recorder' in opened)
      opened.recorder.note(
        'info',
        'This connection was opened ahead of the message, while it was being saved; the lines above came before the attempt began.',
      );
    return opened;
  }

  /** One leg of a direct delivery: the recipients' own mail server, found in DNS (issue 21). */
  private deliverDirect(
    item: OutboxRecord,
    account: AccountRecord,
    message: MessageSource,
    attemptId: string,
  ): Promise<AttemptReport> {
    return deliverDirect(
      item.legDomain ?? '',
      { from: item.envelopeFrom, to: item.pending, ...dsnEnvelope(item.dsn) },
      message,
      {
        ...this.deps.direct,
        ...(account.ehloName ? { ehloName: account.ehloName } : {}),
        timeouts: account.timeouts,
        trustedCertificates: this.deps.trustedCertificates,
      },
      {
        onFinalDot: () => this.deps.attempts.markFinalDot(attemptId),
        onProgress: this.progressReporter(item.id, attemptId),
      },
      item.attemptCount,
    );
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
          'The saved copy of this message is missing (neither in the database nor in the spool folder), so it cannot be sent.',
          'Write the message again.',
        ),
      );
    }
  }
}
