import type { SecretStore } from './secret-store.ts';

/**
 * The secrets this process has handled (saved or read from the keychain), kept in memory only,
 * so text written anywhere else (the app log) can be scrubbed of them even when they arrive
 * somewhere unexpected: in an exception's message, say.
 */
export class KnownSecrets {
  private readonly values = new Set<string>();

  remember(secret: string | null): void {
    // Very short strings would redact ordinary words.
    if (secret && secret.length >= 4) this.values.add(secret);
  }

  list(): string[] {
    return [...this.values];
  }
}

/** The keychain as the core uses it, remembering every secret that passes through. */
export function rememberingSecrets(store: SecretStore, known: KnownSecrets): SecretStore {
  return {
    backend: store.backend,
    set: async (accountId, secret) => {
      known.remember(secret);
      await store.set(accountId, secret);
    },
    get: async (accountId) => {
      const secret = await store.get(accountId);
      known.remember(secret);
      return secret;
    },
    delete: (accountId) => store.delete(accountId),
  };
}
