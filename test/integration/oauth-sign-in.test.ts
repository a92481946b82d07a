import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * Signing in with a provider (issue 20, point 1) against a real authorization server on
 * 127.0.0.1 (oidc-provider: PKCE required, loopback redirects, refresh tokens), the person's
 * part played through its own login and consent pages.
 */
describe('sign in with a provider: authorization code, PKCE, loopback redirect', () => {
  let server: AuthorizationServer;
  let provider: OAuthProvider;

  beforeAll(async () => {
    server = await startAuthorizationServer();
    provider = testProvider(server);
  });

  afterAll(async () => {
    await server?.close();
  });

  const failureOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AppFailure) return error.error;
      throw error;
    }
    throw new Error('Expected the sign-in to fail');
  };

  it('the browser opens the provider with S256 and a state, comes back to 127.0.0.1, and tokens are issued', async () => {
    let opened = '';
    const signedIn = await signIn({
      provider,
      clientId: TEST_CLIENT_ID,
      loginHint: 'ada@example.test',
      openBrowser: (url) => {
        opened = url;
        void signInHeadless(url);
      },
    });
    const asked = new URL(opened);
    expect(asked.origin).toBe(server.issuer);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(asked.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(asked.searchParams.get('login_hint')).toBe('ada@example.test');
    expect(signedIn.refreshToken).toEqual(expect.any(String));
    expect(signedIn.expiresAt).toBeGreaterThan(Date.now());
    // The token is what an SMTP server would accept: active, for this person, with the mail scope.
    expect(await server.introspect(signedIn.accessToken)).toMatchObject({ active: true, sub: 'ada@example.test' });
  });

  it('the person says no: a clear message, nothing issued', async () => {
    const error = await failureOf(
      signIn({
        provider,
        clientId: TEST_CLIENT_ID,
        openBrowser: (url) => void signInHeadless(url, { consent: 'deny' }),
      }),
    );
    expect(error).toMatchObject({ code: 'SIGN_IN', details: { reason: 'access_denied' } });
    expect(error.message).toMatch(/cancelled at Test Mail/);
  });

  it('a request with another state (stray or forged) is answered 400 and cannot end the sign-in; the real one still does', async () => {
    const refused: number[] = [];
    const signedIn = await signIn({
      provider,
      clientId: TEST_CLIENT_ID,
      openBrowser: async (url) => {
        const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
        for (const query of ['code=abc&state=forged', 'error=access_denied&state=nope', 'code=abc'])
          refused.push((await fetch(`${redirect}?${query}`)).status);
        await signInHeadless(url);
      },
    });
    expect(refused).toEqual([400, 400, 400]);
    expect(await server.introspect(signedIn.accessToken)).toMatchObject({ active: true });
  });

  it('a code used once cannot be used again', async () => {
    let landed = '';
    await signIn({
      provider,
      clientId: TEST_CLIENT_ID,
      openBrowser: async (url) => {
        landed = await signInHeadless(url);
      },
    });
    const code = new URL(landed).searchParams.get('code') ?? '';
    const again = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: TEST_CLIENT_ID,
        redirect_uri: new URL(landed).origin + '/callback',
        code_verifier: 'x'.repeat(43),
      }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a provider that is down: a clear message before any browser opens', async () => {
    let opened = false;
    const error = await failureOf(
      signIn({
        provider: { ...provider, endpoints: { issuer: 'http://127.0.0.1:9' } },
        clientId: TEST_CLIENT_ID,
        openBrowser: () => {
          opened = true;
        },
      }),
    );
    expect(error).toMatchObject({ code: 'SIGN_IN', details: { reason: 'unreachable' } });
    expect(error.message).toMatch(/could not be reached/);
    expect(opened).toBe(false);
  });
});
