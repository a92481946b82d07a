import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ConnectionFacts } from '../../shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';
import { capText } from '../../shared/text-rules.ts';
import {
  attemptReport,
  failedAttempt,
  queueIdOf,
  refusalsOf,
  type AttemptHooks,
  type AttemptReport,
} from './attempt-report.ts';
import { enhancedCodeOf, MAX_REPLY_CHARS } from './classify.ts';
import { observeConnection } from './connection-facts.ts';
import { connectionOptions, planLogin, scrubbingRenewals, type SmtpTarget } from './connection-options.ts';
import { isEncrypted, quitGracefully, step, stepDeadlines } from './connection-steps.ts';
import { bodyMayNotGo, observeExchange } from './exchange.ts';
import { headerSummary } from './header-summary.ts';
import { judgeRecorded } from './judge-attempt.ts';
import { markedBody, type MessageSource } from './message-body.ts';
import {
  abortConnection,
  connectionSocket,
  messageStillQueued,
  observeIncoming,
  sendRawCommand,
  serverOffers,
} from './nodemailer-internals.ts';
import { SecretScrubber } from './secret-scrubber.ts';
import { describeTlsSocket } from './tls-summary.ts';
import { TransactionGuard } from './transaction-guard.ts';
import { QUIT_UNANSWERED, TranscriptRecorder } from './transcript-recorder.ts';

type Logger = TranscriptRecorder['logger'];

/** Who the message is from and to, and the notifications asked for (passed on if the server offers DSN). */
export type { MessageSource } from './message-body.ts';
export type SendEnvelope = { from: string; to: string[]; dsn?: { notify: string[]; ret: 'HDRS' } };

/**
 * One SMTP connection, opened and logged in once, used for consecutive messages. nodemailer's
 * logger is fixed per connection, so it is routed to the recorder of the attempt in progress;
 * the set-up lines (greeting, EHLO, STARTTLS, AUTH) are kept and copied into every attempt's
 * transcript, so a reused connection still shows how it was opened.
 */
export class SmtpSession {
  readonly key: string;
  messages = 0;
  alive = true;
  /** Which save of its account it was opened under (a later save makes it stale: see ConnectionPool). */
  generation = 0;
  private readonly conn: SMTPConnection;
  private readonly scrubber: SecretScrubber;
  private sink: Logger | null = null;
  private setupLines: TranscriptLine[] = [];
  private setupStarted = 0;
  /** Where this connection went and how it was secured; the queue id is per message. */
  private facts: ConnectionFacts | null = null;
  private readonly deadlines: ReturnType<typeof stepDeadlines>;
  /** The last attempt on this connection, which records whatever happens on it until the next. */
  private last: { recorder: TranscriptRecorder; keep: (lines: readonly TranscriptLine[]) => void } | null = null;
  /** Closes the connection the moment the replies to the message in progress cannot be trusted. */
  private readonly guard = new TransactionGuard({
    close: () => this.close(),
    abort: () => {
      this.alive = false;
      abortConnection(this.conn);
    },
    messageStillQueued: () => messageStillQueued(this.conn),
  });

  private constructor(target: SmtpTarget, key: string) {
    this.key = key;
    this.deadlines = stepDeadlines(target.timeouts);
    this.scrubber = SecretScrubber.forLogin(target.username, target.password, target.earlierSecrets);
    const route =
      (level: keyof Logger) =>
      (meta: unknown, ...args: unknown[]) =>
        (this.sink?.[level] as ((...a: unknown[]) => void) | undefined)?.(meta, ...args);
    const logger = {
      trace: route('trace'),
      debug: route('debug'),
      info: route('info'),
      warn: route('warn'),
      error: route('error'),
      fatal: route('fatal'),
    };
    this.conn = new SMTPConnection(connectionOptions(scrubbingRenewals(target, this.scrubber), logger));
    observeIncoming(this.conn, (data) => this.guard.received(data));
    // An error can arrive as an event outside any step; it must not crash the app.
    this.conn.on('error', () => {
      this.alive = false;
    });
    this.conn.on('end', () => {
      this.alive = false;
      // The end of a connection (QUIT and 221, or the server's drop) belongs to its last attempt.
      if (!this.guard.active && this.last) this.last.keep(this.last.recorder.lines);
    });
  }

  /**
   * Opens a connection and logs in, recording into the given attempt's transcript. On failure
   * the attempt's report is returned instead of a session.
   */
  static async open(
    target: SmtpTarget,
    key: string,
  ): Promise<{ session: SmtpSession; recorder: TranscriptRecorder } | { report: AttemptReport }> {
    const session = new SmtpSession(target, key);
    const recorder = session.recorder('connect');
    session.setupStarted = recorder.started;
    try {
      await step<void>(session.conn, (done) => session.conn.connect((error) => done(error)), session.deadlines.open);
      session.facts = observeConnection(connectionSocket(session.conn), recorder.lines);
      const plan = planLogin(target, isEncrypted(session.conn), session.facts?.capabilities?.auth);
      if (plan.kind === 'refused') {
        recorder.note('error', plan.error.message);
        session.close();
        return {
          report: recorder.scrub({
            ...attemptReport(recorder, {
              outcome: 'failed',
              replyCode: null,
              enhancedCode: null,
              response: null,
              error: plan.error,
            }),
            facts: session.facts,
          }),
        };
      }
      if (plan.kind === 'login')
        await step<void>(
          session.conn,
          (done) => session.conn.login(plan.auth, (error) => done(error)),
          session.deadlines.login,
        );
      session.setupLines = [...recorder.lines];
      return { session, recorder };
    } catch (error) {
      const facts = session.facts ?? observeConnection(connectionSocket(session.conn), recorder.lines);
      session.close();
      return { report: judgeRecorded(recorder, { ...failedAttempt(recorder, error, false), facts }) };
    }
  }

