import { fail } from '../../shared/errors.ts';
import type { AuthMethod, Security } from '../../shared/schemas/accounts.ts';
import type { SecretBinding } from '../../shared/secret-binding.ts';

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
