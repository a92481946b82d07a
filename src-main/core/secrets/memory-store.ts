import type { SecretStore } from './secret-store.ts';

/** For unit tests only: the app itself always uses the OS keychain. */
export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory (tests only)';
  readonly entries = new Map<string, string>();

  async set(accountId: string, secret: string): Promise<void> {
    this.entries.set(accountId, secret);
  }

  async get(accountId: string): Promise<string | null> {
    return this.entries.get(accountId) ?? null;
  }

  async delete(accountId: string): Promise<boolean> {
    return this.entries.delete(accountId);
  }
}