  /** What the server offered in EHLO on this connection (null if it never got that far). */
  get capabilities(): ConnectionFacts['capabilities'] {
    // Kept with the account: its raw lines are the server's words, scrubbed like any.
    return this.scrubber.deep(this.facts?.capabilities ?? null);
  }

  /** A fresh recorder for the next attempt on this connection, starting with its set-up lines. */
  reuse(): TranscriptRecorder {
    this.last = null;
    const recorder = this.recorder('mail');
    recorder.prefill(this.setupLines, this.setupStarted);
    const earlier = Math.round(recorder.started - this.setupStarted);
    recorder.note(
      'info',
      this.messages === 0
        ? `Using the connection opened ahead of this message (while it was being saved or waiting to go); its set-up above began ${earlier} ms earlier.`
        : `Reusing this connection (message ${this.messages + 1} on it); its set-up above happened ${earlier} ms earlier.`,
    );
    return recorder;
  }

  /** Sends one message (MAIL, RCPT…, DATA) and leaves the connection ready for the next, or marks it dead. */
  async send(
    recorder: TranscriptRecorder,
    envelope: SendEnvelope,
    message: MessageSource,
    hooks: AttemptHooks = {},
  ): Promise<AttemptReport> {
    this.messages++;
    recorder.messageSummary = headerSummary(message.head);
    this.guard.begin(recorder, envelope.to.length);
    try {
      const body = markedBody(
        message.stream(),
        message.size,
        () => {
          this.guard.finalDotMarked();
          recorder.markFinalDot();
          hooks.onFinalDot?.();
        },
        hooks.onProgress,
        // Nothing of the message goes unless the conversation so far says it may.
        () => {
          const refusal = bodyMayNotGo(observeExchange(recorder.lines));
          if (refusal) throw new Error(`The message was not sent: ${refusal}.`);
        },
      );
      const info = await step<SMTPConnection.SentMessageInfo>(
        this.conn,
        (done) => this.conn.send(envelope, body, (error, result) => done(error, result)),
        this.deadlines.send(message.size),
      );
      const sent: AttemptReport = {
        ...attemptReport(recorder, {
          outcome: 'sent',
          replyCode: Number.parseInt(info.response, 10) || 250,
          enhancedCode: enhancedCodeOf(info.response),
          response: capText(info.response, MAX_REPLY_CHARS),
          error: null,
        }),
        accepted: info.accepted.map(String),
        refusals: refusalsOf(info.rejectedErrors),
        facts: this.facts && { ...this.facts, queueId: queueIdOf(info.response) },
      };
      const judged = judgeRecorded(recorder, sent);
      if (judged.outcome !== 'sent') this.close(); // nodemailer took a reply that was not one
      return judged;
    } catch (error) {
      const failed = {
        ...failedAttempt(recorder, error, false),
        refusals: refusalsOf((error as { rejectedErrors?: unknown }).rejectedErrors),
        facts: this.facts,
      };
      if (failed.finalDotSent || observeExchange(recorder.lines).finalDotSent) {
        // The message itself was refused, and it would be sent again. A server whose replies are
        // out of step shows it now (a second reply to the ".", QUIT not answered 221, or not at
        // all): listen through QUIT before believing the refusal.
        if (this.alive) {
          this.alive = false;
          if (!(await quitGracefully(this.conn))) recorder.note('error', `${QUIT_UNANSWERED} (2 s).`);
        }
        return judgeRecorded(recorder, failed);
      }
      const report = judgeRecorded(recorder, failed);
      await this.recover(report);
      return report;
    } finally {
      this.guard.end();
      // Until the next attempt, the connection's lines (a QUIT, a drop) go to this one.
      this.last = hooks.onClosingLines ? { recorder, keep: hooks.onClosingLines } : null;
      this.sink = this.last ? recorder.logger : null;
    }
  }

  /**
   * One command line through nodemailer's own queue, logged like any other, answered with the
   * server's reply (a dry run: nodemailer has no "envelope only" call, its envelope step goes on to DATA).
   */
  command(line: string): Promise<string> {
    return step<string>(
      this.conn,
      (done) => sendRawCommand(this.conn, line, (reply) => done(null, reply)),
      this.deadlines.command,
    );
  }

  /** Whether the server named this extension in EHLO. */
  offers(extension: string): boolean {
    return serverOffers(this.conn, extension);
  }

  /** The attempt's recorder is done with this connection (after a dry run). */
  release(): void {
    this.sink = null;
  }

  /** After a refused transaction the server is still talking: RSET and carry on. Anything else ends the connection. */
  private async recover(report: AttemptReport): Promise<void> {
    const serverSpoke = report.replyCode !== null && report.replyCode !== 421 && !report.finalDotSent;
    if (!this.alive || !serverSpoke) {
      this.close();
      return;
    }
    try {
      await step<boolean>(this.conn, (done) => this.conn.reset((error, ok) => done(error, ok)));
    } catch {
      this.close();
    }
  }

  async quit(): Promise<void> {
    if (!this.alive) return;
    this.alive = false;
    await quitGracefully(this.conn);
  }

  close(): void {
    this.alive = false;
    this.conn.close();
  }

  private recorder(phase: 'connect' | 'mail'): TranscriptRecorder {
    const recorder = new TranscriptRecorder({
      scrubber: this.scrubber,
      phase,
      hooks: {
        describeTls: () => describeTlsSocket(connectionSocket(this.conn)),
        onServerReply: (text) => this.guard.heard(text),
      },
    });
    this.sink = recorder.logger;
    return recorder;
  }
}
