import { fail } from '../../shared/errors.ts';
import type { AccountInputParsed } from '../../shared/schemas/accounts.ts';
import type { TokenSource } from '../oauth/access-tokens.ts';
import type { OAuthService } from '../oauth/oauth-service.ts';
import type { SignedIn } from '../oauth/sign-in.ts';
import type { AccountRecord } from './account-repo.ts';

/**
 * An OAUTH2 account is saved with a finished sign-in (its refresh token goes to the keychain),
 * or keeps the one it has when its provider stays the same (its server is checked like any
 * secret's binding). Null for other logins.
 */
export function signInFor(
  input: AccountInputParsed,
  existing: AccountRecord | undefined,
  oauth: OAuthService | undefined,
): SignedIn | null {
  if (input.auth !== 'OAUTH2') return null;
  if (!input.oauthProvider)
    fail('BAD_INPUT', 'auth: Choose the provider to sign in with.', undefined, {
      'field:auth': 'Sign in with a provider, or choose another login.',
    });
  if (input.signInId) {
    if (!oauth) fail('UNSUPPORTED', 'Signing in is not available here.');
    return oauth.take(input.signInId, input.oauthProvider, input);
  }
  if (existing?.auth === 'OAUTH2' && existing.oauthProvider === input.oauthProvider) return null;
  return fail(
    'SIGN_IN',
    'Sign in with the provider to use this account.',
    'Choose "Sign in" and finish it in the browser.',
    {
      reason: 'sign_in_missing',
    },
  );
}

/** A current access token for an account signed in with a provider (renewed from the keychain's refresh token). */
export async function accessTokenFor(
  record: AccountRecord,
  oauth: OAuthService | undefined,
  keychain: Omit<TokenSource, 'provider' | 'clientId'>,
): Promise<string | null> {
  if (!oauth || !record.oauthProvider) return null;
  return oauth.accessToken(record.id, record.oauthProvider, keychain, record.host);
}
