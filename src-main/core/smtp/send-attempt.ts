import { rootCertificates } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { appError, type AppError } from '../../shared/errors.ts';
import type { AttemptOutcome, Security, SmtpPhase, TranscriptLine } from '../../shared/models.ts';
import { classifyFailure, enhancedCodeOf, type SmtpFailure } from './classify.ts';
import { secretForms } from './redact.ts';
import { describeTlsSocket } from './tls-summary.ts';
import { TranscriptRecorder } from './transcript-recorder.ts';

export type SmtpTarget = {
  host: string;
  port: number;
  security: Security;
  username: string;
  password: string | null;
  /** Extra certificates to trust besides the system's (PEM); never a way to skip verification. */
  trustedCertificates: readonly string[];
  timeouts?: { connectMs?: number; greetingMs?: number; socketMs?: number };
};

export type AttemptReport = {
  outcome: AttemptOutcome;
  phase: SmtpPhase;
  replyCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  finalDotSent: boolean;
  error: AppError | null;
  accepted: string[];
  rejected: string[];
  lines: TranscriptLine[];
};

export type AttemptHooks = { onFinalDot?: () => void };

function tlsOptions(target: SmtpTarget) {
  return target.trustedCertificates.length > 0 ? { ca: [...rootCertificates, ...target.trustedCertificates] } : {};
}

function toFailure(error: unknown): SmtpFailure {
  const e = (error ?? {}) as Partial<SmtpFailure> & { message?: string };
  return { code: e.code, responseCode: e.responseCode, response: e.response, command: e.command, message: e.message ?? String(error) };
}

/**
 * One attempt: one message over one SMTP connection, driven step by step (connect, login,
 * send, quit) so the phase of every line and whether the final `.` went out are known.
 */
export async function sendAttempt(target: SmtpTarget, envelope: { from: string; to: string[] }, raw: Buffer, hooks: AttemptHooks = {}): Promise<AttemptReport> {
  const recorder = new TranscriptRecorder({
    secretForms: secretForms(target.username, target.password),
    hooks: { onFinalDot: hooks.onFinalDot, describeTls: () => describeTlsSocket(conn._socket) },
  });
  const conn = new SMTPConnection({
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    requireTLS: target.security === 'starttls',
    ignoreTLS: target.security === 'none',
    tls: tlsOptions(target),
    logger: recorder.logger,
    transactionLog: true,
    debug: false,
    connectionTimeout: target.timeouts?.connectMs ?? 30_000,
    greetingTimeout: target.timeouts?.greetingMs ?? 30_000,
    socketTimeout: target.timeouts?.socketMs ?? 120_000,
  });
  const report = (partial: Omit<AttemptReport, 'phase' | 'finalDotSent' | 'lines'>): AttemptReport => ({
    ...partial,
    phase: recorder.phase,
    finalDotSent: recorder.finalDotSent,
    lines: recorder.lines,
  });

  // An error can arrive as an 'error' event outside any callback; it must not crash the app.
  conn.on('error', () => {});
  try {
    await step<void>(conn, (done) => conn.connect((error) => done(error)));
    if (target.username) {
      if (!target.password) throw missingPassword();
      if (target.security === 'none') throw plaintextRefused();
      await step<void>(conn, (done) => conn.login({ user: target.username, pass: target.password ?? '' }, (error) => done(error)));
    }
    const info = await step<SMTPConnection.SentMessageInfo>(conn, (done) => conn.send(envelope, raw, (error, result) => done(error, result)));
    await quitGracefully(conn);
    recorder.phase = 'done';
    return report({
      outcome: 'sent',
      replyCode: Number.parseInt(info.response, 10) || 250,
      enhancedCode: enhancedCodeOf(info.response),
      response: info.response,
      error: null,
      accepted: info.accepted.map(String),
      rejected: info.rejected.map(String),
    });
  } catch (error) {
    if (isPrepared(error)) {
      recorder.note('error', error.appError.message);
      conn.close();
      return report({ outcome: 'failed', replyCode: null, enhancedCode: null, response: null, error: error.appError, accepted: [], rejected: [] });
    }
    const classified = classifyFailure(toFailure(error), recorder.phase, recorder.finalDotSent);
    recorder.note('error', classified.error.message);
    conn.close();
    return report({ ...classified, accepted: [], rejected: [] });
  }
}

/**
 * One SMTP step as a promise. nodemailer reports some failures through the step's callback
 * and others (a TLS handshake refused, the socket closing) only as connection events, so
 * all three settle the step, whichever comes first.
 */
function step<T>(conn: SMTPConnection, run: (done: (error?: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      conn.off('error', onError);
      conn.off('end', onEnd);
      if (error) reject(error);
      else resolve(value as T);
    };
    const onError = (error: Error) => settle(error);
    const onEnd = () => settle(Object.assign(new Error('The server closed the connection.'), { code: 'ECONNECTION' }));
    conn.on('error', onError);
    conn.on('end', onEnd);
    run(settle);
  });
}

/** QUIT and wait (briefly) for the server's goodbye so it is part of the transcript. */
async function quitGracefully(conn: SMTPConnection, waitMs = 2000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      conn.close();
      resolve();
    }, waitMs);
    conn.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    conn.quit();
  });
}

type Prepared = Error & { appError: AppError };

function isPrepared(error: unknown): error is Prepared {
  return error instanceof Error && 'appError' in error;
}

function prepared(error: AppError): Prepared {
  return Object.assign(new Error(error.message), { appError: error });
}

function missingPassword(): Prepared {
  return prepared(appError('SMTP_AUTH', 'This account has a username but no saved password.', 'Open the account under Accounts and enter its password.'));
}

function plaintextRefused(): Prepared {
  return prepared(
    appError('SMTP_AUTH', 'Posthorn will not send your password over an unencrypted connection.', 'Choose STARTTLS or TLS for this account under Accounts.'),
  );
}
