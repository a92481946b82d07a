import { fail } from './errors.ts';
import type { AuthMethod, PinnedCertificate, Security } from './schemas/accounts.ts';

/** What a stored secret is bound to: the server and login it was saved for. */
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

const SECURITY_WORDS: Record<Security, string> = { starttls: 'STARTTLS', tls: 'TLS', none: 'no encryption' };

const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

/** Stops a call that would use a stored secret with settings it was not saved for; says what changed. */
export function refuseStoredSecret(saved: SecretBinding, changes: string[], auth: AuthMethod): never {
  const what = auth === 'XOAUTH2' ? 'access token' : 'password';
  const where = `${saved.host}, port ${saved.port}, ${SECURITY_WORDS[saved.security]}`;
  fail(
    'SECRET_REQUIRED',
    `The saved ${what} is only sent to the server it was saved for (${where}).`,
    `You changed ${listed(changes)}. Type the ${what} again to use it with the new settings.`,
    {
      'field:password': `Type the ${what} again: the saved one is only sent to ${saved.host}:${saved.port}.`,
      changed: changes.join(', '),
    },
  );
}
