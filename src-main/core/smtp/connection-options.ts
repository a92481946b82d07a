import * as tls from 'node:tls';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { DEFAULT_TIMEOUTS } from '../../shared/defaults.ts';
import { appError, type AppError } from '../../shared/errors.ts';
import type { AuthMethod, PinnedCertificate, Security, Timeouts } from '../../shared/schemas/accounts.ts';
import { bearerAuthHandlers, bearerMechanism } from './bearer-sasl.ts';

/** Everything needed to reach and log in to one SMTP server. */
export type SmtpTarget = {
  host: string;
  port: number;
  security: Security;
  auth?: AuthMethod;
  username: string;
  /** A password, or an access token for XOAUTH2. */
  password: string | null;
  /** For an account signed in with a provider: a fresh access token when the server refused the one in hand. */
  renewToken?: () => Promise<string>;
  /** Tokens this login held before (on other connections): scrubbed too, as a server may quote any of them. */
  earlierSecrets?: readonly string[];
  ehloName?: string;
  timeouts?: Partial<Timeouts>;
  allowPlaintextAuth?: boolean;
  pinnedCertificate?: PinnedCertificate | null;
  /** Extra certificates to trust besides the system's (PEM); never a way to skip verification. */
  trustedCertificates: readonly string[];
  /**
   * Direct delivery to a recipient's MX (issue 21): `host` is an address of the MX `mxName`;
   * STARTTLS is used when offered (RFC 7435, opportunistic: a certificate that does not verify
   * is noted, not refused, as MX certificates often do not), unless a policy requires it.
   */
  mx?: { mxName: string; requireVerifiedTls: boolean };
};

/** The system's roots plus NODE_EXTRA_CA_CERTS where this Node can list them. */
function defaultRoots(): string[] {
  const withExtras = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
  return withExtras ? withExtras('default') : [...tls.rootCertificates];
}

/** TLS 1.0 and 1.1 are retired (RFC 8996). */
const MIN_TLS_VERSION = 'TLSv1.2';

const contexts = new Map<string, tls.SecureContext>();

/** Parsing the system's ~150 roots costs tens of milliseconds: do it once per set of extra certificates. */
function contextTrusting(extra: readonly string[]): tls.SecureContext {
  const key = extra.join('\n');
  let context = contexts.get(key);
  if (!context) {
    // A given secureContext makes tls.connect ignore its own minVersion: the context carries it too.
    context = tls.createSecureContext({ ca: [...defaultRoots(), ...extra], minVersion: MIN_TLS_VERSION });
    if (contexts.size > 32) contexts.clear();
    contexts.set(key, context);
  }
  return context;
}

/**
 * Verification stays on in every case. A pinned certificate is added to this account's
 * trusted roots, and a host-name mismatch is forgiven only for that exact certificate.
 */
export function tlsOptions(
  target: Pick<SmtpTarget, 'trustedCertificates' | 'pinnedCertificate'>,
): tls.ConnectionOptions {
  const pin = target.pinnedCertificate ?? null;
  const extra = [...target.trustedCertificates, ...(pin ? [pin.pem] : [])];
  // Set here, not left to the runtime's default, which a flag (--tls-min-v1.0) or an embedder can lower.
  const options: tls.ConnectionOptions = { rejectUnauthorized: true, minVersion: MIN_TLS_VERSION };
  if (extra.length > 0) options.secureContext = contextTrusting(extra);
  if (pin) {
    options.checkServerIdentity = (host, cert) =>
      cert.fingerprint256 === pin.fingerprint256 ? undefined : tls.checkServerIdentity(host, cert);
  }
  return options;
}

/**
 * The target with its token renewal reported to `scrubber`: a token renewed in the middle of a
 * login is scrubbed from what the server says next like the first (a server may quote it back).
 */
export function scrubbingRenewals(target: SmtpTarget, scrubber: { learn(secret: string): void }): SmtpTarget {
  const renew = target.renewToken;
  if (!renew) return target;
  return {
    ...target,
    renewToken: async () => {
      const token = await renew();
      scrubber.learn(token);
      return token;
    },
  };
}

const usesBearerToken = (target: SmtpTarget) => target.auth === 'XOAUTH2' || target.auth === 'OAUTH2';

/** Opportunistic STARTTLS to an MX, or verified TLS where its domain's policy (MTA-STS) requires it. */
function mxTls(target: SmtpTarget, mx: NonNullable<SmtpTarget['mx']>): Partial<SMTPConnection.Options> {
  const verified = tlsOptions(target);
  return {
    secure: false,
    requireTLS: mx.requireVerifiedTls,
    ignoreTLS: false,
    tls: mx.requireVerifiedTls
      ? { ...verified, servername: mx.mxName }
      : { rejectUnauthorized: false, minVersion: MIN_TLS_VERSION, servername: mx.mxName },
  };
}

export function connectionOptions(target: SmtpTarget, logger: object): SMTPConnection.Options {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...target.timeouts };
  const bearer =
    usesBearerToken(target) && target.password
      ? bearerAuthHandlers({
          user: target.username,
          token: target.password,
          host: target.host,
          port: target.port,
          ...(target.renewToken ? { renew: target.renewToken } : {}),
        })
      : null;
  return {
    ...(bearer ? { customAuth: bearer } : {}),
    host: target.host,
    port: target.port,
    secure: target.security === 'tls',
    requireTLS: target.security === 'starttls',
    ignoreTLS: target.security === 'none',
    tls: tlsOptions(target),
    ...(target.ehloName ? { name: target.ehloName } : {}),
    ...(target.mx ? mxTls(target, target.mx) : {}),
    logger,
    transactionLog: true,
    debug: false,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
  };
}

export type LoginPlan =
  { kind: 'none' } | { kind: 'login'; auth: SMTPConnection.AuthenticationType } | { kind: 'refused'; error: AppError };

/**
 * Decides whether and how to log in, before a single credential byte goes out. `advertised`
 * is the AUTH list of the server's last EHLO (it picks XOAUTH2 or OAUTHBEARER).
 */
export function planLogin(target: SmtpTarget, encrypted: boolean, advertised: readonly string[] = []): LoginPlan {
  const method = target.auth ?? 'auto';
  if (method === 'none' || (method === 'auto' && !target.username)) return { kind: 'none' };
  if (!target.username)
    return {
      kind: 'refused',
      error: appError(
        'SMTP_AUTH',
        `${method} login needs a username.`,
        'Enter the username under Accounts, or choose "No login".',
      ),
    };
  if (!target.password) {
    const what = method === 'XOAUTH2' || method === 'OAUTH2' ? 'access token' : 'password';
    return {
      kind: 'refused',
      error: appError(
        'SMTP_AUTH',
        `This account has a username but no saved ${what}.`,
        `Open the account under Accounts and enter its ${what}.`,
      ),
    };
  }
  if (!encrypted && !target.allowPlaintextAuth) {
    return {
      kind: 'refused',
      error: appError(
        'SMTP_AUTH',
        'Posthorn will not send your password over an unencrypted connection.',
        'Choose STARTTLS or TLS for this account. Only if you trust every network in between, tick "Allow login without encryption".',
      ),
    };
  }
  // A pasted token, or the access token of an account signed in with a provider: the
  // bearer-sasl.ts handlers given in connectionOptions speak the mechanism chosen here.
  if (usesBearerToken(target))
    return {
      kind: 'login',
      auth: { user: target.username, pass: target.password, method: bearerMechanism(advertised) },
    };
  return {
    kind: 'login',
    auth: { user: target.username, pass: target.password, ...(method === 'auto' ? {} : { method }) },
  };
}
