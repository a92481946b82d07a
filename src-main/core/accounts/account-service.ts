import { randomUUID } from 'node:crypto';
import { DEFAULT_TIMEOUTS } from '../../shared/defaults.ts';
import { fail } from '../../shared/errors.ts';
import type {
  Account,
  AccountInputParsed,
  Autoconfig,
  ConnectionTest,
  Identity,
} from '../../shared/schemas/accounts.ts';
import { bindingChanges, bindingKey, type SecretBinding } from '../../shared/secret-binding.ts';
import { plural } from '../../shared/wording.ts';
import type { OAuthService } from '../oauth/oauth-service.ts';
import { sealSecret } from '../secrets/sealed-secret.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { SmtpTarget } from '../smtp/connection-options.ts';
import { testConnection } from '../smtp/connection-test.ts';
import { AccountLogins } from './account-logins.ts';
import type { AccountRecord, AccountRepo } from './account-repo.ts';
import { autoconfigure, type SrvResolver } from './autoconfig.ts';
import { checkPin } from './check-pin.ts';
import { signInFor } from './oauth-login.ts';
import { presetForHost } from './presets.ts';
import { refuseStoredSecret } from './refuse-stored-secret.ts';

export type AccountServiceDeps = {
  repo: AccountRepo;
  secrets: SecretStore;
  now: () => number;
  resolver: SrvResolver;
  trustedCertificates: readonly string[];
  /** Cancels an account's waiting messages (kept, marked cancelled) and returns how many. */
  cancelMessages: (accountId: string, reason: string) => number;
  /** An existing account was saved (its server, login or pin may be new): its connections are stale. */
  onChanged?: (accountId: string) => void;
  /** The provider no longer accepts an account's sign-in (said once, until the person signs in again). */
  onSignInNeeded?: (accountId: string) => void;
  /** Sign-ins and access tokens for accounts that sign in with a provider (OAUTH2). */
  oauth?: OAuthService;
};

export type TestInput = Omit<
  AccountInputParsed,
  'name' | 'email' | 'identities' | 'isDefault' | 'id' | 'maxConnections' | 'testId'
> & { id?: string | undefined; vrfyAddress?: string | undefined; expnList?: string | undefined };

type RememberedTest = {
  host: string;
  port: number;
  at: number;
  lastEhlo: AccountRecord['lastEhlo'];
  lastTest: NonNullable<AccountRecord['lastTest']>;
};

export class AccountService {
  private readonly deps: AccountServiceDeps;
  /** Recent tests, so saving a just-tested new account keeps what the server said (never trusted from the renderer). */
  private readonly recentTests = new Map<string, RememberedTest>();

  /** Passwords and access tokens for connections, and the "sign in again" state. */
  readonly logins: AccountLogins;

  constructor(deps: AccountServiceDeps) {
    this.deps = deps;
    this.logins = new AccountLogins(deps);
  }

  list(): Account[] {
    return this.deps.repo.list().map((record) => this.toAccount(record));
  }

  find(id: string): AccountRecord | undefined {
    return this.deps.repo.find(id);
  }

  /** The last EHLO seen by the outbox, so pre-send checks know the server without a test. */
  recordCapabilities(id: string, lastEhlo: NonNullable<AccountRecord['lastEhlo']>): void {
    this.deps.repo.recordCapabilities(id, lastEhlo);
  }

  require(id: string): AccountRecord {
    const record = this.deps.repo.find(id);
    if (!record)
      fail('NOT_FOUND', 'That account no longer exists.', 'Choose another account, or add it again under Accounts.');
    return record;
  }

  /** What save would refuse beyond the schema (the dispatcher checked that): a pin that does not read. */
  check(input: AccountInputParsed): { valid: true } {
    checkPin(input.pinnedCertificate);
    return { valid: true };
  }

