import { afterAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitFor, waitForState } from '../support/wait-for.ts';

/**
 * The outbox's timing promises (issue 17): each message keeps its own due time, and a saved
 * account applies at once.
 */
describe('outbox timing', () => {
  const servers: FaultServer[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    // Servers first: an attempt still waiting on the silent one ends at once.
    await Promise.all(servers.map((server) => server.close()));
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function setup(options: { retryDelaysMs?: number[]; messagesPerConnection?: number } = {}) {
    const data = tempDataDir('timing');
    const core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test', ...options });
    cleanups.push(async () => {
      await core.close();
      data.remove();
    });
    const account = async (name: string, port: number, greetingMs = 1000, id?: string) =>
      unwrap(
        await core.dispatch('accounts.save', {
          ...(id ? { id } : {}),
          name,
          email: 'me@timing.test',
          host: '127.0.0.1',
          port,
          security: 'none',
          auth: 'none',
          username: '',
          // nodemailer bounds the greeting by what is left of the connection timeout too.
          timeouts: { connectMs: greetingMs, greetingMs, socketMs: greetingMs },
        }),
      ).id;
    const send = async (accountId: string, subject: string) =>
      unwrap(
        await core.dispatch('outbox.enqueue', { accountId, to: 'you@timing.test', subject, body: 'b', undoSeconds: 0 }),
      ).id;
    return { core, account, send };
  }

  it("a retry starts when it is due, while another account's attempt is still waiting on a silent server", async () => {
    const { core, account, send } = await setup({ retryDelaysMs: [1500] });
    const silent = await startFaultServer((phase) => (phase === 'greeting' ? { silent: true } : undefined));
    const busy = await startFaultServer((phase, c) =>
      phase === 'greeting' && c.connection === 1 ? { reply: '421 4.3.2 Too busy, try later' } : undefined,
    );
    servers.push(silent, busy);
    const slow = await send(await account('Silent', silent.port, 9000), 'Waits on silence');
    await waitFor(() => silent.connections === 1);
    const retried = await send(await account('Busy', busy.port), 'Retried on time');
    expect((await waitForState(core, retried, ['deferred'], 5000)).state).toBe('deferred');
    // Due 1.5 s later: it goes then, not when the silent server's attempt finally ends (9 s): the
    // other message is still waiting on its silent server when this one is sent (no time asserted).
    expect((await waitForState(core, retried, ['sent'], 5000)).state).toBe('sent');
    const slowItem = unwrap(await core.dispatch('outbox.get', { id: slow })).item;
    expect(slowItem.state, JSON.stringify(slowItem.lastError)).toBe('sending');
  }, 30_000);

  it('an account saved with another server: the very next message goes there, and the old connection is closed', async () => {
    const { core, account, send } = await setup();
    const before = await startFaultServer();
    const after = await startFaultServer();
    servers.push(before, after);
    const id = await account('Moving', before.port);
    expect((await waitForState(core, await send(id, 'To the old server'), ['sent'], 5000)).state).toBe('sent');
    await account('Moving', after.port, 1000, id);
    expect((await waitForState(core, await send(id, 'To the new server'), ['sent'], 5000)).state).toBe('sent');
    expect(before.accepted.map((m) => m.data.includes('To the new server'))).toEqual([false]);
    expect(after.accepted).toHaveLength(1);
    await waitFor(() => before.commands.some((c) => c.line === 'QUIT'));
  });

  it('a password fixed while the message waits out its undo delay: the early login that failed is not reported, the new one is used', async () => {
    const { core, send } = await setup();
    const usedPassword = (arg: string) => Buffer.from(arg.split(' ').at(-1) ?? '', 'base64').toString('utf8');
    const server = await startFaultServer(
      (phase, c) =>
        phase === 'auth' && !usedPassword(c.arg).endsWith('\0right-pass')
          ? { reply: '535 5.7.8 Authentication credentials invalid' }
          : undefined,
      { auth: true },
    );
    servers.push(server);
    const save = async (password: string, id?: string) =>
      unwrap(
        await core.dispatch('accounts.save', {
          ...(id ? { id } : {}),
          name: 'Fixing',
          email: 'me@timing.test',
          host: '127.0.0.1',
          port: server.port,
          security: 'none',
          allowPlaintextAuth: true,
          auth: 'PLAIN',
          username: 'me',
          password,
        }),
      ).id;
    const id = await save('wrong-pass');
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: id,
        to: 'you@timing.test',
        subject: 'Fixed',
        body: 'b',
        undoSeconds: 3,
      }),
    ).id;
    // The connection opened ahead of the message logs in with the old password and is refused.
    await waitFor(() => server.commands.some((c) => c.line.startsWith('AUTH')));
    await save('right-pass', id);
    const item = await waitForState(core, queued, ['sent', 'failed', 'deferred'], 10_000);
    expect(item.state, JSON.stringify(item.lastError)).toBe('sent');
    expect(server.accepted).toHaveLength(1);
    void send;
  });

  it("the connection's QUIT and 221 end the transcript of the last message sent over it", async () => {
    const { core, account, send } = await setup({ messagesPerConnection: 1 });
    const server = await startFaultServer();
    servers.push(server);
    const id = await send(await account('Closing', server.port), 'Last on its connection');
    expect((await waitForState(core, id, ['sent'], 5000)).state).toBe('sent');
    await waitFor(() => server.commands.some((c) => c.line === 'QUIT'));
    const attemptId = unwrap(await core.dispatch('outbox.get', { id })).attempts[0]!.id;
    let tail: string[] = [];
    await waitFor(() => {
      void core.dispatch('attempts.transcript', { attemptId }).then((lines) => {
        if (lines.ok)
          tail = lines.value
            .filter((l) => l.dir === 'C' || l.dir === 'S')
            .slice(-2)
            .map((l) => l.text);
      });
      return tail[0] === 'QUIT';
    });
    expect(tail).toEqual(['QUIT', '221 2.0.0 Bye']);
  });
});
