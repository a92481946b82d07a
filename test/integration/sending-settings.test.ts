import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { startFaultServer, type FaultServer } from '../support/fault-server.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap, waitForState } from '../support/wait-for.ts';

const HOUR = 3600_000;

/** The person's sending settings: how long mail keeps retrying, connections across accounts. */
describe('sending settings', () => {
  const data = tempDataDir('settings');
  let server: FaultServer;
  let core: Core;
  const open = () => createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test' });

  beforeAll(async () => {
    // Each message is held 150 ms at the final ".", so parallel sends overlap and can be counted.
    server = await startFaultServer((phase) => (phase === 'dot' ? { reply: '250 2.0.0 Ok', delayMs: 150 } : undefined));
    core = open();
  });

  afterAll(async () => {
    await core?.close();
    await server?.close();
    data.remove();
  });

  it('start at 72 hours, 8 connections and 5 s to undo; out-of-range values are refused per field; saved values survive a restart', async () => {
    expect(unwrap(await core.dispatch('settings.get', {}))).toEqual({
      retryHours: 72,
      maxConnections: 8,
      undoSeconds: 5,
    });
    const refused = await core.dispatch('settings.save', { retryHours: 0, maxConnections: 99, undoSeconds: 31 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('BAD_INPUT');
      expect(refused.error.details).toMatchObject({
        'field:retryHours': 'Retry for at least 1 hour.',
        'field:maxConnections': 'At most 32 connections at once.',
        'field:undoSeconds': 'Undo can wait at most 30 seconds.',
      });
    }
    expect(unwrap(await core.dispatch('settings.save', { retryHours: 24 }))).toEqual({
      retryHours: 24,
      maxConnections: 8,
      undoSeconds: 5,
    });
    await core.close();
    core = open();
    expect(unwrap(await core.dispatch('settings.get', {}))).toEqual({
      retryHours: 24,
      maxConnections: 8,
      undoSeconds: 5,
    });
  });

  it('the undo delay is the setting when the composer names none', async () => {
    const accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Undo',
        email: 'me@undo.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    ).id;
    unwrap(await core.dispatch('settings.save', { undoSeconds: 20 }));
    const before = Date.now();
    const queued = unwrap(
      await core.dispatch('outbox.enqueue', { accountId, to: 'a@x.test', subject: 'Undo', body: 'b' }),
    );
    expect(queued.nextAttemptAt! - before).toBeGreaterThanOrEqual(20_000);
    expect(queued.nextAttemptAt! - before).toBeLessThan(21_000);
    unwrap(await core.dispatch('outbox.undo', { id: queued.id }));
    unwrap(await core.dispatch('settings.save', { undoSeconds: 5 }));
  });

  it('the retry time applies to mail queued from then on', async () => {
    const accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Later',
        email: 'me@later.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
      }),
    ).id;
    const sendAt = Date.now() + 1000 * HOUR;
    const first = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@x.test',
        subject: 'Later',
        body: 'b',
        undoSeconds: 0,
        sendAt,
      }),
    );
    expect(first.expiresAt).toBe(sendAt + 24 * HOUR);
    unwrap(await core.dispatch('settings.save', { retryHours: 5 }));
    const second = unwrap(
      await core.dispatch('outbox.enqueue', {
        accountId,
        to: 'a@x.test',
        subject: 'Later too',
        body: 'b',
        undoSeconds: 0,
        sendAt,
      }),
    );
    expect(second.expiresAt).toBe(sendAt + 5 * HOUR);
    unwrap(await core.dispatch('outbox.cancel', { id: first.id }));
    unwrap(await core.dispatch('outbox.cancel', { id: second.id }));
  });

  it('the connection limit across accounts holds even when an account alone could open more', async () => {
    unwrap(await core.dispatch('settings.save', { maxConnections: 1 }));
    const accountId = unwrap(
      await core.dispatch('accounts.save', {
        name: 'Busy',
        email: 'me@busy.test',
        host: '127.0.0.1',
        port: server.port,
        security: 'none',
        auth: 'none',
        username: '',
        maxConnections: 3,
      }),
    ).id;
    const ids = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(
        async (i) =>
          unwrap(
            await core.dispatch('outbox.enqueue', {
              accountId,
              to: `r${i}@x.test`,
              subject: `Busy ${i}`,
              body: 'b',
              undoSeconds: 0,
            }),
          ).id,
      ),
    );
    for (const id of ids) expect((await waitForState(core, id, ['sent', 'failed', 'deferred'])).state).toBe('sent');
    expect(server.maxConcurrent).toBe(1);
  });
});
