import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import type { OutboxItem } from '../../src-main/shared/schemas/outbox.ts';
import type { FaultServer } from '../support/fault-server.ts';
import { outboxAgainstFaults } from '../support/outbox-against-faults.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

/** A body big enough that the socket cannot take it at once: the "." goes well after the 354. */
const BIG_BODY = 'A line of the message body, repeated until it is about two hundred kilobytes long.\n'.repeat(2600);

/**
 * Servers that answer out of turn (found by the issue 17 review): a reply while the message
 * body is still going, or two replies to the final ".". Whatever they do, the outbox never
 * sends a message again that the server may have queued, and never says "sent" for one it refused.
 */
describe('replies out of turn', () => {
  const data = tempDataDir('out-of-turn');
  let core: Core;
  const { servers, send, retry, transcriptOf } = outboxAgainstFaults(() => core);

  beforeAll(() => {
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test', maxConnections: 20 });
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all(servers.map((server) => server.close()));
    data.remove();
  });

  /** What must hold after any number of attempts: queued at most once, and never retried once queued. */
  function neverTwice(server: FaultServer, item: OutboxItem) {
    expect(server.accepted.length).toBeLessThanOrEqual(1);
    if (server.accepted.length === 1) expect(['sent', 'uncertain']).toContain(item.state);
  }

  it.each([
    ['a small message', 'Body'],
    ['a 200 KB message', BIG_BODY],
  ])(
    'a 451 right behind the 354 (%s): the connection is closed before the final ".", retried, never queued',
    async (_size, body) => {
      const { server, item, id } = await send(
        `early 451, ${_size}`,
        (phase) =>
          phase === 'data'
            ? { raw: '354 End data with <CR><LF>.<CR><LF>\r\n451 4.3.0 Hold on\r\n', proceed: true }
            : undefined,
        { body },
      );
      expect(item.state).toBe('deferred');
      expect(item.lastError?.code).toBe('SMTP_PROTOCOL');
      expect(item.lastError?.message).toMatch(/451 4\.3\.0 Hold on/);
      expect(server.completed).toHaveLength(0);
      const lines = await transcriptOf(id);
      expect(lines.some((l) => l.dir === 'S' && l.text === '451 4.3.0 Hold on')).toBe(true);
      const after = await retry(id, 2);
      expect(server.completed).toHaveLength(0);
      neverTwice(server, after);
    },
  );

  it('an early "250 queued" during a 200 KB body, then a 554 for the message: never called sent', async () => {
    const { server, item } = await send(
      'early 250',
      (phase) =>
        phase === 'data'
          ? { raw: '354 Go ahead\r\n250 2.0.0 Ok: queued early\r\n', proceed: true }
          : phase === 'dot'
            ? { reply: '554 5.7.1 Refused as spam' }
            : undefined,
      { body: BIG_BODY },
    );
    expect(item.state).not.toBe('sent');
    expect(server.completed).toHaveLength(0);
  });

  it('a 451 a moment after the 354, when the small body has already gone: uncertain, not retried on its own', async () => {
    const { server, item, id } = await send('late early 451', (phase) =>
      phase === 'data'
        ? {
            raw: [
              { afterMs: 0, text: '354 Go ahead\r\n' },
              { afterMs: 30, text: '451 4.3.0 Hold on\r\n' },
            ],
            proceed: true,
          }
        : undefined,
    );
    // The server read the body and the "." and queued it, after saying 451 out of turn.
    expect(server.accepted).toHaveLength(1);
    expect(item.state).toBe('uncertain');
    expect(item.nextAttemptAt).toBeNull();
    expect(item.lastError?.message).toMatch(/out of step|another reply/i);
    const again = await retry(id, 2);
    neverTwice(server, again);
  });

  it.each([
    ['a 451 and then a 250', '451 4.3.0 Later\r\n250 2.0.0 Ok: queued\r\n'],
    ['one reply with mixed codes (451-… 250 …)', '451-4.3.0 Later\r\n250 2.0.0 Ok: queued\r\n'],
  ])('the final "." answered with %s: uncertain, never retried on its own', async (_what, raw) => {
    const { server, item, id } = await send(`dot: ${_what}`, (phase) =>
      phase === 'dot' ? { raw, proceed: true } : undefined,
    );
    expect(server.accepted).toHaveLength(1);
    expect(item.state).toBe('uncertain');
    expect(item.nextAttemptAt).toBeNull();
    expect((await core.dispatch('outbox.retryNow', { id })).ok).toBe(false);
    expect(unwrap(await core.dispatch('outbox.get', { id })).attempts).toHaveLength(1);
    expect(server.accepted).toHaveLength(1);
  });

  it('a plain 451 to the final "." (no reply out of turn) is still deferred and retried', async () => {
    const { server, item } = await send('plain 451 at the dot', (phase) =>
      phase === 'dot' ? { reply: '451 4.3.0 Try again later' } : undefined,
    );
    expect(item.state).toBe('deferred');
    expect(item.lastReply).toBe('451 4.3.0 Try again later');
    expect(server.accepted).toHaveLength(0);
  });

  it('an early 451 with no line end, glued to the 250 the server gives the ".": never read as one reply', async () => {
    const { server, item, id } = await send('glued early 451', (phase) =>
      phase === 'data' ? { raw: '354 go\r\n451 4.3.0 Hold on', proceed: true } : undefined,
    );
    expect(item.state).toBe('deferred');
    expect(item.lastError?.code).toBe('SMTP_PROTOCOL');
    expect(server.completed).toHaveLength(0);
    neverTwice(server, await retry(id, 2));
    expect(server.completed).toHaveLength(0);
  });

  it('a reply while the end of a large body is still queued in Posthorn: the queued rest and the "." are thrown away', async () => {
    // The server stops reading after its 354, answers 451 out of turn a moment later, then reads on.
    const { server, item, id } = await send(
      'slow reader',
      (phase) =>
        phase === 'data'
          ? {
              raw: [
                { afterMs: 0, text: '354 go ahead\r\n' },
                { afterMs: 400, text: '451 4.3.0 Hold on\r\n' },
              ],
              proceed: true,
              pauseReadingMs: 800,
            }
          : undefined,
      { body: BIG_BODY.repeat(20) },
    );
    // Wherever the timing falls, the message is never queued twice and never called sent.
    expect(item.state).not.toBe('sent');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    neverTwice(server, unwrap(await core.dispatch('outbox.get', { id })).item);
    if (item.state === 'deferred') expect(server.accepted).toHaveLength(0);
  });

  it('two replies to the "." further apart than the wait for QUIT: uncertain, never retried on its own', async () => {
    const { server, item } = await send('late second reply', (phase) =>
      phase === 'dot'
        ? {
            raw: [
              { afterMs: 0, text: '451 4.3.0 Later\r\n' },
              { afterMs: 2500, text: '250 2.0.0 Ok: queued\r\n' },
            ],
            proceed: true,
          }
        : undefined,
    );
    expect(item.state, JSON.stringify(await transcriptOf(item.id))).toBe('uncertain');
    expect(item.nextAttemptAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(server.accepted.length).toBeLessThanOrEqual(1);
  });

  it.each([
    ['451, then 421 closing', '451 4.3.0 Later\r\n421 4.4.2 Closing connection\r\n', 'deferred'],
    ['554, then 421 closing', '554 5.7.1 Refused\r\n421 4.7.0 Too many errors\r\n', 'failed'],
  ])('a refusal of the message followed by a 421 (allowed at any time) is believed: %s', async (_what, raw, state) => {
    const { server, item } = await send(`then 421: ${_what}`, (phase) => (phase === 'dot' ? { raw } : undefined));
    expect(item.state).toBe(state);
    expect(server.accepted).toHaveLength(0);
  });
});
