import { appError, type AppError } from '../../shared/errors.ts';

/**
 * Turns what keytar/libsecret/the OS said into something a person can act on. The raw text
 * stays in details for support; it never contains the secret itself.
 */
export function describeKeychainError(error: unknown, backend: string): AppError {
  const raw = error instanceof Error ? error.message : String(error);
  if (
    /autolaunch|dbus-launch|Could not connect|DBUS_SESSION_BUS_ADDRESS|org\.freedesktop\.secrets|not provided by any \.service|ServiceUnknown|No such interface/i.test(
      raw,
    )
  ) {
    return appError(
      'KEYCHAIN_UNAVAILABLE',
      `Posthorn could not reach a keychain (${backend}) to keep your password safe, so nothing was saved.`,
      'Start a Secret Service in your desktop session (GNOME Keyring or KWallet; on Debian/Ubuntu: sudo apt-get install gnome-keyring), log out and in, then save again. Posthorn never stores passwords in plain files.',
      { cause: raw },
    );
  }
  if (/locked collection|is locked|prompt.*dismissed|cancel|collection\/login|No such secret collection/i.test(raw)) {
    return appError(
      'KEYCHAIN_LOCKED',
      `Your keychain (${backend}) is locked, so Posthorn could not store the password.`,
      'Unlock your login keyring, or create one, for example by logging in again or opening "Passwords and Keys" (Seahorse), then save again.',
      { cause: raw },
    );
  }
  if (/Cannot find module|keytar\.node|invalid ELF|was compiled against/i.test(raw)) {
    return appError(
      'KEYCHAIN_UNAVAILABLE',
      "Posthorn's keychain module is not installed correctly, so no password can be stored.",
      'Reinstall Posthorn. From source: install libsecret-1-dev (Linux), then run npm ci again.',
      { cause: raw },
    );
  }
  return appError(
    'KEYCHAIN_FAILED',
    `The keychain (${backend}) refused the request: ${raw}`,
    'Check that your keychain is unlocked and try again.',
    { cause: raw },
  );
}