  /**
   * The secret goes to the keychain first: if the keychain refuses, nothing is written and
   * the person keeps what they typed in the form (the renderer does not clear it on error).
   */
  async save(input: AccountInputParsed): Promise<Account> {
    const { repo, secrets, now } = this.deps;
    const existing = input.id ? repo.find(input.id) : undefined;
    if (input.id && !existing)
      fail('NOT_FOUND', 'The account you are editing was deleted.', 'Add it again as a new account.');
    const pinnedCertificate = checkPin(input.pinnedCertificate);
    const id = existing?.id ?? randomUUID();
    const signedIn = signInFor(input, existing, this.deps.oauth);
    const secret = signedIn?.refreshToken ?? input.password ?? '';
    const keepsStoredSecret = secret === '' && this.storedSecretApplies(existing, input);
    if (secret !== '') await secrets.set(id, sealSecret(secret, bindingKey(input)));
    else if (existing?.hasPassword && !keepsStoredSecret) await secrets.delete(id);
    else if (existing?.hasPassword && bindingKey(existing) !== bindingKey(input)) {
      // Kept, with a change the person may make without retyping (plain-text login turned off):
      // sealed again first, so a reader still holding the old record gets nothing.
      const kept = await this.logins.password(existing);
      if (kept !== null) await secrets.set(id, sealSecret(kept, bindingKey(input)));
    }
    const identities: Identity[] = (input.identities ?? existing?.identities ?? []).map((identity) => ({
      id: identity.id ?? randomUUID(),
      fromName: identity.fromName,
      fromAddress: identity.fromAddress,
      replyTo: identity.replyTo ?? '',
      signature: identity.signature ?? '',
    }));
    if (identities.length === 0)
      identities.push({ id: randomUUID(), fromName: input.name, fromAddress: input.email, replyTo: '', signature: '' });
    const serverChanged =
      existing !== undefined &&
      (existing.host !== input.host || existing.port !== input.port || existing.security !== input.security);
    const tested = input.testId ? this.recentTests.get(input.testId) : undefined;
    const testApplies = tested !== undefined && tested.host === input.host && tested.port === input.port;
    const timestamp = now();
    const record: AccountRecord = {
      id,
      name: input.name,
      email: input.email,
      host: input.host,
      port: input.port,
      security: input.security,
      auth: input.auth,
      username: input.username,
      ehloName: input.ehloName,
      timeouts: input.timeouts,
      allowPlaintextAuth: input.allowPlaintextAuth,
      pinnedCertificate,
      oauthProvider: input.auth === 'OAUTH2' ? input.oauthProvider : null,
      // A new sign-in (or another login) is what "sign in again" asked for.
      signInNeeded: signedIn || input.auth !== 'OAUTH2' ? null : (existing?.signInNeeded ?? null),
      maxConnections: input.maxConnections,
      // The first account is the default; later ones only when asked.
      isDefault: input.isDefault === true || (existing?.isDefault ?? repo.count() === 0),
      identities,
      // What the last test learnt belongs to the server it talked to.
      lastEhlo: testApplies ? tested.lastEhlo : serverChanged ? null : (existing?.lastEhlo ?? null),
      lastTest: testApplies ? tested.lastTest : serverChanged ? null : (existing?.lastTest ?? null),
      hasPassword: secret !== '' || (keepsStoredSecret && (existing?.hasPassword ?? false)),
      createdAt: existing?.createdAt ?? timestamp,
      updatedAt: timestamp,
    };
    if (!record.isDefault && existing?.isDefault) record.isDefault = true; // there is always one default
    repo.save(record);
    if (signedIn) this.deps.oauth?.tokens.remember(id, signedIn);
    else if (record.auth !== 'OAUTH2') this.deps.oauth?.tokens.forget(id);
    // Its connections were opened with what was saved before: none of them is used again.
    if (existing) this.deps.onChanged?.(id);
    return this.toAccount(this.require(id));
  }

  /** A copy with its own id, identities and keychain entry; never the default. */
  async duplicate(id: string): Promise<Account> {
    const source = this.require(id);
    const copyId = randomUUID();
    if (source.hasPassword) {
      const secret = await this.deps.secrets.get(id);
      if (secret) await this.deps.secrets.set(copyId, secret);
    }
    const timestamp = this.deps.now();
    this.deps.repo.save({
      ...source,
      id: copyId,
      name: `${source.name} (copy)`.slice(0, 100),
      isDefault: false,
      identities: source.identities.map((identity) => ({ ...identity, id: randomUUID() })),
      createdAt: timestamp,
      updatedAt: timestamp,
    });
    return this.toAccount(this.require(copyId));
  }

