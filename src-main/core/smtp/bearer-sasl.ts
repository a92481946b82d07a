import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { AppFailure, type AppError } from '../../shared/errors.ts';
import { parseReply } from '../../shared/reply-codes.ts';

/**
 * Logging in with an OAuth access token (issue 20): XOAUTH2 (Google's and Microsoft's
 * mechanism) and OAUTHBEARER (RFC 7628), whichever the server offers. nodemailer runs these
 * through its public `customAuth` hook; the commands go through its own queue and log, where
 * the AUTH line and every continuation are redacted (redact.ts).
 *
 * A refused token is answered with a `334` error challenge (base64 JSON: status, schemes,
 * scope). The client ends the exchange (an empty line for XOAUTH2, `^A` for OAUTHBEARER), the
 * server answers 535, and a token that was merely stale is renewed and tried once more on the
 * same connection.
 */
export type BearerMechanism = 'XOAUTH2' | 'OAUTHBEARER';

export type BearerLogin = {
  user: string;
  token: string;
  host: string;
  port: number;
  /** A fresh access token (the one in hand was refused); absent for a pasted token. */
  renew?: () => Promise<string>;
};

/** What a server said in its error challenge. */
export type BearerChallenge = { status: string | null; scope: string | null; schemes: string | null };

/** The code of a reply's first line (nodemailer leaves a multi-line "235-…" without one). */
const codeOf = (response: string) => parseReply(response).basic;

/** XOAUTH2 where offered (the widely deployed one), OAUTHBEARER where only it is. */
export function bearerMechanism(advertised: readonly string[]): BearerMechanism {
  return advertised.includes('OAUTHBEARER') && !advertised.includes('XOAUTH2') ? 'OAUTHBEARER' : 'XOAUTH2';
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** XOAUTH2's initial response: `user=…^Aauth=Bearer …^A^A`. */
export function xoauth2Response(user: string, token: string): string {
  return b64(`user=${user}\x01auth=Bearer ${token}\x01\x01`);
}

/** RFC 7628 §3.1: a GS2 header naming the user, then host, port and the bearer token. */
export function oauthBearerResponse(login: Pick<BearerLogin, 'user' | 'host' | 'port'>, token: string): string {
  // RFC 5801: "," and "=" in the authzid are written =2C and =3D.
  const user = login.user.replace(/=/g, '=3D').replace(/,/g, '=2C');
  return b64(`n,a=${user},\x01host=${login.host}\x01port=${login.port}\x01auth=Bearer ${token}\x01\x01`);
}

/** The JSON inside a `334` error challenge, or null when the line is not one. */
export function readChallenge(reply: string): BearerChallenge | null {
  const payload = /^334[ -](\S+)\s*$/.exec(reply.trim())?.[1];
  if (!payload) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return null;
    const field = (name: string) => {
      const value = (parsed as Record<string, unknown>)[name];
      return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 300) : null;
    };
    return { status: field('status'), scope: field('scope'), schemes: field('schemes') };
  } catch {
    return null;
  }
}

/** A challenge that a new token cannot answer: the sign-in lacks the scope. */
function scopeMissing(challenge: BearerChallenge): boolean {
  return challenge.status === 'insufficient_scope' || challenge.status === '403';
}

/** The challenge in words, for the error a person reads. */
export function explainChallenge(challenge: BearerChallenge): string {
  const status = challenge.status ?? 'none';
  if (scopeMissing(challenge))
    return `the sign-in does not allow sending mail${challenge.scope ? ` (it needs the scope ${challenge.scope})` : ''}`;
  if (status === '401' || status === 'invalid_token') return 'the access token is invalid or has expired';
  return `the server could not use the access token (status ${status})`;
}

/**
 * The failure nodemailer reports (as EAUTH, with the server's last reply), carrying the
 * challenge; and, when renewing the token failed, why (a SIGN_IN error: the message waits).
 */
export class BearerRefused extends Error {
  readonly challenge: BearerChallenge | null;
  readonly signIn: AppError | null;
  constructor(mechanism: BearerMechanism, challenge: BearerChallenge | null, signIn: AppError | null = null) {
    super(
      challenge
        ? `The server refused the ${mechanism} login: ${explainChallenge(challenge)}`
        : `The server refused the ${mechanism} login`,
    );
    this.challenge = challenge;
    this.signIn = signIn;
  }
}

/** A new token, or the refusal that says why there is none (a revoked sign-in is SIGN_IN). */
async function renewed(
  mechanism: BearerMechanism,
  challenge: BearerChallenge,
  renew: () => Promise<string>,
): Promise<string> {
  try {
    return await renew();
  } catch (error) {
    if (error instanceof AppFailure && error.error.code === 'SIGN_IN')
      throw new BearerRefused(mechanism, challenge, error.error);
    throw error;
  }
}

/** nodemailer `customAuth` handlers for both mechanisms, bound to one login. */
export function bearerAuthHandlers(login: BearerLogin): SMTPConnection.CustomAuthenticationHandlers {
  const handler =
    (mechanism: BearerMechanism) =>
    async (context: SMTPConnection.CustomAuthenticationContext): Promise<boolean> => {
      const initial = (token: string) =>
        mechanism === 'XOAUTH2' ? xoauth2Response(login.user, token) : oauthBearerResponse(login, token);
      let token = login.token;
      for (let round = 0; ; round++) {
        const reply = await context.sendCommand(`AUTH ${mechanism} ${initial(token)}`);
        const code = codeOf(reply.response);
        if (code === 235) return true;
        const challenge = code === 334 ? readChallenge(reply.response) : null;
        if (code === 334) {
          // RFC 7628 §3.2.3 (and Google's XOAUTH2): the client ends the exchange, the server says 535.
          const final = await context.sendCommand(mechanism === 'XOAUTH2' ? '' : b64('\x01'));
          if (codeOf(final.response) === 235) return true;
        }
        if (round > 0 || challenge === null || scopeMissing(challenge) || !login.renew)
          throw new BearerRefused(mechanism, challenge);
        token = await renewed(mechanism, challenge, login.renew);
      }
    };
  return { XOAUTH2: handler('XOAUTH2'), OAUTHBEARER: handler('OAUTHBEARER') };
}
