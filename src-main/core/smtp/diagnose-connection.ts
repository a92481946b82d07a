import type { AppError } from '../../shared/errors.ts';
import type { ConnectionTest } from '../../shared/schemas/accounts.ts';
import type { SmtpPhase } from '../../shared/schemas/smtp.ts';
import { explainChallenge } from './bearer-sasl.ts';
import { OUTDATED_TLS, type SmtpFailure } from './classify.ts';

type Verdict = ConnectionTest['verdict'];

/**
 * The plain-language verdict of a connection test: what went wrong and what to do. One table,
 * checked top to bottom; the first rule that matches the failure speaks.
 */
const RULES: {
  when: (f: SmtpFailure, phase: SmtpPhase) => boolean;
  verdict: (f: SmtpFailure, port: number) => Verdict;
  /** The provider wants a sign-in (OAuth), not this password: the test offers "Sign in with …" where it can. */
  wantsSignIn?: true;
}[] = [
  {
    // A token login refused (issue 20): before the password rules, whose replies it can share.
    when: (f) => f.bearer !== undefined,
    verdict: (f) =>
      f.bearer?.signIn
        ? {
            title: 'The sign-in is no longer accepted',
            explanation: f.bearer.signIn.message,
            fix: f.bearer.signIn.hint ?? null,
          }
        : {
            title: 'The server refused the access token',
            explanation: `${f.bearer?.challenge ? `The server says ${explainChallenge(f.bearer.challenge)}. ` : ''}It answered: ${f.response ?? f.message}`,
            fix: 'Sign in with the provider again. If that does not help, the mailbox may not allow SMTP login: ask its administrator.',
          },
  },
  {
    // Microsoft: 5.7.30 once basic authentication is retired for client submission, 5.7.139
    // where SMTP AUTH is switched off for the mailbox (issue 20).
    when: (f) => /5\.7\.30\b|5\.7\.139|basic authentication is (disabled|not supported)/i.test(f.response ?? ''),
    verdict: () => ({
      title: 'Microsoft accepts only sign-in here, not a password',
      explanation:
        'Microsoft has switched password login off for sending mail from apps (SMTP AUTH); it wants you to sign in with your Microsoft account (OAuth) instead.',
      fix: 'Sign in with Microsoft instead of a password, or ask your administrator to allow SMTP AUTH for this mailbox.',
    }),
    wantsSignIn: true,
  },
  {
    when: (f) => /^535[ -]5\.7\.8 Username and Password not accepted/i.test(f.response ?? ''),
    verdict: () => ({
      title: 'Google did not accept this password',
      explanation:
        'Gmail does not take your normal Google password for sending from apps: it takes an app password (with two-step verification on) or a sign-in with Google (OAuth).',
      fix: 'Create an app password in your Google Account (Security › App passwords) and use it here, or sign in with Google instead.',
    }),
    wantsSignIn: true,
  },
  {
    // 421 (or any 4xx) before anything was asked: the server is there, but not taking connections now.
    when: (f, phase) => (phase === 'greeting' || phase === 'connect') && /^4\d\d\b/.test(f.response ?? ''),
    verdict: (f) => ({
      title: 'The server is busy or not taking connections right now',
      explanation: `It answered the connection with "${f.response}": your settings reached it and are not the problem.`,
      fix: 'Try the test again in a few minutes. If it keeps saying this, the server may limit connections from your network.',
    }),
  },
  {
    when: (f) => /^534\b|5\.7\.9\b|application-specific password|app password/i.test(f.response ?? ''),
    verdict: () => ({
      title: 'An app password is needed',
      explanation: 'Your provider does not accept your normal password for SMTP when two-step sign-in is on.',
      fix: "Create an app password in your provider's security settings and use it here instead, or sign in with the provider.",
    }),
    wantsSignIn: true,
  },
  {
    when: (f) => /^530\b.*STARTTLS|must issue a STARTTLS/i.test(f.response ?? ''),
    verdict: () => ({
      title: 'The server wants encryption first',
      explanation: 'It refuses to log in before STARTTLS.',
      fix: 'Choose STARTTLS (port 587) or TLS (port 465).',
    }),
  },
  {
    when: (f) => f.code === 'EAUTH' && /not supported|AUTH.*not (offered|available)|no suitable/i.test(f.message),
    verdict: () => ({
      title: 'The server offers no login here',
      explanation: 'It did not advertise AUTH on this connection. Many servers offer login only after encryption.',
      fix: 'Choose STARTTLS or TLS, or "No login" if this server relays without one.',
    }),
  },
  {
    when: (f, phase) => f.code === 'EAUTH' || phase === 'auth',
    verdict: (f) => ({
      title: 'Wrong username or password',
      explanation: `The server refused the login${f.response ? `: ${f.response}` : '.'}`,
      fix: 'Check the username (often your full address) and password. If two-step sign-in is on, you may need an app password.',
    }),
  },
  {
    when: (f) =>
      /self[- ]signed|unable to verify|unable to get local issuer|certificate has expired|CERT_|Hostname\/IP does not match|altnames/i.test(
        f.message,
      ),
    verdict: (f) => ({
      title: "The server's certificate is not trusted",
      explanation: `Posthorn verifies every certificate, and this one failed: ${f.message}.`,
      fix: 'Check the server name. If this is your own server with its own certificate, compare the fingerprint below with your administrator\'s and choose "Trust this certificate".',
    }),
  },
  {
    when: (f) => OUTDATED_TLS.test(`${f.originalCode ?? ''} ${f.message}`),
    verdict: () => ({
      title: 'The server uses an outdated encryption version',
      explanation:
        'It offers only TLS 1.0 or 1.1, retired since 2021 (RFC 8996) because they can be broken. Posthorn requires TLS 1.2 or newer and never falls back.',
      fix: "Ask the server's administrator to enable TLS 1.2 or 1.3, or use another server for this address.",
    }),
  },
  {
    when: (f) => /wrong version number|packet length too long|unknown protocol|record layer failure/i.test(f.message),
    verdict: (_f, port) => ({
      title: 'The security setting does not match the port',
      explanation: `Port ${port} did not answer the way the chosen security expects.`,
      fix: 'Use TLS with port 465, or STARTTLS with port 587.',
    }),
  },
  {
    when: (f) => /STARTTLS/i.test(f.message) && /not support|not offered|does not support/i.test(f.message),
    verdict: () => ({
      title: 'The server does not offer STARTTLS',
      explanation: 'Sending without encryption would expose your mail and password.',
      fix: 'Try TLS on port 465, or ask your provider for the right settings.',
    }),
  },
  {
    when: (f) => /ENOTFOUND|EAI_AGAIN|EDNS|getaddrinfo/i.test(`${f.code} ${f.message}`),
    verdict: () => ({
      title: 'That server name does not exist',
      explanation: 'The name could not be found in DNS.',
      fix: 'Check the spelling of the SMTP server.',
    }),
  },
  {
    when: (f) => /ECONNREFUSED/i.test(`${f.code} ${f.message}`),
    verdict: (_f, port) => ({
      title: `Nothing answers on port ${port}`,
      explanation: 'The server refused the connection.',
      fix: 'Check the port: 587 (STARTTLS) and 465 (TLS) are the usual ones for sending.',
    }),
  },
  {
    when: (f) => /ETIMEDOUT|timeout|timed out/i.test(`${f.code} ${f.message}`),
    verdict: (_f, port) => ({
      title: 'No answer in time',
      explanation: `Port ${port} did not answer. Networks and internet providers often block port 25, sometimes others.`,
      fix: 'Try port 587 or 465, or another network.',
    }),
  },
];

/** Whether the failure says the provider wants a sign-in (OAuth) instead of the password that was tried. */
export function wantsSignIn(failure: SmtpFailure, phase: SmtpPhase): boolean {
  return RULES.find((rule) => rule.when(failure, phase))?.wantsSignIn === true;
}

export function diagnoseFailure(failure: SmtpFailure, phase: SmtpPhase, port: number): Verdict {
  for (const rule of RULES) if (rule.when(failure, phase)) return rule.verdict(failure, port);
  return {
    title: 'The connection test failed',
    explanation: failure.response ?? failure.message,
    fix: 'Check the settings, then test again.',
  };
}

export function refusedVerdict(error: AppError): Verdict {
  return { title: 'Stopped before logging in', explanation: error.message, fix: error.hint ?? null };
}
