import { unsealSecret } from './sealed-secret.ts';
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

/**
 * The calls' handlers, remembering a password typed into any of them (a connection test of an
 * account never saved sends its password without it passing the keychain).
 */
export function rememberingTypedSecrets<H extends Record<string, (input: never) => unknown>>(
  handlers: H,
  known: KnownSecrets,
): H {
  const wrapped: Record<string, (input: never) => unknown> = {};
  for (const [channel, handler] of Object.entries(handlers)) {
    wrapped[channel] = (input: never) => {
      const typed = (input as { password?: unknown } | null)?.password;
      if (typeof typed === 'string') known.remember(typed);
      return handler(input);
    };
  }
  return wrapped as H;
}

/** The keychain as the core uses it, remembering every secret that passes through. */
export function rememberingSecrets(store: SecretStore, known: KnownSecrets): SecretStore {
  return {
    backend: store.backend,
    set: async (accountId, secret) => {
      known.remember(unsealSecret(secret).secret);
      await store.set(accountId, secret);
    },
    get: async (accountId) => {
      const secret = await store.get(accountId);
      known.remember(secret === null ? null : unsealSecret(secret).secret);
      return secret;
    },
    delete: (accountId) => store.delete(accountId),
  };
}
