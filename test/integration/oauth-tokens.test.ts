import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens, refreshAccessToken, type TokenSource } from '../../src-main/core/oauth/access-tokens.ts';
import type { OAuthProvider } from '../../src-main/core/oauth/oauth-providers.ts';
import { signIn } from '../../src-main/core/oauth/sign-in.ts';
import { AppFailure } from '../../src-main/shared/errors.ts';
import { signInHeadless } from '../support/headless-browser.ts';
import {
  testProvider,
  startAuthorizationServer,
  TEST_CLIENT_ID,
  type AuthorizationServer,
} from '../support/oauth-server.ts';

/**
 * Access tokens after sign-in (issue 20, point 2), against oidc-provider with 2-second access
 * tokens: renewed from the refresh token before they lapse, shared by attempts asking at once,
 * and a revoked sign-in said as "sign in again".
 */
describe('access tokens: renewed in time, and "sign in again" when the sign-in is revoked', () => {
  let server: AuthorizationServer;
  let provider: OAuthProvider;
  /** The keychain's part: the refresh token kept for the account. */
  let keptRefreshToken: string | null = null;
  let source: TokenSource;

  beforeAll(async () => {
    server = await startAuthorizationServer({ accessTokenSeconds: 2 });
    provider = testProvider(server);
    const signedIn = await signIn({
      provider,
      clientId: TEST_CLIENT_ID,
      openBrowser: (url) => void signInHeadless(url),
    });
    keptRefreshToken = signedIn.refreshToken;
    source = {
      provider,
      clientId: TEST_CLIENT_ID,
      refreshToken: async () => keptRefreshToken,
      saveRefreshToken: async (token) => {
        keptRefreshToken = token;
      },
    };
  });

  afterAll(async () => {
    await server?.close();
  });

  it('hands out a valid token, the same one while it lasts, and a new one before it lapses', async () => {
    let clock = Date.now();
    const tokens = new AccessTokens(() => clock);
    const first = await tokens.get('acc-1', source);
    expect(await server.introspect(first)).toMatchObject({ active: true });
    expect(await tokens.get('acc-1', source)).toBe(first);
    // Within a minute of expiring (it lives 2 s): renewed before it is handed out again.
    clock += 1000;
    const second = await tokens.get('acc-1', source);
    expect(second).not.toBe(first);
    expect(await server.introspect(second)).toMatchObject({ active: true });
  });

  it('attempts asking at once share one renewal', async () => {
    const tokens = new AccessTokens();
    const all = await Promise.all([1, 2, 3, 4].map(() => tokens.get('acc-2', source)));
    expect(new Set(all).size).toBe(1);
  });

  it('a token a server refused is renewed once', async () => {
    const tokens = new AccessTokens(() => Date.now() - 3_600_000); // a clock that makes tokens look fresh
    const first = await tokens.get('acc-3', source);
    expect(await tokens.get('acc-3', source)).toBe(first);
    const renewed = await tokens.renewAfterRefusal('acc-3', first, source);
    expect(renewed).not.toBe(first);
  });

  it('a revoked sign-in: "sign in again", with nothing else tried', async () => {
    const revoke = await fetch(`${server.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: keptRefreshToken ?? '', client_id: TEST_CLIENT_ID }),
    });
    expect(revoke.status).toBe(200);
    try {
      await refreshAccessToken(source);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppFailure);
      expect((error as AppFailure).error).toMatchObject({
        code: 'SIGN_IN',
        details: { reason: 'sign_in_again' },
        hint: expect.stringMatching(/Sign in with Test Mail again/),
      });
    }
  });
});
