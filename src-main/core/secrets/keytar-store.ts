import { createRequire } from 'node:module';
import { AppFailure } from '../../shared/errors.ts';
import { describeKeychainError } from './keychain-errors.ts';
import { KEYCHAIN_SERVICE, keychainAccountName, type SecretStore } from './secret-store.ts';

type Keytar = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

export function keychainBackendName(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'macOS Keychain';
    case 'win32':
      return 'Windows Credential Manager';
    default:
      return 'Secret Service (GNOME Keyring / KWallet)';
  }
}

/** The OS keychain through keytar, loaded on first use so a broken native module is a clear error. */
export class KeytarSecretStore implements SecretStore {
  readonly backend: string;
  private readonly service: string;
  private keytar: Keytar | undefined;

  /**
   * `service` names the keychain entries (`Posthorn` unless POSTHORN_KEYCHAIN_SERVICE says
   * otherwise: tests on macOS and Windows, which share the person's one keychain, use a name of
   * their own and remove it afterwards).
   */
  constructor(options: { service?: string; platform?: NodeJS.Platform } = {}) {
    this.service = options.service ?? (process.env.POSTHORN_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE);
    this.backend = keychainBackendName(options.platform);
  }

  async set(accountId: string, secret: string): Promise<void> {
    await this.run((k) => k.setPassword(this.service, keychainAccountName(accountId), secret));
  }

  async get(accountId: string): Promise<string | null> {
    return this.run((k) => k.getPassword(this.service, keychainAccountName(accountId)));
  }

  async delete(accountId: string): Promise<boolean> {
    return this.run((k) => k.deletePassword(this.service, keychainAccountName(accountId)));
  }

  private async run<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    try {
      return await operation(this.load());
    } catch (error) {
      throw new AppFailure(describeKeychainError(error, this.backend));
    }
  }

  private load(): Keytar {
    this.keytar ??= createRequire(import.meta.url)('keytar') as Keytar;
    return this.keytar;
  }
}
