import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import type { SecretStore } from '../../src-main/core/secrets/secret-store.ts';
import { secret } from '../support/secret-watch.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

const USER = 'pat@example.test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A keychain as slow as a real one can be: writes take 30 ms, reads 15 ms, so calls overlap. */
class SlowStore implements SecretStore {
  readonly backend = 'slow memory';
  private readonly inner = new MemorySecretStore();
  async set(id: string, value: string) {
    await sleep(30);
    await this.inner.set(id, value);
  }
  async get(id: string) {
    await sleep(15);
    return this.inner.get(id);
  }
  delete(id: string) {
    return this.inner.delete(id);
  }
}

/**
 * Turning "allow login without encryption" off with a new password (second attacker review,
 * issue 19): nothing still holding the old settings (a test, a duplicate, a connection opened
 * ahead for a queued message) may send the new password in plain text.
 */
describe('a new password never goes out in plain text once plain-text login is turned off', () => {
  const data = tempDataDir('binding-race');
  let core: Core;
  const heard: string[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    core = createTestCore({ dataDir: data.dir, secrets: new SlowStore(), mode: 'test' });
    server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        heard.push(auth.password ?? '');
        callback(null, { user: auth.username });
      },
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await core?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    data.remove();
  });

  const plain = () => ({
    host: '127.0.0.1',
    port,
    security: 'none' as const,
    auth: 'PLAIN' as const,
    username: USER,
    timeouts: { connectMs: 2000, greetingMs: 2000, socketMs: 5000 },
  });

  it('tests and duplicates of the old settings, at every moment of the save', async () => {
    heard.length = 0;
    const old = secret('Old-plain-pa55');
    for (let offset = 0; offset < 40; offset += 4) {
      const fresh = secret(`New-encrypted-only-${offset}`);
      const account = unwrap(
        await core.dispatch('accounts.save', {
          ...plain(),
          name: 'P',
          email: USER,
          allowPlaintextAuth: true,
          password: old,
        }),
      );
      const saving = core.dispatch('accounts.save', {
        ...plain(),
        id: account.id,
        name: 'P',
        email: USER,
        allowPlaintextAuth: false,
        password: fresh,
      });
      await sleep(offset);
      const duplicate = await core.dispatch('accounts.duplicate', { id: account.id });
      await core.dispatch('accounts.test', { ...plain(), id: account.id, allowPlaintextAuth: true });
      unwrap(await saving);
      if (duplicate.ok)
        await core.dispatch('accounts.test', {
          ...plain(),
          id: duplicate.value.id,
          allowPlaintextAuth: duplicate.value.allowPlaintextAuth,
        });
      expect(heard.filter((password) => password !== old)).toEqual([]);
    }
  });

  it('a queued message whose connection was opened ahead with the old settings', async () => {
    heard.length = 0;
    const old = secret('Old-plain-pa55-outbox');
    for (let round = 0; round < 4; round++) {
      const fresh = secret(`New-encrypted-only-outbox-${round}`);
      const account = unwrap(
        await core.dispatch('accounts.save', {
          ...plain(),
          name: 'Q',
          email: USER,
          allowPlaintextAuth: true,
          password: old,
        }),
      );
      unwrap(
        await core.dispatch('outbox.enqueue', {
          accountId: account.id,
          to: 'someone@example.test',
          subject: `Round ${round}`,
          body: 'Body',
          undoSeconds: 0,
        }),
      );
      unwrap(
        await core.dispatch('accounts.save', {
          ...plain(),
          id: account.id,
          name: 'Q',
          email: USER,
          allowPlaintextAuth: false,
          password: fresh,
        }),
      );
      await sleep(400);
      expect(heard.filter((password) => password !== old)).toEqual([]);
    }
  });
});
