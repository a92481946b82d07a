import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src-main/core/create-core.ts';
import { MemorySecretStore } from '../../src-main/core/secrets/memory-store.ts';
import { outboxAgainstFaults } from '../support/outbox-against-faults.ts';
import { tempDataDir } from '../support/temp-dir.ts';
import { createTestCore } from '../support/test-core.ts';
import { unwrap } from '../support/wait-for.ts';

/**
 * Servers that break the SMTP conversation in ways a real person met (issue 17): the outbox must
 * never send a message twice on its own, must decide from the reply that mattered, and must say
 * so in words. Each runs against our fault server on 127.0.0.1, bounded by short timeouts.
 */
describe('the outbox against broken servers', () => {
  const data = tempDataDir('broken');
  let core: Core;
  const { servers, send, transcriptOf, retry } = outboxAgainstFaults(() => core);

  beforeAll(() => {
    core = createTestCore({ dataDir: data.dir, secrets: new MemorySecretStore(), mode: 'test', maxConnections: 20 });
  });

  afterAll(async () => {
    await core?.close();
    await Promise.all(servers.map((server) => server.close()));
    data.remove();
  });

  it('a malformed EHLO reply that shifts every later reply: the message is never sent, let alone twice', async () => {
    // A continuation line, a line that is not a reply at all, then a stray "250 OK" that would
    // answer the next command: every reply after it is one behind.
    const { server, item, id } = await send('malformed EHLO', (phase) =>
      phase === 'ehlo' ? { raw: '250-fault.test\r\n250-PIPELINING\r\n250x BROKEN\r\n250 OK\r\n' } : undefined,
    );
    expect(item.state).toBe('deferred');
    expect(item.lastError?.code).toBe('SMTP_PROTOCOL');
    expect(item.lastError?.message).toMatch(/reply could not be read.*250x BROKEN/);
    const after = await retry(id, 2);
    expect(after.state).toBe('deferred');
    // Not a byte of the message reached the server, on any attempt.
    expect(server.completed).toHaveLength(0);
    expect(server.commands.filter((c) => c.line === '(data)')).toHaveLength(0);
    const lines = await transcriptOf(id);
    expect(lines.some((l) => l.dir === 'error' && /could not be read/.test(l.text))).toBe(true);
  });

  it.each([
    ['a reply that is not SMTP', '250x queued\r\n'],
    ['a stray 354', '354 Go ahead\r\n'],
    ['nothing (the connection drops)', null],
  ])('after the final ".", %s makes the message uncertain, never retried on its own', async (_what, raw) => {
    const { server, item, id } = await send(`after the dot: ${_what}`, (phase) =>
      phase === 'dot' ? (raw === null ? { drop: true } : { raw }) : undefined,
    );
    expect(item.state).toBe('uncertain');
    expect(item.nextAttemptAt).toBeNull();
    expect(server.completed).toHaveLength(1);
    // "Retry now" is not offered for an uncertain message: it goes only when the person resends it.
    expect((await core.dispatch('outbox.retryNow', { id })).ok).toBe(false);
    expect(server.completed).toHaveLength(1);
  });

  it('the only recipient refused for good, and the server says nothing to DATA: failed at once with the 550, no two-minute wait', async () => {
    const { server, item, id } = await send('all refused, silent DATA', (phase) =>
      phase === 'rcpt'
        ? { reply: '550 5.1.1 <someone@fault.test>: No such user' }
        : phase === 'data'
          ? { silent: true }
          : undefined,
    );
    expect(item.state).toBe('failed');
    expect(item.lastError?.code).toBe('SMTP_REJECTED');
    expect(item.lastError?.message).toContain('550 5.1.1');
    expect(item.rejected).toEqual([
      { address: 'someone@fault.test', reply: '550 5.1.1 <someone@fault.test>: No such user' },
    ]);
    // Ended by the two seconds given to answer DATA, not the whole timeout: the transcript says so
    // (no time is asserted here; the speed of this machine must not decide the test).
    const attemptId = unwrap(await core.dispatch('outbox.get', { id })).attempts[0]?.id ?? '';
    const notes = unwrap(await core.dispatch('attempts.transcript', { attemptId })).filter((l) => l.dir === 'info');
    expect(notes.map((l) => l.text)).toContainEqual(expect.stringMatching(/did not answer DATA within 2 s/));
    expect(server.completed).toHaveLength(0);
    // Retry now has nobody left to send to: it says so at once and starts nothing.
    const again = await core.dispatch('outbox.retryNow', { id });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('CONFLICT');
      expect(again.error.message).toMatch(/every recipient was refused/i);
      expect(again.error.hint).toMatch(/Edit as new/);
    }
    expect(unwrap(await core.dispatch('outbox.get', { id })).attempts).toHaveLength(1);
  });

  it('a permanent refusal at MAIL, from a server that keeps answering RCPT and DATA: failed with the 552, nothing sent', async () => {
    const { server, item } = await send('552 at MAIL', (phase) =>
      phase === 'mail'
        ? { reply: '552 5.3.4 Message size exceeds fixed limit' }
        : phase === 'rcpt'
          ? { reply: '250 2.1.5 Ok' }
          : phase === 'data'
            ? { reply: '354 Go ahead' }
            : undefined,
    );
    expect(item.state).toBe('failed');
    expect(item.lastError?.message).toContain('552 5.3.4');
    expect(item.lastReply).toContain('552 5.3.4');
    expect(server.completed).toHaveLength(0);
  });

  it('a temporary refusal at MAIL, from a server that keeps answering: deferred, naming the 451', async () => {
    const { server, item } = await send('451 at MAIL', (phase) =>
      phase === 'mail'
        ? { reply: '451 4.3.0 Try again later' }
        : phase === 'rcpt'
          ? { reply: '250 2.1.5 Ok' }
          : phase === 'data'
            ? { reply: '354 Go ahead' }
            : undefined,
    );
    expect(item.state).toBe('deferred');
    expect(item.lastError?.code).toBe('SMTP_TEMPORARY');
    expect(item.lastError?.message).toContain('451 4.3.0 Try again later');
    expect(item.lastError?.message).not.toMatch(/closed the connection/i);
    expect(item.lastReply).toBe('451 4.3.0 Try again later');
    expect(server.completed).toHaveLength(0);
  });

  it('a malformed reply to RCPT: nothing is sent, and the person reads that the reply could not be read', async () => {
    const { server, item } = await send('malformed RCPT', (phase) =>
      phase === 'rcpt' ? { raw: 'OK then\r\n' } : undefined,
    );
    expect(item.state).toBe('deferred');
    expect(item.lastError?.message).toMatch(/reply could not be read.*OK then/);
    expect(server.completed).toHaveLength(0);
  });

  it('DATA answered 250 instead of 354: nothing is sent, and the person reads that reply, not "could not talk to the server"', async () => {
    const { server, item } = await send('250 to DATA', (phase) =>
      phase === 'data' ? { reply: '250 2.0.0 Ok' } : undefined,
    );
    expect(item.state).toBe('deferred');
    expect(item.lastError?.code).toBe('SMTP_PROTOCOL');
    expect(item.lastError?.message).toContain('"250 2.0.0 Ok"');
    expect(item.lastError?.message).not.toMatch(/could not talk/i);
    expect(item.lastReply).toBe('250 2.0.0 Ok');
    expect(server.completed).toHaveLength(0);
  });
});
