import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { selfSignedCertificate } from '../support/certs.ts';
import { startFaultServer, type FaultScript, type FaultServer } from '../support/fault-server.ts';
import { secret } from '../support/secret-watch.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitFor, waitForState } from '../support/wait-for.ts';

const FINISHED = ['sent', 'failed', 'deferred', 'uncertain'] as const;

/**
 * A message's connection is opened (TLS, login) while the message is being saved and while it
 * waits out its undo delay, so it goes the moment it is due; what happens on that connection
 * is still the message's own attempt.
 */
describe('connections opened ahead of a message', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(script?: FaultScript) {
    const certificate = selfSignedCertificate();
    const server: FaultServer = await startFaultServer(script, { tls: certificate, auth: true });
    cleanups.push(() => server.close());
    const data = tempDataDir('warming');
    cleanups.push(() => data.remove());
    const core: Core = createTestCore({
      dataDir: data.dir,
      secrets: new MemorySecretStore(),
      mode: 'test',
      trustedCertificates: [certificate.cert],
    });
    cleanups.push(() => core.close());
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Ahead',
        email: 'me@fault.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'starttls',
        auth: 'PLAIN',
        username: 'me@fault.test',
        password: secret('warm-Pass-7', 'me@fault.test'),
      }),
    );
    const verbs = () => server.commands.map((c) => c.line.split(' ')[0]?.toUpperCase());
    const transcriptOf = async (id: string) => {
      const [attempt] = unwrap(await core.dispatch('outbox.get', { id })).attempts;
      return unwrap(await core.dispatch('attempts.transcript', { attemptId: attempt?.id ?? '' }));
    };
    return { server, core, account, verbs, transcriptOf };
  }

  it('logs in during the undo delay, then sends over that connection as soon as the message is due', async () => {
    const t = await setup();
    const queued = unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'friend@fault.test',
        subject: 'Ahead',
        body: 'Hello',
        undoSeconds: 2,
      }),
    );
    // Logged in well before the two seconds are up, and nothing of the message sent yet.
    await waitFor(() => t.verbs().includes('AUTH'), 1500);
    expect(t.verbs()).toEqual(expect.arrayContaining(['EHLO', 'STARTTLS', 'AUTH']));
    expect(t.verbs()).not.toContain('MAIL');
    expect(unwrap(await t.core.dispatch('outbox.get', { id: queued.id })).item.state).toBe('queued');

    const item = await waitForState(t.core, queued.id, FINISHED);
    expect(item.state).toBe('sent');
    expect(t.server.connections).toBe(1);
    expect(t.server.accepted).toHaveLength(1);
    expect(t.server.accepted[0]?.rcptTo).toEqual(['friend@fault.test']);
    expect(t.server.commands.filter((c) => c.line.toUpperCase().startsWith('AUTH'))).toHaveLength(1);
    // The transcript still shows how the connection was opened, and says it was opened ahead.
    const lines = await t.transcriptOf(queued.id);
    const text = lines.map((l) => `${l.dir} ${l.text}`).join('\n');
    expect(text).toMatch(/^S 220 fault\.test/m);
    expect(text).toMatch(/^C STARTTLS/m);
    expect(text).toMatch(/Using the connection opened ahead of this message/);
    expect(text).toMatch(/^C MAIL FROM:<me@fault\.test>/m);
    expect(lines.find((l) => l.text.startsWith('220 fault.test'))?.t).toBeLessThan(0);
  });

  it("a login refused on the connection opened ahead is the message's own failure, and the server is asked once", async () => {
    const t = await setup((phase) =>
      phase === 'auth' ? { reply: '535 5.7.8 Authentication credentials invalid' } : undefined,
    );
    const queued = unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'friend@fault.test',
        subject: 'Refused',
        body: 'Hello',
        undoSeconds: 1,
      }),
    );
    const item = await waitForState(t.core, queued.id, FINISHED);
    expect(item.state).toBe('failed');
    expect(item.lastError?.code).toBe('SMTP_AUTH');
    expect(item.lastError?.hint).toBeTruthy();
    expect(t.server.commands.filter((c) => c.line.toUpperCase().startsWith('AUTH'))).toHaveLength(1);
    expect(t.verbs()).not.toContain('MAIL');
    const text = (await t.transcriptOf(queued.id)).map((l) => `${l.dir} ${l.text}`).join('\n');
    expect(text).toMatch(/^S 535 5\.7\.8 Authentication credentials invalid/m);
  });

  it('opens nothing ahead for mail that goes later, and one connection ahead per account however many messages wait', async () => {
    const t = await setup();
    unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'later@fault.test',
        subject: 'Later',
        body: 'Hello',
        undoSeconds: 0,
        sendAt: Date.now() + 60 * 60_000,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.server.connections).toBe(0);

    const ids = await Promise.all(
      [1, 2, 3].map(
        async (i) =>
          unwrap(
            await t.core.dispatch('outbox.enqueue', {
              accountId: t.account.id,
              to: `n${i}@fault.test`,
              subject: `Now ${i}`,
              body: 'Hello',
              undoSeconds: 2,
            }),
          ).id,
      ),
    );
    await waitFor(() => t.verbs().includes('AUTH'), 1500);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // While they wait, one connection is opened for the account, not one per message.
    expect(t.server.connections).toBe(1);
    const items = await Promise.all(ids.map((id) => waitForState(t.core, id, FINISHED)));
    expect(items.map((i) => i.state)).toEqual(['sent', 'sent', 'sent']);
    // When they are due, the account's own limit (2) applies as always.
    expect(t.server.connections).toBeLessThanOrEqual(2);
    expect(t.server.accepted).toHaveLength(3);
  });

  it('undone during the delay: nothing is sent, and the connection opened ahead is closed with the app', async () => {
    const t = await setup();
    const queued = unwrap(
      await t.core.dispatch('outbox.enqueue', {
        accountId: t.account.id,
        to: 'friend@fault.test',
        subject: 'Undone',
        body: 'Hello',
        undoSeconds: 3,
      }),
    );
    await waitFor(() => t.verbs().includes('AUTH'), 1500);
    unwrap(await t.core.dispatch('outbox.undo', { id: queued.id }));
    await t.core.close();
    expect(t.verbs()).not.toContain('MAIL');
    expect(t.verbs()).toContain('QUIT');
    expect(t.server.accepted).toHaveLength(0);
  });
});
