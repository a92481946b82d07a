import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Core } from '../src-main/core/create-core.ts';
import type { TestCertificate } from '../test/support/certs.ts';

/** A local SMTP sink for benchmarks: STARTTLS + AUTH PLAIN, accepts and discards, counts. */
export async function startBenchSink(certificate: TestCertificate, user: string, pass: string) {
  let received = 0;
  const server = new SMTPServer({
    key: certificate.key,
    cert: certificate.cert,
    authMethods: ['PLAIN'],
    logger: false,
    // Loopback needs no name; a slow resolver would otherwise add to every connection's set-up.
    disableReverseLookup: true,
    size: 50 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) return callback(null, { user });
      return callback(new Error('535 5.7.8 Invalid'));
    },
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback(null, `2.0.0 Ok: queued as BENCH${received}`);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    get received() {
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The login the sink accepts, and that every benchmark's Posthorn account uses. */
export const BENCH_USER = 'bench@example.test';
export const BENCH_PASS = 'bench-password';

/** Saves the account that sends to the sink (STARTTLS, AUTH PLAIN); returns its id. */
export async function saveBenchAccount(core: Core, port: number, extra: { maxConnections?: number } = {}) {
  const account = await core.dispatch('accounts.save', {
    name: 'Bench',
    email: BENCH_USER,
    host: '127.0.0.1',
    port,
    security: 'starttls',
    auth: 'PLAIN',
    username: BENCH_USER,
    password: BENCH_PASS,
    ...extra,
  });
  if (!account.ok) throw new Error(account.error.message);
  return account.value.id;
}
