import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startFaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

/**
 * The app closed right after a message went, while its connection was still saying goodbye
 * (QUIT, 221): the close waits for that, so the attempt's transcript keeps its last lines and
 * nothing tries to write to a closed store.
 */
describe('closing the app right after a send', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('waits for the retiring connection to say goodbye, and keeps QUIT and 221 in the transcript', async () => {
    // The goodbye takes a moment, as a busy server's does: the app is closed meanwhile.
    const server = await startFaultServer((phase) =>
      phase === 'quit' ? { reply: '221 2.0.0 Bye', delayMs: 300 } : undefined,
    );
    cleanups.push(() => server.close());
    const data = tempDataDir('close-after-send');
    cleanups.push(() => data.remove());
    // One message per connection: each connection is retired (QUIT) as soon as its message is sent.
    const open = () =>
      createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test', messagesPerConnection: 1 });
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => warnings.push(args.map(String).join(' ')));
    const core = open();
    const account = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Fault',
        email: 'me@fault.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    );
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId: account.id,
        to: 'a@fault.test',
        subject: 'Last one before closing',
        body: 'Bye',
        undoSeconds: 0,
      }),
    );
    expect((await waitForState(core, queued.id, ['sent', 'failed', 'deferred'])).state).toBe('sent');
    await core.close();
    expect(warnings.filter((w) => /store refused a write/.test(w))).toEqual([]);

    const again = open();
    cleanups.push(() => again.close());
    const attempt = unwrap(await again.dispatch('outbox.get', { id: queued.id })).attempts[0];
    const lines = unwrap(await again.dispatch('attempts.transcript', { attemptId: attempt?.id ?? '' }));
    const texts = lines.map((line) => `${line.dir} ${line.text}`);
    expect(texts).toEqual(expect.arrayContaining(['C QUIT', 'S 221 2.0.0 Bye']));
    expect(texts.indexOf('S 221 2.0.0 Bye')).toBeGreaterThan(texts.indexOf('C QUIT'));
  });
});
