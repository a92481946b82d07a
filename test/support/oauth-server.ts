import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { ConfiguredProvider } from '../../src-main/core/oauth/oauth-service.ts';

export const TEST_CLIENT_ID = 'posthorn-desktop';
export const MAIL_SCOPE = 'mail.send';

export type AuthorizationServer = {
  issuer: string;
  provider: Provider;
  /** What a token is, asked by its owner (token introspection, as an SMTP server would). */
  introspect(token: string): Promise<{ active: boolean; sub?: string; scope?: string }>;
  /**
   * Ends one access token before its time, the sign-in staying valid (as a provider may do).
   * The revocation endpoint cannot: revoking an access token there revokes its grant's refresh tokens too.
   */
  invalidateAccessToken(token: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * A real OpenID Connect server on 127.0.0.1 (oidc-provider, certified), not a stub: a public
 * native client with PKCE required and loopback redirects on any port (RFC 8252), refresh tokens,
 * a short access-token lifetime, token introspection and revocation, and its own login and
 * consent pages (any login and password are accepted).
 */
export async function startAuthorizationServer(
  options: { accessTokenSeconds?: number } = {},
): Promise<AuthorizationServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    scopes: ['openid', 'offline_access', MAIL_SCOPE],
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true },
    },
    ttl: {
      AccessToken: options.accessTokenSeconds ?? 60,
      AuthorizationCode: 60,
      Interaction: 300,
      Session: 600,
      Grant: 600,
      RefreshToken: 3600,
    },
    cookies: { keys: ['posthorn-test-cookie-key'] },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  });
  // Quiet: the provider logs to the console otherwise.
  provider.on('server_error', () => {});
  server.on('request', provider.callback());
  return {
    issuer,
    provider,
    introspect: async (token) => {
      const response = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: TEST_CLIENT_ID }),
      });
      return (await response.json()) as { active: boolean; sub?: string; scope?: string };
    },
    invalidateAccessToken: async (token) => {
      const found = await provider.AccessToken.find(token);
      if (!found) throw new Error('No such access token at the authorization server.');
      await found.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The authorization server as Posthorn's provider list names it: discovery, the mail scope, a refresh token. */
export function testProvider(server: Pick<AuthorizationServer, 'issuer'>, smtpPort = 587): ConfiguredProvider {
  return {
    id: 'test',
    name: 'Test Mail',
    endpoints: { issuer: server.issuer },
    scopes: [MAIL_SCOPE, 'offline_access', 'openid'],
    extraParams: { prompt: 'consent' },
    smtp: { host: '127.0.0.1', port: smtpPort, security: 'starttls' },
    clientIdVariable: 'POSTHORN_OAUTH_TEST_CLIENT_ID',
  };
}
