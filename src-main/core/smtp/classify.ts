import { appError, type AppError } from '../../shared/errors.ts';
import { diagnose } from '../../shared/reply-codes.ts';
import type { AttemptOutcome } from '../../shared/schemas/outbox.ts';
import type { SmtpPhase } from '../../shared/schemas/smtp.ts';
import { capText } from '../../shared/text-rules.ts';
import { BearerRefused, explainChallenge, type BearerChallenge } from './bearer-sasl.ts';

export type SmtpFailure = {
  code?: string | undefined;
  /** The system error under nodemailer's own code (ENETUNREACH under ESOCKET, say). */
  originalCode?: string | undefined;
  responseCode?: number | undefined;
  response?: string | undefined;
  command?: string | undefined;
  message: string;
  /** A token login the server refused: its error challenge, and the SIGN_IN error when renewing failed. */
  bearer?: { challenge: BearerChallenge | null; signIn: AppError | null } | undefined;
};

export type Classified = {
  outcome: AttemptOutcome;
  error: AppError;
  replyCode: number | null;
  enhancedCode: string | null;
  response: string | null;
};

/** A real reply is at most a few hundred characters a line. */
export const MAX_REPLY_CHARS = 2000;

export function toFailure(error: unknown): SmtpFailure {
  const e = (error ?? {}) as Partial<SmtpFailure> & { message?: string };
  // A reply can be any length (a broken server's 10 MB line); what is stored and shown is capped.
  const response = typeof e.response === 'string' ? capText(e.response, MAX_REPLY_CHARS) : undefined;
  return {
    code: e.code,
    originalCode: e.originalCode,
    responseCode: e.responseCode,
    response,
    command: e.command,
    message: capText(e.message ?? String(error), MAX_REPLY_CHARS),
    ...(error instanceof BearerRefused ? { bearer: { challenge: error.challenge, signIn: error.signIn } } : {}),
  };
}

/**
 * The phase a failure belongs to: the command whose reply failed, when nodemailer names it
 * (with PIPELINING, MAIL, RCPT and DATA leave together, so "the last command sent" would blame
 * DATA for a refused MAIL FROM); otherwise where the conversation had got to.
 */
export function phaseOfFailure(failure: SmtpFailure, reached: SmtpPhase): SmtpPhase {
  const command = (failure.command ?? '').toUpperCase();
  if (command.startsWith('MAIL')) return 'mail';
  if (command.startsWith('RCPT')) return 'rcpt';
  if (command.startsWith('AUTH')) return 'auth';
  if (command.startsWith('EHLO') || command.startsWith('HELO') || command.startsWith('LHLO')) return 'ehlo';
  if (command.startsWith('STARTTLS')) return 'starttls';
  if (command === 'DATA' && reached !== 'final-reply') return 'data';
  return reached;
}

export function enhancedCodeOf(response: string | null | undefined): string | null {
  if (!response) return null;
  return /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response)?.[1] ?? null;
}

/** No network at all (not this server's fault): the queue waits instead of spending attempts. */
const OFFLINE = /\b(ENETUNREACH|ENETDOWN|EHOSTUNREACH|EAI_AGAIN)\b/;

export function isOffline(failure: SmtpFailure): boolean {
  return OFFLINE.test(`${failure.code ?? ''} ${failure.originalCode ?? ''} ${failure.message}`);
}

const CERTIFICATE_TROUBLE = /certificate|self[- ]signed|CERT_|unable to verify|altnames|Hostname\/IP does not match/i;
/** The server offered only TLS 1.0/1.1 (or older), below the TLS 1.2 Posthorn requires (RFC 8996). */
export const OUTDATED_TLS = /alert protocol version|unsupported protocol|no protocols available|UNSUPPORTED_PROTOCOL/i;
const TLS_MODE_MISMATCH =
  /wrong version number|packet length too long|unknown protocol|ssl3_get_record|record layer failure/i;

/**
 * OpenSSL's "C06C…:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:…" → "wrong version
 * number".
 */
function openSslReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1]?.trim() ?? message;
}

/** A failure as the rules below see it. */
type Case = {
  failure: SmtpFailure;
  phase: SmtpPhase;
  finalDotSent: boolean;
  replyCode: number | null;
  response: string | null;
};

/** One row of the verdict table: when it applies, what it means for the message, and what to tell the person. */
type Rule = {
  when: (c: Case) => boolean;
  outcome: AttemptOutcome;
  error: (c: Case) => [code: AppError['code'], message: string, hint: string];
};

const isTemporary = (c: Case) => c.replyCode !== null && c.replyCode >= 400 && c.replyCode < 500;

