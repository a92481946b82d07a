import type { Security } from '../../shared/schemas/accounts.ts';
import { isLoopbackUrl } from './sign-in.ts';

/**
 * Mail providers that sign in with OAuth 2.0 instead of a password (issue 20): where their
 * authorization and token endpoints are, the scopes SMTP needs, and their submission server.
 * Client IDs are configuration, never another application's registration: an environment
 * variable (docs/OAUTH.md says how to register one), or a discovery document for a custom one.
 */
export type OAuthProvider = {
  id: string;
  name: string;
  /** Static endpoints, or an issuer whose /.well-known/openid-configuration names them. */
  endpoints: { authorization: string; token: string } | { issuer: string };
  scopes: readonly string[];
  /** Extra authorization parameters (Google gives a refresh token only with these). */
  extraParams?: Readonly<Record<string, string>>;
  /**
   * The provider's submission server (the account presets say the same); unknown for a custom
   * one. Its tokens are sent to no other host (nor to `smtpAlso`).
   */
  smtp?: { host: string; port: number; security: Security };
  /** Other submission hosts of the same provider. */
  smtpAlso?: readonly string[];
  /** The environment variable that holds this build's client ID for the provider. */
  clientIdVariable: string;
  /** Address domains that sign in with this provider (a custom one: an organisation's own domains). */
  domains?: readonly string[];
};

export const OAUTH_PROVIDERS: readonly OAuthProvider[] = [
  {
    id: 'google',
    name: 'Google',
    endpoints: {
      authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
    },
    scopes: ['https://mail.google.com/'],
    extraParams: { access_type: 'offline', prompt: 'consent' },
    smtp: { host: 'smtp.gmail.com', port: 465, security: 'tls' },
    smtpAlso: ['smtp-relay.gmail.com'],
    clientIdVariable: 'POSTHORN_OAUTH_GOOGLE_CLIENT_ID',
  },
  {
    id: 'microsoft',
    name: 'Microsoft',
    endpoints: {
      authorization: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      token: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    },
    scopes: ['https://outlook.office.com/SMTP.Send', 'offline_access'],
    smtp: { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
    smtpAlso: ['smtp.office365.com'],
    clientIdVariable: 'POSTHORN_OAUTH_MICROSOFT_CLIENT_ID',
  },
  {
    id: 'yahoo',
    name: 'Yahoo',
    endpoints: {
      authorization: 'https://api.login.yahoo.com/oauth2/request_auth',
      token: 'https://api.login.yahoo.com/oauth2/get_token',
    },
    scopes: ['mail-w'],
    smtp: { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
    clientIdVariable: 'POSTHORN_OAUTH_YAHOO_CLIENT_ID',
  },
  {
    id: 'aol',
    name: 'AOL',
    endpoints: {
      authorization: 'https://api.login.aol.com/oauth2/request_auth',
      token: 'https://api.login.aol.com/oauth2/get_token',
    },
    scopes: ['mail-w'],
    smtp: { host: 'smtp.aol.com', port: 465, security: 'tls' },
    clientIdVariable: 'POSTHORN_OAUTH_AOL_CLIENT_ID',
  },
];

/**
 * An organisation's own authorization server (an OpenID provider in front of its mail server),
 * from the environment: its issuer's discovery document names the endpoints; addresses in its
 * domains are offered "Sign in with …". Null when no issuer and client ID are set.
 *   POSTHORN_OAUTH_CUSTOM_ISSUER     https://login.example.org (http only on this computer)
 *   POSTHORN_OAUTH_CUSTOM_CLIENT_ID  the public client registered for Posthorn
 *   POSTHORN_OAUTH_CUSTOM_DOMAINS    example.org, mail.example.org
 *   POSTHORN_OAUTH_CUSTOM_SCOPES     the scopes SMTP needs (default: openid offline_access)
 *   POSTHORN_OAUTH_CUSTOM_NAME       how the button names it (default: the issuer's host)
 */
export function customProvider(env: Readonly<Record<string, string | undefined>>): OAuthProvider | null {
  const issuer = env.POSTHORN_OAUTH_CUSTOM_ISSUER?.trim();
  if (!issuer || !env.POSTHORN_OAUTH_CUSTOM_CLIENT_ID?.trim()) return null;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return null;
  }
  // https, or plain http on this computer only (a test provider): never offered otherwise.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(issuer))) return null;
  const host = url.host;
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(/[\s,]+/)
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean);
  const given = (env.POSTHORN_OAUTH_CUSTOM_SCOPES ?? '').split(/\s+/).filter(Boolean);
  const scopes = given.length > 0 ? given : ['openid', 'offline_access'];
  return {
    id: 'custom',
    name: env.POSTHORN_OAUTH_CUSTOM_NAME?.trim() || host,
    endpoints: { issuer },
    scopes,
    // OpenID Connect §11: offline_access (a refresh token) is granted only with prompt=consent.
    ...(scopes.includes('offline_access') ? { extraParams: { prompt: 'consent' } } : {}),
    clientIdVariable: 'POSTHORN_OAUTH_CUSTOM_CLIENT_ID',
    domains: list(env.POSTHORN_OAUTH_CUSTOM_DOMAINS),
  };
}

/** The hosts a provider's tokens may be sent to; null when it does not say (a custom provider). */
export function smtpHostsOf(provider: OAuthProvider): string[] | null {
  return provider.smtp ? [provider.smtp.host, ...(provider.smtpAlso ?? [])].map((h) => h.toLowerCase()) : null;
}

/** This build's client ID for the provider, from its variable; null when none is configured. */
export function clientIdFor(provider: OAuthProvider, env: Readonly<Record<string, string | undefined>>): string | null {
  const value = env[provider.clientIdVariable]?.trim();
  return value ? value : null;
}
