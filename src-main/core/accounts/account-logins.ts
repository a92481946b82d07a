import { AppFailure, fail } from '../../shared/errors.ts';
import { bindingKey } from '../../shared/secret-binding.ts';
import type { OAuthService, SignInServer } from '../oauth/oauth-service.ts';
import { sealSecret, unsealSecret } from '../secrets/sealed-secret.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { AccountRecord, AccountRepo } from './account-repo.ts';
import { accessTokenFor } from './oauth-login.ts';

export type AccountLoginsDeps = {
  repo: AccountRepo;
  secrets: SecretStore;
  now: () => number;
  oauth?: OAuthService | undefined;
  onSignInNeeded?: ((accountId: string) => void) | undefined;
};

/**
 * What an account logs in with, read when a connection needs it: the password from the
 * keychain (only for the server it was saved for), or a current access token for an account
 * signed in with a provider, renewed from its refresh token; and the "sign in again" state
 * when the provider no longer accepts the sign-in.
 */
export class AccountLogins {
  private readonly deps: AccountLoginsDeps;

  constructor(deps: AccountLoginsDeps) {
    this.deps = deps;
  }

  /** What the account logs in with: its password, or a current access token when it signs in with a provider. */
  async loginSecret(record: AccountRecord): Promise<string | null> {
    if (record.auth !== 'OAUTH2') return this.password(record);
    try {
      return await accessTokenFor(record, this.deps.oauth, {
        refreshToken: () => this.password(record),
        saveRefreshToken: (token) => this.deps.secrets.set(record.id, sealSecret(token, bindingKey(record))),
      });
    } catch (error) {
      if (error instanceof AppFailure && error.error.details?.reason === 'sign_in_again')
        this.signInRefused(record, error);
      throw error;
    }
  }

  /** Shown on the account (and said once, as a notification) until the person signs in again. */
  private signInRefused(record: AccountRecord, failure: AppFailure): void {
    if (this.deps.repo.find(record.id)?.signInNeeded) return;
    this.deps.repo.markSignInNeeded(record.id, { at: this.deps.now(), message: failure.error.message });
    this.deps.onSignInNeeded?.(record.id);
  }

  /**
   * What a connection needs besides the secret, for an account signed in with a provider: how it
   * gets a fresh access token when the server refused the one in hand (bearer-sasl.ts renews once
   * per login), and the tokens the account held before, to scrub from what the server says.
   */
  loginExtras(record: AccountRecord): { renewToken?: () => Promise<string>; earlierSecrets?: readonly string[] } {
    if (record.auth !== 'OAUTH2') return {};
    return {
      earlierSecrets: this.deps.oauth?.tokens.heldBy(record.id) ?? [],
      renewToken: async () => {
        this.loginRefused(record);
        const token = await this.loginSecret(record);
        if (!token) fail('SIGN_IN', 'This account has no sign-in stored.', 'Sign in with the provider under Accounts.');
        return token;
      },
    };
  }

  /** The server refused the login: an access token in hand is not used again (the next attempt renews it). */
  loginRefused(record: AccountRecord): void {
    if (record.auth === 'OAUTH2') this.deps.oauth?.tokens.forget(record.id);
  }

  /**
   * Reads every stored secret once, at start, so the app log (a file, never handed to the page)
   * is scrubbed of each even before its account is used. A keychain that refuses is left for
   * the account's own use to report.
   */
  async rememberStoredSecrets(): Promise<void> {
    for (const record of this.deps.repo.list()) {
      try {
        await this.password(record);
      } catch {
        // Locked or missing keychain: said when the account is used.
      }
    }
  }

  /** The stored secret, only if it was saved for this record's server and login (sealed-secret.ts). */
  async password(record: AccountRecord): Promise<string | null> {
    if (!record.hasPassword) return null;
    const stored = await this.deps.secrets.get(record.id);
    if (stored === null) return null;
    const { secret, bound } = unsealSecret(stored);
    return bound === null || bound === bindingKey(record) ? secret : null;
  }

  /** The access token of a finished sign-in not saved yet: the test before Save uses it, Save still keeps it. */
  signInToTest(signInId: string, provider: string | null, server: SignInServer): string {
    if (!this.deps.oauth || !provider) fail('UNSUPPORTED', 'Signing in is not available here.');
    return this.deps.oauth.peek(signInId, provider, server).accessToken;
  }
}
