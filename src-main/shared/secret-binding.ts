import type { PinnedCertificate, Security } from './schemas/accounts.ts';

/**
 * What a stored secret is bound to: the server and login it was saved for. Pure (no zod, no
 * errors module), since the account form uses it too.
 */
export type SecretBinding = {
  host: string;
  port: number;
  security: Security;
  username: string;
  pinnedCertificate: PinnedCertificate | null;
  allowPlaintextAuth: boolean;
};

const sameHost = (a: string, b: string) =>
  a.trim().toLowerCase().replace(/\.$/, '') === b.trim().toLowerCase().replace(/\.$/, '');

/**
 * What differs between the settings a secret was saved with and the ones a caller asks for, in
 * words. Any difference means the stored secret would go somewhere the person never sent it
 * (another host, a port someone else listens on, plain text, a certificate the caller chose):
 * the caller must supply it again (issue 19).
 */
export function bindingChanges(saved: SecretBinding, asked: SecretBinding): string[] {
  const changes: string[] = [];
  if (!sameHost(saved.host, asked.host)) changes.push('the server');
  if (saved.port !== asked.port) changes.push('the port');
  if (saved.security !== asked.security) changes.push('the security');
  if (saved.username !== asked.username) changes.push('the username');
  if ((saved.pinnedCertificate?.fingerprint256 ?? null) !== (asked.pinnedCertificate?.fingerprint256 ?? null))
    changes.push('the trusted certificate');
  if (!saved.allowPlaintextAuth && asked.allowPlaintextAuth) changes.push('login without encryption');
  return changes;
}
