import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import type { AuthMethod } from '../../src-main/shared/schemas/accounts.ts';
import { startFaultServer, type FaultScript, type FaultServer } from '../support/fault-server.ts';
import { secret } from '../support/secret-watch.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const USER = 'echo-victim@fault.test';
const TIMEOUTS = { connectMs: 1000, greetingMs: 1000, socketMs: 5000 };
const utf16 = (text: string) => Buffer.from(text, 'utf16le').toString('latin1');

/**
 * A hostile (or badly written) server that repeats the client's credentials back in its replies
 * (issue 19, point 3). Whatever it says reaches the stored reply, the error message, the
 * connection test, the exports and the app log only after the secret has been scrubbed in every
 * form: as typed, base64, the PLAIN, LOGIN, CRAM-MD5 and XOAUTH2 blobs, UTF-8 and UTF-16. The
 * watched core fails the test on any hit in what it hands out, and the data folder (database,
 * WAL, spool, app log) is searched when the folder is removed.
 */
describe('credentials echoed by a hostile server are never kept or shown', () => {
  const data = tempDataDir('echoed-credentials');
  const servers: FaultServer[] = [];
  let core: Core;

  beforeAll(() => {
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all(servers.map((server) => server.close()));
    data.remove(); // searches every file for every registered secret form
  });

  const accountFor = (auth: AuthMethod, password: string, script: FaultScript) =>
    accountOn(core, servers, auth, password, script);

  async function sendThrough(accountId: string) {
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'someone@fault.test',
        subject: 'Echo',
        body: 'Body',
        undoSeconds: 0,
      }),
    );
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'], 15_000);
    return { id: queued.id, item };
  }

  async function everyExport(id: string): Promise<string> {
    const contents: string[] = [];
    for (const format of ['txt', 'json'] as const)
      for (const safe of [false, true])
        contents.push(unwrap(await core.dispatch('logs.export', { outboxId: id, format, safe })).content);
    return contents.join('\n');
  }

  it.each(['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'] as const)(
    '%s: a 535 that repeats the credentials is stored and shown redacted',
    async (auth) => {
      const password = secret(`Echoed-${auth}-s3cret-value`, USER);
      const { account } = await accountFor(auth, password, (phase, context) =>
        phase === 'auth' ? { reply: `535 5.7.8 Authentication failed for ${context.arg}` } : undefined,
      );
      const test = unwrap(await core.dispatch('accounts.test', { id: account.id, ...serverOf(account) }));
      expect(test.ok).toBe(false);
      expect(test.error?.message).toContain('535 5.7.8 Authentication failed for');
      expect(test.error?.message).toContain('‹redacted›');

      const { id, item } = await sendThrough(account.id);
      expect(item.lastError?.code).toBe('SMTP_AUTH');
      expect(item.lastError?.message).toContain('‹redacted›');
      expect(item.lastReply ?? '').toContain('‹redacted›');
      const detail = unwrap(await core.dispatch('outbox.get', { id }));
      expect(detail.attempts[0]?.response ?? '').toContain('‹redacted›');
      expect(await everyExport(id)).toContain('535 5.7.8 Authentication failed for');
    },
  );

  it('the password as typed and in UTF-16, in the login reply and the final reply of a sent message', async () => {
    const password = secret('Plain-typed-echo-pa55', USER);
    const { account } = await accountFor('PLAIN', password, (phase) =>
      phase === 'auth'
        ? { reply: `235 2.7.0 Welcome, your password is ${password}` }
        : phase === 'dot'
          ? { reply: `250 2.0.0 Ok: queued as 4QX for ${utf16(password)} (${Buffer.from(password).toString('hex')})` }
          : undefined,
    );
    const { id, item } = await sendThrough(account.id);
    expect(item.state).toBe('sent');
    expect(item.lastReply).toMatch(/^250 2\.0\.0 Ok: queued as 4QX for ‹redacted› \(‹redacted›\)$/);
    const detail = unwrap(await core.dispatch('outbox.get', { id }));
    const lines = unwrap(await core.dispatch('attempts.transcript', { attemptId: detail.attempts[0]?.id ?? '' }));
    expect(lines.map((l) => l.text)).toContain('235 2.7.0 Welcome, your password is ‹redacted›');
    await everyExport(id);
  });
});

describe('scrubbing tells a caller nothing about stored passwords', () => {
  const data = tempDataDir('echoed-no-oracle');
  const servers: FaultServer[] = [];
  let core: Core;

  beforeAll(() => {
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all(servers.map((server) => server.close()));
    data.remove();
  });

  it("a server of the caller's choosing that lists guesses gets them back unchanged, a stored password among them", async () => {
    // Not registered with the secret scan on purpose: the caller wrote it into the greeting.
    const stored = 'sunflower2019';
    unwrap(
      await core.dispatch('accounts.save', {
        name: 'A',
        email: USER,
        host: '127.0.0.1',
        port: 9,
        security: 'starttls',
        username: USER,
        password: stored,
      }),
    );
    const guesses = ['daisy2018', stored, 'tulip2020'].join(' ');
    const server = await startFaultServer((phase) =>
      phase === 'greeting' ? { reply: `220 x ${guesses}` } : undefined,
    );
    servers.push(server);
    const test = unwrap(
      await core.dispatch('accounts.test', {
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
        timeouts: TIMEOUTS,
      }),
    );
    expect(test.lines.find((line) => line.dir === 'S')?.text).toBe(`220 x ${guesses}`);
  });

  it('a password that is also a word of the greeting: the reply code stays, and the message goes', async () => {
    const password = secret('Localhost', USER);
    const { account } = await accountOn(core, servers, 'PLAIN', password, (phase) =>
      phase === 'greeting' ? { reply: '220 localhost ESMTP Postfix' } : undefined,
    );
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'someone@fault.test',
        subject: 'Hi',
        body: 'Body',
        undoSeconds: 0,
      }),
    );
    const item = await waitForState(core, queued.id, ['sent', 'failed', 'deferred', 'uncertain'], 15_000);
    expect(item.state).toBe('sent');
  });
});

/** An account on a fault server of its own, with the given login (plain text allowed: no TLS needed). */
async function accountOn(core: Core, servers: FaultServer[], auth: AuthMethod, password: string, script: FaultScript) {
  const server = await startFaultServer(script, {
    auth: true,
    authMethods: auth === 'auto' ? ['PLAIN', 'LOGIN'] : [auth],
  });
  servers.push(server);
  const account = unwrap(
    await core.dispatch('accounts.save', {
      name: `Echo ${auth}`,
      email: USER,
      host: '127.0.0.1',
      port: server.port,
      security: 'none',
      allowPlaintextAuth: true,
      auth,
      username: USER,
      password,
      timeouts: TIMEOUTS,
    }),
  );
  return { server, account };
}

function serverOf(account: {
  host: string;
  port: number;
  security: 'none' | 'tls' | 'starttls';
  username: string;
  auth: AuthMethod;
}) {
  return {
    auth: account.auth,
    host: account.host,
    port: account.port,
    security: account.security,
    username: account.username,
    allowPlaintextAuth: true,
    timeouts: TIMEOUTS,
  };
}
