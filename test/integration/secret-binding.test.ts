import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-store.ts';
import { unsealSecret } from '../../src-main/core/secrets/sealed-secret.ts';
import { keychainAccountName } from '../../src-main/core/secrets/secret-store.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { anotherSelfSignedCertificate } from '../support/second-certificate.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

const USER = 'sam@example.test';
const PASSWORD = secret('Saved-pa55-only-for-the-real-server', USER);

/**
 * An attacker with the API (the browser-mode token, a compromised renderer) points a test or
 * a save of a saved account at its own server. The stored password must not follow (issue 19,
 * point 1): it is used only with the host, port, security, username and pinned certificate it
 * was saved for.
 */
describe('a saved secret goes only to the server it was saved for', () => {
  let keychain: KeychainSession;
  let core: Core;
  let service: string;
  let honest: SmtpSink;
  const certificate = selfSignedCertificate();
  const data = tempDataDir('secret-binding');
  /** Every password the attacker's server was handed. */
  const harvested: string[] = [];
  let attacker: SMTPServer;
  let attackerPort = 0;
  let accountId = '';

  beforeAll(async () => {
    keychain = await startKeychainSession();
    Object.assign(process.env, keychain.env);
    service = keychain.service('binding');
    core = createTestCore({
      dataDir: data.dir,
      secrets: new KeytarSecretStore({ service }),
      mode: 'test',
      trustedCertificates: [certificate.cert],
    });
    honest = await startSmtpSink({ certificate, users: { [USER]: PASSWORD } });
    // Plain text, any login welcome: what an attacker would stand up to collect a password.
    attacker = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: true,
      logger: false,
      onAuth(auth, _session, callback) {
        harvested.push(auth.password ?? auth.accessToken ?? '');
        callback(null, { user: auth.username });
      },
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerPort = (attacker.server.address() as AddressInfo).port;
    const saved = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Sam',
        email: USER,
        host: '127.0.0.1',
        port: honest.port,
        security: 'starttls',
        username: USER,
        password: PASSWORD,
      }),
    );
    accountId = saved.id;
  });

  afterAll(async () => {
    await core?.close();
    await honest?.close();
    await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
    await keychain?.stop();
    data.remove();
  });

  /** The secret in the keychain, read from outside Posthorn (kept there with the server it belongs to). */
  const inKeychain = async () => {
    const stored = await keychain.lookupFromOutside(service, keychainAccountName(accountId));
    return stored === null ? null : unsealSecret(stored).secret;
  };

  const savedSettings = () => ({
    id: accountId,
    host: '127.0.0.1',
    port: honest.port,
    security: 'starttls' as const,
    username: USER,
  });

  it('the saved settings test with the stored password, as before', async () => {
    const result = unwrap(await core.dispatch('accounts.test', savedSettings()));
    expect(result.ok, JSON.stringify(result.verdict)).toBe(true);
    expect(result.authenticated).toBe(true);
    expect(honest.logins.at(-1)).toEqual({ method: 'PLAIN', username: USER, ok: true });
  });

  it('a test pointed at another server without a password is refused before connecting, and says why', async () => {
    const result = await core.dispatch('accounts.test', {
      ...savedSettings(),
      port: attackerPort,
      security: 'none',
      allowPlaintextAuth: true,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('SECRET_REQUIRED');
    expect(result.error.message).toMatch(/only sent to the server it was saved for/);
    expect(result.error.hint).toMatch(/Type the password again/);
    expect(result.error.details?.['field:password']).toMatch(/Type the password again/);
    expect(harvested).toEqual([]);
  });

  it.each([
    ['the security mode', { security: 'tls' as const }],
    ['the username', { username: 'someone-else@example.test' }],
    ['plain-text login allowed', { security: 'none' as const, port: 0, allowPlaintextAuth: true }],
    ['the login method', { auth: 'PLAIN' as const }],
    ['the server, by a final dot (a name to look up instead of an address)', { host: '127.0.0.1.' }],
  ])('changing %s alone also needs the password again', async (_what, change) => {
    const settings = { ...savedSettings(), ...change };
    if (settings.port === 0) settings.port = attackerPort;
    const result = await core.dispatch('accounts.test', settings);
    expect(result.ok ? 'ok' : result.error.code).toBe('SECRET_REQUIRED');
    expect(harvested).toEqual([]);
  });

  it("pinning the attacker's certificate for the saved host needs the password again", async () => {
    const { cert } = anotherSelfSignedCertificate();
    const { fingerprintOfPem } = await import('../../src-main/core/smtp/certificate-info.ts');
    const result = await core.dispatch('accounts.test', {
      ...savedSettings(),
      pinnedCertificate: { fingerprint256: fingerprintOfPem(cert), pem: cert, subject: 'CN=attacker' },
    });
    expect(result.ok ? 'ok' : result.error.code).toBe('SECRET_REQUIRED');
  });

  it('a password typed for the other server is used there (it is what the person typed)', async () => {
    const typed = secret('typed-for-the-other-server');
    const result = unwrap(
      await core.dispatch('accounts.test', {
        ...savedSettings(),
        port: attackerPort,
        security: 'none',
        allowPlaintextAuth: true,
        password: typed,
      }),
    );
    expect(result.authenticated).toBe(true);
    expect(harvested).toEqual([typed]);
    harvested.length = 0;
  });

  it('saving the account with another server keeps nothing without the password: refused, account and keychain unchanged', async () => {
    const before = unwrap(await core.dispatch('accounts.list', {}));
    const result = await core.dispatch('accounts.save', {
      ...savedSettings(),
      name: 'Sam',
      email: USER,
      port: attackerPort,
      security: 'none',
      allowPlaintextAuth: true,
    });
    expect(result.ok ? 'ok' : result.error.code).toBe('SECRET_REQUIRED');
    expect(unwrap(await core.dispatch('accounts.list', {}))).toEqual(before);
    expect(await inKeychain()).toBe(PASSWORD);
    // Then a send through the account still goes to the honest server with the stored password.
    const sent = unwrap(await core.dispatch('accounts.test', savedSettings()));
    expect(sent.authenticated).toBe(true);
    expect(harvested).toEqual([]);
  });

  it('a new password saved for another server never reaches the old one, however calls interleave', async () => {
    // A second account on the harvesting server, so what it receives can be told apart.
    const oldPassword = secret('Old-pa55-for-the-first-server');
    const plain = { security: 'none' as const, allowPlaintextAuth: true, auth: 'PLAIN' as const, username: USER };
    /** The account on the harvesting server with the old password (made, or moved back). */
    const onHarvester = async (id?: string) =>
      unwrap(
        await core.dispatch('accounts.save', {
          ...(id ? { id } : {}),
          name: 'Racer',
          email: USER,
          host: '127.0.0.1',
          port: attackerPort,
          ...plain,
          password: oldPassword,
        }),
      );
    const racer = await onHarvester();
    harvested.length = 0;
    for (let round = 0; round < 6; round++) {
      const fresh = secret(`New-pa55-round-${round}-for-the-honest-server`);
      // The save moves the account (new server, new password) while a test of the old settings runs.
      const moving = core.dispatch('accounts.save', {
        id: racer.id,
        name: 'Racer',
        email: USER,
        host: '127.0.0.1',
        port: honest.port,
        security: 'starttls',
        username: USER,
        password: fresh,
      });
      await new Promise((resolve) => setTimeout(resolve, round % 3));
      const duplicate = core.dispatch('accounts.duplicate', { id: racer.id });
      await core.dispatch('accounts.test', { id: racer.id, host: '127.0.0.1', port: attackerPort, ...plain });
      unwrap(await moving);
      const copy = await duplicate;
      if (copy.ok)
        await core.dispatch('accounts.test', {
          id: copy.value.id,
          host: copy.value.host,
          port: copy.value.port,
          security: copy.value.security,
          username: copy.value.username,
          auth: copy.value.auth,
          allowPlaintextAuth: copy.value.allowPlaintextAuth,
        });
      expect(harvested.filter((seen) => seen !== oldPassword)).toEqual([]);
      // Back to the harvesting server with the old password for the next round.
      await onHarvester(racer.id);
    }
    harvested.length = 0;
    unwrap(await core.dispatch('accounts.delete', { id: racer.id }));
  });

  it('saving with the same server and a new name keeps the stored password', async () => {
    const renamed = unwrap(
      await core.dispatch('accounts.save', { ...savedSettings(), name: 'Sam at work', email: USER }),
    );
    expect(renamed).toMatchObject({ name: 'Sam at work', hasPassword: true });
    expect(await inKeychain()).toBe(PASSWORD);
  });

  it('saving with another server and login "none" drops the stored password (it belonged to the old server)', async () => {
    const moved = unwrap(
      await core.dispatch('accounts.save', {
        ...savedSettings(),
        name: 'Sam',
        email: USER,
        port: attackerPort,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    );
    expect(moved.hasPassword).toBe(false);
    expect(await inKeychain()).toBeNull();
    // Switching the login back on does not bring an old password to this server.
    const back = await core.dispatch('accounts.test', {
      id: accountId,
      host: '127.0.0.1',
      port: attackerPort,
      security: 'none',
      allowPlaintextAuth: true,
      auth: 'PLAIN',
      username: USER,
    });
    expect(back.ok ? back.value.authenticated : back.error.code).not.toBe(true);
    expect(harvested).toEqual([]);
  });
});
