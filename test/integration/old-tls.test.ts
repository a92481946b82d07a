import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { tlsOptions } from '../../src-main/core/smtp/connection-options.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

/**
 * A server that speaks only TLS 1.0 or 1.1 (retired by RFC 8996): Posthorn sets TLS 1.2 as its
 * minimum itself rather than trusting the runtime's default (a flag like --tls-min-v1.0 or an
 * embedder's setting could lower that), and says in words what is wrong (issue 19, point 4).
 */
describe('a server that speaks only TLS 1.0/1.1', () => {
  const certificate = selfSignedCertificate();
  const data = tempDataDir('old-tls');
  let server: tls.Server;
  let port = 0;
  let core: Core;

  beforeAll(async () => {
    server = tls.createServer(
      {
        key: certificate.key,
        cert: certificate.cert,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      },
      (socket) => socket.end('220 old.test ESMTP\r\n'),
    );
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      trustedCertificates: [certificate.cert],
    });
  });

  afterAll(async () => {
    await core?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    data.remove();
  });

  it('TLS 1.2 is the minimum Posthorn asks for, whatever the runtime default', () => {
    expect(tlsOptions({ trustedCertificates: [], pinnedCertificate: null }).minVersion).toBe('TLSv1.2');
  });

  it('the connection test names the old TLS version and what to do', async () => {
    const result = unwrap(
      await core.dispatch('accounts.test', {
        host: '127.0.0.1',
        port,
        security: 'tls',
        auth: 'none',
        username: '',
        timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 5000 },
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.verdict.title).toBe('The server uses an outdated encryption version');
    expect(result.verdict.explanation).toMatch(/TLS 1\.0 or 1\.1/);
    expect(result.verdict.fix).toMatch(/TLS 1\.2/);
    expect(result.error?.code).toBe('SMTP_TLS');
  });

  it('a message through it waits with the same reason, and nothing is sent in the clear', async () => {
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Old',
        email: 'me@old.test',
        host: '127.0.0.1',
        port,
        security: 'tls',
        auth: 'none',
        username: '',
        timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 5000 },
      }),
    );
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'someone@old.test',
        subject: 'Old TLS',
        body: 'Body',
        undoSeconds: 0,
      }),
    );
    const item = await waitForState(core, queued.id, ['failed', 'deferred'], 15_000);
    expect(item.lastError?.code).toBe('SMTP_TLS');
    expect(item.lastError?.message).toMatch(/only an outdated TLS version \(1\.0 or 1\.1\)/);
  });
});
