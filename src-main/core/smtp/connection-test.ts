import { randomUUID } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ConnectionTest } from '../../shared/schemas/accounts.ts';
import type { ExpnAnswer, VrfyAnswer } from '../../shared/schemas/smtp.ts';
import { capabilitiesFromTranscript } from './capabilities.ts';
import { describeCertificate } from './certificate-info.ts';
import { classifyFailure, phaseOfFailure, toFailure } from './classify.ts';
import { connectionOptions, planLogin, scrubbingRenewals, type SmtpTarget } from './connection-options.ts';
import { isEncrypted, quitGracefully, step, stepDeadlines } from './connection-steps.ts';
import { diagnoseFailure, refusedVerdict, wantsSignIn } from './diagnose-connection.ts';
import { connectionSocket } from './nodemailer-internals.ts';
import { SecretScrubber } from './secret-scrubber.ts';
import { describeTlsSocket } from './tls-summary.ts';
import { TranscriptRecorder } from './transcript-recorder.ts';
import { askExpn, askVrfy, rawCommand } from './vrfy.ts';

type TlsReport = NonNullable<ConnectionTest['tls']>;

function tlsOf(socket: unknown, target: SmtpTarget): TlsReport | null {
  if (!(socket instanceof TLSSocket)) return null;
  const certificate = describeCertificate(socket.getPeerCertificate(true));
  return {
    protocol: socket.getProtocol(),
    cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? null,
    trusted: true,
    pinned: certificate !== null && certificate.fingerprint256 === target.pinnedCertificate?.fingerprint256,
    problem: null,
    certificate,
  };
}

/**
 * Fetches the certificate a server presents, without trusting it and without logging in or
 * sending anything: only so the person can see what was refused and decide to pin it.
 */
async function probeCertificate(target: SmtpTarget): Promise<TlsReport | null> {
  const conn = new SMTPConnection({
    ...connectionOptions({ ...target, pinnedCertificate: null }, {}),
    tls: { rejectUnauthorized: false },
    transactionLog: false,
    logger: false,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  conn.on('error', () => {});
  try {
    await step<void>(conn, (done) => conn.connect((error) => done(error)), 30_000);
    const socket = connectionSocket(conn);
    if (!(socket instanceof TLSSocket)) return null;
    const report = tlsOf(socket, target);
    return report && { ...report, trusted: false, problem: String(socket.authorizationError ?? 'not trusted') };
  } catch {
    return null;
  } finally {
    conn.close();
  }
}

/**
 * "Test": connect, EHLO (HELO fallback), STARTTLS, AUTH and QUIT, without sending mail. The
 * transcript is redacted like any attempt's.
 */
/** VRFY and EXPN after logging in, only what the person asked for. */
async function askServer(
  conn: SMTPConnection,
  ask: { vrfyAddress?: string | undefined; expnList?: string | undefined },
  deadlineMs: number,
): Promise<{ vrfy: VrfyAnswer | null; expn: ExpnAnswer | null }> {
  const send = (line: string) => rawCommand(conn, line, deadlineMs);
  return {
    vrfy: ask.vrfyAddress ? await askVrfy(ask.vrfyAddress, send) : null,
    expn: ask.expnList ? await askExpn(ask.expnList, send) : null,
  };
}

/** A test's result, and whether the refusal asked for a sign-in (the account service names the provider). */
export type TestOutcome = ConnectionTest & { signInWanted: boolean };

export async function testConnection(
  target: SmtpTarget,
  ask: { vrfyAddress?: string | undefined; expnList?: string | undefined } = {},
): Promise<TestOutcome> {
  const started = performance.now();
  const scrubber = SecretScrubber.forLogin(target.username, target.password, target.earlierSecrets);
  const recorder = new TranscriptRecorder({
    scrubber,
    hooks: { describeTls: () => describeTlsSocket(connectionSocket(conn)) },
  });
  const options = connectionOptions(scrubbingRenewals(target, scrubber), recorder.logger);
  const conn: SMTPConnection = new SMTPConnection(options);
  conn.on('error', () => {});
  let tls: TlsReport | null = null;
  const finish = (
    result: Omit<
      ConnectionTest,
      'id' | 'lines' | 'durationMs' | 'phase' | 'capabilities' | 'tls' | 'signIn' | 'vrfy' | 'expn'
    >,
    signInWanted = false,
  ): TestOutcome =>
    // The verdict and error quote the server: scrubbed like the transcript.
    recorder.scrub({
      id: randomUUID(),
      ...result,
      phase: recorder.phase,
      capabilities: capabilitiesFromTranscript(recorder.lines),
      tls,
      lines: recorder.lines,
      durationMs: Math.round(performance.now() - started),
      signIn: null,
      vrfy,
      expn,
      signInWanted,
    });
  let vrfy: VrfyAnswer | null = null;
  let expn: ExpnAnswer | null = null;

  const deadlines = stepDeadlines(target.timeouts);
  try {
    await step<void>(conn, (done) => conn.connect((error) => done(error)), deadlines.open);
    tls = tlsOf(connectionSocket(conn), target);
    const plan = planLogin(target, isEncrypted(conn), capabilitiesFromTranscript(recorder.lines)?.auth);
    if (plan.kind === 'refused') {
      recorder.note('error', plan.error.message);
      conn.close();
      return finish({ ok: false, verdict: refusedVerdict(plan.error), error: plan.error, authenticated: false });
    }
    if (plan.kind === 'login')
      await step<void>(conn, (done) => conn.login(plan.auth, (error) => done(error)), deadlines.login);
    // Only when the person asked: most servers will not say (252) or refuse VRFY (502).
    ({ vrfy, expn } = await askServer(conn, ask, deadlines.login));
    await quitGracefully(conn);
    const how = plan.kind === 'login' ? `logged in as ${target.username}` : 'no login was needed';
    const secured = tls ? `encrypted with ${(tls.protocol ?? 'TLS').replace('TLSv', 'TLS ')}` : 'NOT encrypted';
    return finish({
      ok: true,
      verdict: {
        title: 'Everything works',
        explanation: `Connected to ${target.host}:${target.port}, ${secured}; ${how}. No mail was sent.`,
        fix: null,
      },
      error: null,
      authenticated: plan.kind === 'login',
    });
  } catch (error) {
    const failure = toFailure(error);
    recorder.phase = phaseOfFailure(failure, recorder.phase);
    const classified = classifyFailure(failure, recorder.phase, false);
    recorder.note('error', classified.error.message);
    conn.close();
    if (classified.error.code === 'SMTP_TLS' && !tls) tls = await probeCertificate(target);
    return finish(
      {
        ok: false,
        verdict: diagnoseFailure(failure, recorder.phase, target.port),
        error: classified.error,
        authenticated: false,
      },
      wantsSignIn(failure, recorder.phase),
    );
  }
}