  /**
   * Mail still waiting to go out through the account is never dropped silently: without a
   * decision the call is refused (and says how many); with `cancel` those messages stay in the
   * outbox as cancelled, with the reason.
   */
  async delete(id: string, queuedMail?: 'cancel'): Promise<{ deleted: boolean; cancelled: number }> {
    const record = this.require(id);
    const waiting = this.deps.repo.activeMessageIds(id).length;
    let cancelled = 0;
    if (waiting > 0) {
      if (queuedMail !== 'cancel') {
        fail(
          'CONFLICT',
          `${plural(waiting, 'message is', 'messages are')} still waiting to be sent through "${record.name}".`,
          'Keep the account until they are sent, or delete it and cancel them (they stay in the Outbox, marked cancelled).',
          { waiting },
        );
      }
      cancelled = this.deps.cancelMessages(id, `Cancelled because the account "${record.name}" was deleted.`);
    }
    if (record.hasPassword) await this.deps.secrets.delete(id);
    return { deleted: this.deps.repo.delete(id), cancelled };
  }

  autoconfig(email: string): Promise<Autoconfig> {
    return autoconfigure(
      email,
      this.deps.resolver,
      (preset, domain) => this.deps.oauth?.offerFor(preset, domain) ?? null,
    );
  }

  /**
   * Whether a call without a new secret may use the stored one: only with the server and login it
   * was saved for. Otherwise it is refused (SECRET_REQUIRED), except that a save that turns the
   * login off lets the old server's secret go (it returns false and the caller deletes it).
   */
  private storedSecretApplies(
    saved: AccountRecord | undefined,
    input: SecretBinding & { password?: string | undefined },
  ): boolean {
    if (!saved?.hasPassword) return false;
    const changes = bindingChanges(saved, input);
    if (changes.length === 0) return true;
    if (input.auth === 'none' || (input.password ?? '') !== '') return false;
    return refuseStoredSecret(saved, changes, saved.auth, input.auth);
  }

  /** Tests settings as typed (saved or not); a saved account keeps what the server said. */
  async test(input: TestInput): Promise<ConnectionTest> {
    const saved = input.id ? this.require(input.id) : undefined;
    const typed = input.password !== undefined && input.password !== '';
    const signedIn = input.auth === 'OAUTH2' && input.signInId !== undefined;
    const useStored = !typed && !signedIn && saved !== undefined && this.storedSecretApplies(saved, input);
    const secret = typed
      ? (input.password ?? null)
      : signedIn
        ? this.logins.signInToTest(input.signInId ?? '', input.oauthProvider, input)
        : saved && useStored
          ? await this.logins.loginSecret(saved)
          : null;
    const target: SmtpTarget = {
      host: input.host,
      port: input.port,
      security: input.security,
      auth: input.auth,
      username: input.username,
      password: secret,
      ...(saved && useStored ? this.logins.loginExtras(saved) : {}),
      ehloName: input.ehloName,
      timeouts: input.timeouts ?? DEFAULT_TIMEOUTS,
      allowPlaintextAuth: input.allowPlaintextAuth,
      pinnedCertificate: checkPin(input.pinnedCertificate),
      trustedCertificates: this.deps.trustedCertificates,
    };
    const { signInWanted, ...tested } = await testConnection(target, {
      vrfyAddress: input.vrfyAddress,
      expnList: input.expnList,
    });
    // Said with the verdict: "Sign in with …" where the provider of this server signs in and this build can.
    const result: ConnectionTest = { ...tested, signIn: signInWanted ? this.signInOfferFor(input.host) : null };
    const at = this.deps.now();
    const lastEhlo = result.capabilities ? { at, capabilities: result.capabilities } : null;
    const lastTest = { at, ok: result.ok, summary: result.verdict.title };
    this.recentTests.set(result.id, { host: input.host, port: input.port, at, lastEhlo, lastTest });
    if (this.recentTests.size > 20) this.recentTests.delete(this.recentTests.keys().next().value as string);
    if (saved && lastEhlo && saved.host === input.host && saved.port === input.port)
      this.deps.repo.recordEhlo(saved.id, lastEhlo, lastTest);
    return result;
  }

  private signInOfferFor(host: string): ConnectionTest['signIn'] {
    const provider = presetForHost(host)?.oauth;
    return provider ? (this.deps.oauth?.offer(provider) ?? null) : null;
  }

  private toAccount(record: AccountRecord): Account {
    const provider = record.oauthProvider;
    const oauthProviderName = provider ? (this.deps.oauth?.offer(provider)?.name ?? provider) : null;
    return { ...record, oauthProviderName, secretBackend: this.deps.secrets.backend };
  }
}
