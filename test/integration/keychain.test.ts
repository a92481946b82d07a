import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-store.ts';
import { keychainAccountName } from '../../src-main/core/secrets/secret-store.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';

/** keytar against a real gnome-keyring Secret Service that the test starts in dbus-run-session. */
describe('OS keychain through keytar', () => {
  let session: KeychainSession;
  let service: string;

  beforeAll(async () => {
    session = await startKeychainSession();
    Object.assign(process.env, session.env);
    service = session.service('keychain-test');
  });

  afterAll(async () => {
    await session?.stop();
  });

  const lookupFromOutside = (accountId: string) => session.lookupFromOutside(service, keychainAccountName(accountId));

  it('saves, reads and deletes an account password in the Secret Service', async () => {
    const store = new KeytarSecretStore({ service });
    expect(store.backend).toMatch(/Secret Service/);
    await store.set('acc-1', 'pässwörd with spaces & ünïcode');
    expect(await store.get('acc-1')).toBe('pässwörd with spaces & ünïcode');
    // The item is really in the keyring, where other tools can see it.
    expect(await lookupFromOutside('acc-1')).toBe('pässwörd with spaces & ünïcode');

    await store.set('acc-1', 'replaced');
    expect(await store.get('acc-1')).toBe('replaced');

    expect(await store.delete('acc-1')).toBe(true);
    expect(await store.get('acc-1')).toBeNull();
    expect(await lookupFromOutside('acc-1')).toBeNull();
    expect(await store.delete('acc-1')).toBe(false);
  });

  it('keeps accounts apart', async () => {
    const store = new KeytarSecretStore({ service });
    await store.set('a', 'one');
    await store.set('b', 'two');
    expect([await store.get('a'), await store.get('b')]).toEqual(['one', 'two']);
    await store.delete('a');
    await store.delete('b');
  });

  it('without any Secret Service, saving fails with a clear message and the fix (no plaintext fall-back)', (context) => {
    if (!session.canBeUnreachable) return context.skip('the OS keychain cannot be made unreachable on this system');
    // A separate process, since this one is already connected to the test keychain's bus.
    const script = `
      const { KeytarSecretStore } = await import(${JSON.stringify(new URL('../../src-main/core/secrets/keytar-store.ts', import.meta.url).href)});
      try { await new KeytarSecretStore({ service: 'Posthorn-nobus' }).set('x', 'secret'); console.log(JSON.stringify({ saved: true })); }
      catch (e) { console.log(JSON.stringify(e.error ?? { message: String(e) })); }`;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/posthorn-no-bus', DISPLAY: '' };
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      encoding: 'utf8',
      timeout: 20_000,
    });
    const answer = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      code?: string;
      message?: string;
      hint?: string;
    };
    expect(answer.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(answer.message).toMatch(/could not reach a keychain/);
    expect(answer.hint).toMatch(/gnome-keyring/);
  });
});
