import * as oauth from 'oauth4webapi';
import { AppFailure, appError, type AppError } from '../../shared/errors.ts';
import { openLoopbackRedirect } from './loopback-redirect.ts';
import type { OAuthProvider } from './oauth-providers.ts';

/** What a finished sign-in gives: the refresh token goes to the keychain, the access token stays in memory. */
export type SignedIn = { accessToken: string; refreshToken: string | null; expiresAt: number; scope: string | null };

export type SignInOptions = {
  provider: OAuthProvider;
  clientId: string;
  /** Opens the authorization URL in the person's browser (Electron: shell.openExternal; browser mode: a new tab). */
  openBrowser: (url: string) => void | Promise<void>;
  /** A hint for the provider's login page (the account's address). */
  loginHint?: string;
  now?: () => number;
  waitMs?: number;
  /** Gives up the sign-in (another started, Posthorn closing): the listener closes at once. */
  signal?: AbortSignal;
};

const fail = (message: string, hint: string, reason: string): never => {
  throw new AppFailure(appError('SIGN_IN', message, hint, { reason }));
};

/** Plain http is allowed only for a provider on this computer (a test server); every real one is https. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

/** The provider's endpoints: given, or read from its discovery document. */
export async function authorizationServerOf(provider: OAuthProvider): Promise<oauth.AuthorizationServer> {
  const { endpoints } = provider;
  if (!('issuer' in endpoints))
    return {
      issuer: new URL(endpoints.authorization).origin,
      authorization_endpoint: endpoints.authorization,
      token_endpoint: endpoints.token,
    };
  const issuer = new URL(endpoints.issuer);
  try {
    const response = await oauth.discoveryRequest(issuer, {
      algorithm: 'oidc',
      [oauth.allowInsecureRequests]: isLoopbackUrl(issuer.href),
    });
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    return unreachable(provider, error);
  }
}

function unreachable(provider: OAuthProvider, error: unknown): never {
  return fail(
    `${provider.name} could not be reached to sign in (${(error as Error).message}).`,
    'Check the internet connection, then choose "Sign in" again.',
    'unreachable',
  );
}

/** The error a provider sent back to the redirect (access_denied: the person said no). */
function refusedBy(provider: OAuthProvider, error: unknown): AppError {
  if (error instanceof oauth.AuthorizationResponseError) {
    const code = error.error;
    if (code === 'access_denied')
      return appError(
        'SIGN_IN',
        `The sign-in was cancelled at ${provider.name}, so Posthorn has no permission to send.`,
        'Choose "Sign in" again and allow Posthorn to send mail.',
        { reason: 'access_denied' },
      );
    return appError(
      'SIGN_IN',
      `${provider.name} refused the sign-in: ${error.error_description ?? code}.`,
      'Choose "Sign in" again; if it keeps failing, check the client ID in docs/OAUTH.md.',
      { reason: code },
    );
  }
  return appError(
    'SIGN_IN',
    'The answer that came back from the browser does not belong to this sign-in.',
    'Choose "Sign in" again and finish it in the tab that opens; a link from elsewhere is ignored.',
    { reason: 'state' },
  );
}

/** Rejects when the sign-in is given up (another started, Posthorn closing). */
function abandonment(signal: AbortSignal | undefined): Promise<never> {
  const abandoned = new Promise<never>((_resolve, reject) => {
    const stop = () =>
      reject(
        new AppFailure(
          appError('SIGN_IN', 'The sign-in was given up.', 'Choose "Sign in" again.', { reason: 'abandoned' }),
        ),
      );
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
  abandoned.catch(() => {});
  return abandoned;
}

/**
 * Signs in with the provider as RFC 8252 describes for native apps: the system browser opens its
 * authorization page with PKCE (S256) and a random state; a one-shot listener on 127.0.0.1
 * receives the code; the code and verifier are exchanged for tokens. oauth4webapi (a certified
 * client, no dependencies) does the protocol; nothing of it is written by hand here.
 */
export async function signIn(options: SignInOptions): Promise<SignedIn> {
  const { provider } = options;
  const as = await authorizationServerOf(provider);
  const client: oauth.Client = { client_id: options.clientId };
  const insecure = { [oauth.allowInsecureRequests]: isLoopbackUrl(as.token_endpoint ?? '') };
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const redirect = await openLoopbackRedirect(state, options.waitMs);
  const abandoned = abandonment(options.signal);
  try {
    const url = new URL(as.authorization_endpoint ?? '');
    const params: Record<string, string> = {
      client_id: options.clientId,
      response_type: 'code',
      redirect_uri: redirect.redirectUri,
      scope: provider.scopes.join(' '),
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(options.loginHint ? { login_hint: options.loginHint } : {}),
      ...provider.extraParams,
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    await options.openBrowser(url.href);
    const returned = await Promise.race([redirect.result, abandoned]);
    let callback: URLSearchParams;
    try {
      callback = oauth.validateAuthResponse(as, client, returned, state);
    } catch (error) {
      throw new AppFailure(refusedBy(provider, error));
    }
    let response: Response;
    try {
      response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        callback,
        redirect.redirectUri,
        verifier,
        insecure,
      );
    } catch (error) {
      return unreachable(provider, error);
    }
    let tokens: oauth.TokenEndpointResponse;
    try {
      tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
        requireIdToken: false,
        expectedNonce: oauth.expectNoNonce,
      });
    } catch (error) {
      const described =
        error instanceof oauth.ResponseBodyError
          ? `${error.error}: ${error.error_description ?? ''}`
          : (error as Error).message;
      return fail(
        `${provider.name} did not give Posthorn its tokens (${described.trim()}).`,
        'Choose "Sign in" again: a sign-in can be used only once and for a short time.',
        error instanceof oauth.ResponseBodyError ? error.error : 'token',
      );
    }
    const now = (options.now ?? Date.now)();
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt: now + (tokens.expires_in ?? 3600) * 1000,
      scope: tokens.scope ?? null,
    };
  } finally {
    await redirect.close();
  }
}
