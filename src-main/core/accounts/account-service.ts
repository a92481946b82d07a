import { randomUUID } from 'node:crypto';
import { fail } from '../../shared/errors.ts';
import type { Account, AccountInput } from '../../shared/models.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { AccountRecord, AccountRepo } from './account-repo.ts';

export class AccountService {
  private readonly repo: AccountRepo;
  private readonly secrets: SecretStore;
  private readonly now: () => number;

  constructor(repo: AccountRepo, secrets: SecretStore, now: () => number) {
    this.repo = repo;
    this.secrets = secrets;
    this.now = now;
  }

  list(): Account[] {
    return this.repo.list().map((record) => this.toAccount(record));
  }

  require(id: string): AccountRecord {
    const record = this.repo.find(id);
    if (!record) fail('NOT_FOUND', 'That account no longer exists.', 'Choose another account, or add it again under Accounts.');
    return record;
  }

  /**
   * The secret goes to the keychain first: if the keychain refuses, nothing is written and
   * the person keeps what they typed in the form (the renderer does not clear it on error).
   */
  async save(input: AccountInput): Promise<Account> {
    const existing = input.id ? this.repo.find(input.id) : undefined;
    if (input.id && !existing) fail('NOT_FOUND', 'The account you are editing was deleted.', 'Add it again as a new account.');
    const id = existing?.id ?? randomUUID();
    const password = input.password ?? '';
    if (password !== '') await this.secrets.set(id, password);
    const now = this.now();
    const record: AccountRecord = {
      id,
      name: input.name,
      email: input.email,
      host: input.host,
      port: input.port,
      security: input.security,
      username: input.username,
      hasPassword: password !== '' || (existing?.hasPassword ?? false),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.repo.upsert(record);
    return this.toAccount(record);
  }

  /** Refuses while mail is still waiting to go out through the account: nothing is dropped silently. */
  async delete(id: string): Promise<{ deleted: boolean }> {
    const record = this.require(id);
    const active = this.repo.countActiveMessages(id);
    if (active > 0) {
      fail('CONFLICT', `${active} message${active === 1 ? ' is' : 's are'} still waiting to be sent through "${record.name}".`, 'Wait until the outbox is empty for this account, or cancel those messages, then delete it.');
    }
    if (record.hasPassword) await this.secrets.delete(id);
    return { deleted: this.repo.delete(id) };
  }

  async password(record: AccountRecord): Promise<string | null> {
    if (!record.hasPassword) return null;
    return this.secrets.get(record.id);
  }

  private toAccount(record: AccountRecord): Account {
    return { ...record, secretBackend: this.secrets.backend };
  }
}
