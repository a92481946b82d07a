import { describe, expect, it } from 'vitest';
import { describeKeychainError } from '../../../src-main/core/secrets/keychain-errors.ts';

/** The texts libsecret/keytar were seen to produce on Linux (docs: SMTP-FACTS, and this machine). */
describe('keychain errors reach the person as a clear message with the fix', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'KEYCHAIN_UNAVAILABLE'],
    ['Could not connect: No such file or directory', 'KEYCHAIN_UNAVAILABLE'],
    [
      'Error spawning command line “dbus-launch --autolaunch=abc --binary-syntax --close-stderr”: Child process exited with code 1',
      'KEYCHAIN_UNAVAILABLE',
    ],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'KEYCHAIN_UNAVAILABLE'],
    ['Cannot create an item in a locked collection', 'KEYCHAIN_LOCKED'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'KEYCHAIN_LOCKED'],
    ['Something new and odd', 'KEYCHAIN_FAILED'],
  ])('%s → %s', (raw, code) => {
    const error = describeKeychainError(new Error(raw), 'Secret Service');
    expect(error.code).toBe(code);
    expect(error.hint?.length).toBeGreaterThan(20);
    expect(error.details?.cause).toBe(raw);
  });

  it('says nothing is ever stored in plain files when no keychain is reachable', () => {
    expect(
      describeKeychainError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'), 'Secret Service').hint,
    ).toMatch(/never stores passwords in plain files/);
  });
});
