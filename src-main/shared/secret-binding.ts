import type { AuthMethod, PinnedCertificate, Security } from './schemas/accounts.ts';

/**
 * What a stored secret is bound to: the server and login it was saved for. Pure (no zod, no
 * errors module), since the account form uses it too.
 */
export type SecretBinding = {
  auth: AuthMethod;
  host: string;
  port: number;
  security: Security;
  username: string;
  pinnedCertificate: PinnedCertificate | null;
  allowPlaintextAuth: boolean;
};

/**
 * Host names compare without letter case. A final dot is kept: it turns an address
 * ("192.0.2.7.") into a name to look up, which whoever answers DNS decides.
 */
const hostKey = (host: string) => host.trim().toLowerCase();

/**
 * What differs between the settings a secret was saved with and the ones a caller asks for, in
 * words. Any difference means the stored secret would go somewhere the person never sent it
 * (another host, a port someone else listens on, plain text, a certificate the caller chose):
 * the caller must supply it again (issue 19).
 */
export function bindingChanges(saved: SecretBinding, asked: SecretBinding): string[] {
  const changes: string[] = [];
  if (hostKey(saved.host) !== hostKey(asked.host)) changes.push('the server');
  if (saved.port !== asked.port) changes.push('the port');
  if (saved.security !== asked.security) changes.push('the security');
  if (saved.username !== asked.username) changes.push('the username');
  // CRAM-MD5 to PLAIN, say, sends the password itself where only a digest went.
  if (saved.auth !== asked.auth) changes.push('the login method');
  if ((saved.pinnedCertificate?.fingerprint256 ?? null) !== (asked.pinnedCertificate?.fingerprint256 ?? null))
    changes.push('the trusted certificate');
  if (!saved.allowPlaintextAuth && asked.allowPlaintextAuth) changes.push('login without encryption');
  return changes;
}

/**
 * The binding as one string, kept in the keychain with the secret (core/secrets/sealed-secret.ts):
 * a secret read for a record with other settings (a save moving the account while a test or a
 * send still holds the old record) is not used.
 */
export function bindingKey(binding: SecretBinding): string {
  return JSON.stringify([
    binding.allowPlaintextAuth,
    hostKey(binding.host),
    binding.port,
    binding.security,
    binding.username,
    binding.auth,
    binding.pinnedCertificate?.fingerprint256 ?? null,
  ]);
}
