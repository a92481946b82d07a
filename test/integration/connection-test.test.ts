import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core } from '../../src-main/core/create-core.ts';
import { KeytarSecretStore } from '../../src-main/core/secrets/keytar-store.ts';
import type { ConnectionTest } from '../../src-main/shared/schemas/accounts.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startFaultServer } from '../support/fault-server.ts';
import { startKeychainSession, type KeychainSession } from '../support/keychain-session.ts';
import { anotherSelfSignedCertificate } from '../support/second-certificate.ts';
import { secret } from '../support/secret-watch.ts';
import { startSmtpSink, type SinkOptions, type SmtpSink } from '../support/smtp-sink.ts';
import { findInFiles, tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

const USER = 'tess@example.test';
const PASSWORD = secret('Pa55-for-testing', USER);
const TOKEN = secret('ya29.test-access-token-0123456789', USER);
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** "Test" against real smtp-server peers on 127.0.0.1, one per security mode and auth method. */
describe('account connection test', () => {
  let keychain: KeychainSession;
  const data = tempDataDir('conntest');
  const sinks: SmtpSink[] = [];
  const certificate = selfSignedCertificate();
  let trusting: Core; // trusts the test CA, like a machine with a private CA installed
  let strict: Core; // trusts only the system's roots
  const strictData = tempDataDir('conntest-strict');

  beforeAll(async () => {
    keychain = await startKeychainSession();
    Object.assign(process.env, keychain.env);
    const secrets = new KeytarSecretStore({ service: `Posthorn-conntest-${process.pid}` });
    trusting = createTestCore({ dataDir: data.dir, secrets, mode: 'test', trustedCertificates: [certificate.cert] });
    strict = createTestCore({ dataDir: strictData.dir, secrets, mode: 'test' });
  });

  afterAll(async () => {
    await trusting?.close();
    await strict?.close();
    await Promise.all(sinks.map((s) => s.close()));
    await keychain?.stop();
    data.remove();
    strictData.remove();
  });

  async function sink(options: Partial<SinkOptions> = {}) {
    const s = await startSmtpSink({
      certificate,
      users: { [USER]: PASSWORD },
      ...options,
      extra: { size: 25 * 1024 * 1024, hideDSN: false, hideENHANCEDSTATUSCODES: false, ...options.extra },
    });
    sinks.push(s);
    return s;
  }

  async function test(core: Core, settings: Record<string, unknown>): Promise<ConnectionTest> {
    return unwrap(
      await core.dispatch('accounts.test', { host: '127.0.0.1', username: USER, password: PASSWORD, ...settings }),
    );
  }

  const text = (result: ConnectionTest) => result.lines.map((l) => `${l.dir} ${l.text}`).join('\n');

  it('STARTTLS + PLAIN: capabilities, TLS details, redacted transcript, a plain verdict', async () => {
    const s = await sink();
    const result = await test(trusting, { port: s.port, security: 'starttls', auth: 'PLAIN' });
    expect(result.ok, JSON.stringify(result.verdict)).toBe(true);
    expect(result.verdict.title).toBe('Everything works');
    expect(result.verdict.explanation).toMatch(/logged in as tess@example\.test.*No mail was sent/);
    expect(result.authenticated).toBe(true);
    expect(result.capabilities).toMatchObject({
      size: 25 * 1024 * 1024,
      eightBitMime: true,
      smtpUtf8: true,
      pipelining: true,
      dsn: true,
      enhancedStatusCodes: true,
      auth: ['PLAIN', 'LOGIN'],
    });
    expect(result.tls).toMatchObject({
      trusted: true,
      pinned: false,
      protocol: expect.stringMatching(/^TLSv1\.[23]$/),
    });
    expect(result.tls?.certificate?.subject).toContain('CN=localhost');
    expect(result.tls?.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(text(result)).toMatch(/^C AUTH PLAIN ‹credentials redacted›$/m);
    expect(text(result)).toMatch(/^C QUIT$/m);
    expect(text(result)).not.toMatch(/^C (MAIL|RCPT|DATA)/m);
    expect(s.messages).toHaveLength(0);
    for (const secret of [PASSWORD, b64(USER)]) expect(text(result)).not.toContain(secret);
  });

  it('implicit TLS + LOGIN', async () => {
    const s = await sink({ secure: true });
    const result = await test(trusting, { port: s.port, security: 'tls', auth: 'LOGIN' });
    expect(result.ok, JSON.stringify(result.verdict)).toBe(true);
    expect(text(result)).toMatch(/^C AUTH LOGIN$/m);
    expect(text(result)).toMatch(/^C ‹credentials redacted›$/m);
    expect(text(result)).not.toContain(b64(USER));
    expect(s.logins).toEqual([{ method: 'LOGIN', username: USER, ok: true }]);
  });

  it('CRAM-MD5', async () => {
    const s = await sink({ authMethods: ['CRAM-MD5'] });
    const result = await test(trusting, { port: s.port, security: 'starttls', auth: 'CRAM-MD5' });
    expect(result.ok, JSON.stringify(result.verdict)).toBe(true);
    expect(result.capabilities?.auth).toEqual(['CRAM-MD5']);
    expect(s.logins).toEqual([{ method: 'CRAM-MD5', username: USER, ok: true }]);
    expect(text(result)).toMatch(/^C AUTH CRAM-MD5$/m);
  });

  it('XOAUTH2 with a pasted access token, never shown', async () => {
    const s = await sink({ authMethods: ['XOAUTH2'], users: { [USER]: TOKEN } });
    const result = await test(trusting, { port: s.port, security: 'starttls', auth: 'XOAUTH2', password: TOKEN });
    expect(result.ok, JSON.stringify(result.verdict)).toBe(true);
    expect(s.logins).toEqual([{ method: 'XOAUTH2', username: USER, ok: true }]);
    expect(text(result)).toMatch(/^C AUTH XOAUTH2 ‹credentials redacted›$/m);
    expect(text(result)).not.toContain(TOKEN);
  });

  it('auto picks what the server offers', async () => {
    const s = await sink({ authMethods: ['LOGIN'] });
    const result = await test(trusting, { port: s.port, security: 'starttls', auth: 'auto' });
    expect(result.ok).toBe(true);
    expect(s.logins[0]?.method).toBe('LOGIN');
  });

  it('a wrong password gets the verdict and the fix', async () => {
    const s = await sink();
    const result = await test(trusting, { port: s.port, security: 'starttls', password: 'nope' });
    expect(result.ok).toBe(false);
    expect(result.verdict.title).toBe('Wrong username or password');
    expect(result.verdict.fix).toMatch(/app password/);
    expect(result.error?.code).toBe('SMTP_AUTH');
    expect(text(result)).toMatch(/^S 535 /m);
  });

  it('"app password needed" (534 5.7.9) is recognised', async () => {
    const s = await sink({ refuseWith: { code: 534, message: '5.7.9 Application-specific password required' } });
    const result = await test(trusting, { port: s.port, security: 'starttls', password: secret('normal-password') });
    expect(result.verdict.title).toBe('An app password is needed');
  });

  it('no AUTH over an unencrypted connection unless allowed for the account', async () => {
    const s = await sink({ extra: { allowInsecureAuth: true, disabledCommands: ['STARTTLS'] } });
    const refused = await test(trusting, { port: s.port, security: 'none' });
    expect(refused.ok).toBe(false);
    expect(refused.verdict.explanation).toMatch(/will not send your password over an unencrypted connection/);
    expect(s.logins).toHaveLength(0);
    const allowed = await test(trusting, { port: s.port, security: 'none', allowPlaintextAuth: true });
    expect(allowed.ok, JSON.stringify(allowed.verdict)).toBe(true);
    expect(allowed.tls).toBeNull();
    expect(allowed.verdict.explanation).toMatch(/NOT encrypted/);
  });

  it('no login at all where the server relays without one', async () => {
    const s = await sink({ extra: { authOptional: true } });
    const result = await test(trusting, {
      port: s.port,
      security: 'starttls',
      auth: 'none',
      username: '',
      password: undefined,
    });
    expect(result.ok).toBe(true);
    expect(result.authenticated).toBe(false);
    expect(s.logins).toHaveLength(0);
  });

  it('a server that offers no AUTH where login is required', async () => {
    const s = await sink({ extra: { disabledCommands: ['AUTH'] } });
    const result = await test(trusting, { port: s.port, security: 'starttls', auth: 'PLAIN' });
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('SMTP_AUTH');
  });

  it('self-signed: refused with the certificate shown, then pinned, then a different certificate refused again', async () => {
    const s = await sink();
    const refused = await test(strict, { port: s.port, security: 'starttls' });
    expect(refused.ok).toBe(false);
    expect(refused.verdict.title).toBe("The server's certificate is not trusted");
    expect(refused.tls).toMatchObject({
      trusted: false,
      problem: expect.stringMatching(/SELF_SIGNED|self[- ]signed/i),
    });
    const shown = refused.tls?.certificate;
    expect(shown?.subject).toContain('CN=localhost');
    expect(s.logins).toHaveLength(0); // nothing was sent to an untrusted server

    const pin = { fingerprint256: shown?.fingerprint256 ?? '', pem: shown?.pem ?? '', subject: shown?.subject ?? '' };
    const pinned = await test(strict, { port: s.port, security: 'starttls', pinnedCertificate: pin });
    expect(pinned.ok, JSON.stringify(pinned.verdict)).toBe(true);
    expect(pinned.tls).toMatchObject({ trusted: true, pinned: true });

    const account = unwrap(
      await strict.dispatch('accounts.save', {
        name: 'Own server',
        email: USER,
        host: '127.0.0.1',
        port: s.port,
        security: 'starttls',
        username: USER,
        password: PASSWORD,
        pinnedCertificate: pin,
      }),
    );
    expect(account.pinnedCertificate?.fingerprint256).toBe(pin.fingerprint256);

    const impostor = await sink({ certificate: anotherSelfSignedCertificate() });
    const again = await test(strict, { port: impostor.port, security: 'starttls', pinnedCertificate: pin });
    expect(again.ok).toBe(false);
    expect(again.verdict.title).toBe("The server's certificate is not trusted");
    expect(again.tls?.certificate?.fingerprint256).not.toBe(pin.fingerprint256);
    expect(impostor.logins).toHaveLength(0);
  });

  it('a certificate for another name is refused even when its issuer is trusted, and can be pinned', async () => {
    const elsewhere = anotherSelfSignedCertificate('DNS:mail.elsewhere.test');
    const dir = tempDataDir('mismatch');
    const core = createTestCore({
      dataDir: dir.dir,
      secrets: new KeytarSecretStore({ service: `Posthorn-mismatch-${process.pid}` }),
      mode: 'test',
      trustedCertificates: [elsewhere.cert],
    });
    try {
      const s = await sink({ certificate: elsewhere });
      const refused = await test(core, { port: s.port, security: 'starttls' });
      expect(refused.ok).toBe(false);
      expect(refused.verdict.title).toBe("The server's certificate is not trusted");
      expect(refused.verdict.explanation).toMatch(/does not match|altnames/i);
      const shown = refused.tls?.certificate;
      expect(shown?.altNames).toContain('mail.elsewhere.test');
      const pinned = await test(core, {
        port: s.port,
        security: 'starttls',
        pinnedCertificate: {
          fingerprint256: shown?.fingerprint256 ?? '',
          pem: shown?.pem ?? '',
          subject: shown?.subject ?? '',
        },
      });
      expect(pinned.ok, JSON.stringify(pinned.verdict)).toBe(true);
      expect(pinned.tls?.pinned).toBe(true);
    } finally {
      await core.close();
      dir.remove();
    }
  });

  it('a pin whose fingerprint does not match its certificate is refused as bad input', async () => {
    const shown = (await test(strict, { port: (await sink()).port, security: 'starttls' })).tls?.certificate;
    const result = await strict.dispatch('accounts.test', {
      host: '127.0.0.1',
      port: 1,
      security: 'starttls',
      username: '',
      pinnedCertificate: { fingerprint256: 'AA:'.repeat(31) + 'AA', pem: shown?.pem ?? '', subject: 'x' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('TLS on a STARTTLS port: "the security setting does not match the port"', async () => {
    const s = await sink();
    const result = await test(trusting, {
      port: s.port,
      security: 'tls',
      timeouts: { connectMs: 5000, greetingMs: 5000, socketMs: 5000 },
    });
    expect(result.ok).toBe(false);
    expect(result.verdict.title).toMatch(/does not match the port|No answer in time/);
  });

  it('a 421 greeting: "the server is busy", not "check your settings"', async () => {
    const busy = await startFaultServer((phase) =>
      phase === 'greeting' ? { reply: '421 4.3.2 Service not available, closing channel' } : undefined,
    );
    try {
      const result = await test(trusting, { port: busy.port, security: 'none', auth: 'none', username: '' });
      expect(result.ok).toBe(false);
      expect(result.verdict.title).toBe('The server is busy or not taking connections right now');
      expect(result.verdict.explanation).toContain('421 4.3.2 Service not available');
    } finally {
      await busy.close();
    }
  });

  it('nothing listening: "Nothing answers on port N"', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const p = (server.address() as { port: number }).port;
        server.close(() => resolve(p));
      });
    });
    const result = await test(trusting, { port, security: 'starttls' });
    expect(result.verdict.title).toBe(`Nothing answers on port ${port}`);
  });

  it('saving a just-tested new account keeps what the test learnt (looked up in the core, not sent by the renderer)', async () => {
    const s = await sink();
    const tested = await test(trusting, { port: s.port, security: 'starttls' });
    const saved = unwrap(
      await trusting.dispatch('accounts.save', {
        name: 'Fresh',
        email: USER,
        host: '127.0.0.1',
        port: s.port,
        security: 'starttls',
        username: USER,
        password: PASSWORD,
        testId: tested.id,
      }),
    );
    expect(saved.lastEhlo?.capabilities.auth).toEqual(['PLAIN', 'LOGIN']);
    expect(saved.lastTest).toMatchObject({ ok: true, summary: 'Everything works' });
    const elsewhere = unwrap(
      await trusting.dispatch('accounts.save', {
        name: 'Elsewhere',
        email: USER,
        host: '127.0.0.1',
        port: s.port + 1,
        security: 'starttls',
        username: USER,
        password: PASSWORD,
        testId: tested.id,
      }),
    );
    expect(elsewhere.lastEhlo).toBeNull(); // a test of another server says nothing about this one
  });

  it('a saved account keeps the last EHLO for the composer; no secret reaches the data folder', async () => {
    const s = await sink();
    const account = unwrap(
      await trusting.dispatch('accounts.save', {
        name: 'Tess',
        email: USER,
        host: '127.0.0.1',
        port: s.port,
        security: 'starttls',
        username: USER,
        password: PASSWORD,
      }),
    );
    expect(account.lastEhlo).toBeNull();
    const result = await test(trusting, { id: account.id, port: s.port, security: 'starttls', password: undefined });
    expect(result.ok).toBe(true); // the stored password, from the keychain
    const [reloaded] = unwrap(await trusting.dispatch('accounts.list', {})).filter((a) => a.id === account.id);
    expect(reloaded?.lastEhlo?.capabilities.size).toBe(25 * 1024 * 1024);
    expect(reloaded?.lastTest).toMatchObject({ ok: true, summary: 'Everything works' });
    expect(findInFiles(data.dir, [PASSWORD, TOKEN, b64(USER), b64(`\0${USER}\0${PASSWORD}`)])).toEqual([]);
  });
});
