import * as oauth from 'oauth4webapi';
import { AppFailure, appError } from '../../shared/errors.ts';
import type { OAuthProvider } from './oauth-providers.ts';
import { authorizationServerOf, isLoopbackUrl, type SignedIn } from './sign-in.ts';

/**
 * A token is renewed this long before it expires (or half way through a shorter life), so a
 * message never starts with one about to lapse.
 */
export const RENEW_BEFORE_MS = 60_000;

/** How many of an account's recent access tokens are remembered for scrubbing (a day of hourly tokens). */
const MAX_HELD = 24;

export type TokenSource = {
  provider: OAuthProvider;
  clientId: string;
  /** The refresh token, from the keychain. */
  refreshToken: () => Promise<string | null>;
  /** A provider that rotates refresh tokens hands a new one: it replaces the old in the keychain. */
  saveRefreshToken: (token: string) => Promise<void>;
};

function signInAgain(provider: OAuthProvider, why: string): AppFailure {
  return new AppFailure(
    appError(
      'SIGN_IN',
      `${provider.name} no longer accepts this account's sign-in (${why}).`,
      `Sign in with ${provider.name} again under Accounts; waiting messages go once you have.`,
      { reason: 'sign_in_again' },
    ),
  );
}

/** A new access token from the refresh token (RFC 6749 §6). A refused refresh token means: sign in again. */
export async function refreshAccessToken(source: TokenSource, now: () => number = Date.now): Promise<SignedIn> {
  const { provider } = source;
  const refreshToken = await source.refreshToken();
  if (!refreshToken) throw signInAgain(provider, 'no sign-in is stored');
  const as = await authorizationServerOf(provider);
  const client: oauth.Client = { client_id: source.clientId };
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, {
      [oauth.allowInsecureRequests]: isLoopbackUrl(as.token_endpoint ?? ''),
    });
  } catch (error) {
    throw new AppFailure(
      appError(
        'SIGN_IN',
        `${provider.name} could not be reached to renew the sign-in (${(error as Error).message}).`,
        'Posthorn tries again with the next attempt.',
        { reason: 'unreachable' },
      ),
    );
  }
  let tokens: oauth.TokenEndpointResponse;
  try {
    tokens = await oauth.processRefreshTokenResponse(as, client, response);
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant')
      throw signInAgain(provider, error.error_description ?? 'the sign-in was revoked or has expired');
    throw new AppFailure(
      appError(
        'SIGN_IN',
        `${provider.name} did not renew the sign-in (${(error as Error).message}).`,
        'Posthorn tries again with the next attempt.',
        { reason: 'refresh' },
      ),
    );
  }
  if (tokens.refresh_token && tokens.refresh_token !== refreshToken)
    await source.saveRefreshToken(tokens.refresh_token);
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? refreshToken,
    expiresAt: now() + (tokens.expires_in ?? 3600) * 1000,
    scope: tokens.scope ?? null,
  };
}

/**
 * Access tokens per account, in memory only (never stored): handed out while valid, renewed
 * shortly before they expire, and renewed once when a server says the one it was given has
 * expired. Two attempts asking at once share one renewal.
 */
export class AccessTokens {
  private readonly tokens = new Map<string, { token: string; renewAt: number }>();
  private readonly renewing = new Map<string, Promise<string>>();
  /** Every token an account held lately: a server may quote any of them back, on any connection. */
  private readonly held = new Map<string, string[]>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async get(accountId: string, source: TokenSource): Promise<string> {
    const held = this.tokens.get(accountId);
    if (held && held.renewAt > this.now()) return held.token;
    return this.renew(accountId, source);
  }

  /** The server refused the token as expired: drop it and renew (once per failure). */
  async renewAfterRefusal(accountId: string, refused: string, source: TokenSource): Promise<string> {
    if (this.tokens.get(accountId)?.token === refused) this.tokens.delete(accountId);
    return this.get(accountId, source);
  }

  /** A token just issued by a sign-in, kept for the account it was saved with. */
  remember(accountId: string, signedIn: SignedIn): void {
    this.keep(accountId, signedIn);
  }

  /** The access tokens the account held lately (the current one included), for scrubbing. */
  heldBy(accountId: string): readonly string[] {
    return this.held.get(accountId) ?? [];
  }

  private keep(accountId: string, signedIn: SignedIn): void {
    const life = signedIn.expiresAt - this.now();
    this.tokens.set(accountId, {
      token: signedIn.accessToken,
      renewAt: signedIn.expiresAt - Math.min(RENEW_BEFORE_MS, life / 2),
    });
    const earlier = (this.held.get(accountId) ?? []).filter((token) => token !== signedIn.accessToken);
    this.held.set(accountId, [...earlier, signedIn.accessToken].slice(-MAX_HELD));
  }

  forget(accountId: string): void {
    this.tokens.delete(accountId);
  }

  private renew(accountId: string, source: TokenSource): Promise<string> {
    const running = this.renewing.get(accountId);
    if (running) return running;
    const renewal = refreshAccessToken(source, this.now)
      .then((signedIn) => {
        this.keep(accountId, signedIn);
        return signedIn.accessToken;
      })
      .finally(() => this.renewing.delete(accountId));
    this.renewing.set(accountId, renewal);
    return renewal;
  }
}
