import { fail } from '../../shared/errors.ts';
import type { AuthMethod, Security } from '../../shared/schemas/accounts.ts';
import type { SecretBinding } from '../../shared/secret-binding.ts';

const SECURITY_WORDS: Record<Security, string> = { starttls: 'STARTTLS', tls: 'TLS', none: 'no encryption' };

const listed = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;

/** Stops a call that would use a stored secret with settings it was not saved for; says what changed. */
export function refuseStoredSecret(
  saved: SecretBinding,
  changes: string[],
  auth: AuthMethod,
  wanted: AuthMethod = auth,
): never {
  const where = `${saved.host}, port ${saved.port}, ${SECURITY_WORDS[saved.security]}`;
  // A sign-in is no password: a password login needs the password typed.
  if (auth === 'OAUTH2' && wanted !== 'OAUTH2')
    fail(
      'SECRET_REQUIRED',
      'This account signed in with its provider; its sign-in is not a password.',
      'Type the password for this login, or keep signing in with the provider.',
      { 'field:password': 'Type the password: the account’s sign-in is not one.', changed: changes.join(', ') },
    );
  // A sign-in is not typed again: the person signs in again (issue 20 review).
  if (auth === 'OAUTH2')
    fail(
      'SECRET_REQUIRED',
      `The saved sign-in is only used with the server it was saved for (${where}).`,
      `You changed ${listed(changes)}. Sign in again to use the new settings.`,
      {
        'field:auth': `Sign in again: the saved sign-in is only used with ${saved.host}:${saved.port}.`,
        changed: changes.join(', '),
      },
    );
  const what = auth === 'XOAUTH2' ? 'access token' : 'password';
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
