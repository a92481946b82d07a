/**
 * Where account passwords and tokens live. Only the OS keychain implements this in the app;
 * there is deliberately no file-backed store, so a missing keychain is an error, never a
 * silent fall back to plaintext.
 */
export interface SecretStore {
  /** What protects the secret, in words a person recognises ("macOS Keychain"). */
  readonly backend: string;
  set(accountId: string, secret: string): Promise<void>;
  get(accountId: string): Promise<string | null>;
  delete(accountId: string): Promise<boolean>;
}

/** The keychain "service" every Posthorn secret is filed under. */
export const KEYCHAIN_SERVICE = 'Posthorn';

export function keychainAccountName(accountId: string): string {
  return `smtp:${accountId}`;
}
