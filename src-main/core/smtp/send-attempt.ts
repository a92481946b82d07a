import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { AppError } from '../../shared/errors.ts';
import type { AttemptOutcome, SmtpPhase, TranscriptLine } from '../../shared/models.ts';
import { classifyFailure, enhancedCodeOf, toFailure } from './classify.ts';
import { connectionOptions, planLogin, type SmtpTarget } from './connection-options.ts';
import { isEncrypted, quitGracefully, step } from './connection-steps.ts';
import { secretForms } from './redact.ts';
import { describeTlsSocket } from './tls-summary.ts';
import { TranscriptRecorder } from './transcript-recorder.ts';

export type AttemptReport = {
  outcome: AttemptOutcome;
  phase: SmtpPhase;
  replyCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  finalDotSent: boolean;
  error: AppError | null;
  accepted: string[];
  /** Recipients the server refused at RCPT (or after DATA, for LMTP), with its reply. */
  refusals: RecipientRefusal[];
  lines: TranscriptLine[];
};

export type RecipientRefusal = { address: string; code: number | null; reply: string };

function refusalsOf(errors: unknown): RecipientRefusal[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { recipient?: unknown; responseCode?: unknown; response?: unknown; message?: unknown }) => ({
    address: String(e.recipient ?? ''),
    code: typeof e.responseCode === 'number' ? e.responseCode : null,
    reply: String(e.response ?? e.message ?? '').trim(),
  }));
}

export type AttemptHooks = { onFinalDot?: () => void };

export type { SmtpTarget };

/**
 * One attempt: one message over one SMTP connection, driven step by step (connect, login,
 * send, quit) so the phase of every line and whether the final `.` went out are known.
 */
export async function sendAttempt(target: SmtpTarget, envelope: { from: string; to: string[] }, raw: Buffer, hooks: AttemptHooks = {}): Promise<AttemptReport> {
  const recorder = new TranscriptRecorder({
    secretForms: secretForms(target.username, target.password),
    hooks: { onFinalDot: hooks.onFinalDot, describeTls: () => describeTlsSocket(conn._socket) },
  });
  const conn = new SMTPConnection(connectionOptions(target, recorder.logger));
  const report = (partial: Omit<AttemptReport, 'phase' | 'finalDotSent' | 'lines'>): AttemptReport => ({
    ...partial,
    phase: recorder.phase,
    finalDotSent: recorder.finalDotSent,
    lines: recorder.lines,
  });

  /** Stopped before any credential went out: a failed attempt with Posthorn's own reason. */
  const refuse = (error: AppError): AttemptReport => {
    recorder.note('error', error.message);
    conn.close();
    return report({ outcome: 'failed', replyCode: null, enhancedCode: null, response: null, error, accepted: [], refusals: [] });
  };

  // An error can arrive as an 'error' event outside any callback; it must not crash the app.
  conn.on('error', () => {});
  try {
    await step<void>(conn, (done) => conn.connect((error) => done(error)));
    const plan = planLogin(target, isEncrypted(conn));
    if (plan.kind === 'refused') return refuse(plan.error);
    if (plan.kind === 'login') await step<void>(conn, (done) => conn.login(plan.auth, (error) => done(error)));
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
      refusals: refusalsOf(info.rejectedErrors),
    });
  } catch (error) {
    const classified = classifyFailure(toFailure(error), recorder.phase, recorder.finalDotSent);
    recorder.note('error', classified.error.message);
    conn.close();
    return report({ ...classified, accepted: [], refusals: refusalsOf((error as { rejectedErrors?: unknown }).rejectedErrors) });
  }
}
