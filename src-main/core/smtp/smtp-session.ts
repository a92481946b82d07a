import { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { hasNonAscii } from '../../shared/address-list.ts';
import type { AppError } from '../../shared/errors.ts';
import type { ConnectionFacts } from '../../shared/schemas/outbox.ts';
import type { TranscriptLine } from '../../shared/schemas/smtp.ts';
import { capText } from '../../shared/text-rules.ts';
import { queueIdOf, refusalsOf, type AttemptHooks, type AttemptReport } from './attempt-report.ts';
import { capabilitiesFromTranscript } from './capabilities.ts';
import { describeCertificate } from './certificate-info.ts';
import { classifyFailure, enhancedCodeOf, MAX_REPLY_CHARS, phaseOfFailure, toFailure } from './classify.ts';
import { connectionOptions, planLogin, type SmtpTarget } from './connection-options.ts';
import { isEncrypted, quitGracefully, step, stepDeadlines } from './connection-steps.ts';
import { headerSummary } from './header-summary.ts';
import { secretForms } from './redact.ts';
import { describeTlsSocket } from './tls-summary.ts';
import { TranscriptRecorder } from './transcript-recorder.ts';

type Logger = TranscriptRecorder['logger'];

/**
 * Who the message is from and to, and the delivery notifications asked for (passed on only if the server offers
 * DSN).
 */
export type SendEnvelope = { from: string; to: string[]; dsn?: { notify: string[]; ret: 'HDRS' } };

/** The parts of nodemailer's connection that its own commands go through (not in its types). */
type CommandQueue = {
  _responseActions: ((reply: string) => void)[];
  _sendCommand(line: string): void;
  _supportedExtensions: string[];
};

/**
 * The message body as a stream that, just before it ends (and nodemailer appends the final
 * "."), calls `beforeEnd` synchronously: the outbox records "the final '.' may be on its way"
 * durably before it can be, so a crash at any instant never leads to a silent second send.
 */
const CHUNK = 64 * 1024;

function markedBody(
  source: Readable,
  total: number,
  beforeEnd: () => void,
  onProgress?: (sent: number, total: number) => void,
): Readable {
  let sent = 0;
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new Readable({
    // Pulled as the socket drains (nodemailer pipes the body only after 354), so progress
    // follows the upload and the end is reached only when the last chunk is taken.
    highWaterMark: CHUNK,
    read() {
      chunks.next().then(
        ({ value, done }) => {
          if (done) {
            // If the mark cannot be stored (disk full, database locked), the final "." must not
            // go: failing here ends the attempt before it, so the message is simply retried.
            try {
              beforeEnd();
            } catch (error) {
              this.destroy(error as Error);
              return;
            }
            this.push(null);
            return;
          }
          sent += value.length;
          onProgress?.(sent, total);
          this.push(value);
        },
        // A spool file that cannot be read fails the attempt (before the final ".") instead of stalling it.
        (error: unknown) => this.destroy(error as Error),
      );
    },
  });
}

/** A message to send: its size, its first bytes (for the header summary), and its bytes as a stream. */
export type MessageSource = { size: number; head: Buffer; stream: () => Readable };

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
  private readonly conn: SMTPConnection;
  private readonly forms: readonly string[];
  private sink: Logger | null = null;
  private setupLines: TranscriptLine[] = [];
  private setupStarted = 0;
  /** Where this connection went and how it was secured; the queue id is per message. */
  private facts: ConnectionFacts | null = null;
  private readonly deadlines: ReturnType<typeof stepDeadlines>;

  private constructor(target: SmtpTarget, key: string) {
    this.key = key;
    this.deadlines = stepDeadlines(target.timeouts);
    this.forms = secretForms(target.username, target.password);
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
    this.conn = new SMTPConnection(connectionOptions(target, logger));
    // An error can arrive as an event outside any step; it must not crash the app.
    this.conn.on('error', () => {
      this.alive = false;
    });
    this.conn.on('end', () => {
      this.alive = false;
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
      session.facts = session.observe(recorder.lines);
      const plan = planLogin(target, isEncrypted(session.conn));
      if (plan.kind === 'refused') {
        recorder.note('error', plan.error.message);
        session.close();
        return {
          report: {
            ...SmtpSession.report(recorder, {
              outcome: 'failed',
              replyCode: null,
              enhancedCode: null,
              response: null,
              error: plan.error,
            }),
            facts: session.facts,
          },
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
      const facts = session.facts ?? session.observe(recorder.lines);
      session.close();
      return { report: { ...SmtpSession.fail(recorder, error), facts } };
    }
  }

  /** What the server offered in EHLO on this connection (null if it never got that far). */
  get capabilities(): ConnectionFacts['capabilities'] {
    return this.facts?.capabilities ?? null;
  }

  /** Reads the connection's facts off the socket and the set-up transcript. */
  private observe(lines: readonly TranscriptLine[]): ConnectionFacts {
    const socket = this.conn._socket || null;
    const cert = socket instanceof TLSSocket ? describeCertificate(socket.getPeerCertificate(true)) : null;
    return {
      remoteAddress: socket ? (socket.remoteAddress ?? null) : null,
      remotePort: socket ? (socket.remotePort ?? null) : null,
      greeting: lines.find((line) => line.dir === 'S')?.text ?? null,
      capabilities: capabilitiesFromTranscript(lines),
      tls:
        socket instanceof TLSSocket && cert
          ? {
              protocol: socket.getProtocol(),
              cipher: socket.getCipher()?.standardName ?? null,
              subject: cert.subject,
              issuer: cert.issuer,
              validFrom: cert.validFrom,
              validTo: cert.validTo,
              fingerprint256: cert.fingerprint256,
            }
          : null,
      queueId: null,
    };
  }

  /** A fresh recorder for the next attempt on this connection, starting with its set-up lines. */
  reuse(): TranscriptRecorder {
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
    try {
      const body = markedBody(
        message.stream(),
        message.size,
        () => {
          recorder.markFinalDot();
          hooks.onFinalDot?.();
        },
        hooks.onProgress,
      );
      const info = await step<SMTPConnection.SentMessageInfo>(
        this.conn,
        (done) => this.conn.send(envelope, body, (error, result) => done(error, result)),
        this.deadlines.send(message.size),
      );
      return {
        ...SmtpSession.report(recorder, {
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
    } catch (error) {
      const report = {
        ...SmtpSession.fail(recorder, error),
        refusals: refusalsOf((error as { rejectedErrors?: unknown }).rejectedErrors),
        facts: this.facts,
      };
      await this.recover(report);
      return report;
    } finally {
      this.sink = null;
    }
  }

  /**
   * A dry run: MAIL FROM and RCPT TO for every recipient, then RSET, so nothing is sent. The
   * server's verdict on each recipient is what a real send would meet at RCPT.
   */
  async probeRecipients(
    recorder: TranscriptRecorder,
    envelope: { from: string; to: string[] },
  ): Promise<{ accepted: string[]; refused: { address: string; reply: string }[]; failure: AppError | null }> {
    // nodemailer has no "envelope only" call (its envelope step goes on to DATA), so the
    // commands go through the connection's own command queue, logged like any other.
    const conn = this.conn as unknown as CommandQueue;
    const command = (line: string) =>
      step<string>(
        this.conn,
        (done) => {
          conn._responseActions.push((reply) => done(null, reply));
          conn._sendCommand(line);
        },
        this.deadlines.command,
      );
    const utf8 =
      hasNonAscii([envelope.from, ...envelope.to].join('')) && conn._supportedExtensions.includes('SMTPUTF8')
        ? ' SMTPUTF8'
        : '';
    try {
      const mail = await command(`MAIL FROM:<${envelope.from}>${utf8}`);
      if (!mail.startsWith('2'))
        return {
          accepted: [],
          refused: [],
          failure: SmtpSession.fail(
            recorder,
            Object.assign(new Error(mail), {
              response: mail,
              responseCode: Number.parseInt(mail, 10),
              command: 'MAIL FROM',
            }),
          ).error,
        };
      const accepted: string[] = [];
      const refused: { address: string; reply: string }[] = [];
      for (const address of envelope.to) {
        const reply = await command(`RCPT TO:<${address}>`);
        if (reply.startsWith('2')) accepted.push(address);
        else refused.push({ address, reply: reply.trim() });
      }
      await command('RSET');
      return { accepted, refused, failure: null };
    } catch (error) {
      return { accepted: [], refused: [], failure: SmtpSession.fail(recorder, error).error };
    } finally {
      this.sink = null;
    }
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
      secretForms: this.forms,
      phase,
      hooks: { describeTls: () => describeTlsSocket(this.conn._socket) },
    });
    this.sink = recorder.logger;
    return recorder;
  }

  private static report(
    recorder: TranscriptRecorder,
    partial: Pick<AttemptReport, 'outcome' | 'replyCode' | 'enhancedCode' | 'response' | 'error'>,
  ): AttemptReport {
    return {
      ...partial,
      phase: partial.outcome === 'sent' ? 'done' : recorder.phase,
      finalDotSent: recorder.finalDotSent,
      lines: recorder.lines,
      accepted: [],
      refusals: [],
      facts: null,
    };
  }

  private static fail(recorder: TranscriptRecorder, error: unknown): AttemptReport {
    const failure = toFailure(error);
    const phase = phaseOfFailure(failure, recorder.phase);
    const classified = classifyFailure(failure, phase, recorder.finalDotSent);
    recorder.note('error', classified.error.message);
    return {
      ...SmtpSession.report(recorder, {
        outcome: classified.outcome,
        replyCode: classified.replyCode,
        enhancedCode: classified.enhancedCode,
        response: classified.response,
        error: classified.error,
      }),
      phase,
    };
  }
}