/** The verdicts, first match wins. Whether the final `.` went out is the caller's knowledge. */
const RULES: Rule[] = [
  {
    // Nothing is known about a message whose final "." left: never sent again on its own.
    when: (c) => c.finalDotSent && c.replyCode === null,
    outcome: 'uncertain',
    error: () => [
      'SMTP_UNCERTAIN',
      'The message was sent, but the server did not confirm it before the connection ended.',
      'It may or may not have been delivered. Check with a recipient before resending; Posthorn will not resend it on its own.',
    ],
  },
  {
    // An access token refused (issue 20): the challenge says why; a stale one was already renewed once.
    when: (c) => c.failure.bearer !== undefined && !isTemporary(c),
    outcome: 'failed',
    error: (c) => {
      const challenge = c.failure.bearer?.challenge ?? null;
      const why = challenge ? `: ${explainChallenge(challenge)}` : '';
      return [
        'SMTP_AUTH',
        `The server refused the access token${why}${c.response ? ` (${c.response})` : '.'}`,
        challenge?.status === 'insufficient_scope' || challenge?.status === '403'
          ? 'Sign in again under Accounts and allow Posthorn to send mail.'
          : 'Sign in with the provider again under Accounts. If it keeps failing, the mailbox may not allow SMTP login: ask its administrator.',
      ];
    },
  },
  {
    // A 4xx to AUTH ("454 4.7.0 Temporary authentication failure") is the server's trouble, not the password's.
    when: (c) =>
      !isTemporary(c) &&
      (c.failure.code === 'EAUTH' || (c.replyCode !== null && c.replyCode >= 500 && c.phase === 'auth')),
    outcome: 'failed',
    error: (c) => [
      'SMTP_AUTH',
      `The server refused the login${c.response ? `: ${c.response}` : '.'}`,
      'Check the username and password under Accounts. Many providers need an app password when two-step sign-in is on.',
    ],
  },
  {
    when: (c) => c.replyCode !== null && c.replyCode >= 500,
    outcome: 'failed',
    error: (c) => {
      const d = c.response ? diagnose(c.response) : null;
      return [
        'SMTP_REJECTED',
        `The server rejected the message${d ? ` (${d.title.toLowerCase()})` : ''}: ${c.response ?? c.replyCode}`,
        d?.fix ?? "Read the server's reply; it usually names the problem.",
      ];
    },
  },
  {
    when: (c) => c.replyCode !== null && c.replyCode >= 400,
    outcome: 'deferred',
    error: (c) => [
      'SMTP_TEMPORARY',
      `The server asked to try again later: ${c.response ?? c.replyCode}`,
      'Posthorn will retry automatically.',
    ],
  },
  {
    when: (c) => !c.finalDotSent && isOffline(c.failure),
    outcome: 'deferred',
    error: () => [
      'OFFLINE',
      'This computer seems to be offline, so nothing could be sent.',
      'Posthorn waits and sends as soon as the network is back; this does not count as a failed attempt.',
    ],
  },
  {
    when: (c) => CERTIFICATE_TROUBLE.test(c.failure.message),
    outcome: 'failed',
    error: (c) => [
      'SMTP_TLS',
      `The server's certificate could not be trusted: ${c.failure.message}`,
      "Check the server name under Accounts. If this is your own server with a self-signed certificate, install its certificate in your system's trust store.",
    ],
  },
  {
    when: (c) => OUTDATED_TLS.test(`${c.failure.originalCode ?? ''} ${c.failure.message}`),
    outcome: 'failed',
    error: () => [
      'SMTP_TLS',
      'The server offers only an outdated TLS version (1.0 or 1.1), which is no longer safe; Posthorn requires TLS 1.2 or newer.',
      "Ask the server's administrator to enable TLS 1.2 or 1.3. Posthorn will not fall back to an older version.",
    ],
  },
  {
    when: (c) => TLS_MODE_MISMATCH.test(c.failure.message) || c.failure.code === 'ETLS',
    outcome: 'failed',
    error: (c) => [
      'SMTP_TLS',
      `The encrypted connection could not be set up: the server did not answer in TLS (${openSslReason(c.failure.message)}).`,
      'The security setting may not match the port: 465 normally uses TLS, 587 uses STARTTLS.',
    ],
  },
  {
    when: () => true,
    outcome: 'deferred',
    error: (c) => [
      'SMTP_CONNECTION',
      `Could not talk to the server: ${c.failure.message}`,
      'Posthorn will retry automatically. Check the server name and port under Accounts if this continues.',
    ],
  },
];

/** Decides what a failed attempt means for the message, from the first rule of RULES that applies. */
export function classifyFailure(failure: SmtpFailure, phase: SmtpPhase, finalDotSent: boolean): Classified {
  const c: Case = {
    failure,
    phase,
    finalDotSent,
    replyCode: failure.responseCode ?? null,
    response: failure.response?.trim() || null,
  };
  const details = {
    phase,
    ...(failure.code ? { nodemailerCode: failure.code } : {}),
    ...(failure.command ? { command: failure.command } : {}),
    // A login with an access token: the page explains the refusal as one, not as a wrong password.
    ...(failure.bearer ? { login: 'token' } : {}),
  };
  // Renewing a refused token found the sign-in revoked: nobody's failure, the message waits for the person.
  const signIn = failure.bearer?.signIn;
  if (signIn)
    return {
      outcome: 'deferred',
      error: { ...signIn, details: { ...signIn.details, ...details } },
      replyCode: c.replyCode,
      enhancedCode: enhancedCodeOf(c.response),
      response: c.response,
    };
  const rule = RULES.find((r) => r.when(c)) as Rule;
  const [code, message, hint] = rule.error(c);
  return {
    outcome: rule.outcome,
    error: appError(code, message, hint, details),
    replyCode: c.replyCode,
    enhancedCode: enhancedCodeOf(c.response),
    response: c.response,
  };
}
